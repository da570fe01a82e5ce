#pragma once
// Hot loops of the CPU training step are compiled for AVX-512, AVX2 and plain x86-64, and
// the loader picks the best the CPU has (GCC function multi-versioning; private to core/aape).

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define AAPE_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AAPE_SIMD_CLONES
#endif
