// The loop a user runs: train, fix the data (add a class, exclude or relabel images), train
// again. Each run trains on the data as it is when it starts, records its members, keeps its
// best epoch by validation accuracy, and every front end runs the same flow (trainSeeds).

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/store/Project.h"
#include "aape/workflow/Export.h"
#include "aape/workflow/TrainSeeds.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <set>

using namespace aape;

namespace {

struct Fixture {
    test::TempDir dir;
    data::DemoProject demo;
    std::optional<store::Project> project;
    std::optional<clip::ClipEngine> engine;
};

std::unique_ptr<Fixture> makeFixture(int imagesPerClass = 10)
{
    auto fixture = std::make_unique<Fixture>();
    auto demo = test::writeTinyDemo(fixture->dir.file("demo"), fixture->dir.file("clip"), imagesPerClass);
    if (!demo)
        qFatal("demo: %s", demo.error().toString().c_str());
    fixture->demo = demo.value();
    auto project = store::Project::open(demo->projectPath);
    if (!project)
        qFatal("open: %s", project.error().toString().c_str());
    fixture->project.emplace(std::move(project).value());
    auto engine = clip::ClipEngine::open(demo->modelPath);
    if (!engine)
        qFatal("engine: %s", engine.error().toString().c_str());
    fixture->engine.emplace(std::move(engine).value());
    return fixture;
}

workflow::SeedsRequest quickRequest(int shots = 3, int epochs = 2)
{
    workflow::SeedsRequest request;
    request.run.config.shots = shots;
    request.run.config.epochs = epochs;
    request.run.config.augmentedViews = 1;
    request.run.config.batchSize = 8;
    request.run.config.threads = 1;
    return request;
}

// The run's members as (image id, class id) pairs.
std::set<std::pair<std::int64_t, std::int64_t>> membersOf(store::Project& project, std::int64_t runId)
{
    auto run = project.run(runId).value().value();
    auto set = project.fewShotSetById(*run.fewShotSetId).value().value();
    std::set<std::pair<std::int64_t, std::int64_t>> out;
    for (std::size_t i = 0; i < set.imageIds.size(); ++i)
        out.emplace(set.imageIds[i], set.classIds[i]);
    return out;
}

// Images of a class nobody has seen yet, in their own class folder under `root`.
void writeNewClassFolder(const std::string& root, const std::string& className, int count)
{
    std::filesystem::create_directories(root + "/" + className);
    for (int i = 0; i < count; ++i)
        test::writeBinaryFile(root + "/" + className + "/" + std::to_string(i) + ".png",
                              test::encodeImage(test::photoLikeImage(48, 48, 1000u + unsigned(i)), ".png"));
}

std::int64_t train(Fixture& fixture, const workflow::SeedsRequest& request, std::vector<std::string>* log = nullptr)
{
    workflow::SeedsCallbacks callbacks;
    callbacks.run.onLog = [log](const std::string& line) {
        if (log)
            log->push_back(line);
    };
    auto outcome = workflow::trainSeeds(*fixture.project, *fixture.engine, request, callbacks);
    if (!outcome)
        qFatal("train: %s", outcome.error().toString().c_str());
    return outcome->runs.back().runId;
}

} // namespace

class TestRetraining final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsTrainOnTheDataOfNow();
    void unchangedDataSharesOneStoredSet();
    void resumeKeepsTheRunsOwnMembers();
    void viewsDoNotDependOnTheRunSeed();
    void seedsMakeOneGroup();
    void bestEpochIsKeptAndEvaluated();
    void warningBelowZeroShot();
    void baseToNewBundleAnswersEveryClass();
};

