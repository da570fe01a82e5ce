// Small-product kernels for AVX2 + FMA (compiled with -mavx2 -mfma; called only after the
// CPU reports both). Tiles: 6 rows × 16 columns for A·B, 3 × 4 dot products for A·Bᵀ
// (sixteen vector registers).

#include "aape/fast/SmallGemm.h"

#include <immintrin.h>

#include <cstdint>

namespace aape::detail::kernels {

namespace {

alignas(32) constexpr std::int32_t kLaneMasks[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

struct Isa {
    using V = __m256;
    using Mask = __m256i;
    static constexpr int W = 8;
    static constexpr int kNnRows = 6;
    static constexpr int kNnVectors = 2;
    static constexpr int kNnFewRows = 6;
    static constexpr int kNnFewVectors = 2;
    static constexpr int kNtRows = 3;
    static constexpr int kNtCols = 4;

    static Mask mask(int lanes) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kLaneMasks + 8 - lanes)); }
    static V zero() { return _mm256_setzero_ps(); }
    static V set1(float x) { return _mm256_set1_ps(x); }
    static V load(const float* p) { return _mm256_loadu_ps(p); }
    static V loadMasked(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
    static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
    static void storeMasked(float* p, V v, Mask m) { _mm256_maskstore_ps(p, m, v); }
    static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
    static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
    static void sum4(V v0, V v1, V v2, V v3, float* out)
    {
        // Each 128-bit lane ends with [Σv0, Σv1, Σv2, Σv3] of its four floats; then the two lanes.
        const V y = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
        _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(y), _mm256_extractf128_ps(y, 1)));
    }
};

} // namespace

#define AAPE_SMALL_GEMM_ENTRY sgemmAvx2
#include "SmallGemmKernels.inc"

} // namespace aape::detail::kernels
