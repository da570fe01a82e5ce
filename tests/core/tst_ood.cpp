// The OOD score separates: on a planted case (images of classes never trained against test
// images of trained classes) the default score tells them apart better than 1 − the top
// probability, the score the app had before; AUROC is computed right; a base-to-new run reports
// the separation of every score, and its bundle makes `aape predict` compute the same default
// score as the evaluation stored.

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/aape/Evaluator.h"
#include "aape/aape/Trainer.h"
#include "aape/store/Project.h"
#include "aape/util/SafeTensors.h"
#include "cli/Cli.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>
#include <map>
#include <random>
#include <sstream>

using namespace aape;

using test::CliResult;
using test::runCli;

namespace {

// A planted world shaped like CLIP's embedding space: every image shares a large common
// direction (CLIP's image embeddings of unrelated photos still have cosines around 0.5), each
// class adds its own direction, each image its noise; text embeddings sit in a cone of their own
// (the modality gap). Classes 0..base-1 are trained, in pairs of look-alikes; the novel classes
// are never seen, and each shares what tells one base class from its partner, so that the
// trained classifier is sure of them: the trap that max softmax falls into on the demo.
struct PlantedWorld {
    int dim = 64;
    int base = 6;
    int novel = 6;
    int shots = 8;
    int testPerClass = 30;
    TrainingData training;          // base classes only
    std::vector<float> trainImages; // [base·shots, d], one clean view per training image
    std::vector<int> trainLabels;
    std::vector<float> inDistribution;    // test images of base classes [base·testPerClass, d]
    std::vector<float> outOfDistribution; // images of the novel classes [novel·testPerClass, d]
};

class Planter final {
public:
    explicit Planter(int dim, std::uint64_t seed)
        : m_dim(dim)
        , m_random(seed)
    {}

    std::vector<float> gaussian(float scale)
    {
        std::vector<float> v(static_cast<std::size_t>(m_dim));
        for (auto& x : v)
            x = scale * m_normal(m_random) / std::sqrt(static_cast<float>(m_dim));
        return v;
    }
    static std::vector<float> combine(const std::vector<std::pair<float, const std::vector<float>*>>& terms)
    {
        std::vector<float> out(terms.front().second->size(), 0.0f);
        for (const auto& [weight, v] : terms)
            for (std::size_t k = 0; k < out.size(); ++k)
                out[k] += weight * (*v)[k];
        double norm = 0.0;
        for (float x : out)
            norm += double(x) * x;
        for (auto& x : out)
            x = static_cast<float>(x / std::sqrt(std::max(norm, 1e-24)));
        return out;
    }

private:
    int m_dim;
    std::mt19937_64 m_random;
    std::normal_distribution<float> m_normal{0.0f, 1.0f};
};

PlantedWorld plantWorld(std::uint64_t seed)
{
    PlantedWorld world;
    const int d = world.dim;
    Planter planter(d, seed);
    // Weights of the shared direction, a base pair's direction, a base class's own direction and
    // an image's noise; a novel class's share of one base class's own direction and of its own.
    const float common = 1.2f, pair = 0.8f, own = 0.35f, noiseWeight = 1.6f, novelOwn = 0.6f, novelNew = 0.8f;
    const auto imageCommon = planter.gaussian(1.0f);
    const auto textCommon = planter.gaussian(1.0f);
    // Base classes come in pairs that share most of their direction (two kinds of one thing):
    // their test images split the probability between the two. Each novel class carries the
    // distinguishing part of one base class and a direction of its own.
    std::vector<std::vector<float>> pairDirections, ownDirections, novelDirections;
    for (int k = 0; k < world.base / 2; ++k)
        pairDirections.push_back(planter.gaussian(1.0f));
    for (int c = 0; c < world.base; ++c)
        ownDirections.push_back(planter.gaussian(1.0f));
    for (int c = 0; c < world.novel; ++c)
        novelDirections.push_back(planter.gaussian(1.0f));
    std::vector<std::vector<float>> classDirections;
    for (int c = 0; c < world.base + world.novel; ++c) {
        std::vector<float> v(static_cast<std::size_t>(d));
        for (int k = 0; k < d; ++k) {
            const auto i = static_cast<std::size_t>(k);
            if (c < world.base)
                v[i] = pair * pairDirections[static_cast<std::size_t>(c / 2)][i]
                       + own * ownDirections[static_cast<std::size_t>(c)][i];
            else
                v[i] = novelOwn * ownDirections[static_cast<std::size_t>(c - world.base)][i]
                       + novelNew * novelDirections[static_cast<std::size_t>(c - world.base)][i];
        }
        classDirections.push_back(v);
    }

    auto image = [&](int c) {
        const auto noise = planter.gaussian(1.0f);
        return Planter::combine(
            {{common, &imageCommon}, {1.0f, &classDirections[static_cast<std::size_t>(c)]}, {noiseWeight, &noise}});
    };
    auto text = [&](int c, float noiseScale) {
        const auto noise = planter.gaussian(1.0f);
        return Planter::combine(
            {{1.2f, &textCommon}, {0.8f, &classDirections[static_cast<std::size_t>(c)]}, {noiseScale, &noise}});
    };

    auto& t = world.training;
    t.dim = d;
    t.classCount = world.base;
    t.viewsPerSample = 2;
    t.logitScale = 100.0f;
    t.descriptions.resize(static_cast<std::size_t>(world.base));
    for (int c = 0; c < world.base; ++c) {
        const auto tc = text(c, 0.3f);
        t.templates.insert(t.templates.end(), tc.begin(), tc.end());
        for (int i = 0; i < 5; ++i) {
            const auto p = text(c, 0.6f);
            t.descriptions[static_cast<std::size_t>(c)].insert(t.descriptions[static_cast<std::size_t>(c)].end(),
                                                               p.begin(), p.end());
        }
        for (int s = 0; s < world.shots; ++s) {
            const auto x = image(c);
            world.trainImages.insert(world.trainImages.end(), x.begin(), x.end());
            world.trainLabels.push_back(c);
            t.sampleLabels.push_back(c);
            for (int v = 0; v < t.viewsPerSample; ++v) {
                const auto jitter = planter.gaussian(1.0f);
                const auto view = Planter::combine({{1.0f, &x}, {0.2f, &jitter}});
                t.sampleViews.insert(t.sampleViews.end(), view.begin(), view.end());
            }
        }
    }
    for (int c = 0; c < world.base + world.novel; ++c)
        for (int i = 0; i < world.testPerClass; ++i) {
            const auto x = image(c);
            auto& into = c < world.base ? world.inDistribution : world.outOfDistribution;
            into.insert(into.end(), x.begin(), x.end());
        }
    return world;
}

} // namespace

