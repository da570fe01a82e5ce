// The small-product kernels (core/aape/SmallGemm.h) against a double-precision reference:
// every orientation they take, tails in every dimension, inner dimensions beyond one chunk,
// leading dimensions wider than the matrices, alpha and beta (beta = 0 must ignore NaN in C),
// for each instruction set this CPU runs, also with the SGD step fused into the store; and
// detail::sgemm and detail::sgemmSgd, which route between them and BLAS.

#include "aape/bench/ProductBench.h"
#include "aape/fast/Blas.h"
#include "aape/fast/SmallGemm.h"

#include <QtTest/QtTest>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using aape::detail::SmallGemmIsa;

namespace {

struct Problem {
    bool transA = false, transB = false;
    std::int64_t m = 0, n = 0, k = 0;
    std::int64_t lda = 0, ldb = 0, ldc = 0;
    float alpha = 1.0f, beta = 0.0f;
    std::vector<float> a, b, c;

    Problem(bool ta, bool tb, std::int64_t rows, std::int64_t cols, std::int64_t inner, float al, float be,
            std::mt19937& rng)
        : transA(ta)
        , transB(tb)
        , m(rows)
        , n(cols)
        , k(inner)
        , alpha(al)
        , beta(be)
    {
        std::normal_distribution<float> normal;
        // Stored shapes, each row padded by 3 so that leading dimensions exceed widths.
        const std::int64_t aRows = ta ? k : m, aCols = ta ? m : k;
        const std::int64_t bRows = tb ? n : k, bCols = tb ? k : n;
        lda = aCols + 3;
        ldb = bCols + 3;
        ldc = n + 3;
        a.resize(static_cast<std::size_t>(aRows * lda));
        b.resize(static_cast<std::size_t>(bRows * ldb));
        c.resize(static_cast<std::size_t>(m * ldc));
        for (auto& x : a)
            x = normal(rng);
        for (auto& x : b)
            x = normal(rng);
        for (auto& x : c)
            x = beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : normal(rng);
    }

    double opA(std::int64_t i, std::int64_t p) const { return transA ? a[p * lda + i] : a[i * lda + p]; }
    double opB(std::int64_t p, std::int64_t j) const { return transB ? b[j * ldb + p] : b[p * ldb + j]; }

    // The reference result, and how far float accumulation may stray from it.
    void expected(std::int64_t i, std::int64_t j, double& value, double& tolerance) const
    {
        double sum = 0.0, magnitude = 0.0;
        for (std::int64_t p = 0; p < k; ++p) {
            sum += opA(i, p) * opB(p, j);
            magnitude += std::abs(opA(i, p) * opB(p, j));
        }
        const double old = beta == 0.0f ? 0.0 : static_cast<double>(c[i * ldc + j]);
        value = alpha * sum + beta * old;
        tolerance = 1e-5 * (std::abs(alpha) * magnitude + std::abs(beta * old)) + 1e-6;
    }
};

QString describe(const Problem& p)
{
    return QStringLiteral("%1%2 m=%3 n=%4 k=%5 alpha=%6 beta=%7")
        .arg(p.transA ? "Aᵀ" : "A", p.transB ? "·Bᵀ" : "·B")
        .arg(p.m)
        .arg(p.n)
        .arg(p.k)
        .arg(p.alpha)
        .arg(p.beta);
}

// Compares `result` (the problem's C after the product) with the reference, padding untouched.
bool matches(const Problem& p, const std::vector<float>& result, QString& why)
{
    for (std::int64_t i = 0; i < p.m; ++i) {
        for (std::int64_t j = 0; j < p.ldc; ++j) {
            const float got = result[i * p.ldc + j];
            if (j >= p.n) {
                const float before = p.c[i * p.ldc + j];
                if (!(got == before || (std::isnan(got) && std::isnan(before)))) {
                    why = QStringLiteral("%1: padding at (%2, %3) was overwritten").arg(describe(p)).arg(i).arg(j);
                    return false;
                }
                continue;
            }
            double want = 0.0, tolerance = 0.0;
            p.expected(i, j, want, tolerance);
            if (!(std::abs(got - want) <= tolerance)) {
                why =
                    QStringLiteral("%1: C(%2, %3) = %4, expected %5").arg(describe(p)).arg(i).arg(j).arg(got).arg(want);
                return false;
            }
        }
    }
    return true;
}

// A momentum-SGD step fused into the product (SgdEpilogue): C' = the product's C + wd·P and
// P' = P − lr·C', with P [m, n] stored at row stride n + 5 (padding must stay untouched).
struct SgdCase {
    std::int64_t ldp = 0;
    float weightDecay = 5e-4f, lr = 0.1f;
    std::vector<float> param;

