// "Is AAPE worth it on my data?" on a generated project: every method trains or fits on the
// same few-shot sets and is evaluated under the same protocol; zero-shot equals CLIP computed
// here from the images and class names, the methods that cannot answer new classes report no
// new-class accuracy, and the comparison can be read back from the stored runs.

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/Compare.h"
#include "aape/workflow/Encode.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest/QtTest>

#include <map>
#include <set>

using namespace aape;

namespace {

const workflow::MethodComparison* find(const workflow::ComparisonReport& report, Method method)
{
    for (const auto& m : report.methods)
        if (m.method == method)
            return &m;
    return nullptr;
}

// Zero-shot CLIP from scratch: encode the test images and "a photo of a {class}." with the
// engine, and take the nearest template among `classIds`. Returns the fraction correct over the
// test images of those classes.
double zeroShotAccuracy(store::Project& project, const clip::ClipEngine& engine,
                        const std::vector<std::int64_t>& classIds)
{
    std::map<std::int64_t, std::string> names;
    for (const auto& cls : project.classes().value())
        names[cls.id] = cls.name;
    std::vector<std::string> templates;
    std::map<std::int64_t, int> labelOf;
    for (auto id : classIds) {
        labelOf[id] = static_cast<int>(templates.size());
        templates.push_back(workflow::templateFor(names[id]));
    }
    const auto t = engine.encodeTexts(templates).value();
    store::ImageFilter filter;
    filter.split = store::Split::Test;
    filter.excluded = false;
    std::vector<cv::Mat> pictures;
    std::vector<int> labels;
    for (const auto& image : project.images(filter).value()) {
        if (!image.classId || !labelOf.count(*image.classId))
            continue;
        cv::Mat bgr = cv::imread(image.path, cv::IMREAD_COLOR);
        cv::Mat rgb;
        cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        pictures.push_back(rgb);
        labels.push_back(labelOf[*image.classId]);
    }
    const auto x = engine.encodeImages(pictures).value();
    const auto d = static_cast<std::size_t>(engine.embedDim());
    int correct = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        int best = 0;
        double bestDot = -2.0;
        for (std::size_t c = 0; c < templates.size(); ++c) {
            double dot = 0.0;
            for (std::size_t k = 0; k < d; ++k)
                dot += static_cast<double>(x[i * d + k]) * t[c * d + k];
            if (dot > bestDot) {
                bestDot = dot;
                best = static_cast<int>(c);
            }
        }
        correct += best == labels[i];
    }
    return labels.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(labels.size());
}

} // namespace

class TestCompare final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyMethodOnTheSameProtocol();
};