class TestOod final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aurocCountsPairs();
    void namesRoundTrip();
    void referenceSummarisesTheTrainingImages();
    void defaultSeparatesBetterThanTopProbability();
    void baseToNewRunMeasuresAndPredictAgrees();
};

void TestOod::aurocCountsPairs()
{
    QCOMPARE(auroc({0.1f, 0.2f}, {0.3f, 0.4f}), 1.0);
    QCOMPARE(auroc({0.3f, 0.4f}, {0.1f, 0.2f}), 0.0);
    QCOMPARE(auroc({0.5f, 0.5f}, {0.5f}), 0.5);
    // Pairs (in, out): (1,2) yes, (3,2) no, (1,4) yes, (3,4) yes; ties none: 3 of 4.
    QCOMPARE(auroc({1.0f, 3.0f}, {2.0f, 4.0f}), 0.75);
    // One tie among six pairs counts half: (2,2) ½, (1,2) 1, (3,2) 0, (2,5) 1, (1,5) 1, (3,5) 1.
    QCOMPARE(auroc({2.0f, 1.0f, 3.0f}, {2.0f, 5.0f}), 4.5 / 6.0);
    QVERIFY(std::isnan(auroc({}, {1.0f})));
}

void TestOod::namesRoundTrip()
{
    for (auto kind : allOodScoreKinds())
        QCOMPARE(parseOodScoreKind(oodScoreName(kind)), std::optional<OodScoreKind>(kind));
    QVERIFY(!parseOodScoreKind("mystery"));
    QVERIFY(oodScoreNeedsReference(kDefaultOodScore));
}