void TestRetraining::runsTrainOnTheDataOfNow()
{
    auto fixture = makeFixture();
    auto& project = *fixture->project;
    std::vector<std::string> log;
    const auto first = train(*fixture, quickRequest(), &log);
    const auto firstMembers = membersOf(project, first);
    const auto classCount = project.classes()->size();
    QCOMPARE(firstMembers.size(), classCount * 3);

    // A sixth... thirteenth class: its images are in the next run, and the log says so.
    writeNewClassFolder(fixture->dir.file("extra"), "hexagon", 10);
    auto imported = data::importFolderPerClass(project, fixture->dir.file("extra"));
    QVERIFY2(imported.ok(), imported.ok() ? "" : imported.error().toString().c_str());
    std::int64_t hexagon = 0;
    for (const auto& cls : project.classes().value())
        if (cls.name == "hexagon")
            hexagon = cls.id;
    QVERIFY(hexagon != 0);
    log.clear();
    const auto second = train(*fixture, quickRequest(), &log);
    const auto secondMembers = membersOf(project, second);
    QCOMPARE(secondMembers.size(), (classCount + 1) * 3);
    QCOMPARE(
        std::count_if(secondMembers.begin(), secondMembers.end(), [&](const auto& m) { return m.second == hexagon; }),
        std::ptrdiff_t(3));
    const std::string expected = "Run " + std::to_string(second) + ": " + std::to_string(classCount + 1) + " classes, "
                                 + std::to_string((classCount + 1) * 3) + " training images";
    QVERIFY2(std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.rfind(expected, 0) == 0; }),
             log.empty() ? "no log" : log.front().c_str());
    // Classes that did not change keep their images.
    for (const auto& member : firstMembers)
        QVERIFY(secondMembers.count(member));

    // Excluding a member and relabelling another: the next run has neither as it was.
    const auto excluded = *secondMembers.begin();
    QVERIFY(project.setImageExcluded(excluded.first, true).ok());
    auto relabelled = *std::next(secondMembers.begin(), 5);
    QVERIFY(relabelled.second != hexagon);
    QVERIFY(project.setImageLabel(relabelled.first, hexagon).ok());
    const auto third = train(*fixture, quickRequest());
    const auto thirdMembers = membersOf(project, third);
    for (const auto& member : thirdMembers)
        QVERIFY(member.first != excluded.first);
    QVERIFY(!thirdMembers.count(relabelled));
    for (const auto& [imageId, classId] : thirdMembers) {
        auto image = project.image(imageId).value().value();
        QCOMPARE(*image.classId, classId);
        QVERIFY(!image.excluded);
        QCOMPARE(image.split, store::Split::Train);
    }
    // The trained weights differ from the run before (bit-identical runs were the bug).
    QVERIFY(project.latestCheckpoint(third).value()->tensors.front().values
            != project.latestCheckpoint(second).value()->tensors.front().values);
}

void TestRetraining::unchangedDataSharesOneStoredSet()
{
    auto fixture = makeFixture();
    auto& project = *fixture->project;
    const auto first = train(*fixture, quickRequest());
    const auto second = train(*fixture, quickRequest());
    QCOMPARE(project.run(first).value()->fewShotSetId, project.run(second).value()->fewShotSetId);
    QCOMPARE(membersOf(project, first), membersOf(project, second));
    // Same data, same seed: the same weights, as a rerun should give.
    QCOMPARE(project.latestCheckpoint(first).value()->tensors.front().values,
             project.latestCheckpoint(second).value()->tensors.front().values);
}

void TestRetraining::resumeKeepsTheRunsOwnMembers()
{
    auto fixture = makeFixture();
    auto& project = *fixture->project;
    auto request = quickRequest(3, 4);
    auto stop = std::make_shared<StopToken>();
    workflow::SeedsCallbacks callbacks;
    callbacks.run.onEpoch = [&](std::int64_t, const EpochMetrics& m) {
        if (m.epoch == 1)
            stop->request();
    };
    auto stopped = workflow::trainSeeds(project, *fixture->engine, request, callbacks, stop);
    QVERIFY(stopped.ok());
    QVERIFY(stopped->stopped);
    const auto runId = stopped->runs.back().runId;
    const auto members = membersOf(project, runId);
    // The data changes while the run waits: the resumed run still trains on what it started with.
    QVERIFY(project.setImageExcluded(members.begin()->first, true).ok());
    auto resumed = workflow::resumeAndEvaluate(project, runId);
    QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().toString().c_str());
    QCOMPARE(resumed->runs.back().epochsCompleted, 4);
    QCOMPARE(resumed->evaluations.size(), std::size_t(1));
    QCOMPARE(membersOf(project, runId), members);
}

