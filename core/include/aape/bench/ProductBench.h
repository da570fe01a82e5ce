#pragma once
// The speed of the CPU training step's matrix products, shape by shape: our small-product
// kernels against the process's BLAS (`aape bench gemm`). The README's kernel numbers come
// from here.

#include <string>
#include <vector>

namespace aape {

struct ProductTiming {
    std::string name;        // the product's role in the training step
    std::string shape;       // e.g. "A·Bᵀ 8×90×512" (m×n×k)
    bool cold = false;       // B read from a bank larger than the last-level cache, a class at a time
    double oursGflops = 0.0; // 0: the kernels do not run on this CPU
    double blasGflops = 0.0; // 0: no BLAS sgemm in the process
};

// "avx512", "avx2" or "none" (no kernels for this CPU, or AAPE_SMALL_GEMM=0).
std::string smallProductKernels();

// Times each of the step's typical shapes (d = 512, 8 heads, 90 descriptions per class,
// a batch of 32, 196 classes) for about `secondsPerShape` per implementation, on one thread.
std::vector<ProductTiming> benchTrainingProducts(double secondsPerShape);

} // namespace aape