void TestOod::referenceSummarisesTheTrainingImages()
{
    // Two classes in 2-D... padded to d = 4: class 0 around e1, class 1 around e2; class 2 empty.
    const std::vector<float> images = {1, 0, 0, 0, 0.8f, 0.6f, 0, 0, 0, 1, 0, 0};
    auto reference = makeOodReference(images, {0, 0, 1}, 3, 4);
    QVERIFY2(reference.ok(), reference.ok() ? "" : reference.error().message.c_str());
    QCOMPARE(reference->classCount(), 3);
    const float norm = std::sqrt(0.9f * 0.9f + 0.3f * 0.3f);
    QVERIFY(std::abs(reference->prototypes[0] - 0.9f / norm) < 1e-6f);
    QVERIFY(std::abs(reference->prototypes[1] - 0.3f / norm) < 1e-6f);
    QVERIFY(std::abs(reference->prototypes[5] - 1.0f) < 1e-6f);
    for (int k = 8; k < 12; ++k)
        QCOMPARE(reference->prototypes[static_cast<std::size_t>(k)], 0.0f);
    QCOMPARE(reference->precision.size(), std::size_t(16));

    // An image on a prototype scores 0; one orthogonal to all scores 1.
    const std::vector<float> probe = {0, 1, 0, 0, 0, 0, 1, 0};
    const std::vector<float> logits = {5, 1, 0, 1, 5, 0};
    auto scores = oodScores(OodScoreKind::Prototype, probe, logits, 4, 100.0f, reference.value());
    QVERIFY(scores.ok());
    QVERIFY(std::abs(scores.value()[0]) < 1e-6f);
    QVERIFY(std::abs(scores.value()[1] - 1.0f) < 1e-6f);
    auto mahalanobis = oodScores(OodScoreKind::Mahalanobis, probe, logits, 4, 100.0f, reference.value());
    QVERIFY(mahalanobis.ok());
    QVERIFY(mahalanobis.value()[1] > mahalanobis.value()[0]);
    // Without a reference the embedding-based scores say what they need.
    auto missing = oodScores(OodScoreKind::Prototype, probe, logits, 4, 100.0f, OodReference{});
    QVERIFY(!missing.ok());
    QVERIFY(!oodScores(OodScoreKind::MaxSoftmax, probe, logits, 4, 100.0f, OodReference{}).value().empty());
}

void TestOod::defaultSeparatesBetterThanTopProbability()
{
    std::map<OodScoreKind, double> sum;
    const int worlds = 3;
    for (int w = 0; w < worlds; ++w) {
        const auto world = plantWorld(100 + static_cast<std::uint64_t>(w));
        TrainConfig config;
        config.epochs = 30;
        config.batchSize = 16;
        config.augmentedViews = world.training.viewsPerSample;
        config.device = "cpu";
        config.seed = 1;
        auto trained = train(world.training, config, {});
        QVERIFY2(trained.ok(), trained.ok() ? "" : trained.error().toString().c_str());

        EvalInput input;
        input.dim = world.dim;
        input.templates = world.training.templates;
        input.images = world.inDistribution;
        input.logitScale = world.training.logitScale;
        auto reference = makeOodReference(world.trainImages, world.trainLabels, world.base, world.dim);
        QVERIFY(reference.ok());
        input.oodReference = reference.value();
        auto separation = measureOodSeparation(trained->state, input, world.outOfDistribution);
        QVERIFY2(separation.ok(), separation.ok() ? "" : separation.error().toString().c_str());
        QCOMPARE(separation->size(), allOodScoreKinds().size());
        QString line = QStringLiteral("world %1:").arg(w);
        for (const auto& s : separation.value()) {
            sum[s.kind] += s.auroc;
            line += QStringLiteral(" %1 %2").arg(oodScoreName(s.kind)).arg(s.auroc, 0, 'f', 3);
        }
        qInfo("%s", qPrintable(line));
    }
    // Max softmax separates little here (about 0.66), as on the demo; the default must do far
    // better, and better than the other logit-based scores.
    const double chosen = sum[kDefaultOodScore] / worlds;
    const auto mean = [&](OodScoreKind kind) { return sum[kind] / worlds; };
    QVERIFY2(chosen > mean(OodScoreKind::MaxSoftmax) + 0.1,
             qPrintable(QStringLiteral("default %1, max_softmax %2").arg(chosen).arg(mean(OodScoreKind::MaxSoftmax))));
    QVERIFY2(chosen > 0.85, qPrintable(QString::number(chosen)));
    for (auto kind : {OodScoreKind::Energy, OodScoreKind::MaxCosine})
        QVERIFY2(chosen > mean(kind) + 0.05,
                 qPrintable(QStringLiteral("%1 %2, default %3").arg(oodScoreName(kind)).arg(mean(kind)).arg(chosen)));
}

