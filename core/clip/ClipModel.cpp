#include "aape/clip/ClipModel.h"

#include "clip/ClipWeights.h"
#include "clip/TorchDevice.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace aape::clip {

namespace {

struct Block {
    torch::Tensor ln1Weight, ln1Bias;
    torch::Tensor inProjWeight, inProjBias;    // [3w, w], [3w]: q, k, v stacked
    torch::Tensor outProjWeight, outProjBias;  // [w, w], [w]
    torch::Tensor ln2Weight, ln2Bias;
    torch::Tensor fcWeight, fcBias;            // [mlp, w]
    torch::Tensor projWeight, projBias;        // [w, mlp]
};

struct Tower {
    std::vector<Block> blocks;
    int heads = 1;
};

std::vector<Block> collectBlocks(detail::WeightMap& weights, const std::string& prefix, int layers,
                                 const torch::Device& device, torch::ScalarType dtype)
{
    std::vector<Block> blocks;
    auto take = [&](const std::string& name) { return weights.at(name).to(device, dtype).contiguous(); };
    for (int i = 0; i < layers; ++i) {
        const std::string p = prefix + std::to_string(i) + ".";
        Block b;
        b.ln1Weight = take(p + "ln_1.weight");
        b.ln1Bias = take(p + "ln_1.bias");
        b.inProjWeight = take(p + "attn.in_proj_weight");
        b.inProjBias = take(p + "attn.in_proj_bias");
        b.outProjWeight = take(p + "attn.out_proj.weight");
        b.outProjBias = take(p + "attn.out_proj.bias");
        b.ln2Weight = take(p + "ln_2.weight");
        b.ln2Bias = take(p + "ln_2.bias");
        b.fcWeight = take(p + "mlp.c_fc.weight");
        b.fcBias = take(p + "mlp.c_fc.bias");
        b.projWeight = take(p + "mlp.c_proj.weight");
        b.projBias = take(p + "mlp.c_proj.bias");
        blocks.push_back(std::move(b));
    }
    return blocks;
}

} // namespace

struct ClipModel::Impl {
    ModelInfo info;
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat32;
    int imageBatch = 32;
    int textBatch = 64;

    Tower vision, text;
    torch::Tensor patchWeight;        // [w, 3, p, p]
    torch::Tensor classEmbedding;     // [w]
    torch::Tensor visualPositions;    // [g*g+1, w]
    torch::Tensor lnPreWeight, lnPreBias, lnPostWeight, lnPostBias;
    torch::Tensor visualProjection;   // [w, d]
    torch::Tensor tokenEmbedding;     // [V, w_t]
    torch::Tensor textPositions;      // [ctx, w_t]
    torch::Tensor lnFinalWeight, lnFinalBias;
    torch::Tensor textProjection;     // [w_t, d]

