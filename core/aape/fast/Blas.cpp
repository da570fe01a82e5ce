#include "aape/fast/Blas.h"

#include "aape/fast/SmallGemm.h"

#include <torch/torch.h>

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include <climits>

namespace aape::detail {

namespace {

// Fortran BLAS, column-major: every argument by pointer.
using FortranSgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*, const float*,
                              const int*, const float*, const int*, const float*, float*, const int*);

FortranSgemm findSgemm()
{
#if defined(__linux__) || defined(__APPLE__)
    return reinterpret_cast<FortranSgemm>(dlsym(RTLD_DEFAULT, "sgemm_"));
#else
    return nullptr;
#endif
}

bool fitsInt(std::int64_t value)
{
    return value >= 0 && value <= INT_MAX;
}

torch::Tensor view(const float* data, bool trans, std::int64_t rows, std::int64_t cols, std::int64_t ld)
{
    // op(X) is [rows, cols]; X itself is stored row-major with row stride ld.
    auto* p = const_cast<float*>(data);
    if (trans)
        return torch::from_blob(p, {cols, rows}, {ld, 1}, torch::kFloat).t();
    return torch::from_blob(p, {rows, cols}, {ld, 1}, torch::kFloat);
}

} // namespace

bool blasSgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
               std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc)
{
    static const FortranSgemm blas = findSgemm();
    if (!blas || !fitsInt(m) || !fitsInt(n) || !fitsInt(k) || !fitsInt(lda) || !fitsInt(ldb) || !fitsInt(ldc))
        return false;
    if (m <= 0 || n <= 0)
        return true;
    if (k <= 0) { // some BLAS reject k = 0 with beta = 0; the product is empty
        scaleRows(m, n, beta, c, ldc);
        return true;
    }
    // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
    const char ta = transA ? 'T' : 'N';
    const char tb = transB ? 'T' : 'N';
    const int mi = static_cast<int>(m), ki = static_cast<int>(k);
    const int la = static_cast<int>(lda), lb = static_cast<int>(ldb), lc = static_cast<int>(ldc);
    const int ni = static_cast<int>(n);
    blas(&tb, &ta, &ni, &mi, &ki, &alpha, b, &lb, a, &la, &beta, c, &lc);
    return true;
}

void sgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
           std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc)
{
    if (m <= 0 || n <= 0)
        return;
    if (smallGemmSuits(transA, transB, m, n, k)
        && smallSgemm(smallGemmIsa(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        return;
    if (blasSgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        return;
    torch::NoGradGuard noGrad;
    auto out = torch::from_blob(c, {m, n}, {ldc, 1}, torch::kFloat);
    out.addmm_(view(a, transA, m, k, lda), view(b, transB, k, n, ldb), beta, alpha);
}

void sgemmSgd(bool transA, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
              std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc, float* param,
              std::int64_t ldp, float weightDecay, float lr)
{
    if (m <= 0 || n <= 0)
        return;
    const SgdEpilogue sgd{param, ldp, weightDecay, lr};
    if (smallGemmSuits(transA, false, m, n, k)
        && smallSgemmSgd(smallGemmIsa(), transA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, sgd))
        return;
    sgemm(transA, false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    sgdFinishRows(m, n, param, ldp, c, ldc, weightDecay, lr);
}

torch::Tensor gemm(const torch::Tensor& a, bool transA, const torch::Tensor& b, bool transB, const torch::Tensor& bias)
{
    TORCH_CHECK(a.is_cpu() && b.is_cpu() && a.scalar_type() == torch::kFloat && b.scalar_type() == torch::kFloat,
                "gemm: float CPU tensors only");
    TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && a.stride(1) == 1 && b.stride(1) == 1, "gemm: rows must be contiguous");
    const auto m = transA ? a.size(1) : a.size(0);
    const auto k = transA ? a.size(0) : a.size(1);
    const auto n = transB ? b.size(0) : b.size(1);
    TORCH_CHECK((transB ? b.size(1) : b.size(0)) == k, "gemm: inner dimensions differ");
    torch::Tensor out;
    float beta = 0.0f;
    if (bias.defined()) {
        out = bias.reshape({1, n}).expand({m, n}).contiguous();
        beta = 1.0f;
    } else {
        out = torch::empty({m, n}, a.options());
    }
    sgemm(transA, transB, m, n, k, 1.0f, a.data_ptr<float>(), a.stride(0), b.data_ptr<float>(), b.stride(0), beta,
          out.data_ptr<float>(), n);
    return out;
}

// OpenBLAS (Debian's LibTorch uses it) runs its own thread pool next to LibTorch's OpenMP
// pool; the two spin against each other, and on a busy 2-core machine a small bmm took
// 400 ms instead of 1 ms. Keep BLAS single-threaded: LibTorch parallelises around it.
void limitBlasThreads()
{
#if defined(__linux__)
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
#endif
}

} // namespace aape::detail
