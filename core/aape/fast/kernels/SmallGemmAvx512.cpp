// Small-product kernels for AVX-512 (compiled with -mavx512f -mfma; called only after the
// CPU reports AVX-512F). Tiles of 24-25 accumulators, which need fewer loads per
// multiply-add than 16 (one core, GFLOP/s): A·B 6 rows × 64 columns (8 × 32 when there are
// at most 8 rows: the attention's 8 heads); A·Bᵀ 5 × 5 dot products (4 × 4 ran X[9, 512]·Wᵀ
// at 94, 5 × 5 at 197).

#include "aape/fast/SmallGemm.h"

#include <immintrin.h>

#include <cstdint>

namespace aape::detail::kernels {

namespace {

struct Isa {
    using V = __m512;
    using Mask = __mmask16;
    static constexpr int W = 16;
    static constexpr int kNnRows = 6;
    static constexpr int kNnVectors = 4;
    static constexpr int kNnFewRows = 8;
    static constexpr int kNnFewVectors = 2;
    static constexpr int kNtRows = 5;
    static constexpr int kNtCols = 5;

    static Mask mask(int lanes) { return static_cast<Mask>((1u << lanes) - 1u); }
    static V zero() { return _mm512_setzero_ps(); }
    static V set1(float x) { return _mm512_set1_ps(x); }
    static V load(const float* p) { return _mm512_loadu_ps(p); }
    static V loadMasked(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
    static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
    static void storeMasked(float* p, V v, Mask m) { _mm512_mask_storeu_ps(p, m, v); }
    static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
    static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
    static void sum4(V v0, V v1, V v2, V v3, float* out)
    {
        // Pairwise: each 128-bit lane ends with [Σv0, Σv1, Σv2, Σv3] of its four floats;
        // then the four lanes are added.
        const V x01 = _mm512_add_ps(_mm512_unpacklo_ps(v0, v1), _mm512_unpackhi_ps(v0, v1));
        const V x23 = _mm512_add_ps(_mm512_unpacklo_ps(v2, v3), _mm512_unpackhi_ps(v2, v3));
        const V y = _mm512_add_ps(_mm512_shuffle_ps(x01, x23, _MM_SHUFFLE(1, 0, 1, 0)),
                                  _mm512_shuffle_ps(x01, x23, _MM_SHUFFLE(3, 2, 3, 2)));
        const __m256 half =
            _mm256_add_ps(_mm512_castps512_ps256(y), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(y), 1)));
        _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1)));
    }
};

} // namespace

#define AAPE_SMALL_GEMM_ENTRY sgemmAvx512
#include "SmallGemmKernels.inc"

} // namespace aape::detail::kernels
