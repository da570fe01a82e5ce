#include "clip/ClipTowers.h"

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
    auto qkv = torch::linear(x, b.inProjWeight, b.inProjBias) // [B, L, 3w]
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
    return torch::linear(out, b.outProjWeight, b.outProjBias);
}

torch::Tensor ClipTowers::runTower(torch::Tensor x, const std::vector<TowerBlock>& blocks, int heads,
                                   const torch::Tensor& mask) const
{
    for (const auto& b : blocks) {
        x = x + attention(layerNorm(x, b.ln1Weight, b.ln1Bias), b, heads, mask);
        auto h = torch::linear(layerNorm(x, b.ln2Weight, b.ln2Bias), b.fcWeight, b.fcBias);
        x = x + torch::linear(activation(h), b.projWeight, b.projBias);
    }
    return x;
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
