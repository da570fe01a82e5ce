#include "explore/Linear.h"

#include "aape/fast/Blas.h"

namespace aape::explore::detail {

void multiply(bool transA, bool transB, std::int64_t m, std::int64_t n, std::int64_t k, const float* a,
              std::int64_t lda, const float* b, std::int64_t ldb, float* c, std::int64_t ldc)
{
    aape::detail::sgemm(transA, transB, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}

} // namespace aape::explore::detail
