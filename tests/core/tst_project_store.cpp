#include "TestSupport.h"

#include "aape/store/Project.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <QtTest/QtTest>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

using namespace aape;
using namespace aape::store;

namespace {

RunSpec runSpec(const std::string& name, nlohmann::json config = nlohmann::json::object(), std::uint64_t seed = 0)
{
    RunSpec spec;
    spec.name = name;
    spec.config = std::move(config);
    spec.seed = seed;
    return spec;
}

Project createProject(const test::TempDir& dir, const std::string& name = "p.aapeproj")
{
    auto project = Project::create(dir.file(name));
    if (!project.ok())
        qFatal("create failed: %s", project.error().toString().c_str());
    return std::move(project).value();
}

std::vector<NamedTensor> sampleCheckpoint(float base)
{
    return {NamedTensor{"h.fc1.weight", {2, 3}, {base, 1, 2, 3, 4, 5}}, NamedTensor{"logit_scale", {}, {100.0f}}};
}

} // namespace

class TestProjectStore final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createsAndReopens();
    void createRefusesExistingFile();
    void refusesFilesThatAreNotProjects_data();
    void refusesFilesThatAreNotProjects();
    void migratesOlderSchemaForward();
    void migratesVersion3ToScenes();
    void readOnlyRefusesWrites();
    void foreignKeysAreEnforced();
    void commitEpochIsAtomic();
    void interruptedRunIsResumable();
    void embeddingsRoundTripBitExact();
    void busyWriterMapsToBusy();
    void imagesFilterAndCount();
    void predictionQueries();
    void tensorBlobRejectsDamage();
};

void TestProjectStore::createsAndReopens()
{
    test::TempDir dir;
    {
        Project project = createProject(dir);
        QCOMPARE(project.schemaVersion(), currentSchemaVersion());
        ModelReference model{"/models/clip", "hf", "abc123", {{"dim", 512}}};
        QVERIFY(project.setModel(model).ok());
        QVERIFY(project.ensureClass("forest").ok());
        QVERIFY(project.setSetting("k", nlohmann::json{{"a", 1}}).ok());
    }
    auto reopened = Project::open(dir.file("p.aapeproj"));
    QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().toString().c_str());
    auto model = reopened->model();
    QVERIFY(model.ok() && model->has_value());
    QCOMPARE(model->value().fingerprint, std::string("abc123"));
    QCOMPARE(model->value().info["dim"].get<int>(), 512);
    auto classes = reopened->classes();
    QCOMPARE(classes->size(), std::size_t(1));
    QCOMPARE(classes->front().name, std::string("forest"));
    QCOMPARE(reopened->setting("k").value()->at("a").get<int>(), 1);

    SQLite::Database raw(dir.file("p.aapeproj"), SQLite::OPEN_READONLY);
    QCOMPARE(raw.execAndGet("PRAGMA journal_mode").getString(), std::string("wal"));
    QCOMPARE(raw.execAndGet("PRAGMA user_version").getInt(), currentSchemaVersion());
}

void TestProjectStore::createRefusesExistingFile()
{
    test::TempDir dir;
    test::writeTextFile(dir.file("p.aapeproj"), "keep me");
    auto project = Project::create(dir.file("p.aapeproj"));
    QVERIFY(!project.ok());
    QCOMPARE(project.error().code, ErrorCode::FileWrite);
    QCOMPARE(test::readTextFile(dir.file("p.aapeproj")), std::string("keep me"));
}

void TestProjectStore::refusesFilesThatAreNotProjects_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("random bytes") << "random" << int(ErrorCode::BadFormat);
    QTest::newRow("other sqlite database") << "sqlite" << int(ErrorCode::BadFormat);
    QTest::newRow("newer schema") << "newer" << int(ErrorCode::Unsupported);
    QTest::newRow("missing") << "missing" << int(ErrorCode::FileNotFound);
}

