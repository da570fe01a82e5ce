#include "aape/Blas.h"

#include "aape/SmallGemm.h"

#include <torch/torch.h>

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include <algorithm>
#include <climits>
#include <cctype>
#include <string>

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

// OpenBLAS packs both operands of every product above a size limit; with its AVX-512
// kernel sets (SkylakeX, Cooperlake, SapphireRapids) it runs smaller ones on kernels that
// read them in place. For the training step's thin products (a few dozen rows against a
// 512 × 512 weight) packing the weight dominated: measured on one core of an AMD EPYC
// (Zen 5) with Cooperlake kernels, row-major X·Wᵀ with X [9, 512]: 54 GFLOP/s whole,
// 172 GFLOP/s in 128-column blocks; X [30, 512]: 127 → 178 in 32-column blocks; dY·W and
// Gᵀ·X similar or better. Blocks are the largest power of two ≥ 32 columns with
// m·n·k ≤ this many multiply-adds. The AVX2 sets (Haswell, Zen) have no such kernels, and
// blocks made Gᵀ·X slower there (115 → 82 GFLOP/s), so they get whole products.
constexpr double kSmallProductLimit = 600000.0;

bool hasSmallMatrixKernels()
{
#if defined(__linux__) || defined(__APPLE__)
    using CoreName = char* (*)();
    const auto name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* core = name ? name() : nullptr;
    if (!core)
        return false;
    std::string lower(core);
    for (auto& ch : lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return lower == "skylakex" || lower == "cooperlake" || lower == "sapphirerapids";
#endif
    return false;
}

std::int64_t columnBlock(std::int64_t m, std::int64_t n, std::int64_t k)
{
    static const bool smallKernels = hasSmallMatrixKernels();
    if (!smallKernels || static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) <= kSmallProductLimit)
        return n;
    std::int64_t block = 32;
    while (block * 2 < n && static_cast<double>(m) * static_cast<double>(block * 2) * static_cast<double>(k) <= kSmallProductLimit)
        block *= 2;
    return block;
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
    static const SmallGemmIsa isa = smallGemmIsa();
    if (isa != SmallGemmIsa::None && smallGemmSuits(transA, transB, m, n, k)
        && smallSgemm(isa, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
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
        const int mi = static_cast<int>(m), ki = static_cast<int>(k);
        const int la = static_cast<int>(lda), lb = static_cast<int>(ldb), lc = static_cast<int>(ldc);
        const std::int64_t block = columnBlock(m, n, k);
        for (std::int64_t j = 0; j < n; j += block) {
            const int nj = static_cast<int>(std::min(block, n - j));
            const float* bj = transB ? b + j * ldb : b + j;  // columns j… of op(B)
            blas(&tb, &ta, &nj, &mi, &ki, &alpha, bj, &lb, a, &la, &beta, c + j, &lc);
        }
        return;
    }
    torch::NoGradGuard noGrad;
    auto out = torch::from_blob(c, {m, n}, {ldc, 1}, torch::kFloat);
    out.addmm_(view(a, transA, m, k, lda), view(b, transB, k, n, ldb), beta, alpha);
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

} // namespace aape::detail
