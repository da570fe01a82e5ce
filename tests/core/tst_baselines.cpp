// The methods AAPE is compared with, fitted on planted synthetic embeddings: each learns what
// it should (and fails when its fitting is skipped), the training-free ones equal an
// independent computation, and the ones that cannot answer new classes say so.

#include "aape/aape/Baselines.h"
#include "aape/bench/Synthetic.h"

#include <QtTest/QtTest>

#include <cmath>
#include <numeric>

using namespace aape;

namespace {

// Templates carry no class information here (pure noise), images and descriptions do: a method
// beats zero-shot only by learning from the images or the descriptions.
TrainingData plantedData(std::uint64_t seed = 3)
{
    SyntheticSpec spec;
    spec.classes = 6;
    spec.shots = 8;
    spec.dim = 32;
    spec.descriptions = 5;
    spec.views = 3;
    spec.validationPerClass = 10;
    spec.templateNoise = 25.0f;
    spec.imageNoise = 0.8f;
    spec.seed = seed;
    return makeSyntheticTrainingData(spec);
}

const NamedTensor* find(const BaselineModel& model, const std::string& name)
{
    for (const auto& t : model.tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

double accuracyOf(const std::vector<float>& logits, const std::vector<int>& labels)
{
    const std::size_t classes = logits.size() / labels.size();
    int correct = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float* row = logits.data() + i * classes;
        correct += static_cast<int>(std::max_element(row, row + classes) - row) == labels[i];
    }
    return static_cast<double>(correct) / static_cast<double>(labels.size());
}

std::vector<float> logitsOn(const BaselineModel& model, const TrainingData& data)
{
    auto logits = baselineLogits(model.method, model.tensors, data.validationEmbeddings, data.dim, data.templates,
                                 data.descriptions, data.logitScale);
    if (!logits)
        qFatal("%s", logits.error().toString().c_str());
    return logits.value();
}

double dot(const float* a, const float* b, int d)
{
    double sum = 0.0;
    for (int k = 0; k < d; ++k)
        sum += static_cast<double>(a[k]) * b[k];
    return sum;
}

} // namespace

class TestBaselines final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void names();
    void zeroShotAndCuplAreTheirFormulas();
    void probeAndTipAdapterLearnThePlantedClasses();
    void tipAdapterIsItsFormula();
    void tipAdapterFTrainsItsKeys();
    void fittedMethodsRefuseOtherClasses();
};

void TestBaselines::names()
{
    for (Method method : allMethods())
        QCOMPARE(parseMethod(methodName(method)), std::optional<Method>(method));
    QVERIFY(!parseMethod("coop"));
    QVERIFY(answersNewClasses(Method::Cupl) && !answersNewClasses(Method::LinearProbe));
}

void TestBaselines::zeroShotAndCuplAreTheirFormulas()
{
    const auto data = plantedData();
    const int d = data.dim;
    const auto zeroShot = fitBaseline(Method::ZeroShot, data, 1);
    const auto cupl = fitBaseline(Method::Cupl, data, 1);
    QVERIFY(zeroShot.ok() && cupl.ok());
    QCOMPARE(zeroShot->learnedParameters, 0LL);
    const auto zs = logitsOn(zeroShot.value(), data);
    const auto cu = logitsOn(cupl.value(), data);
    const std::size_t classes = static_cast<std::size_t>(data.classCount);
    for (std::size_t i = 0; i < data.validationLabels.size(); ++i) {
        const float* x = data.validationEmbeddings.data() + i * d;
        for (std::size_t c = 0; c < classes; ++c) {
            // Zero-shot: logit_scale · cos(x, t_c).
            const double expected = data.logitScale * dot(x, data.templates.data() + c * d, d);
            QVERIFY(std::abs(zs[i * classes + c] - expected) < 1e-3);
            // CuPL: logit_scale · cos(x, normalise(mean of the class's descriptions)).
            const auto& p = data.descriptions[c];
            std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
            const std::size_t n = p.size() / static_cast<std::size_t>(d);
            for (std::size_t j = 0; j < n; ++j)
                for (int k = 0; k < d; ++k)
                    mean[static_cast<std::size_t>(k)] += p[j * d + k] / static_cast<double>(n);
            const double norm = std::sqrt(std::inner_product(mean.begin(), mean.end(), mean.begin(), 0.0));
            double cosine = 0.0;
            for (int k = 0; k < d; ++k)
                cosine += x[k] * mean[static_cast<std::size_t>(k)] / norm;
            QVERIFY(std::abs(cu[i * classes + c] - data.logitScale * cosine) < 1e-3);
        }
    }
    // The planted descriptions help where the noisy templates do not.
    QVERIFY2(accuracyOf(cu, data.validationLabels) > accuracyOf(zs, data.validationLabels) + 0.2,
             qPrintable(QStringLiteral("cupl %1, zero-shot %2")
                            .arg(accuracyOf(cu, data.validationLabels))
                            .arg(accuracyOf(zs, data.validationLabels))));
}