void TestProjectStore::refusesFilesThatAreNotProjects()
{
    QFETCH(QString, kind);
    QFETCH(int, expectedCode);
    test::TempDir dir;
    const std::string path = dir.file("x.aapeproj");
    if (kind == "random") {
        std::vector<unsigned char> bytes(8192);
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<unsigned char>((i * 7919u + 13u) & 0xffu);
        test::writeBinaryFile(path, bytes);
    } else if (kind == "sqlite") {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE t(x)");
    } else if (kind == "newer") {
        {
            createProject(dir, "x.aapeproj");
        }
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version = " + std::to_string(currentSchemaVersion() + 1));
    }
    auto project = Project::open(path);
    QVERIFY(!project.ok());
    QCOMPARE(int(project.error().code), expectedCode);
    QCOMPARE(project.error().file, path);
    QVERIFY(!project.error().message.empty());
}

void TestProjectStore::migratesOlderSchemaForward()
{
    QVERIFY(currentSchemaVersion() >= 2);
    test::TempDir dir;
    const std::string path = dir.file("old.aapeproj");
    QVERIFY(createProjectAtSchemaVersion(path, 1).ok());
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        QCOMPARE(db.execAndGet("PRAGMA user_version").getInt(), 1);
        QVERIFY(!db.tableExists("runs"));
        db.exec("INSERT INTO classes(name, position) VALUES('river', 0)");
    }
    auto readOnly = Project::open(path, OpenMode::ReadOnly);
    QVERIFY(!readOnly.ok());
    QCOMPARE(readOnly.error().code, ErrorCode::Unsupported);

    auto project = Project::open(path);
    QVERIFY2(project.ok(), project.ok() ? "" : project.error().toString().c_str());
    QCOMPARE(project->schemaVersion(), currentSchemaVersion());
    QCOMPARE(project->classes()->front().name, std::string("river"));
    QVERIFY(project->createRun(runSpec("after migration")).ok());
}

void TestProjectStore::migratesVersion3ToScenes()
{
    QVERIFY(currentSchemaVersion() >= 4);
    test::TempDir dir;
    const std::string path = dir.file("v3.aapeproj");
    QVERIFY(createProjectAtSchemaVersion(path, 3).ok());
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        QVERIFY(!db.tableExists("scenes"));
        db.exec("INSERT INTO classes(name, position) VALUES('forest', 0)");
        db.exec("INSERT INTO images(path, content_hash, width, height, class_id, split, added_at) "
                "VALUES('/data/a.png', '0123456789abcdef', 64, 64, 1, 'train', '2026-01-01T00:00:00.000Z')");
    }
    auto project = Project::open(path);
    QVERIFY2(project.ok(), project.ok() ? "" : project.error().toString().c_str());
    QCOMPARE(project->schemaVersion(), currentSchemaVersion());
    QCOMPARE(project->countImages().value(), 1);
    QVERIFY(project->scenes()->empty());
    QVERIFY(!project->tileOfImage(1).value());

    // A scene's tiles go in with their windows and boxes; the same import again adds nothing.
    SceneRecord scene;
    scene.path = "/data/scene.tif";
    scene.width = 200;
    scene.height = 100;
    scene.bandCount = 13;
    scene.crsName = "EPSG:32633";
    scene.geoTransform = {500000.0, 10.0, 0.0, 5000000.0, 0.0, -10.0};
    scene.tileSize = 100;
    scene.stride = 100;
    scene.rendering = {{"bands", {4, 3, 2}}};
    NewImage tileImage;
    tileImage.path = "/data/scene.tif#tile=100,0,100,100;bands=4,3,2;range=0:1,0:1,0:1";
    tileImage.contentHash = "fedcba9876543210";
    tileImage.width = 100;
    tileImage.height = 100;
    TileRecord tile;
    tile.x = 100;
    tile.width = 100;
    tile.height = 100;
    tile.minX = 501000.0;
    tile.maxX = 502000.0;
    tile.minY = 4999000.0;
    tile.maxY = 5000000.0;
    auto added = project->addSceneTiles(scene, {tileImage}, {tile});
    QVERIFY2(added.ok(), added.ok() ? "" : added.error().toString().c_str());
    QCOMPARE(added->first, 1);
    const auto scenes = project->scenes().value();
    QCOMPARE(scenes.size(), std::size_t(1));
    QCOMPARE(scenes[0].geoTransform[0], 500000.0);
    QCOMPARE(scenes[0].rendering["bands"], nlohmann::json({4, 3, 2}));
    const auto tiles = project->tiles(scenes[0].id).value();
    QCOMPARE(tiles.size(), std::size_t(1));
    QCOMPARE(tiles[0].x, 100);
    QCOMPARE(tiles[0].maxX, 502000.0);
    QCOMPARE(project->tileOfImage(tiles[0].imageId).value()->sceneId, scenes[0].id);
    QVERIFY(project->addSceneTiles(scene, {tileImage}, {tile}).value().second == 1);
    QCOMPARE(project->scenes()->size(), std::size_t(1));
}