    // LayerNorm in float32 even when the tower runs in half precision, as OpenAI's CLIP does.
    torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) const
    {
        const auto width = x.size(-1);
        if (x.scalar_type() == torch::kFloat32)
            return torch::layer_norm(x, {width}, weight, bias, info.config.layerNormEps);
        return torch::layer_norm(x.to(torch::kFloat32), {width}, weight.to(torch::kFloat32), bias.to(torch::kFloat32),
                                 info.config.layerNormEps)
            .to(x.scalar_type());
    }

    torch::Tensor activation(const torch::Tensor& x) const
    {
        if (info.config.activation == Activation::QuickGelu)
            return x * torch::sigmoid(1.702 * x);
        return torch::gelu(x);
    }

    // x: [B, L, w]; mask: [L, L] additive or undefined.
    torch::Tensor attention(const torch::Tensor& x, const Block& b, int heads, const torch::Tensor& mask) const
    {
        const auto batch = x.size(0);
        const auto length = x.size(1);
        const auto width = x.size(2);
        const auto headDim = width / heads;
        auto qkv = torch::linear(x, b.inProjWeight, b.inProjBias)   // [B, L, 3w]
                       .view({batch, length, 3, heads, headDim})
                       .permute({2, 0, 3, 1, 4});                    // [3, B, H, L, hd]
        auto q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(headDim)));
        auto k = qkv[1];
        auto v = qkv[2];
        auto scores = torch::matmul(q, k.transpose(-2, -1));          // [B, H, L, L]
        if (mask.defined())
            scores = scores + mask;
        auto weights = torch::softmax(scores, -1);
        auto out = torch::matmul(weights, v)                          // [B, H, L, hd]
                       .permute({0, 2, 1, 3})
                       .reshape({batch, length, width});
        return torch::linear(out, b.outProjWeight, b.outProjBias);
    }

    torch::Tensor runTower(torch::Tensor x, const Tower& tower, const torch::Tensor& mask) const
    {
        for (const auto& b : tower.blocks) {
            x = x + attention(layerNorm(x, b.ln1Weight, b.ln1Bias), b, tower.heads, mask);
            auto h = torch::linear(layerNorm(x, b.ln2Weight, b.ln2Bias), b.fcWeight, b.fcBias);
            x = x + torch::linear(activation(h), b.projWeight, b.projBias);
        }
        return x;
    }

    // pixels: [B, 3, S, S] on device -> [B, d] (not normalised)
    torch::Tensor encodeImageBatch(const torch::Tensor& pixels) const
    {
        const int patch = info.config.vision.patchSize;
        auto x = torch::conv2d(pixels, patchWeight, {}, patch);        // [B, w, g, g]
        x = x.flatten(2).transpose(1, 2);                               // [B, g*g, w]
        auto cls = classEmbedding.view({1, 1, -1}).expand({x.size(0), 1, x.size(2)});
        x = torch::cat({cls, x}, 1) + visualPositions;                  // [B, g*g+1, w]
        x = layerNorm(x, lnPreWeight, lnPreBias);
        x = runTower(x, vision, {});
        x = layerNorm(x.select(1, 0), lnPostWeight, lnPostBias);        // [B, w]
        return torch::matmul(x, visualProjection);                      // [B, d]
    }

    // ids: [B, L] int64 on device, eot: [B] positions -> [B, d] (not normalised)
    torch::Tensor encodeTextBatch(const torch::Tensor& ids, const torch::Tensor& eot) const
    {
        const auto length = ids.size(1);
        auto x = torch::embedding(tokenEmbedding, ids) + textPositions.slice(0, 0, length);
        auto mask = torch::full({length, length}, -std::numeric_limits<float>::infinity(),
                                torch::TensorOptions().dtype(x.scalar_type()).device(device))
                        .triu(1);
        x = runTower(x, text, mask);
        x = layerNorm(x, lnFinalWeight, lnFinalBias);
        auto pooled = x.index({torch::arange(x.size(0), eot.options()), eot});  // [B, w_t]
        return torch::matmul(pooled, textProjection);
    }
};

ClipModel::ClipModel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ClipModel::ClipModel(ClipModel&&) noexcept = default;
ClipModel& ClipModel::operator=(ClipModel&&) noexcept = default;
ClipModel::~ClipModel() = default;

Result<ClipModel> ClipModel::load(const std::string& path, const LoadOptions& options)
{
    auto device = detail::resolveTorchDevice(options.device);
    if (!device)
        return device.error();
    if (options.threads > 0)
        torch::set_num_threads(options.threads);
    auto loaded = detail::loadCheckpoint(path, /*weights=*/true, options.activationOverride);
    if (!loaded)
        return loaded.error();
    try {
        auto impl = std::make_unique<Impl>();
        impl->info = loaded->info;
        impl->device = device.value();
        impl->dtype = impl->device.is_cuda() ? torch::kFloat16 : torch::kFloat32;
        impl->imageBatch = std::max(1, options.imageBatch);
        impl->textBatch = std::max(1, options.textBatch);
        auto& w = loaded->weights;
        const auto& config = impl->info.config;
        auto take = [&](const std::string& name) { return w.at(name).to(impl->device, impl->dtype).contiguous(); };
        impl->vision.blocks = collectBlocks(w, "visual.transformer.resblocks.", config.vision.layers, impl->device,
                                            impl->dtype);
        impl->vision.heads = config.vision.heads;
        impl->text.blocks = collectBlocks(w, "transformer.resblocks.", config.text.layers, impl->device, impl->dtype);
        impl->text.heads = config.text.heads;
        impl->patchWeight = take("visual.conv1.weight");
        impl->classEmbedding = take("visual.class_embedding");
        impl->visualPositions = take("visual.positional_embedding");
        impl->lnPreWeight = take("visual.ln_pre.weight");
        impl->lnPreBias = take("visual.ln_pre.bias");
        impl->lnPostWeight = take("visual.ln_post.weight");
        impl->lnPostBias = take("visual.ln_post.bias");
        impl->visualProjection = take("visual.proj");
        impl->tokenEmbedding = take("token_embedding.weight");
        impl->textPositions = take("positional_embedding");
        impl->lnFinalWeight = take("ln_final.weight");
        impl->lnFinalBias = take("ln_final.bias");
        impl->textProjection = take("text_projection");
        return ClipModel(std::move(impl));
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Device, "the model could not be placed on the device (out of memory?)", path,
                         e.what_without_backtrace());
    }
}

const ModelInfo& ClipModel::info() const { return m_impl->info; }

std::string ClipModel::deviceDescription() const
{
    std::string text = detail::describeDevice(m_impl->device);
    text += m_impl->dtype == torch::kFloat16 ? " (float16)" : " (float32)";
    return text;
}

