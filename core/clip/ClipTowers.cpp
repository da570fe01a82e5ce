#include "clip/ClipTowers.h"

#include "aape/clip/ClipModel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aape::clip::detail {

void ClipTowers::forEachTensor(const std::function<void(const std::string& name, torch::Tensor& tensor)>& visit)
{
    auto blocks = [&](std::vector<TowerBlock>& list, const std::string& prefix) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string p = prefix + std::to_string(i) + ".";
            TowerBlock& b = list[i];
            visit(p + "ln_1.weight", b.ln1Weight);
            visit(p + "ln_1.bias", b.ln1Bias);
            visit(p + "attn.in_proj_weight", b.inProjWeight);
            visit(p + "attn.in_proj_bias", b.inProjBias);
            visit(p + "attn.out_proj.weight", b.outProjWeight);
            visit(p + "attn.out_proj.bias", b.outProjBias);
            visit(p + "ln_2.weight", b.ln2Weight);
            visit(p + "ln_2.bias", b.ln2Bias);
            visit(p + "mlp.c_fc.weight", b.fcWeight);
            visit(p + "mlp.c_fc.bias", b.fcBias);
            visit(p + "mlp.c_proj.weight", b.projWeight);
            visit(p + "mlp.c_proj.bias", b.projBias);
        }
    };
    blocks(visionBlocks, "visual.transformer.resblocks.");
    blocks(textBlocks, "transformer.resblocks.");
    visit("visual.conv1.weight", patchWeight);
    visit("visual.class_embedding", classEmbedding);
    visit("visual.positional_embedding", visualPositions);
    visit("visual.ln_pre.weight", lnPreWeight);
    visit("visual.ln_pre.bias", lnPreBias);
    visit("visual.ln_post.weight", lnPostWeight);
    visit("visual.ln_post.bias", lnPostBias);
    visit("visual.proj", visualProjection);
    visit("token_embedding.weight", tokenEmbedding);
    visit("positional_embedding", textPositions);
    visit("ln_final.weight", lnFinalWeight);
    visit("ln_final.bias", lnFinalBias);
    visit("text_projection", textProjection);
}

ClipTowers ClipTowers::fromWeights(const WeightMap& weights, const ClipConfig& config, const torch::Device& device,
                                   torch::ScalarType dtype)
{
    ClipTowers towers;
    towers.config = config;
    towers.visionBlocks.resize(static_cast<std::size_t>(config.vision.layers));
    towers.textBlocks.resize(static_cast<std::size_t>(config.text.layers));
    towers.forEachTensor([&](const std::string& name, torch::Tensor& tensor) {
        tensor = weights.at(name).to(device, dtype).contiguous();
    });
    return towers;
}

namespace {

// The dynamic quantised linear of LibTorch's quantized operator library, called through the
// dispatcher: the C++ frontend has no wrapper for it. The engine is oneDNN on Debian's build
// (FBGEMM or x86 on others); QNNPACK, meant for ARM, is the last resort.
void selectQuantizedEngine()
{
    static const bool selected = [] {
        const auto engines = at::globalContext().supportedQEngines();
        for (auto wanted : {at::QEngine::ONEDNN, at::QEngine::X86, at::QEngine::FBGEMM, at::QEngine::QNNPACK}) {
            if (std::find(engines.begin(), engines.end(), wanted) != engines.end()) {
                at::globalContext().setQEngine(wanted);
                return true;
            }
        }
        TORCH_CHECK(false, "this LibTorch build has no quantised engine for int8");
    }();
    (void)selected;
}

c10::IValue packLinear(const torch::Tensor& weight, const torch::Tensor& bias)
{
    static const auto prepack = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_prepack", "");
    const double scale = std::max(weight.abs().max().item<double>(), 1e-12) / 127.0;
    auto quantised = torch::quantize_per_tensor(weight.to(torch::kFloat32).contiguous(), scale, 0, torch::kQInt8);
    std::vector<c10::IValue> stack{quantised, c10::optional<torch::Tensor>(bias.to(torch::kFloat32).contiguous())};
    prepack.callBoxed(&stack);
    return stack.at(0);
}

torch::Tensor quantizedLinear(const torch::Tensor& x, const c10::IValue& packed)
{
    static const auto dynamic = c10::Dispatcher::singleton().findSchemaOrThrow("quantized::linear_dynamic", "");
    // As a 2-D product: oneDNN runs a [B, L, w] input about 3x slower than the same rows flattened.
    std::vector<c10::IValue> stack{x.reshape({-1, x.size(-1)}).to(torch::kFloat32).contiguous(), packed, false};
    dynamic.callBoxed(&stack);
    auto out = stack.at(0).toTensor().to(x.scalar_type());
    auto shape = x.sizes().vec();
    shape.back() = out.size(-1);
    return out.view(shape);
}

bool isBlockTensor(const std::string& name)
{
    return name.find(".resblocks.") != std::string::npos && name.find(".ln_") == std::string::npos;
}

} // namespace

