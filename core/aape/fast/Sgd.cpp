#include "aape/fast/Sgd.h"

#include "aape/fast/Simd.h"

namespace aape::detail {

namespace {

// One contiguous run of the update below; e may be null.
AAPE_SIMD_CLONES
void sgdRun(float* __restrict p, const float* __restrict g, const float* __restrict e, float* __restrict b,
            std::int64_t count, float momentum, float weightDecay, float lr)
{
    if (e) {
        for (std::int64_t i = 0; i < count; ++i) {
            const float v = momentum * b[i] + ((g[i] + e[i]) + weightDecay * p[i]);
            b[i] = v;
            p[i] -= lr * v;
        }
    } else {
        for (std::int64_t i = 0; i < count; ++i) {
            const float v = momentum * b[i] + (g[i] + weightDecay * p[i]);
            b[i] = v;
            p[i] -= lr * v;
        }
    }
}

} // namespace

void sgdUpdate(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& buffer, double lr, double momentum,
               double weightDecay, const torch::Tensor& extra)
{
    // The fused loop takes float CPU tensors whose rows are contiguous (a narrow of a matrix's
    // columns, such as the combiner's image half, included).
    const auto rows = [&](const torch::Tensor& t) -> std::int64_t {
        if (!t.defined())
            return 0;
        if (!t.device().is_cpu() || t.scalar_type() != torch::kFloat || !t.sizes().equals(param.sizes()))
            return -1;
        if (t.is_contiguous())
            return 1;
        return t.dim() == 2 && t.stride(1) == 1 ? t.size(0) : -1;
    };
    const auto rowCount = rows(param);
    if (rowCount < 0 || rows(grad) < 0 || rows(buffer) < 0 || rows(extra) < 0) {
        const auto g = (extra.defined() ? grad + extra : grad).add(param, weightDecay);
        buffer.mul_(momentum).add_(g);
        param.add_(buffer, -lr);
        return;
    }
    const bool matrix = param.dim() == 2;
    const std::int64_t count = matrix ? param.size(0) : 1;
    const std::int64_t width = matrix ? param.size(1) : param.numel();
    const auto stride = [&](const torch::Tensor& t) { return matrix && t.defined() ? t.stride(0) : 0; };
    float* p = param.data_ptr<float>();
    const float* g = grad.data_ptr<float>();
    const float* e = extra.defined() ? extra.data_ptr<float>() : nullptr;
    float* b = buffer.data_ptr<float>();
    const std::int64_t ps = stride(param), gs = stride(grad), es = stride(extra), bs = stride(buffer);
    const auto wd = static_cast<float>(weightDecay);
    const auto m = static_cast<float>(momentum);
    const auto step = static_cast<float>(lr);
    for (std::int64_t r = 0; r < count; ++r)
        sgdRun(p + r * ps, g + r * gs, e ? e + r * es : nullptr, b + r * bs, width, m, wd, step);
}

} // namespace aape::detail