void TestOod::baseToNewRunMeasuresAndPredictAgrees()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    const auto trained = runCli({"train", demo->projectPath, "--base-to-new", "--epochs", "3", "--shots", "2",
                                 "--views", "1", "--batch", "8",
                                 // fp32 like predict's default, so that the stored scores and predict's agree to 1e-4
                                 "--precision", "fp32"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    // Evaluation reports every score's separation and stores the default with the predictions.
    const auto evaluated = runCli({"eval", demo->projectPath});
    QVERIFY2(evaluated.code == 0, evaluated.err.c_str());
    QVERIFY2(evaluated.out.find(std::string("stored with the predictions: ") + oodScoreName(kDefaultOodScore))
                 != std::string::npos,
             evaluated.out.c_str());
    QVERIFY2(evaluated.out.find("AUROC") != std::string::npos, evaluated.out.c_str());
    auto project = store::Project::open(demo->projectPath);
    QVERIFY(project.ok());
    const auto run = project->run(1).value().value();
    QCOMPARE(run.summary["ood_score"].get<std::string>(), std::string(oodScoreName(kDefaultOodScore)));
    for (auto kind : allOodScoreKinds()) {
        const auto& value = run.summary["ood_auroc"][oodScoreName(kind)];
        QVERIFY2(value.is_number() && value.get<double>() >= 0.0 && value.get<double>() <= 1.0,
                 run.summary.dump().c_str());
    }
    // Another score on request (and --energy as its old name).
    QCOMPARE(runCli({"eval", demo->projectPath, "--ood", "energy"}).code, 0);
    QCOMPARE(project->run(1).value()->summary["ood_score"].get<std::string>(), std::string("energy"));
    QCOMPARE(runCli({"eval", demo->projectPath, "--energy"}).code, 0);
    QVERIFY(runCli({"eval", demo->projectPath, "--ood", "nonsense"}).code != 0);
    QCOMPARE(runCli({"eval", demo->projectPath}).code, 0);

    // The bundle carries the prototypes and names the score; predict computes what eval stored.
    const std::string bundle = dir.file("run.aape.safetensors");
    QCOMPARE(runCli({"export", demo->projectPath, "--run", "1", "--out", bundle}).code, 0);
    auto file = st::SafeTensorsFile::open(bundle);
    QVERIFY(file.ok());
    const auto manifest = nlohmann::json::parse(file->metadata().at("aape"));
    QCOMPARE(manifest["ood_score"]["name"].get<std::string>(), std::string(oodScoreName(kDefaultOodScore)));
    const auto trainedClasses = static_cast<std::int64_t>(manifest["trained_classes"].size());
    QVERIFY(file->tensors().count("ood.prototypes"));
    QCOMPARE(file->tensors().at("ood.prototypes").shape, (std::vector<std::int64_t>{trainedClasses, 32}));

    store::PredictionFilter filter;
    const auto predictions = project->predictions(1, filter).value();
    QVERIFY(!predictions.empty());
    std::map<std::int64_t, double> stored;
    for (const auto& p : predictions)
        stored[p.imageId] = p.oodScore;
    int compared = 0;
    for (const auto& image : project->images().value()) {
        if (!stored.count(image.id) || compared >= 4)
            continue;
        const auto predicted =
            runCli({"predict", "--bundle", bundle, "--model", demo->modelPath, "--json", image.path});
        QVERIFY2(predicted.code == 0, predicted.err.c_str());
        const auto line = nlohmann::json::parse(predicted.out.substr(0, predicted.out.find('\n')));
        QCOMPARE(line["ood_score_kind"].get<std::string>(), std::string(oodScoreName(kDefaultOodScore)));
        QVERIFY2(std::abs(line["ood_score"].get<double>() - stored[image.id]) < 1e-4,
                 qPrintable(QStringLiteral("%1 vs %2").arg(line["ood_score"].get<double>()).arg(stored[image.id])));
        ++compared;
    }
    QCOMPARE(compared, 4);
}

QTEST_GUILESS_MAIN(TestOod)
#include "tst_ood.moc"
