// The AAPE modules' fast forms against the paper's equations written out literally.

#include "aape/Modules.h"
#include "aape/fast/HandWritten.h"

#include "aape/aape/Trainer.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <algorithm>
#include <numeric>

using namespace aape;
using namespace aape::detail;

namespace {

torch::Tensor unitRows(std::int64_t n, std::int64_t dim, torch::Dtype dtype)
{
    const auto x = torch::randn({n, dim}, dtype);
    return x / x.norm(2, 1, true);
}

// Parameters far from their initial values, so that LayerNorm's affine terms, the offset and
// the biases all take part (with zero biases a folding error in them would go unnoticed).
void perturb(torch::nn::Module& module)
{
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters())
        p.add_(torch::randn_like(p) * 0.2);
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

std::vector<torch::Tensor> gradsOf(torch::nn::Module& module)
{
    std::vector<torch::Tensor> out;
    for (auto& p : module.parameters()) {
        out.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
        p.mutable_grad().reset();
    }
    return out;
}

} // namespace

class TestAapeModules final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fastAggregatorMatchesLiteral_data();
    void fastAggregatorMatchesLiteral();
    void handWrittenGradientMatchesAutograd_data();
    void handWrittenGradientMatchesAutograd();
    void decomposedCombinerMatchesConcatenation_data();
    void decomposedCombinerMatchesConcatenation();
    void combinerCosineHandlesDeadUnits();
    void headCountDividesDimension_data();
    void headCountDividesDimension();
};

void TestAapeModules::fastAggregatorMatchesLiteral_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<QVector<int>>("counts");
    QTest::addColumn<bool>("doublePrecision");
    QTest::newRow("d32, n 1/7/3, float") << 32 << QVector<int>{1, 7, 3} << false;
    QTest::newRow("d48, one class, float") << 48 << QVector<int>{5} << false;
    QTest::newRow("d36 (6 heads), n up to 100, float") << 36 << QVector<int>{100, 2, 40, 1} << false;
    QTest::newRow("d64, n up to 100, double") << 64 << QVector<int>{100, 1, 17} << true;
}

void TestAapeModules::fastAggregatorMatchesLiteral()
{
    QFETCH(int, dim);
    QFETCH(QVector<int>, counts);
    QFETCH(bool, doublePrecision);
    const auto dtype = doublePrecision ? torch::kDouble : torch::kFloat;
    const double tolerance = doublePrecision ? 1e-10 : 1e-5;
    torch::manual_seed(3);
    Aggregator aggregator(dim, aggregatorHeadCount(dim), 4 * dim);
    aggregator->to(dtype);
    perturb(*aggregator);
    std::vector<torch::Tensor> descriptions;
    for (int n : counts)
        descriptions.push_back(unitRows(n, dim, dtype));
    const auto bank = makeDescriptionBank(descriptions, dim, torch::kCPU);
    const auto classCount = static_cast<std::int64_t>(counts.size());
    // A weighted loss over outputs and attention, so each entry's gradient is checked.
    const auto outWeights = torch::randn({classCount, dim}, dtype);

    // Classes in a shuffled order with a repeat, as a batch would list them.
    std::vector<std::int64_t> order;
    for (std::int64_t c = classCount - 1; c >= 0; --c)
        order.push_back(c);
    const auto fast = aggregator->forward(bank, torch::tensor(order));
    const auto m = bank.normalised.size(1);
    const auto attWeights = torch::randn({classCount, aggregator->heads(), m}, dtype);
    torch::Tensor fastLoss = torch::zeros({}, dtype);
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto c = order[i];
        fastLoss = fastLoss + (fast.summary[static_cast<std::int64_t>(i)] * outWeights[c]).sum()
                   + (fast.attention[static_cast<std::int64_t>(i)] * attWeights[c]).sum();
    }
    fastLoss.backward();
    const auto fastGrads = gradsOf(*aggregator);

    torch::Tensor literalLoss = torch::zeros({}, dtype);
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto c = order[i];
        const auto n = counts[static_cast<int>(c)];
        const auto [summary, attention] = aggregator->forwardLiteral(descriptions[static_cast<std::size_t>(c)]);
        QVERIFY2(maxDiff(summary, fast.summary[static_cast<std::int64_t>(i)]) < tolerance, "p^a differs");
        const auto fastAttention = fast.attention[static_cast<std::int64_t>(i)];
        QVERIFY2(maxDiff(attention.narrow(1, 1, n), fastAttention.narrow(1, 0, n)) < tolerance,
                 "attention over descriptions differs");
        QVERIFY2(maxDiff(attention.select(1, 0), fast.selfAttention[static_cast<std::int64_t>(i)]) < tolerance,
                 "self attention differs");
        if (n < m)
            QCOMPARE(fastAttention.narrow(1, n, m - n).abs().max().item<double>(), 0.0);
        literalLoss = literalLoss + (summary * outWeights[c]).sum()
                      + (attention.narrow(1, 1, n) * attWeights[c].narrow(1, 0, n)).sum();
    }
    literalLoss.backward();
    const auto literalGrads = gradsOf(*aggregator);
    QCOMPARE(fastGrads.size(), literalGrads.size());
    for (std::size_t i = 0; i < fastGrads.size(); ++i) {
        const double scale = std::max(1.0, literalGrads[i].abs().max().item<double>());
        QVERIFY2(literalGrads[i].abs().max().item<double>() > 0.0, "a parameter received no gradient");
        QVERIFY2(
            maxDiff(fastGrads[i], literalGrads[i]) / scale < tolerance,
            qPrintable(QStringLiteral("gradient %1 differs by %2").arg(i).arg(maxDiff(fastGrads[i], literalGrads[i]))));
    }
}