    SgdCase(const Problem& p, std::mt19937& rng)
        : ldp(p.n + 5)
    {
        std::normal_distribution<float> normal;
        param.resize(static_cast<std::size_t>(p.m * ldp));
        for (auto& x : param)
            x = normal(rng);
    }

    bool matches(const Problem& p, const std::vector<float>& c, const std::vector<float>& newParam, QString& why) const
    {
        for (std::int64_t i = 0; i < p.m; ++i)
            for (std::int64_t j = 0; j < ldp; ++j) {
                const double before = param[i * ldp + j];
                const double got = newParam[i * ldp + j];
                if (j >= p.n) {
                    if (got != before) {
                        why =
                            QStringLiteral("%1: parameter padding at (%2, %3) changed").arg(describe(p)).arg(i).arg(j);
                        return false;
                    }
                    continue;
                }
                double product = 0.0, tolerance = 0.0;
                p.expected(i, j, product, tolerance);
                const double buffer = product + weightDecay * before;
                const double gotBuffer = c[i * p.ldc + j];
                const double want = before - lr * buffer;
                if (!(std::abs(gotBuffer - buffer) <= tolerance + 1e-6)
                    || !(std::abs(got - want) <= lr * tolerance + 1e-6)) {
                    why = QStringLiteral("%1: at (%2, %3) buffer %4 (expected %5), parameter %6 (expected %7)")
                              .arg(describe(p))
                              .arg(i)
                              .arg(j)
                              .arg(gotBuffer)
                              .arg(buffer)
                              .arg(got)
                              .arg(want);
                    return false;
                }
            }
        return true;
    }
};

std::vector<SmallGemmIsa> supportedIsas()
{
    std::vector<SmallGemmIsa> isas;
    const auto best = aape::detail::smallGemmIsa();
    if (best == SmallGemmIsa::Avx2 || best == SmallGemmIsa::Avx512)
        isas.push_back(SmallGemmIsa::Avx2);
    if (best == SmallGemmIsa::Avx512)
        isas.push_back(SmallGemmIsa::Avx512);
    return isas;
}

} // namespace