void TestBaselines::probeAndTipAdapterLearnThePlantedClasses()
{
    const auto data = plantedData();
    const auto zeroShot = fitBaseline(Method::ZeroShot, data, 1);
    const double chance = accuracyOf(logitsOn(zeroShot.value(), data), data.validationLabels);
    for (Method method : {Method::LinearProbe, Method::TipAdapter, Method::TipAdapterF}) {
        const auto model = fitBaseline(method, data, 1);
        QVERIFY2(model.ok(), model.ok() ? "" : model.error().toString().c_str());
        const double learned = accuracyOf(logitsOn(model.value(), data), data.validationLabels);
        // The Tip-Adapters add at most α < 3 times its affinities to CLIP's logits, which
        // are pure noise here: it must help, but cannot undo the noise as the trained ones do.
        const double wanted = method != Method::LinearProbe ? chance + 0.1 : std::max(0.8, chance + 0.3);
        QVERIFY2(learned > wanted,
                 qPrintable(QStringLiteral("%1: %2 vs zero-shot %3").arg(methodName(method)).arg(learned).arg(chance)));
        QVERIFY(model->validationAccuracy.has_value());
        QVERIFY(std::abs(*model->validationAccuracy - learned) < 1e-9);
    }
    const auto probe = fitBaseline(Method::LinearProbe, data, 1).value();
    QCOMPARE(probe.learnedParameters, static_cast<long long>(data.classCount * data.dim + data.classCount));
    // The strength was chosen from the grid on the validation images.
    const auto& grid = BaselineSettings{}.probeWeightDecays;
    QVERIFY(std::find(grid.begin(), grid.end(), probe.chosenWeightDecay) != grid.end());
    // Without its fit the probe's weights are zero and it knows nothing: the test can fail.
    auto unfitted = probe;
    for (auto& t : unfitted.tensors)
        std::fill(t.values.begin(), t.values.end(), 0.0f);
    QVERIFY(accuracyOf(logitsOn(unfitted, data), data.validationLabels) < 0.5);
}

void TestBaselines::tipAdapterIsItsFormula()
{
    // Tip-Adapter (training-free): CLIP's logits + α·exp(−β(1 − x·k_s))·onehot(y_s), with the
    // keys k_s the L2-normalised mean of each training image's views, α and β searched on the
    // validation images within the published grid.
    const auto data = plantedData();
    const int d = data.dim;
    const auto model = fitBaseline(Method::TipAdapter, data, 1);
    QVERIFY(model.ok());
    QVERIFY(model->alpha >= 0.1 && model->alpha < 3.0);
    QVERIFY(model->beta >= 0.1 && model->beta < 7.0);
    QCOMPARE(model->learnedParameters, 0LL);
    const double alpha = model->alpha, beta = model->beta;
    const auto logits = logitsOn(model.value(), data);
    const std::size_t classes = static_cast<std::size_t>(data.classCount);
    const std::size_t samples = data.sampleLabels.size();
    const auto views = static_cast<std::size_t>(data.viewsPerSample);
    std::vector<double> keys(samples * d, 0.0);
    for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t v = 0; v < views; ++v)
            for (int k = 0; k < d; ++k)
                keys[s * d + k] += data.sampleViews[(s * views + v) * d + k];
        double norm = 0.0;
        for (int k = 0; k < d; ++k)
            norm += keys[s * d + k] * keys[s * d + k];
        for (int k = 0; k < d; ++k)
            keys[s * d + k] /= std::sqrt(norm);
    }
    for (std::size_t i = 0; i < 5; ++i) {
        const float* x = data.validationEmbeddings.data() + i * d;
        for (std::size_t c = 0; c < classes; ++c) {
            double expected = data.logitScale * dot(x, data.templates.data() + c * d, d);
            for (std::size_t s = 0; s < samples; ++s) {
                if (static_cast<std::size_t>(data.sampleLabels[s]) != c)
                    continue;
                double affinity = 0.0;
                for (int k = 0; k < d; ++k)
                    affinity += x[k] * keys[s * d + k];
                expected += alpha * std::exp(-beta * (1.0 - affinity));
            }
            QVERIFY2(std::abs(logits[i * classes + c] - expected) < 1e-3,
                     qPrintable(QStringLiteral("%1 vs %2").arg(logits[i * classes + c]).arg(expected)));
        }
    }
}

void TestBaselines::tipAdapterFTrainsItsKeys()
{
    const auto data = plantedData();
    const auto cache = fitBaseline(Method::TipAdapter, data, 1).value();
    const auto tuned = fitBaseline(Method::TipAdapterF, data, 1).value();
    const auto* before = find(cache, "tip.keys");
    const auto* after = find(tuned, "tip.keys");
    QVERIFY(before && after);
    double moved = 0.0;
    for (std::size_t i = 0; i < before->values.size(); ++i)
        moved = std::max(moved, static_cast<double>(std::abs(before->values[i] - after->values[i])));
    QVERIFY2(moved > 1e-3, qPrintable(QString::number(moved))); // the keys were trained
    QCOMPARE(tuned.learnedParameters, static_cast<long long>(data.sampleLabels.size() * data.dim));
    // α and β were searched on the validation split, so it does at least as well there as the cache.
    QVERIFY(*tuned.validationAccuracy >= *cache.validationAccuracy - 1e-9);
    // Deterministic in the seed.
    const auto again = fitBaseline(Method::TipAdapterF, data, 1).value();
    QCOMPARE(find(again, "tip.keys")->values, after->values);
}

void TestBaselines::fittedMethodsRefuseOtherClasses()
{
    const auto data = plantedData();
    const auto probe = fitBaseline(Method::LinearProbe, data, 1).value();
    const std::vector<float> twoClasses(data.templates.begin(), data.templates.begin() + 2 * data.dim);
    auto logits = baselineLogits(probe.method, probe.tensors, data.validationEmbeddings, data.dim, twoClasses, {},
                                 data.logitScale);
    QVERIFY(!logits.ok());
    QVERIFY(!fitBaseline(Method::Aape, data, 1).ok());
}

QTEST_APPLESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
