#pragma once
// Hot loops of the CPU training step are compiled for AVX-512, AVX2 and plain x86-64, and
// the loader picks the best the CPU has (GCC function multi-versioning; private to core/aape).

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define AAPE_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AAPE_SIMD_CLONES
#endif

#if defined(__GNUC__)
// 16 floats, GCC's vector extension: one AVX-512 register, two AVX2 ones; GCC splits it for
// narrower targets. Loops over it vectorise even where a float reduction would not (the
// compiler may not reorder a scalar sum). Load and store with __builtin_memcpy (unaligned).
typedef float FloatLanes __attribute__((vector_size(64)));
constexpr int kLanes = 16;
#define AAPE_HAVE_FLOAT_LANES 1
#endif