void TestProjectStore::readOnlyRefusesWrites()
{
    test::TempDir dir;
    {
        createProject(dir);
    }
    auto project = Project::open(dir.file("p.aapeproj"), OpenMode::ReadOnly);
    QVERIFY(project.ok());
    const Status status = project->setSetting("x", 1);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::FileWrite);
}

void TestProjectStore::foreignKeysAreEnforced()
{
    test::TempDir dir;
    Project project = createProject(dir);
    auto orphan = project.addDescription(999, "a sentence", "typed");
    QVERIFY(!orphan.ok());
    QCOMPARE(orphan.error().code, ErrorCode::InvalidArgument);

    const std::int64_t classId = project.ensureClass("forest").value();
    QVERIFY(project.addDescription(classId, "trees", "typed").ok());
    NewImage image;
    image.path = "/x/a.png";
    image.contentHash = "0000000000000001";
    image.classId = classId;
    QCOMPARE(project.addImages({image})->first, 1);
    QVERIFY(project.removeClass(classId).ok());
    QCOMPARE(project.descriptions()->size(), std::size_t(0));
    const auto images = project.images().value();
    QCOMPARE(images.size(), std::size_t(1));
    QVERIFY(!images.front().classId.has_value());
}

void TestProjectStore::commitEpochIsAtomic()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t runId = project.createRun(runSpec("r", {{"lr", 0.002}}, 7)).value();
    EpochMetrics first;
    first.epoch = 0;
    first.totalLoss = 1.5;
    first.valAccuracy = 0.25;
    QVERIFY(project.commitEpoch(runId, first, sampleCheckpoint(0.5f)).ok());

    EpochMetrics second = first;
    second.epoch = 1;
    std::vector<NamedTensor> broken = sampleCheckpoint(9.0f);
    broken[0].values.pop_back();
    const Status status = project.commitEpoch(runId, second, broken);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::ShapeMismatch);

    const auto metrics = project.epochMetrics(runId).value();
    QCOMPARE(metrics.size(), std::size_t(1));
    QCOMPARE(metrics.front().epoch, 0);
    QCOMPARE(metrics.front().valAccuracy.value(), 0.25);
    auto checkpoint = project.latestCheckpoint(runId).value();
    QVERIFY(checkpoint.has_value());
    QCOMPARE(checkpoint->epoch, 0);
    QCOMPARE(checkpoint->tensors.size(), std::size_t(2));
    QCOMPARE(checkpoint->tensors[0].values, sampleCheckpoint(0.5f)[0].values);
    QCOMPARE(checkpoint->tensors[0].shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(checkpoint->tensors[1].values.front(), 100.0f);

    const Status unknownRun = project.commitEpoch(runId + 100, second, sampleCheckpoint(1.0f));
    QVERIFY(!unknownRun.ok());
    QCOMPARE(project.epochMetrics(runId + 100)->size(), std::size_t(0));
}

