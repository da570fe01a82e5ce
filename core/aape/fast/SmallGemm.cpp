#include "aape/fast/SmallGemm.h"

#include "aape/fast/Simd.h"

#include <cstdlib>
#include <cstring>

namespace aape::detail {

namespace {

// buffer += wd·p; p −= lr·buffer over one contiguous row.
AAPE_SIMD_CLONES
void sgdFinishRun(float* __restrict p, float* __restrict b, std::int64_t count, float weightDecay, float lr)
{
    for (std::int64_t i = 0; i < count; ++i) {
        const float v = b[i] + weightDecay * p[i];
        b[i] = v;
        p[i] -= lr * v;
    }
}

} // namespace

SmallGemmIsa smallGemmIsa()
{
    static const SmallGemmIsa isa = [] {
        const char* setting = std::getenv("AAPE_SMALL_GEMM");
        if (setting && std::strcmp(setting, "0") == 0)
            return SmallGemmIsa::None;
#if defined(AAPE_SMALL_GEMM_KERNELS) && (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f"))
            return SmallGemmIsa::Avx512;
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            return SmallGemmIsa::Avx2;
#endif
        return SmallGemmIsa::None;
    }();
    return isa;
}

bool smallGemmSuits(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k)
{
    // Measured against OpenBLAS 0.3.21 on one core on the training step's shapes (README,
    // "Training speed"): faster than its Haswell kernels on every one, and than its AVX-512
    // ones on all but a few. Larger products stay with BLAS, which packs once and threads.
    constexpr std::int64_t kFewRows = 64;
    constexpr std::int64_t kShortInner = 64;
    constexpr double kMidSize = 32.0e6; // multiply-adds, e.g. a 196 × 196 × 512 class term
    if (transA && transB)
        return false;
    if (transB) // dot products along k: worth it for few rows of A
        return m <= kFewRows;
    return m <= kFewRows || k <= kShortInner
           || static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) <= kMidSize;
}

void sgdFinishRows(std::int64_t m, std::int64_t n, float* param, std::int64_t ldp, float* buffer, std::int64_t ldb,
                   float weightDecay, float lr)
{
    for (std::int64_t i = 0; i < m; ++i)
        sgdFinishRun(param + i * ldp, buffer + i * ldb, n, weightDecay, lr);
}

void scaleRows(std::int64_t m, std::int64_t n, float beta, float* c, std::int64_t ldc)
{
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j)
            c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
}

namespace {

// smallSgemm and smallSgemmSgd: the argument checks, the empty product, the kernel set.
bool runKernels(SmallGemmIsa isa, bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                std::int64_t ldc, const SgdEpilogue* sgd)
{
#if defined(AAPE_SMALL_GEMM_KERNELS)
    if (isa == SmallGemmIsa::None || (transA && transB))
        return false;
    if (m <= 0 || n <= 0)
        return true;
    if (k <= 0) {
        scaleRows(m, n, beta, c, ldc);
        if (sgd)
            sgdFinishRows(m, n, sgd->param, sgd->ldp, c, ldc, sgd->weightDecay, sgd->lr);
        return true;
    }
    if (isa == SmallGemmIsa::Avx512)
        kernels::sgemmAvx512(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, sgd);
    else
        kernels::sgemmAvx2(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, sgd);
    return true;
#else
    (void)isa, (void)transA, (void)transB, (void)m, (void)n, (void)k, (void)alpha, (void)a, (void)lda, (void)b,
        (void)ldb, (void)beta, (void)c, (void)ldc, (void)sgd;
    return false;
#endif
}

} // namespace

bool smallSgemm(SmallGemmIsa isa, bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                std::int64_t ldc)
{
    return runKernels(isa, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nullptr);
}

bool smallSgemmSgd(SmallGemmIsa isa, bool transA, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                   const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                   std::int64_t ldc, const SgdEpilogue& sgd)
{
    return runKernels(isa, transA, false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, &sgd);
}

} // namespace aape::detail