ClipTowers ClipTowers::forInference(const WeightMap& weights, const ClipConfig& config, const torch::Device& device,
                                    TowerCompute compute)
{
    if (compute == TowerCompute::Float32 || compute == TowerCompute::Float16) {
        auto towers =
            fromWeights(weights, config, device, compute == TowerCompute::Float16 ? torch::kFloat16 : torch::kFloat32);
        towers.compute = compute;
        return towers;
    }
    ClipTowers towers;
    towers.config = config;
    towers.compute = compute;
    towers.visionBlocks.resize(static_cast<std::size_t>(config.vision.layers));
    towers.textBlocks.resize(static_cast<std::size_t>(config.text.layers));
    const auto blockType = compute == TowerCompute::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
    towers.forEachTensor([&](const std::string& name, torch::Tensor& tensor) {
        tensor = weights.at(name).to(device, isBlockTensor(name) ? blockType : torch::kFloat32).contiguous();
    });
    towers.blockActivations = torch::kBFloat16;
    if (compute == TowerCompute::Int8) {
        TORCH_CHECK(device.is_cpu(), "int8 towers run on the CPU only");
        // Around the int8 products, bfloat16 where the CPU computes it: measured on a ViT-B/16 with
        // Debian's LibTorch, the float32 attention and element-wise work took 3/4 of the time.
        towers.blockActivations = cpuComputesBfloat16() ? torch::kBFloat16 : torch::kFloat32;
        selectQuantizedEngine();
        for (auto* blocks : {&towers.visionBlocks, &towers.textBlocks}) {
            for (auto& b : *blocks) {
                b.inProjPacked = packLinear(b.inProjWeight, b.inProjBias);
                b.outProjPacked = packLinear(b.outProjWeight, b.outProjBias);
                b.fcPacked = packLinear(b.fcWeight, b.fcBias);
                b.projPacked = packLinear(b.projWeight, b.projBias);
                // The packed copies are all that runs; the float weights would only take memory.
                b.inProjWeight = b.outProjWeight = b.fcWeight = b.projWeight = torch::Tensor();
            }
        }
    }
    return towers;
}

torch::ScalarType ClipTowers::ioType() const
{
    return compute == TowerCompute::Float16 ? torch::kFloat16 : torch::kFloat32;
}

WeightMap ClipTowers::toWeights() const
{
    WeightMap weights;
    ClipTowers view = *this; // shares the tensors; forEachTensor needs a mutable object
    view.forEachTensor([&](const std::string& name, torch::Tensor& tensor) {
        weights[name] = tensor.detach().to(torch::kCPU, torch::kFloat32).clone();
    });
    return weights;
}

std::vector<torch::Tensor> ClipTowers::parameters()
{
    std::vector<torch::Tensor> list;
    forEachTensor([&](const std::string&, torch::Tensor& tensor) { list.push_back(tensor); });
    return list;
}

// LayerNorm in float32 even when the tower runs in half precision, as OpenAI's CLIP does.
torch::Tensor ClipTowers::layerNorm(const torch::Tensor& x, const torch::Tensor& weight,
                                    const torch::Tensor& bias) const
{
    const auto width = x.size(-1);
    if (x.scalar_type() == torch::kFloat32)
        return torch::layer_norm(x, {width}, weight, bias, config.layerNormEps);
    return torch::layer_norm(x.to(torch::kFloat32), {width}, weight.to(torch::kFloat32), bias.to(torch::kFloat32),
                             config.layerNormEps)
        .to(x.scalar_type());
}