class TestSmallGemm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kernelsMatchTheReference_data()
    {
        QTest::addColumn<int>("isa");
        const auto isas = supportedIsas();
        if (isas.empty())
            QSKIP("no small-product kernels on this CPU (or AAPE_SMALL_GEMM=0)");
        for (const auto isa : isas)
            QTest::newRow(isa == SmallGemmIsa::Avx512 ? "avx512" : "avx2") << static_cast<int>(isa);
    }

    void kernelsMatchTheReference()
    {
        QFETCH(int, isa);
        std::mt19937 rng(7);
        int checked = 0;
        for (const auto& [transA, transB] : {std::pair{false, false}, {true, false}, {false, true}})
            for (const std::int64_t m : {1, 5, 6, 7, 13, 31})
                for (const std::int64_t n : {1, 8, 15, 16, 17, 33, 70})
                    for (const std::int64_t k : {1, 9, 16, 17, 64, 65, 300})
                        for (const auto& [alpha, beta] : {std::pair{1.0f, 0.0f}, {-0.7f, 0.5f}}) {
                            Problem p(transA, transB, m, n, k, alpha, beta, rng);
                            auto result = p.c;
                            QVERIFY(aape::detail::smallSgemm(static_cast<SmallGemmIsa>(isa), transA, transB, m, n, k,
                                                             alpha, p.a.data(), p.lda, p.b.data(), p.ldb, beta,
                                                             result.data(), p.ldc));
                            QString why;
                            QVERIFY2(matches(p, result, why), qPrintable(why));
                            ++checked;
                        }
        QCOMPARE(checked, 3 * 6 * 7 * 7 * 2);
    }

    void emptyInnerDimensionScalesC()
    {
        const auto isas = supportedIsas();
        if (isas.empty())
            QSKIP("no small-product kernels on this CPU (or AAPE_SMALL_GEMM=0)");
        for (const auto isa : isas) {
            std::vector<float> c{1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 4.0f};
            QVERIFY(
                aape::detail::smallSgemm(isa, false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.5f, c.data(), 2));
            QCOMPARE(c[0], 0.5f);
            QCOMPARE(c[1], 1.0f);
            QCOMPARE(c[3], 2.0f);
            QVERIFY(
                aape::detail::smallSgemm(isa, false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.0f, c.data(), 2));
            QCOMPARE(c[2], 0.0f); // beta = 0 replaces even NaN
        }
    }

    void sgdEpilogueMatchesTheReference_data() { kernelsMatchTheReference_data(); }

    void sgdEpilogueMatchesTheReference()
    {
        QFETCH(int, isa);
        std::mt19937 rng(5);
        int checked = 0;
        for (const bool transA : {false, true})
            for (const std::int64_t m : {1, 7, 9, 13})
                for (const std::int64_t n : {5, 16, 70})
                    for (const std::int64_t k : {0, 3, 64, 300}) // 300: the epilogue waits for the last chunk
                        for (const float beta : {0.0f, 0.9f}) {
                            Problem p(transA, false, m, n, k, 1.0f, beta, rng);
                            SgdCase sgd(p, rng);
                            auto c = p.c;
                            auto param = sgd.param;
                            const aape::detail::SgdEpilogue epilogue{param.data(), sgd.ldp, sgd.weightDecay, sgd.lr};
                            QVERIFY(aape::detail::smallSgemmSgd(static_cast<SmallGemmIsa>(isa), transA, m, n, k,
                                                                p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb, p.beta,
                                                                c.data(), p.ldc, epilogue));
                            QString why;
                            QVERIFY2(sgd.matches(p, c, param, why), qPrintable(why));
                            ++checked;
                        }
        QCOMPARE(checked, 2 * 4 * 3 * 4 * 2);
    }

    // detail::sgemmSgd fuses where the kernels take the shape and otherwise runs BLAS and a
    // separate pass (400 × 300 × 300 is too large for the kernels).
    void sgemmSgdRoutesEveryShapeCorrectly()
    {
        std::mt19937 rng(13);
        for (const bool transA : {false, true})
            for (const auto& [m, n, k] :
                 {std::tuple<std::int64_t, std::int64_t, std::int64_t>{512, 96, 30}, {400, 300, 300}, {3, 5, 0}}) {
                Problem p(transA, false, m, n, k, 1.0f, 0.9f, rng);
                SgdCase sgd(p, rng);
                auto c = p.c;
                auto param = sgd.param;
                aape::detail::sgemmSgd(transA, m, n, k, p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb, p.beta, c.data(),
                                       p.ldc, param.data(), sgd.ldp, sgd.weightDecay, sgd.lr);
                QString why;
                QVERIFY2(sgd.matches(p, c, param, why), qPrintable(why));
            }
    }

    // `aape bench gemm`: every shape timed, by the kernels where this CPU runs them and by BLAS
    // where one is loaded (Debian's LibTorch links OpenBLAS).
    void productBenchTimesEveryShape()
    {
        const auto timings = aape::benchTrainingProducts(0.001);
        QCOMPARE(timings.size(), std::size_t{10});
        const bool kernels = aape::smallProductKernels() != "none";
        QCOMPARE(kernels, !supportedIsas().empty());
        const bool blas =
            aape::detail::blasSgemm(false, false, 0, 0, 0, 1.0f, nullptr, 1, nullptr, 1, 0.0f, nullptr, 1);
        for (const auto& t : timings) {
            QVERIFY2(!t.name.empty() && !t.shape.empty(), t.shape.c_str());
            QCOMPARE(t.oursGflops > 0.0, kernels);
            QCOMPARE(t.blasGflops > 0.0, blas);
        }
    }

    void bothTransposedIsLeftToBlas()
    {
        for (const auto isa : supportedIsas()) {
            std::vector<float> a(4, 1.0f), b(4, 1.0f), c(4, 9.0f);
            QVERIFY(
                !aape::detail::smallSgemm(isa, true, true, 2, 2, 2, 1.0f, a.data(), 2, b.data(), 2, 0.0f, c.data(), 2));
            QCOMPARE(c, std::vector<float>(4, 9.0f));
        }
        QVERIFY(!aape::detail::smallSgemm(SmallGemmIsa::None, false, false, 1, 1, 1, 1.0f, nullptr, 1, nullptr, 1, 0.0f,
                                          nullptr, 1));
    }

    // detail::sgemm sends thin products to the kernels and the rest to BLAS: both must agree
    // with the reference, including both operands transposed.
    void sgemmRoutesEveryShapeCorrectly()
    {
        std::mt19937 rng(11);
        for (const auto& [transA, transB] : {std::pair{false, false}, {true, false}, {false, true}, {true, true}})
            for (const auto& [m, n, k] : {std::tuple<std::int64_t, std::int64_t, std::int64_t>{30, 512, 512},
                                          {512, 96, 30},
                                          {100, 90, 100},
                                          {3, 5, 0}}) {
                Problem p(transA, transB, m, n, k, 0.5f, 0.25f, rng);
                auto result = p.c;
                aape::detail::sgemm(transA, transB, m, n, k, p.alpha, p.a.data(), p.lda, p.b.data(), p.ldb, p.beta,
                                    result.data(), p.ldc);
                QString why;
                QVERIFY2(matches(p, result, why), qPrintable(why));
            }
    }
};

QTEST_GUILESS_MAIN(TestSmallGemm)
#include "tst_small_gemm.moc"
