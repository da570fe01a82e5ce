#pragma once
// Matrix products with few rows or a short inner dimension, computed in place on the caller's
// row-major memory (private to core/aape; no torch here). BLAS packs both operands of every
// product into its own layout first; for the training step's products (a few dozen rows
// against a 512 × 512 weight, or a weight gradient summed over a few dozen rows) packing the
// weight took as long as the arithmetic. The kernels are in SmallGemmKernels.inc, built once
// per instruction set (kernels/SmallGemmAvx512.cpp, kernels/SmallGemmAvx2.cpp).

#include <cstdint>

namespace aape::detail {

enum class SmallGemmIsa { None, Avx2, Avx512 };

// The best kernel set this CPU runs (None off x86-64 or without AVX2 + FMA), or None when
// the environment variable AAPE_SMALL_GEMM is 0 (to compare with BLAS).
SmallGemmIsa smallGemmIsa();

// Whether smallSgemm is the faster path for this shape: few rows (m) or a short inner
// dimension (k), and op(B) not transposed or op(A) not transposed.
bool smallGemmSuits(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k);

// C[m, n] = alpha·op(A)·op(B) + beta·C with the given kernel set, the same contract as
// detail::sgemm (row-major, leading dimensions are row strides, beta = 0 ignores C).
// Returns false, touching nothing, when isa is None or both operands are transposed.
bool smallSgemm(SmallGemmIsa isa, bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k,
                float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta,
                float* c, std::int64_t ldc);

// C = beta·C over [m, n] (0 where beta = 0, NaN included): an empty product's result.
void scaleRows(std::int64_t m, std::int64_t n, float beta, float* c, std::int64_t ldc);

namespace kernels {
// One per instruction set, each compiled for it alone (the caller checks the CPU): m, n, k > 0,
// not both operands transposed.
void sgemmAvx512(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                 const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                 std::int64_t ldc);
void sgemmAvx2(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
               const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
               std::int64_t ldc);
} // namespace kernels

} // namespace aape::detail