torch::Tensor ClipTowers::linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                 const c10::IValue& packed) const
{
    if (packed.isNone())
        return torch::linear(x, weight, bias);
    return quantizedLinear(x, packed);
}

torch::Tensor ClipTowers::activation(const torch::Tensor& x) const
{
    if (config.activation == Activation::QuickGelu)
        return x * torch::sigmoid(1.702 * x);
    return torch::gelu(x);
}

// x: [B, L, w]; mask: [L, L] additive or undefined.
torch::Tensor ClipTowers::attention(const torch::Tensor& x, const TowerBlock& b, int heads,
                                    const torch::Tensor& mask) const
{
    const auto batch = x.size(0);
    const auto length = x.size(1);
    const auto width = x.size(2);
    const auto headDim = width / heads;
    auto qkv = linear(x, b.inProjWeight, b.inProjBias, b.inProjPacked) // [B, L, 3w]
                   .view({batch, length, 3, heads, headDim})
                   .permute({2, 0, 3, 1, 4}); // [3, B, H, L, hd]
    auto q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(headDim)));
    auto k = qkv[1];
    auto v = qkv[2];
    auto scores = torch::matmul(q, k.transpose(-2, -1)); // [B, H, L, L]
    if (mask.defined())
        scores = scores + mask;
    auto weights = torch::softmax(scores, -1);
    auto out = torch::matmul(weights, v) // [B, H, L, hd]
                   .permute({0, 2, 1, 3})
                   .reshape({batch, length, width});
    return linear(out, b.outProjWeight, b.outProjBias, b.outProjPacked);
}

torch::Tensor ClipTowers::runTower(torch::Tensor x, const std::vector<TowerBlock>& blocks, int heads,
                                   const torch::Tensor& mask) const
{
    const auto outerType = x.scalar_type();
    const auto blockType = blockActivations == torch::kFloat32 ? outerType : blockActivations;
    x = x.to(blockType);
    const auto blockMask = mask.defined() ? mask.to(blockType) : mask;
    for (const auto& b : blocks) {
        x = x + attention(layerNorm(x, b.ln1Weight, b.ln1Bias), b, heads, blockMask);
        auto h = linear(layerNorm(x, b.ln2Weight, b.ln2Bias), b.fcWeight, b.fcBias, b.fcPacked);
        x = x + linear(activation(h), b.projWeight, b.projBias, b.projPacked);
    }
    return x.to(outerType);
}

torch::Tensor ClipTowers::encodeImageBatch(const torch::Tensor& pixels) const
{
    const int patch = config.vision.patchSize;
    auto x = torch::conv2d(pixels, patchWeight, {}, patch); // [B, w, g, g]
    x = x.flatten(2).transpose(1, 2);                       // [B, g*g, w]
    auto cls = classEmbedding.view({1, 1, -1}).expand({x.size(0), 1, x.size(2)});
    x = torch::cat({cls, x}, 1) + visualPositions; // [B, g*g+1, w]
    x = layerNorm(x, lnPreWeight, lnPreBias);
    x = runTower(x, visionBlocks, config.vision.heads, {});
    x = layerNorm(x.select(1, 0), lnPostWeight, lnPostBias); // [B, w]
    return torch::matmul(x, visualProjection);               // [B, d]
}

torch::Tensor ClipTowers::encodeTextBatch(const torch::Tensor& ids, const torch::Tensor& eot) const
{
    const auto length = ids.size(1);
    auto x = torch::embedding(tokenEmbedding, ids) + textPositions.slice(0, 0, length);
    auto mask = torch::full({length, length}, -std::numeric_limits<float>::infinity(),
                            torch::TensorOptions().dtype(x.scalar_type()).device(x.device()))
                    .triu(1);
    x = runTower(x, textBlocks, config.text.heads, mask);
    x = layerNorm(x, lnFinalWeight, lnFinalBias);
    auto pooled = x.index({torch::arange(x.size(0), eot.options()), eot}); // [B, w_t]
    return torch::matmul(pooled, textProjection);
}

} // namespace aape::clip::detail
