#include "aape/bench/ProductBench.h"

#include "aape/fast/Blas.h"
#include "aape/fast/SmallGemm.h"

#if defined(__linux__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>

namespace aape {

namespace {

struct Shape {
    const char* name;
    bool transA, transB;
    std::int64_t m, n, k;
    bool cold = false; // B from a rotating bank of kBankCopies copies
    bool sgd = false;  // C is a momentum buffer and the SGD step follows (TN only)
};

// GFLOP/s of `run(copy)` repeated for about `seconds` (after one untimed call).
double gflops(const Shape& s, double seconds, std::int64_t copies, const std::function<void(std::int64_t)>& run)
{
    run(0);
    const auto start = std::chrono::steady_clock::now();
    std::int64_t calls = 0;
    double elapsed = 0.0;
    std::uint32_t state = 12345u;
    do {
        for (int i = 0; i < 16; ++i, ++calls) {
            state = state * 1664525u + 1013904223u; // a class at random, as a batch draws them
            run(copies > 1 ? static_cast<std::int64_t>(state % static_cast<std::uint32_t>(copies)) : 0);
        }
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < seconds);
    return 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k)
           * static_cast<double>(calls) / elapsed / 1e9;
}

// OpenBLAS threads its products over every core; the kernels run on one thread, and so does
// each of the training step's two threads' BLAS calls in effect. Pins OpenBLAS (when it is
// the BLAS) to one thread for the guard's lifetime.
class SingleThreadedBlas {
public:
    SingleThreadedBlas()
    {
#if defined(__linux__) || defined(__APPLE__)
        m_set = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        const auto get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (m_set && get) {
            m_previous = get();
            m_set(1);
        }
#endif
    }
    ~SingleThreadedBlas()
    {
        if (m_set && m_previous > 0)
            m_set(m_previous);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    void (*m_set)(int) = nullptr;
    int m_previous = 0;
};

} // namespace

std::string smallProductKernels()
{
    switch (detail::smallGemmIsa()) {
    case detail::SmallGemmIsa::Avx512: return "avx512";
    case detail::SmallGemmIsa::Avx2: return "avx2";
    case detail::SmallGemmIsa::None: break;
    }
    return "none";
}

std::vector<ProductTiming> benchTrainingProducts(double secondsPerShape)
{
    const Shape shapes[] = {
        {"attention scores F·Pᵀ, one class (descriptions in cache)", false, true, 8, 90, 512},
        {"attention scores F·Pᵀ, one class (descriptions from memory)", false, true, 8, 90, 512, true},
        {"attention mix A·P, one class", false, false, 8, 512, 90},
        {"linear layer X·Wᵀ, a batch's classes", false, true, 27, 512, 512},
        {"per-head key q·W_k,h", false, true, 21, 64, 512},
        {"input gradient G·W", false, false, 27, 512, 512},
        {"FFN X·W1ᵀ", false, true, 27, 2048, 512},
        {"class term T·Aᵀ", false, false, 196, 512, 196},
        {"weight gradient Gᵀ·X into momentum", true, false, 512, 512, 32},
        {"weight gradient Gᵀ·X into momentum, then the SGD step", true, false, 512, 512, 32, false, true},
    };
    const auto isa = detail::smallGemmIsa();
    const SingleThreadedBlas oneThread;
    constexpr std::int64_t kBankCopies = 196; // 196 classes' descriptions: 36 MB at 90 × 512
    std::mt19937 random(7);
    std::normal_distribution<float> normal;
    std::vector<ProductTiming> timings;
    for (const auto& s : shapes) {
        const std::int64_t lda = s.transA ? s.m : s.k;
        const std::int64_t ldb = s.transB ? s.k : s.n;
        const std::int64_t copies = s.cold ? kBankCopies : 1;
        std::vector<float> a(static_cast<std::size_t>(s.m * s.k)), b(static_cast<std::size_t>(s.k * s.n * copies));
        std::vector<float> c(static_cast<std::size_t>(s.m * s.n)), param(c.size());
        for (auto* v : {&a, &b, &c, &param})
            for (auto& x : *v)
                x = normal(random) * 0.01f;
        const float beta = s.sgd || s.transA ? 0.9f : 0.0f; // weight gradients accumulate
        const auto bOf = [&](std::int64_t copy) { return b.data() + copy * s.k * s.n; };
        ProductTiming timing;
        timing.name = s.name;
        timing.shape = std::string(s.transA ? "Aᵀ·" : "A·") + (s.transB ? "Bᵀ " : "B ") + std::to_string(s.m) + "×"
                       + std::to_string(s.n) + "×" + std::to_string(s.k);
        timing.cold = s.cold;
        if (isa != detail::SmallGemmIsa::None) {
            timing.oursGflops = gflops(s, secondsPerShape, copies, [&](std::int64_t copy) {
                if (s.sgd)
                    detail::smallSgemmSgd(isa, s.transA, s.m, s.n, s.k, 1.0f, a.data(), lda, bOf(copy), ldb, beta,
                                          c.data(), s.n, {param.data(), s.n, 5e-4f, 1e-6f});
                else
                    detail::smallSgemm(isa, s.transA, s.transB, s.m, s.n, s.k, 1.0f, a.data(), lda, bOf(copy), ldb,
                                       beta, c.data(), s.n);
            });
        }
        if (detail::blasSgemm(s.transA, s.transB, 1, 1, 1, 1.0f, a.data(), lda, b.data(), ldb, 0.0f, c.data(), s.n)) {
            timing.blasGflops = gflops(s, secondsPerShape, copies, [&](std::int64_t copy) {
                detail::blasSgemm(s.transA, s.transB, s.m, s.n, s.k, 1.0f, a.data(), lda, bOf(copy), ldb, beta,
                                  c.data(), s.n);
                if (s.sgd)
                    detail::sgdFinishRows(s.m, s.n, param.data(), s.n, c.data(), s.n, 5e-4f, 1e-6f);
            });
        }
        timings.push_back(timing);
    }
    return timings;
}

} // namespace aape
