#pragma once
// Row-major float matrix products for the explore tools, without torch in the header (private
// to core/explore): the BLAS the trainer uses, behind one call.

#include <cstdint>

namespace aape::explore::detail {

// C[m, n] = op(A)·op(B) with op(X) = Xᵀ when trans is true; lda, ldb, ldc are row strides.
void multiply(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
              std::int64_t lda, const float* b, std::int64_t ldb, float* c, std::int64_t ldc);

} // namespace aape::explore::detail