void TestProjectStore::interruptedRunIsResumable()
{
    test::TempDir dir;
    std::int64_t runId = 0;
    {
        Project project = createProject(dir);
        runId = project.createRun(runSpec("r")).value();
        QVERIFY(project.setRunStatus(runId, RunStatus::Running).ok());
        EpochMetrics metrics;
        metrics.epoch = 3;
        QVERIFY(project.commitEpoch(runId, metrics, sampleCheckpoint(1.0f)).ok());
        auto live = project.run(runId).value();
        QCOMPARE(live->status, RunStatus::Running);
        QVERIFY(!live->resumable);
        QVERIFY(!live->startedAt.empty());
    }
    {
        // The process that ran it is gone: no such pid exists (above pid_max).
        SQLite::Database raw(dir.file("p.aapeproj"), SQLite::OPEN_READWRITE);
        raw.exec("UPDATE runs SET owner_pid = 2147483000");
    }
    auto reopened = Project::open(dir.file("p.aapeproj"));
    QVERIFY(reopened.ok());
    auto run = reopened->run(runId).value();
    QVERIFY(run.has_value());
    QCOMPARE(run->status, RunStatus::Interrupted);
    QVERIFY(run->resumable);
    QCOMPARE(run->lastEpoch, 3);
    QCOMPARE(reopened->latestCheckpoint(runId).value()->epoch, 3);

    QVERIFY(reopened->setRunStatus(runId, RunStatus::Finished).ok());
    run = reopened->run(runId).value();
    QVERIFY(!run->resumable);
    QVERIFY(!run->finishedAt.empty());
}

void TestProjectStore::embeddingsRoundTripBitExact()
{
    test::TempDir dir;
    Project project = createProject(dir);
    std::vector<float> values = {0.1f,
                                 -0.0f,
                                 std::numeric_limits<float>::denorm_min(),
                                 std::numeric_limits<float>::infinity(),
                                 1e-30f,
                                 -3.4e38f,
                                 0.3333333f,
                                 7.0f};
    std::vector<float> other(values.rbegin(), values.rend());
    QVERIFY(project.putImageEmbeddings("fp", {{"aaaa", 0, values}, {"aaaa", 1, other}, {"bbbb", 0, other}}).ok());
    auto batch = project.imageEmbeddings("fp", {"bbbb", "missing", "aaaa"}, 0).value();
    QCOMPARE(batch.dim, 8);
    QCOMPARE(batch.missing, std::vector<std::size_t>{1});
    QCOMPARE(std::memcmp(batch.values.data(), other.data(), 8 * sizeof(float)), 0);
    QCOMPARE(std::memcmp(batch.values.data() + 16, values.data(), 8 * sizeof(float)), 0);
    QCOMPARE(project.cachedViewCount("fp", "aaaa").value(), 2);
    QCOMPARE(project.imageEmbeddings("other-model", {"aaaa"}, 0)->missing.size(), std::size_t(1));

    QVERIFY(project.putTextEmbeddings("fp", {{"a photo of a forest.", values}}).ok());
    auto text = project.textEmbeddings("fp", {"a photo of a forest."}).value();
    QCOMPARE(std::memcmp(text.values.data(), values.data(), values.size() * sizeof(float)), 0);

    QVERIFY(project.clearEmbeddingCache("fp").ok());
    QCOMPARE(project.cachedViewCount("fp", "aaaa").value(), 0);
}

void TestProjectStore::busyWriterMapsToBusy()
{
    test::TempDir dir;
    Project project = createProject(dir);
    SQLite::Database other(dir.file("p.aapeproj"), SQLite::OPEN_READWRITE);
    SQLite::Transaction holding(other, SQLite::TransactionBehavior::IMMEDIATE);
    other.exec("INSERT INTO settings(key, value) VALUES('held', '1')");
    const auto start = std::chrono::steady_clock::now();
    const Status status = project.setSetting("x", 1);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::Busy);
    QVERIFY(std::chrono::steady_clock::now() - start >= std::chrono::seconds(4));
}

