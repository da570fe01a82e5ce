#include "aape/clip/ClipModel.h"

#include "clip/ClipTowers.h"
#include "clip/ClipWeights.h"
#include "clip/TorchDevice.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace aape::clip {

struct ClipModel::Impl {
    ModelInfo info;
    torch::Device device{torch::kCPU};
    torch::ScalarType dtype = torch::kFloat32; // what pixels enter the towers as
    Precision precision = Precision::Float32;
    std::string precisionReason;
    int imageBatch = 32;
    int textBatch = 64;
    detail::ClipTowers towers;

    // pixels: [B, 3, S, S] on device -> [B, d] (not normalised)
    torch::Tensor encodeImageBatch(const torch::Tensor& pixels) const { return towers.encodeImageBatch(pixels); }
    // ids: [B, L] int64 on device, eot: [B] positions -> [B, d] (not normalised)
    torch::Tensor encodeTextBatch(const torch::Tensor& ids, const torch::Tensor& eot) const
    {
        return towers.encodeTextBatch(ids, eot);
    }
};

namespace {

detail::TowerCompute towerCompute(Precision precision)
{
    switch (precision) {
    case Precision::Float16: return detail::TowerCompute::Float16;
    case Precision::BFloat16: return detail::TowerCompute::BFloat16;
    case Precision::Int8: return detail::TowerCompute::Int8;
    case Precision::Auto:
    case Precision::Float32: break;
    }
    return detail::TowerCompute::Float32;
}

Result<Precision> resolvePrecision(Precision wanted, const torch::Device& device, std::string& reason)
{
    const bool cuda = device.is_cuda();
    if (wanted == Precision::Auto)
        return automaticPrecision(cuda ? DeviceKind::Cuda : DeviceKind::Cpu, &reason);
    if (wanted == Precision::Int8 && cuda)
        return makeError(ErrorCode::InvalidArgument,
                         "int8 runs on the CPU only; on the GPU choose fp16 or bf16, or choose the CPU");
    if (wanted == Precision::Float16 && !cuda)
        return makeError(ErrorCode::InvalidArgument,
                         "fp16 is for GPUs (CPUs compute it slowly); on the CPU choose bf16, int8 or fp32");
    reason = std::string(precisionName(wanted)) + ": as chosen";
    return wanted;
}

} // namespace

ClipModel::ClipModel(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
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
    std::string reason;
    auto precision = resolvePrecision(options.precision, device.value(), reason);
    if (!precision)
        return precision.error();
    auto loaded = detail::loadCheckpoint(path, /*weights=*/true, options.activationOverride);
    if (!loaded)
        return loaded.error();
    try {
        auto impl = std::make_unique<Impl>();
        impl->info = loaded->info;
        impl->device = device.value();
        impl->precision = precision.value();
        impl->precisionReason = reason;
        impl->imageBatch = std::max(1, options.imageBatch);
        impl->textBatch = std::max(1, options.textBatch);
        impl->towers = detail::ClipTowers::forInference(loaded->weights, impl->info.config, impl->device,
                                                        towerCompute(impl->precision));
        impl->dtype = impl->towers.ioType();
        return ClipModel(std::move(impl));
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Device,
                         "The CLIP model could not be loaded onto the device, which may lack memory; choose the CPU or "
                         "free some GPU memory.",
                         path, e.what_without_backtrace());
    }
}

const ModelInfo& ClipModel::info() const
{
    return m_impl->info;
}

std::string ClipModel::deviceDescription() const
{
    return detail::describeDevice(m_impl->device) + " (" + precisionName(m_impl->precision) + ")";
}

Precision ClipModel::precision() const
{
    return m_impl->precision;
}

const std::string& ClipModel::precisionReason() const
{
    return m_impl->precisionReason;
}

namespace {

std::vector<float> toRows(const torch::Tensor& embeddings)
{
    auto normalised = torch::nn::functional::normalize(embeddings.to(torch::kCPU, torch::kFloat32),
                                                       torch::nn::functional::NormalizeFuncOptions().dim(1));
    normalised = normalised.contiguous();
    std::vector<float> out(static_cast<std::size_t>(normalised.numel()));
    std::memcpy(out.data(), normalised.data_ptr<float>(), out.size() * sizeof(float));
    return out;
}

Error deviceError(const c10::Error& e)
{
    const std::string what = e.what_without_backtrace();
    if (what.find("out of memory") != std::string::npos)
        return makeError(ErrorCode::Device, "The GPU ran out of memory; use a smaller batch or the CPU.", {}, what);
    return makeError(ErrorCode::Internal,
                     "Encoding with CLIP failed unexpectedly; please report it together with the "
                     "log file.",
                     {}, what);
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
            auto batch =
                torch::from_blob(const_cast<float*>(pixels) + start * perImage, {n, 3, size, size}, torch::kFloat32)
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
            return makeError(ErrorCode::InvalidArgument,
                             "a token sequence is empty or longer than the model's context (" + std::to_string(context)
                                 + ")");
        for (auto id : ids)
            if (id < 0 || id >= vocab)
                return makeError(
                    ErrorCode::InvalidArgument,
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