void TestRetraining::viewsDoNotDependOnTheRunSeed()
{
    // Two projects on the same images, one trained first with seed 5, the other with seed 1:
    // the cached views are the same, so whichever front end encodes first makes no difference.
    auto a = makeFixture(6);
    auto b = makeFixture(6);
    auto requestA = quickRequest();
    requestA.seeds = {5};
    train(*a, requestA);
    train(*b, quickRequest());
    auto image = a->project->images().value().front();
    const auto viewA =
        a->project->imageEmbeddings(a->project->model().value()->cacheKey(), {image.contentHash}, 1).value();
    const auto viewB =
        b->project->imageEmbeddings(b->project->model().value()->cacheKey(), {image.contentHash}, 1).value();
    QVERIFY(viewA.missing.empty() && viewB.missing.empty());
    QCOMPARE(viewA.values, viewB.values);
}

void TestRetraining::seedsMakeOneGroup()
{
    auto fixture = makeFixture(6);
    auto request = quickRequest();
    request.seeds = {1, 2};
    request.run.name = "trial";
    std::vector<std::uint64_t> begun;
    workflow::SeedsCallbacks callbacks;
    callbacks.onRunBegin = [&](std::uint64_t seed, int, int) { begun.push_back(seed); };
    int ended = 0;
    callbacks.onRunEnd = [&](const workflow::RunOutcome&, const workflow::EvaluateSummary* evaluated) {
        ended += evaluated != nullptr;
    };
    auto outcome = workflow::trainSeeds(*fixture->project, *fixture->engine, request, callbacks);
    QVERIFY(outcome.ok());
    QCOMPARE(begun, (std::vector<std::uint64_t>{1, 2}));
    QCOMPARE(ended, 2);
    QCOMPARE(outcome->runs.size(), std::size_t(2));
    QVERIFY(QString::fromStdString(outcome->group).startsWith(QStringLiteral("trial · 3 shots · ")));
    for (const auto& run : outcome->runs) {
        auto record = fixture->project->run(run.runId).value().value();
        QCOMPARE(record.group, outcome->group);
        QCOMPARE(record.name, "trial seed " + std::to_string(record.seed));
        QVERIFY(record.summary.contains("accuracy"));
    }
}

void TestRetraining::bestEpochIsKeptAndEvaluated()
{
    auto fixture = makeFixture(6);
    auto& project = *fixture->project;
    const auto runId = train(*fixture, quickRequest(3, 3));
    // Replace the run's history with a planted one: validation accuracy peaks at epoch 1 (0-based).
    auto checkpoint = project.latestCheckpoint(runId).value().value();
    const double val[] = {0.5, 0.8, 0.6, 0.8 - 1e-9, 0.7};
    for (int epoch = 0; epoch < 5; ++epoch) {
        EpochMetrics m;
        m.epoch = epoch;
        m.valAccuracy = val[epoch];
        auto tensors = checkpoint.tensors;
        tensors.front().values.front() = static_cast<float>(epoch); // tells the checkpoints apart
        QVERIFY(project.commitEpoch(runId, m, tensors).ok());
    }
    auto record = project.run(runId).value().value();
    QCOMPARE(record.lastEpoch, 4);
    QCOMPARE(record.bestEpoch, 1);
    QVERIFY(project.checkpointAt(runId, 1).value().has_value());
    QVERIFY(!project.checkpointAt(runId, 3).value().has_value()); // neither last nor best: pruned
    QCOMPARE(project.checkpointAt(runId, 1).value()->tensors.front().values.front(), 1.0f);

    auto best = workflow::evaluateRun(project, runId);
    QVERIFY(best.ok());
    QCOMPARE(best->evaluatedEpoch, 1);
    QCOMPARE(best->epochChoice, workflow::EpochChoice::Best);
    QCOMPARE(best->summary["evaluated_epoch"].get<int>(), 2);
    QCOMPARE(best->summary["epochs"].get<int>(), 5);
    workflow::EvaluateOptions lastOptions;
    lastOptions.epoch = workflow::EpochChoice::Last;
    auto last = workflow::evaluateRun(project, runId, lastOptions);
    QVERIFY(last.ok());
    QCOMPARE(last->evaluatedEpoch, 4);
    QCOMPARE(last->summary["epoch_choice"].get<std::string>(), std::string("last"));

    // A later epoch as good as the best becomes the best (the latest of equals).
    EpochMetrics tie;
    tie.epoch = 5;
    tie.valAccuracy = 0.8;
    QVERIFY(project.commitEpoch(runId, tie, checkpoint.tensors).ok());
    QCOMPARE(project.run(runId).value()->bestEpoch, 5);
    QVERIFY(!project.checkpointAt(runId, 1).value().has_value());
}