void TestAapeModules::handWrittenGradientMatchesAutograd_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<QVector<int>>("counts");
    QTest::addColumn<int>("ffnWidth");
    QTest::newRow("d32, n 1/7/3") << 32 << QVector<int>{1, 7, 3} << 8;
    QTest::newRow("d48 (8 heads of 6), one class") << 48 << QVector<int>{5} << 12;
    QTest::newRow("d36 (6 heads), n up to 100") << 36 << QVector<int>{100, 2, 40, 1} << 9;
    QTest::newRow("d64, n up to 90") << 64 << QVector<int>{90, 1, 17, 33, 2} << 16;
}

// The trainer's CPU step differentiates the aggregator by hand (AggregatorGradient.cpp);
// it must give autograd's gradients of the same loss through forward(): the CLIP reward
// coef·Σ_r relu(cos(x_r, p^a)) over batch rows whose classes repeat.
void TestAapeModules::handWrittenGradientMatchesAutograd()
{
    QFETCH(int, dim);
    QFETCH(QVector<int>, counts);
    QFETCH(int, ffnWidth);
    torch::manual_seed(11);
    Aggregator aggregator(dim, aggregatorHeadCount(dim), ffnWidth);
    perturb(*aggregator);
    std::vector<torch::Tensor> descriptions;
    for (int n : counts)
        descriptions.push_back(unitRows(n, dim, torch::kFloat));
    const auto bank = makeDescriptionBank(descriptions, dim, torch::kCPU);
    const auto classCount = static_cast<std::int64_t>(counts.size());

    // Classes ascending as a job lists them; rows point at them, some twice, one class
    // (when there are several) only through rows whose cosine is negative.
    std::vector<std::int64_t> classes(static_cast<std::size_t>(classCount));
    std::iota(classes.begin(), classes.end(), 0);
    std::vector<std::int64_t> slots;
    for (std::int64_t r = 0; r < 3 * classCount; ++r)
        slots.push_back(r % classCount);
    const auto rows = static_cast<std::int64_t>(slots.size());
    auto x = unitRows(rows, dim, torch::kFloat);
    const double coefficient = -2.5 / 32.0;

    const auto reference = aggregator->forward(bank, torch::tensor(classes)).summary; // autograd
    const auto p = reference.index_select(0, torch::tensor(slots));
    {
        // Rows of class 0 lie near its summary (reward active); when there are several
        // classes, rows of the last point away from its summary (no reward there).
        torch::NoGradGuard noGrad;
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto slot = slots[static_cast<std::size_t>(r)];
            const auto direction = p[r].detach() / p[r].detach().norm();
            if (slot == 0)
                x[r].copy_(direction + 0.3 * x[r]);
            else if (slot == classCount - 1)
                x[r].copy_(-direction);
        }
    }
    const auto reward = torch::relu(torch::cosine_similarity(x, p, 1)).sum();
    (reward * coefficient).backward();
    std::vector<std::pair<std::string, torch::Tensor>> expected;
    for (auto& item : aggregator->named_parameters()) {
        auto grad = item.value().grad();
        expected.emplace_back(item.key(), grad.defined() ? grad.clone() : torch::zeros_like(item.value()));
        item.value().mutable_grad().reset();
    }

    const auto mine = aggregatorRewardGradient(*aggregator, bank, classes, x, slots, coefficient);
    QVERIFY(maxDiff(mine.summaries, reference.detach()) < 1e-5);
    QVERIFY(std::abs(mine.rewardSum.item<double>() - reward.item<double>()) < 1e-4);
    // Materialise the weight gradients (the trainer folds them into momentum instead).
    std::vector<std::pair<torch::Tensor, torch::Tensor>> got;
    for (const auto& term : mine.weights) {
        auto found =
            std::find_if(got.begin(), got.end(), [&](const auto& g) { return g.first.is_same(term.parameter); });
        if (found == got.end()) {
            got.emplace_back(term.parameter, torch::zeros_like(term.parameter));
            found = got.end() - 1;
        }
        accumulateWeightGradient(term, found->second, 0.0f);
    }
    for (const auto& v : mine.vectors)
        got.push_back(v);
    int compared = 0;
    for (const auto& [name, grad] : expected) {
        const auto param = aggregator->named_parameters()[name]; // a copy: the dict is a temporary
        const auto match = std::find_if(got.begin(), got.end(), [&](const auto& g) { return g.first.is_same(param); });
        QVERIFY2(match != got.end(),
                 qPrintable(QStringLiteral("no gradient for %1").arg(QString::fromStdString(name))));
        const double scale = std::max(1e-3, grad.abs().max().item<double>());
        const double diff = maxDiff(match->second, grad);
        QVERIFY2(diff / scale < 2e-4, qPrintable(QStringLiteral("%1: differs by %2 (largest entry %3)")
                                                     .arg(QString::fromStdString(name))
                                                     .arg(diff)
                                                     .arg(scale)));
        if (name != "in_proj_bias") // its W_k third is unused (the key bias cancels)
            QVERIFY2(grad.abs().max().item<double>() > 0.0,
                     qPrintable(QString::fromStdString(name) + " got no gradient"));
        ++compared;
    }
    QCOMPARE(compared, 13);
}