void TestCompare::everyMethodOnTheSameProtocol()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 10);
    QVERIFY2(demo, demo ? "" : demo.error().toString().c_str());
    auto project = store::Project::open(demo->projectPath);
    QVERIFY(project);
    auto engine = clip::ClipEngine::open(demo->modelPath);
    QVERIFY(engine);

    workflow::CompareRequest request;
    request.methods = {Method::ZeroShot, Method::Cupl, Method::LinearProbe, Method::TipAdapter, Method::Aape};
    request.seeds = {1, 2};
    request.baseToNew = true;
    request.config.shots = 3;
    request.config.epochs = 2;
    request.config.augmentedViews = 1;
    request.config.batchSize = 8;
    request.config.threads = 1;
    auto report = workflow::compareMethods(project.value(), engine.value(), request);
    QVERIFY2(report, report ? "" : report.error().toString().c_str());
    QCOMPARE(report->methods.size(), request.methods.size());
    for (std::size_t i = 0; i < request.methods.size(); ++i) {
        const auto& m = report->methods[i];
        QCOMPARE(m.method, request.methods[i]);
        QCOMPARE(m.runIds.size(), std::size_t(2));
        QCOMPARE(m.failedRuns, 0);
        QVERIFY(m.baseAccuracy);
        QCOMPARE(m.baseAccuracy->count, 2);
        // Without new-class answers there is no pooled accuracy nor H to compare fairly.
        QCOMPARE(bool(m.newAccuracy), answersNewClasses(m.method));
        QCOMPARE(bool(m.harmonicMean), answersNewClasses(m.method));
        QCOMPARE(bool(m.accuracy), answersNewClasses(m.method));
    }

    // Zero-shot trains nothing: both seeds agree, and equal CLIP computed here, among the base
    // classes (the ones the runs name as trained) and among the others.
    const auto* zeroShot = find(report.value(), Method::ZeroShot);
    QCOMPARE(zeroShot->learnedParameters, 0LL);
    QCOMPARE(zeroShot->baseAccuracy->std, 0.0);
    const auto run = project->run(zeroShot->runIds.front()).value().value();
    const auto base = run.config["training_classes"].get<std::vector<std::int64_t>>();
    std::vector<std::int64_t> novel;
    const std::set<std::int64_t> baseSet(base.begin(), base.end());
    for (const auto& cls : project->classes().value())
        if (!baseSet.count(cls.id))
            novel.push_back(cls.id);
    QVERIFY(!base.empty() && !novel.empty());
    QCOMPARE(zeroShot->baseAccuracy->mean, zeroShotAccuracy(project.value(), engine.value(), base));
    QCOMPARE(zeroShot->newAccuracy->mean, zeroShotAccuracy(project.value(), engine.value(), novel));

    // The same few-shot images for every method of a seed.
    std::map<std::int64_t, std::set<std::optional<std::int64_t>>> setsBySeed;
    for (const auto& m : report->methods)
        for (auto id : m.runIds) {
            const auto r = project->run(id).value().value();
            setsBySeed[static_cast<std::int64_t>(r.seed)].insert(r.fewShotSetId);
        }
    QCOMPARE(setsBySeed.size(), std::size_t(2));
    for (const auto& [seed, sets] : setsBySeed)
        QVERIFY2(sets.size() == 1, ("seed " + std::to_string(seed) + " trained on different sets").c_str());

    // Every run keeps per-image predictions that add up to its numbers (the per-class
    // comparison is computed from them): base accuracy over the base classes' images, no new
    // class predicted by a method that cannot answer new classes, zero-shot predicting its own
    // zero-shot class.
    const auto* probe = find(report.value(), Method::LinearProbe);
    QVERIFY(probe->learnedParameters > 0);
    for (const auto& m : report->methods)
        for (auto id : m.runIds) {
            const auto predictions = project->predictions(id).value();
            const auto summary = project->run(id).value().value().summary;
            QCOMPARE(predictions.size(), std::size_t(summary["evaluated_images"].get<int>()));
            int baseImages = 0, baseCorrect = 0;
            for (const auto& p : predictions) {
                QVERIFY(p.trueClassId);
                QVERIFY(p.probability > 0.0 && p.probability <= 1.0);
                QVERIFY(!p.topK.empty());
                if (!answersNewClasses(m.method))
                    QVERIFY2(baseSet.count(p.predictedClassId), methodName(m.method));
                if (m.method == Method::ZeroShot)
                    QCOMPARE(p.predictedClassId, *p.zeroShotClassId);
                if (baseSet.count(*p.trueClassId)) {
                    ++baseImages;
                    baseCorrect += p.predictedClassId == *p.trueClassId;
                }
            }
            QVERIFY(baseImages > 0);
            QCOMPARE(static_cast<double>(baseCorrect) / baseImages, summary["base_accuracy"].get<double>());
        }

    // Read back from the stored runs, the comparison is the same.
    std::vector<std::string> groups;
    for (const auto& m : report->methods)
        groups.push_back(m.group);
    const auto again = workflow::comparisonFromRuns(project->runs().value(), groups);
    QCOMPARE(again.methods.size(), report->methods.size());
    for (std::size_t i = 0; i < again.methods.size(); ++i) {
        QCOMPARE(again.methods[i].method, report->methods[i].method);
        QCOMPARE(again.methods[i].baseAccuracy->mean, report->methods[i].baseAccuracy->mean);
    }
    const auto json = workflow::comparisonJson(report.value());
    QCOMPARE(json["methods"].size(), request.methods.size());
    QVERIFY(!json["methods"][2].contains("new_accuracy"));
    QVERIFY(json["methods"][4].contains("harmonic_mean"));
}

QTEST_GUILESS_MAIN(TestCompare)
#include "tst_compare.moc"
