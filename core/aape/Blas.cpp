#include "aape/Blas.h"

#include <torch/torch.h>

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include <climits>

namespace aape::detail {

namespace {

// Fortran BLAS, column-major: every argument by pointer.
using FortranSgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*,
                              const float*, const int*, const float*, const int*, const float*, float*,
                              const int*);

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

void sgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
           const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
           std::int64_t ldc)
{
    if (m <= 0 || n <= 0)
        return;
    static const FortranSgemm blas = findSgemm();
    if (blas && fitsInt(m) && fitsInt(n) && fitsInt(k) && fitsInt(lda) && fitsInt(ldb) && fitsInt(ldc)) {
        if (k <= 0) {  // some BLAS reject k = 0 with beta = 0; the product is empty
            for (std::int64_t i = 0; i < m; ++i)
                for (std::int64_t j = 0; j < n; ++j)
                    c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
            return;
        }
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
        const char ta = transA ? 'T' : 'N';
        const char tb = transB ? 'T' : 'N';
        const int mi = static_cast<int>(m), ni = static_cast<int>(n), ki = static_cast<int>(k);
        const int la = static_cast<int>(lda), lb = static_cast<int>(ldb), lc = static_cast<int>(ldc);
        blas(&tb, &ta, &ni, &mi, &ki, &alpha, b, &lb, a, &la, &beta, c, &lc);
        return;
    }
    torch::NoGradGuard noGrad;
    auto out = torch::from_blob(c, {m, n}, {ldc, 1}, torch::kFloat);
    out.addmm_(view(a, transA, m, k, lda), view(b, transB, k, n, ldb), beta, alpha);
}

} // namespace aape::detail