void TestProjectStore::imagesFilterAndCount()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t a = project.ensureClass("a").value();
    const std::int64_t b = project.ensureClass("b").value();
    QCOMPARE(project.ensureClass("a").value(), a);
    std::vector<NewImage> images;
    const int count = 10000;
    for (int i = 0; i < count; ++i) {
        NewImage image;
        image.path = "/data/img" + std::to_string(i) + ".png";
        image.contentHash = std::to_string(1000000000000000 + i);
        image.width = 32;
        image.height = 24;
        image.classId = i % 3 == 2 ? std::optional<std::int64_t>() : std::optional<std::int64_t>(i % 3 == 0 ? a : b);
        image.split = i % 5 == 0 ? Split::Test : Split::Train;
        images.push_back(image);
    }
    const auto start = std::chrono::steady_clock::now();
    auto added = project.addImages(images);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("addImages of %d rows: %.3f s", count, seconds);
    QCOMPARE(added->first, count);
    QVERIFY(seconds < 10.0);
    QCOMPARE(project.addImages({images[0]})->second, 1);

    ImageFilter filter;
    filter.classId = a;
    filter.split = Split::Test;
    const int expectedATest = [&] {
        int n = 0;
        for (int i = 0; i < count; ++i)
            n += (i % 3 == 0 && i % 5 == 0);
        return n;
    }();
    QCOMPARE(project.countImages(filter).value(), expectedATest);
    filter.limit = 10;
    filter.offset = 5;
    const auto page = project.images(filter).value();
    QCOMPARE(page.size(), std::size_t(10));
    QCOMPARE(page.front().path, std::string("/data/img75.png"));

    QVERIFY(project.setImageExcluded(page.front().id, true).ok());
    ImageFilter unlabelled;
    unlabelled.unlabelledOnly = true;
    QCOMPARE(project.countImages(unlabelled).value(), count / 3);
    const auto counts = project.countsPerClassAndSplit().value();
    QCOMPARE(counts.size(), std::size_t(3));
    QCOMPARE(counts[0].classId.value(), a);
    QCOMPARE(counts[0].test, expectedATest - 1);
    QCOMPARE(counts[0].excluded, 1);
    QVERIFY(!counts[2].classId.has_value());
}