void TestAapeModules::decomposedCombinerMatchesConcatenation_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("classes");
    QTest::addColumn<bool>("doublePrecision"); // double takes the chunked (non-fused) path
    QTest::newRow("fused d32") << 32 << 5 << 7 << false;
    QTest::newRow("fused d52, odd tail") << 52 << 3 << 300 << false;
    QTest::newRow("fused d512") << 512 << 32 << 20 << false;
    QTest::newRow("chunked d48, 300 classes") << 48 << 4 << 300 << true;
}

void TestAapeModules::decomposedCombinerMatchesConcatenation()
{
    QFETCH(int, dim);
    QFETCH(int, images);
    QFETCH(int, classes);
    QFETCH(bool, doublePrecision);
    const auto dtype = doublePrecision ? torch::kDouble : torch::kFloat;
    const double tolerance = doublePrecision ? 1e-10 : 1e-5;
    torch::manual_seed(5);
    AapeNet net(dim, aggregatorHeadCount(dim), dim);
    net->to(dtype);
    perturb(*net);
    const auto x = unitRows(images, dim, dtype);
    const auto templates = unitRows(classes, dim, dtype);
    const auto target = torch::randint(classes, {images});

    const auto fast = aapeLogits(*net, x, net->h->forward(x), templates, 100.0);
    torch::cross_entropy_loss(fast, target).backward();
    const auto gWeight = net->g->weight.grad().clone();
    const auto gBias = net->g->bias.grad().clone();
    const auto hWeight = net->h->fc1->weight.grad().clone();
    for (auto& p : net->parameters())
        p.mutable_grad().reset();

    const auto literal = aapeLogitsLiteral(*net, x, net->h->forward(x), templates, 100.0);
    torch::cross_entropy_loss(literal, target).backward();
    QVERIFY2(maxDiff(fast, literal) / 100.0 < tolerance, "cosines differ");
    QVERIFY(gWeight.abs().max().item<double>() > 0.0);
    QVERIFY2(maxDiff(gWeight, net->g->weight.grad()) < tolerance, "g.weight gradient differs");
    QVERIFY2(maxDiff(gBias, net->g->bias.grad()) < tolerance, "g.bias gradient differs");
    QVERIFY2(maxDiff(hWeight, net->h->fc1->weight.grad()) < tolerance, "h gradient differs");
}

void TestAapeModules::combinerCosineHandlesDeadUnits()
{
    // Every unit of class 0's weight is switched off by ReLU: its cosine is 0, not NaN, and
    // no gradient flows through it.
    const int dim = 16;
    auto classTerm = torch::randn({2, dim}).abs().requires_grad_(true);
    {
        torch::NoGradGuard noGrad;
        classTerm[0].fill_(-10.0f);
    }
    auto imageTerm = torch::zeros({3, dim}).requires_grad_(true);
    const auto x = unitRows(3, dim, torch::kFloat);
    const auto cosine = combinerCosine(classTerm, imageTerm, x);
    QVERIFY(!cosine.isnan().any().item<bool>());
    QCOMPARE(cosine.select(1, 0).abs().max().item<float>(), 0.0f);
    cosine.sum().backward();
    QCOMPARE(classTerm.grad()[0].abs().max().item<float>(), 0.0f);
    QVERIFY(classTerm.grad()[1].abs().max().item<float>() > 0.0f);
}

void TestAapeModules::headCountDividesDimension_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("heads");
    QTest::newRow("512") << 512 << 8;
    QTest::newRow("768") << 768 << 8;
    QTest::newRow("36") << 36 << 6;
    QTest::newRow("35") << 35 << 7;
    QTest::newRow("11") << 11 << 1;
}

void TestAapeModules::headCountDividesDimension()
{
    QFETCH(int, dim);
    QFETCH(int, heads);
    QCOMPARE(aggregatorHeadCount(dim), heads);
}

QTEST_APPLESS_MAIN(TestAapeModules)
#include "tst_aape_modules.moc"