bool ClipModel::onCuda() const { return m_impl->device.is_cuda(); }

namespace {

std::vector<float> toRows(const torch::Tensor& embeddings)
{
    auto normalised = torch::nn::functional::normalize(
        embeddings.to(torch::kCPU, torch::kFloat32), torch::nn::functional::NormalizeFuncOptions().dim(1));
    normalised = normalised.contiguous();
    std::vector<float> out(static_cast<std::size_t>(normalised.numel()));
    std::memcpy(out.data(), normalised.data_ptr<float>(), out.size() * sizeof(float));
    return out;
}

Error deviceError(const c10::Error& e)
{
    const std::string what = e.what_without_backtrace();
    if (what.find("out of memory") != std::string::npos)
        return makeError(ErrorCode::Device, "the GPU ran out of memory; use a smaller batch or the CPU", {}, what);
    return makeError(ErrorCode::Internal, "encoding failed inside LibTorch", {}, what);
}

} // namespace

Result<std::vector<float>> ClipModel::encodeImages(const float* pixels, int count) const
{
    const Impl& m = *m_impl;
    const int size = m.info.config.vision.imageSize;
    const int d = m.info.config.embedDim;
    if (count <= 0)
        return std::vector<float>{};
    try {
        torch::InferenceMode guard;
        std::vector<float> out;
        out.reserve(static_cast<std::size_t>(count) * d);
        const std::int64_t perImage = 3LL * size * size;
        for (int start = 0; start < count; start += m.imageBatch) {
            const int n = std::min(m.imageBatch, count - start);
            auto batch = torch::from_blob(const_cast<float*>(pixels) + start * perImage, {n, 3, size, size},
                                          torch::kFloat32)
                             .to(m.device, m.dtype);
            auto rows = toRows(m.encodeImageBatch(batch));
            out.insert(out.end(), rows.begin(), rows.end());
        }
        return out;
    } catch (const c10::Error& e) {
        return deviceError(e);
    }
}

Result<std::vector<float>> ClipModel::encodeTokens(const std::vector<std::vector<std::int32_t>>& tokens,
                                                   bool padToContext) const
{
    const Impl& m = *m_impl;
    const int context = m.info.config.text.contextLength;
    const int vocab = m.info.config.text.vocabSize;
    const int d = m.info.config.embedDim;
    for (const auto& ids : tokens) {
        if (ids.empty() || static_cast<int>(ids.size()) > context)
            return makeError(ErrorCode::InvalidArgument, "a token sequence is empty or longer than the model's context (" +
                                                             std::to_string(context) + ")");
        for (auto id : ids)
            if (id < 0 || id >= vocab)
                return makeError(ErrorCode::InvalidArgument,
                                 "a token id is outside the model's vocabulary; the tokenizer does not belong to this model");
    }
    // Sort by length so each batch runs only as long as its longest member.
    std::vector<std::size_t> order(tokens.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return tokens[a].size() < tokens[b].size(); });
    std::vector<float> out(tokens.size() * d);
    try {
        torch::InferenceMode guard;
        for (std::size_t start = 0; start < order.size(); start += m.textBatch) {
            const std::size_t end = std::min(order.size(), start + m.textBatch);
            const auto n = static_cast<std::int64_t>(end - start);
            std::int64_t length = 0;
            for (std::size_t i = start; i < end; ++i)
                length = std::max<std::int64_t>(length, static_cast<std::int64_t>(tokens[order[i]].size()));
            if (padToContext)
                length = context;
            auto ids = torch::zeros({n, length}, torch::kInt64);
            auto eot = torch::zeros({n}, torch::kInt64);
            auto idsAccess = ids.accessor<std::int64_t, 2>();
            auto eotAccess = eot.accessor<std::int64_t, 1>();
            for (std::int64_t row = 0; row < n; ++row) {
                const auto& seq = tokens[order[start + row]];
                // Pooling position: the first occurrence of the largest id, as CLIP's argmax does.
                std::int64_t best = 0;
                for (std::size_t j = 0; j < seq.size(); ++j) {
                    idsAccess[row][static_cast<std::int64_t>(j)] = seq[j];
                    if (seq[j] > seq[best])
                        best = static_cast<std::int64_t>(j);
                }
                eotAccess[row] = best;
            }
            auto rows = toRows(m.encodeTextBatch(ids.to(m.device), eot.to(m.device)));
            for (std::int64_t row = 0; row < n; ++row)
                std::memcpy(out.data() + order[start + row] * d, rows.data() + row * d, d * sizeof(float));
        }
        return out;
    } catch (const c10::Error& e) {
        return deviceError(e);
    }
}

} // namespace aape::clip