void TestProjectStore::predictionQueries()
{
    test::TempDir dir;
    Project project = createProject(dir);
    const std::int64_t a = project.ensureClass("a").value();
    const std::int64_t b = project.ensureClass("b").value();
    std::vector<NewImage> images(4);
    for (int i = 0; i < 4; ++i) {
        images[i].path = "/i" + std::to_string(i);
        images[i].contentHash = std::to_string(i);
        images[i].classId = i < 2 ? a : b;
        images[i].split = Split::Test;
    }
    QVERIFY(project.addImages(images).ok());
    const auto stored = project.images().value();
    const std::int64_t runId = project.createRun(runSpec("r")).value();
    // image 0: right, zero-shot wrong (fixed); 1: wrong, zero-shot right (broken);
    // 2: right both; 3: wrong both, low confidence, high OOD.
    std::vector<PredictionRecord> rows(4);
    const std::int64_t predicted[] = {a, b, b, a};
    const std::int64_t zeroShot[] = {b, a, b, a};
    for (int i = 0; i < 4; ++i) {
        rows[i].imageId = stored[i].id;
        rows[i].trueClassId = stored[i].classId;
        rows[i].predictedClassId = predicted[i];
        rows[i].zeroShotClassId = zeroShot[i];
        rows[i].probability = i == 3 ? 0.3 : 0.9;
        rows[i].oodScore = i == 3 ? 5.0 : 0.1;
        rows[i].topK = nlohmann::json::array({nlohmann::json::array({predicted[i], rows[i].probability})});
    }
    QVERIFY(project.putPredictions(runId, rows).ok());

    PredictionFilter misclassified;
    misclassified.misclassifiedOnly = true;
    QCOMPARE(project.predictions(runId, misclassified)->size(), std::size_t(2));
    PredictionFilter fixed;
    fixed.zeroShot = ZeroShotChange::Fixed;
    auto fixedRows = project.predictions(runId, fixed).value();
    QCOMPARE(fixedRows.size(), std::size_t(1));
    QCOMPARE(fixedRows.front().imageId, stored[0].id);
    PredictionFilter broken;
    broken.zeroShot = ZeroShotChange::Broken;
    QCOMPARE(project.predictions(runId, broken)->front().imageId, stored[1].id);
    PredictionFilter lowConfidence;
    lowConfidence.maxProbability = 0.5;
    QCOMPARE(project.predictions(runId, lowConfidence)->front().imageId, stored[3].id);
    PredictionFilter ood;
    ood.minOodScore = 1.0;
    QCOMPARE(project.predictions(runId, ood)->size(), std::size_t(1));

    const auto confusion = project.confusionMatrix(runId).value();
    QCOMPARE(confusion.size(), std::size_t(4));
    const auto accuracy = project.perClassAccuracy(runId, Split::Test).value();
    QCOMPARE(accuracy.size(), std::size_t(2));
    QCOMPARE(accuracy[0].classId, a);
    QCOMPARE(accuracy[0].correct, 1);
    QCOMPARE(accuracy[0].zeroShotCorrect, 1);
    QCOMPARE(accuracy[1].correct, 1);
    QCOMPARE(accuracy[1].zeroShotCorrect, 1);

    const std::int64_t d1 = project.addDescription(a, "green", "typed").value();
    const std::int64_t d2 = project.addDescription(a, "leafy", "typed").value();
    QVERIFY(project.putAttention(runId, {{stored[0].id, a, {{d1, 0.2, 0.5}, {d2, 0.8, 0.5}}}}).ok());
    QVERIFY(project.putAttention(runId, {{stored[0].id, a, {{d1, 0.7, 0.4}, {d2, 0.3, 0.6}}}}).ok());
    const auto weights = project.attention(runId, stored[0].id, a).value();
    QCOMPARE(weights.size(), std::size_t(2));
    QCOMPARE(weights[0].descriptionId, d1);
    QCOMPARE(weights[0].weight, 0.7);
    QCOMPARE(weights[0].ownWeight.value_or(-1.0), 0.4);
    QCOMPARE(weights[1].ownWeight.value_or(-1.0), 0.6);
    // Without the aggregator's own weight (as evaluations before schema 5 stored it): NULL.
    QVERIFY(project.putAttention(runId, {{stored[0].id, a, {{d1, 0.5, std::nullopt}, {d2, 0.5, std::nullopt}}}}).ok());
    QVERIFY(!project.attention(runId, stored[0].id, a).value()[0].ownWeight);

    QVERIFY(project.removeRun(runId).ok());
    QCOMPARE(project.predictions(runId)->size(), std::size_t(0));
    QCOMPARE(project.attention(runId, stored[0].id, a)->size(), std::size_t(0));
}

void TestProjectStore::tensorBlobRejectsDamage()
{
    auto blob = encodeTensors(sampleCheckpoint(2.0f));
    QVERIFY(blob.ok());
    auto decoded = decodeTensors(blob.value());
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->at(0).values, sampleCheckpoint(2.0f)[0].values);
    std::string truncated = blob.value().substr(0, blob->size() - 4);
    auto bad = decodeTensors(truncated);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::BadFormat);
    QVERIFY(!decodeTensors("not a checkpoint").ok());
}

QTEST_APPLESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"