void TestRetraining::warningBelowZeroShot()
{
    workflow::RunOutcome outcome;
    outcome.runId = 7;
    QVERIFY(workflow::belowZeroShotWarning(outcome).empty()); // no validation split
    outcome.zeroShotValAccuracy = 0.844;
    outcome.lastValAccuracy = 0.90;
    QVERIFY(workflow::belowZeroShotWarning(outcome).empty());
    outcome.lastValAccuracy = 0.77;
    outcome.bestEpoch = 40;
    outcome.bestValAccuracy = 0.90;
    const auto kept = workflow::belowZeroShotWarning(outcome);
    QVERIFY2(kept.find("Run 7 ended at 77.0 % validation accuracy, below zero-shot CLIP (84.4 %)") != std::string::npos,
             kept.c_str());
    QVERIFY2(kept.find("best epoch (41, 90.0 %) is kept") != std::string::npos, kept.c_str());
    outcome.bestValAccuracy = 0.80;
    const auto worse = workflow::belowZeroShotWarning(outcome);
    QVERIFY2(worse.find("Try more images per class") != std::string::npos, worse.c_str());
}

void TestRetraining::baseToNewBundleAnswersEveryClass()
{
    auto fixture = makeFixture(6);
    auto& project = *fixture->project;
    auto request = quickRequest();
    request.run.baseToNew = true;
    const auto runId = train(*fixture, request);
    const std::string path = fixture->dir.file("b2n.aape.safetensors");
    QVERIFY(workflow::exportRunBundle(project, runId, path).ok());
    auto bundle = Bundle::load(path);
    QVERIFY(bundle.ok());
    const auto classes = project.classes().value();
    QCOMPARE(bundle->classCount(), int(classes.size()));
    const auto trained = bundle->manifest["trained_classes"].get<std::vector<std::string>>();
    const auto untrained = bundle->manifest["untrained_classes"].get<std::vector<std::string>>();
    QCOMPARE(trained.size() + untrained.size(), classes.size());
    QCOMPARE(trained.size(), (classes.size() + 1) / 2);
    // The learned parameters (aggregator, h, g) and those the bundle keeps to predict (h and g:
    // fc1 [d/16, d] + bias, fc2 [d, d/16] + bias, g [d, 2d] + bias).
    const auto d = static_cast<long long>(bundle->dim);
    const long long hg = (d / 16) * d + d / 16 + d * (d / 16) + d + d * 2 * d + d;
    QCOMPARE(bundle->manifest["parameters"]["in_bundle"].get<long long>(), hg);
    const auto learned = bundle->manifest["parameters"]["learned"].get<long long>();
    QVERIFY(learned > hg);
    QCOMPARE(learned, project.run(runId).value()->summary["learned_parameters"].get<long long>());
    for (const auto& cls : classes) {
        const bool isNew = cls.kind == store::ClassKind::New;
        const auto& list = isNew ? untrained : trained;
        QVERIFY2(std::find(list.begin(), list.end(), cls.name) != list.end(), cls.name.c_str());
    }
    // The bundle scores a new-class image among all classes: predict returns one logit per class.
    auto anyImage = project.images().value().front();
    auto x = project.imageEmbeddings(project.model().value()->cacheKey(), {anyImage.contentHash}, 0).value();
    auto logits = predict(bundle.value(), x.values);
    QVERIFY(logits.ok());
    QCOMPARE(logits->size(), classes.size());
}

QTEST_GUILESS_MAIN(TestRetraining)
#include "tst_retraining.moc"
