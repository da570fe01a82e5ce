#pragma once
// Row-major float matrix products on the CPU with no per-call overhead beyond BLAS's own
// (private to core/aape). The hand-written training step makes a few hundred small products
// a step; through LibTorch's dispatcher each cost several microseconds more than the product.

#include <torch/torch.h>

#include <cstdint>

namespace aape::detail {

// C[m, n] = alpha·op(A)·op(B) + beta·C, row-major, with op(X) = Xᵀ when trans is true;
// lda, ldb, ldc are row strides. beta = 0 ignores C's previous contents (NaN included).
// Products with few rows or a short inner dimension run on our own kernels (SmallGemm.h);
// the rest on the process's BLAS sgemm_ when one is loaded (Debian's LibTorch links the
// system BLAS), otherwise on LibTorch's addmm on views of the same memory.
void sgemm(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
           std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc);

// A momentum-SGD step whose gradient is the product op(A)·B (a weight gradient summed over a
// batch's rows), with C the momentum buffer and `param` the weights [m, n] (row stride ldp):
//   C = alpha·op(A)·B + beta·C;  C += weightDecay·param;  param −= lr·C.
// Fused into the product's store where our kernels take the shape (SmallGemm.h), otherwise
// sgemm followed by a pass over both.
void sgemmSgd(bool transA, std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
              std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c, std::int64_t ldc, float* param,
              std::int64_t ldp, float weightDecay, float lr);

// The same on tensors (float, CPU, rows contiguous: stride(1) == 1, e.g. a narrow of columns):
// op(a)·op(b) (+ bias added to every row). A new contiguous [m, n] tensor.
torch::Tensor gemm(const torch::Tensor& a, bool transA, const torch::Tensor& b, bool transB,
                   const torch::Tensor& bias = {});

// OpenBLAS keeps its own thread pool beside LibTorch's; the trainer runs it single-threaded.
void limitBlasThreads();

} // namespace aape::detail
