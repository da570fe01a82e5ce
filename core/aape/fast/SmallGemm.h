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
bool smallSgemm(SmallGemmIsa isa, bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                std::int64_t ldc);

// The end of a momentum-SGD step, fused into the store of a product that accumulates a weight
// gradient into the momentum buffer C: after C = alpha·op(A)·B + beta·C, every element also
// does C += weightDecay·P; P −= lr·C, for the parameter P [m, n] (row stride ldp). Saves the
// separate pass over the parameter and buffer (a few megabytes a step, read and written).
struct SgdEpilogue {
    float* param = nullptr;
    std::int64_t ldp = 0;
    float weightDecay = 0.0f;
    float lr = 0.0f;
};

// smallSgemm with op(B) = B followed by the SGD epilogue. Returns false, touching nothing,
// when isa is None.
bool smallSgemmSgd(SmallGemmIsa isa, bool transA, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
                   const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
                   std::int64_t ldc, const SgdEpilogue& sgd);

// The epilogue alone over [m, n]: buffer += weightDecay·param; param −= lr·buffer.
void sgdFinishRows(std::int64_t m, std::int64_t n, float* param, std::int64_t ldp, float* buffer, std::int64_t ldb,
                   float weightDecay, float lr);

// The process's BLAS sgemm_ alone (Blas.cpp), same contract as smallSgemm; false, touching
// nothing, when no BLAS is loaded or a dimension exceeds its int. For comparisons
// (ProductBench.cpp); the training step calls detail::sgemm.
bool blasSgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
               std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc);

// C = beta·C over [m, n] (0 where beta = 0, NaN included): an empty product's result.
void scaleRows(std::int64_t m, std::int64_t n, float beta, float* c, std::int64_t ldc);

namespace kernels {
// One per instruction set, each compiled for it alone (the caller checks the CPU): m, n, k > 0,
// not both operands transposed; sgd (null: none) only with op(B) = B.
void sgemmAvx512(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
                 std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc,
                 const SgdEpilogue* sgd);
void sgemmAvx2(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
               std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc,
               const SgdEpilogue* sgd);
} // namespace kernels

} // namespace aape::detail
