// Embedding shards for clusters: NumPy files other tools read, a partition that gives the
// unsharded result bit for bit, shards that are visibly unfinished until their marker is
// written, re-runs that do nothing, and an import after which encoding finds every image
// view cached; embeddings of another CLIP or of changed files are refused.

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/geo/Scene.h"
#include "aape/geo/SyntheticScene.h"
#include "aape/store/Project.h"
#include "aape/util/Npy.h"
#include "aape/workflow/Cluster.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/PredictShards.h"
#include "aape/workflow/Shards.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>

using namespace aape;
namespace fs = std::filesystem;

using test::runCli;

namespace {

// fp32, as `aape embed` writes shards by default: the automatic precision may be bf16 here.
Result<clip::ClipEngine> openFp32(const std::string& model)
{
    clip::EngineOptions options;
    options.load.precision = clip::Precision::Float32;
    return clip::ClipEngine::open(model, options);
}

std::vector<unsigned char> concatenatedData(const std::string& dir, int shards)
{
    std::vector<unsigned char> data;
    for (int k = 0; k < shards; ++k) {
        auto matrix = readNpy(workflow::shardEmbeddingFile(dir, k));
        if (!matrix)
            return {};
        data.insert(data.end(), matrix->rawData.begin(), matrix->rawData.end());
    }
    return data;
}

std::string concatenatedMetadata(const std::string& dir, int shards)
{
    std::string text;
    for (int k = 0; k < shards; ++k)
        text += test::readTextFile(workflow::shardMetadataFile(dir, k));
    return text;
}

std::vector<std::string> embedArgs(const std::string& model, const std::string& folder, const std::string& out,
                                   const std::string& shard, int views)
{
    return {"embed",
            "--model",
            model,
            "--folder",
            folder,
            "--out",
            out,
            "--shard",
            shard,
            "--views",
            std::to_string(views),
            "--batch",
            "8"};
}

// A 200 x 200 scene of 6 bands in 50-pixel land-cover blocks: 64 tiles of 25 pixels.
geo::SyntheticSceneSpec smallScene()
{
    return test::squareScene(200, 6, 50);
}

} // namespace

class TestShards final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void npyFilesAreNumPys();
    void halfPrecisionRoundsAsNumPy();
    void partitionIsContiguousAndDeterministic();
    void unionOfShardsIsTheUnshardedOutput_data();
    void unionOfShardsIsTheUnshardedOutput();
    void killedShardIsVisiblyUnfinishedAndRerunSkipsDoneOnes();
    void importedShardsLeaveNothingToEncode();
    void anotherClipIsRefused();
    void changedImagesAreNotImported();
    void sceneTilesShardLikeTheProjectImportsThem();
    void predictionShardsAreTheUnshardedPrediction();
    void sceneMapMergesFromShardsOnly();

private:
    std::string trainedBundle();
    std::string m_bundle;
    test::TempDir m_dir;
    std::string m_project;
    std::string m_model;
    std::string m_images;
    std::size_t m_imageCount = 0;
};

void TestShards::initTestCase()
{
    auto demo = test::writeTinyDemo(m_dir.file("demo"), m_dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_project = demo->projectPath;
    m_model = demo->modelPath;
    m_images = demo->imageFolder;
    auto inputs = workflow::collectShardInputs(m_images, {}, {});
    QVERIFY(inputs);
    m_imageCount = inputs->size();
    QVERIFY(m_imageCount > 40);
}

void TestShards::npyFilesAreNumPys()
{
    const std::string path = m_dir.file("m.npy");
    const std::vector<float> values = {1.0f, -2.5f, 0.125f, 3.0e-8f, 1.0e30f, -0.0f};
    QVERIFY(writeNpy(path, values, 2, 3, NpyType::Float32));
    const auto bytes = test::readBinaryFile(path);
    // NumPy format 1.0: magic, version, little-endian header length, a dict padded to 64 bytes.
    QCOMPARE(std::string(bytes.begin(), bytes.begin() + 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t headerLength = bytes[8] | (bytes[9] << 8);
    QCOMPARE((10 + headerLength) % 64, std::size_t(0));
    const std::string header(bytes.begin() + 10, bytes.begin() + 10 + static_cast<std::ptrdiff_t>(headerLength));
    QCOMPARE(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0), std::size_t(0));
    QCOMPARE(header.back(), '\n');
    QCOMPARE(bytes.size(), 10 + headerLength + 6 * 4);
    // 1.0f little-endian right after the header.
    QCOMPARE(std::vector<unsigned char>(bytes.begin() + 10 + static_cast<std::ptrdiff_t>(headerLength),
                                        bytes.begin() + 14 + static_cast<std::ptrdiff_t>(headerLength)),
             (std::vector<unsigned char>{0x00, 0x00, 0x80, 0x3f}));

    auto read = readNpy(path);
    QVERIFY2(read, read ? "" : read.error().toString().c_str());
    QCOMPARE(read->rows, std::int64_t(2));
    QCOMPARE(read->cols, std::int64_t(3));
    QCOMPARE(std::memcmp(read->values.data(), values.data(), values.size() * 4), 0);

    // A file NumPy wrote (np.save of np.arange(3, dtype='<f2')): 1-D, another header length.
    std::string numpyHeader = "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }";
    numpyHeader.append(128 - 10 - numpyHeader.size() - 1, ' '); // NumPy pads to a multiple of 64
    numpyHeader.push_back('\n');
    const std::string numpyText = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(numpyHeader.size())
                                  + std::string(1, '\0') + numpyHeader + std::string("\x00\x00\x00\x3c\x00\x40", 6);
    std::vector<unsigned char> numpyFile(numpyText.begin(), numpyText.end());
    test::writeBinaryFile(m_dir.file("numpy.npy"), numpyFile);
    auto fromNumpy = readNpy(m_dir.file("numpy.npy"));
    QVERIFY2(fromNumpy, fromNumpy ? "" : fromNumpy.error().toString().c_str());
    QCOMPARE(fromNumpy->rows, std::int64_t(3));
    QCOMPARE(fromNumpy->values, (std::vector<float>{0.0f, 1.0f, 2.0f}));

    // Truncated data is refused with a message, not read past the end.
    numpyFile.pop_back();
    test::writeBinaryFile(m_dir.file("short.npy"), numpyFile);
    auto truncated = readNpy(m_dir.file("short.npy"));
    QVERIFY(!truncated);
    QCOMPARE(truncated.error().code, ErrorCode::BadFormat);
}

void TestShards::halfPrecisionRoundsAsNumPy()
{
    // Values of np.float16(x).view(np.uint16) for each x.
    QCOMPARE(floatToHalf(1.0f), std::uint16_t(0x3c00));
    QCOMPARE(floatToHalf(-2.0f), std::uint16_t(0xc000));
    QCOMPARE(floatToHalf(0.1f), std::uint16_t(0x2e66));
    QCOMPARE(floatToHalf(65504.0f), std::uint16_t(0x7bff));
    QCOMPARE(floatToHalf(65520.0f), std::uint16_t(0x7c00));              // rounds up to infinity
    QCOMPARE(floatToHalf(1.0f + 1.0f / 2048.0f), std::uint16_t(0x3c00)); // a tie goes to even
    QCOMPARE(floatToHalf(1.0f + 3.0f / 2048.0f), std::uint16_t(0x3c02));
    QCOMPARE(floatToHalf(6.0e-8f), std::uint16_t(0x0001)); // subnormal
    QCOMPARE(floatToHalf(1.0e-9f), std::uint16_t(0x0000));
    QVERIFY(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
    for (std::uint32_t h = 0; h < 0x7c00; ++h)
        QCOMPARE(floatToHalf(halfToFloat(static_cast<std::uint16_t>(h))), static_cast<std::uint16_t>(h));
}

void TestShards::partitionIsContiguousAndDeterministic()
{
    QVERIFY(workflow::parseShardSpec("3/4"));
    QCOMPARE(workflow::parseShardSpec("3/4")->index, 3);
    for (const char* bad : {"4/4", "-1/4", "1", "a/b", "1/0", "/4"})
        QVERIFY2(!workflow::parseShardSpec(bad), bad);
    QVERIFY(workflow::parseShardSpec("x").error().message.find("K/N") != std::string::npos);

    for (std::size_t inputs : {0, 1, 7, 8, 9, 100, 1001}) {
        for (int n : {1, 2, 3, 4, 7, 300}) {
            std::size_t next = 0;
            for (int k = 0; k < n; ++k) {
                const auto range = workflow::shardRange(inputs, 8, {k, n});
                QCOMPARE(range.begin, next);
                QVERIFY(range.end >= range.begin);
                QVERIFY(range.begin % 8 == 0); // whole batches: the same batches in any partition
                next = range.end;
            }
            QCOMPARE(next, inputs);
        }
    }

    // The same inputs give the same order on any machine: listed in another order, or found in a folder.
    auto fromFolder = workflow::collectShardInputs(m_images, {}, {});
    QVERIFY(fromFolder);
    std::string list;
    for (auto it = fromFolder->rbegin(); it != fromFolder->rend(); ++it)
        list += it->recordedPath + "\n";
    test::writeTextFile(m_images + "/list.txt", "# every image, backwards\n" + list + "\n");
    auto fromList = workflow::collectShardInputs({}, m_images + "/list.txt", {});
    fs::remove(m_images + "/list.txt");
    QVERIFY(fromList);
    QCOMPARE(fromList->size(), fromFolder->size());
    for (std::size_t i = 0; i < fromList->size(); ++i) {
        QCOMPARE((*fromList)[i].recordedPath, (*fromFolder)[i].recordedPath);
        QVERIFY(fs::equivalent((*fromList)[i].filePath, (*fromFolder)[i].filePath));
        if (i > 0)
            QVERIFY((*fromList)[i - 1].recordedPath < (*fromList)[i].recordedPath);
    }
}

void TestShards::unionOfShardsIsTheUnshardedOutput_data()
{
    QTest::addColumn<bool>("half");
    QTest::addColumn<int>("shards");
    QTest::newRow("float32, 3 shards") << false << 3;
    QTest::newRow("float16, 4 shards") << true << 4;
    QTest::newRow("more shards than batches") << false << 12;
}

void TestShards::unionOfShardsIsTheUnshardedOutput()
{
    QFETCH(bool, half);
    QFETCH(int, shards);
    const std::string tag = std::string(half ? "h" : "f") + std::to_string(shards);
    const std::string whole = m_dir.file("whole-" + tag);
    auto args = embedArgs(m_model, m_images, whole, "0/1", 2);
    if (half)
        args.push_back("--half");
    auto unsharded = runCli(args);
    QVERIFY2(unsharded.code == 0, unsharded.err.c_str());
    QVERIFY(fs::exists(workflow::shardDoneMarker(whole, 0)));

    const std::string sharded = m_dir.file("sharded-" + tag);
    for (int k = 0; k < shards; ++k) {
        auto shardArgs = args;
        shardArgs[std::find(shardArgs.begin(), shardArgs.end(), whole) - shardArgs.begin()] = sharded;
        shardArgs[std::find(shardArgs.begin(), shardArgs.end(), "0/1") - shardArgs.begin()] =
            std::to_string(k) + "/" + std::to_string(shards);
        auto ran = runCli(shardArgs);
        QVERIFY2(ran.code == 0, ran.err.c_str());
    }
    auto header = readNpyHeader(workflow::shardEmbeddingFile(whole, 0));
    QVERIFY(header);
    QCOMPARE(header->rows, static_cast<std::int64_t>(m_imageCount * 3)); // centre view + 2 views each
    QCOMPARE(header->type, half ? NpyType::Float16 : NpyType::Float32);
    const auto expected = concatenatedData(whole, 1);
    QVERIFY(!expected.empty());
    QVERIFY(concatenatedData(sharded, shards) == expected);
    QCOMPARE(concatenatedMetadata(sharded, shards), concatenatedMetadata(whole, 1));

    // Rows are L2-normalised embeddings and the metadata says what each one is.
    auto matrix = readNpy(workflow::shardEmbeddingFile(whole, 0));
    double norm = 0.0;
    for (std::int64_t c = 0; c < matrix->cols; ++c)
        norm += double(matrix->values[static_cast<std::size_t>(c)]) * matrix->values[static_cast<std::size_t>(c)];
    QVERIFY(std::abs(std::sqrt(norm) - 1.0) < (half ? 2e-3 : 1e-5));
    const std::string metadata = concatenatedMetadata(whole, 1);
    const auto first = nlohmann::json::parse(metadata.substr(0, metadata.find('\n')));
    QCOMPARE(first.value("view", -1), 0);
    QCOMPARE(first.value("content_hash", std::string()).size(), std::size_t(16));
    QVERIFY(!first.value("model_fingerprint", std::string()).empty());
    QVERIFY(!first.value("image_path", std::string()).empty());
    QVERIFY(!fs::path(first.value("image_path", std::string())).is_absolute()); // relative to --folder
}

void TestShards::killedShardIsVisiblyUnfinishedAndRerunSkipsDoneOnes()
{
    const std::string out = m_dir.file("killed");
    auto inputs = workflow::collectShardInputs(m_images, {}, {});
    auto engine = openFp32(m_model);
    QVERIFY(engine);
    workflow::ShardEmbedOptions options;
    options.outDir = out;
    options.shard = {1, 2};
    options.batchSize = 8;
    // Stopped after its first batch, as a killed job stops: no marker, no complete-looking files.
    options.stop = std::make_shared<StopToken>();
    options.progress = [&](const workflow::Progress&) { options.stop->request(); };
    auto stopped = workflow::embedShard(engine.value(), inputs.value(), options);
    QVERIFY(!stopped);
    QVERIFY(!fs::exists(workflow::shardDoneMarker(out, 1)));
    QVERIFY(!fs::exists(workflow::shardEmbeddingFile(out, 1)));
    QVERIFY(!workflow::shardSummary(out, 1));

    // Shard 0 finishes; the import names shard 1 as unfinished and leaves it out.
    auto args = embedArgs(m_model, m_images, out, "0/2", 0);
    auto ran = runCli(args);
    QVERIFY2(ran.code == 0, ran.err.c_str());
    test::TempDir projectCopy;
    fs::copy_file(m_project, projectCopy.file("p.aapeproj"));
    auto imported = runCli({"import-embeddings", projectCopy.file("p.aapeproj"), out});
    QVERIFY2(imported.code == 0, imported.err.c_str());
    QVERIFY2(imported.err.find("1 shards are not finished and were left out: 1") != std::string::npos,
             imported.err.c_str());

    // Running the killed shard again completes it; running a done shard again does nothing.
    args[std::find(args.begin(), args.end(), "0/2") - args.begin()] = "1/2";
    ran = runCli(args);
    QVERIFY2(ran.code == 0, ran.err.c_str());
    QVERIFY(workflow::shardSummary(out, 1));
    const auto written = fs::last_write_time(workflow::shardEmbeddingFile(out, 1));
    const auto marker = test::readTextFile(workflow::shardDoneMarker(out, 1));
    ran = runCli(args);
    QVERIFY2(ran.code == 0, ran.err.c_str());
    QVERIFY2(ran.err.find("already done; nothing to do") != std::string::npos, ran.err.c_str());
    QVERIFY(fs::last_write_time(workflow::shardEmbeddingFile(out, 1)) == written);
    QCOMPARE(test::readTextFile(workflow::shardDoneMarker(out, 1)), marker);
}

void TestShards::importedShardsLeaveNothingToEncode()
{
    // Shards of every image with two views, as on a cluster; the project then trains with --views 2.
    const std::string out = m_dir.file("for-import");
    for (const char* shard : {"0/3", "1/3", "2/3"}) {
        auto ran = runCli(embedArgs(m_model, m_images, out, shard, 2));
        QVERIFY2(ran.code == 0, ran.err.c_str());
    }
    test::TempDir work;
    const std::string imported = work.file("imported.aapeproj");
    const std::string local = work.file("local.aapeproj");
    fs::copy_file(m_project, imported);
    fs::copy_file(m_project, local);

    auto ran = runCli({"import-embeddings", imported, out});
    QVERIFY2(ran.code == 0, ran.err.c_str());
    QVERIFY2(ran.out.find("from 3 shards") != std::string::npos, ran.out.c_str());

    auto engine = openFp32(m_model);
    QVERIFY(engine);
    workflow::EncodeOptions options;
    options.augmentedViews = 2;
    auto project = store::Project::open(imported);
    QVERIFY(project);
    auto report = workflow::encodeProject(project.value(), engine.value(), options);
    QVERIFY2(report, report ? "" : report.error().toString().c_str());
    QCOMPARE(report->imagesEncoded, 0);
    QCOMPARE(report->viewsEncoded, 0);
    QVERIFY(report->imagesCached > 40);

    // The imported views are the ones a local encode makes (same seeds, same preprocessing).
    auto localProject = store::Project::open(local);
    QVERIFY(localProject);
    auto localReport = workflow::encodeProject(localProject.value(), engine.value(), options);
    QVERIFY(localReport);
    QCOMPARE(localReport->imagesEncoded, report->imagesCached);
    std::vector<std::string> hashes;
    for (const auto& image : project->images().value())
        if (image.split == store::Split::Train)
            hashes.push_back(image.contentHash);
    QVERIFY(!hashes.empty());
    for (int view : {0, 1, 2}) {
        auto a = project->imageEmbeddings(engine->info().fingerprint, hashes, view);
        auto b = localProject->imageEmbeddings(engine->info().fingerprint, hashes, view);
        QVERIFY(a && b);
        QVERIFY(a->missing.empty() && b->missing.empty());
        QCOMPARE(a->values.size(), b->values.size());
        for (std::size_t i = 0; i < a->values.size(); ++i)
            QVERIFY2(std::abs(a->values[i] - b->values[i]) < 1e-5f, ("view " + std::to_string(view)).c_str());
    }
}

void TestShards::anotherClipIsRefused()
{
    test::TempDir other;
    const auto otherClip = test::writeTinyClip(other.file("clip"), 99).huggingFace;
    const std::string out = other.file("shards");
    auto ran = runCli(embedArgs(otherClip, m_images, out, "0/1", 0));
    QVERIFY2(ran.code == 0, ran.err.c_str());

    fs::copy_file(m_project, other.file("p.aapeproj"));
    auto encoded = runCli({"encode", other.file("p.aapeproj"), "--views", "0"}); // records the CLIP's fingerprint
    QVERIFY2(encoded.code == 0, encoded.err.c_str());
    auto imported = runCli({"import-embeddings", other.file("p.aapeproj"), out});
    QCOMPARE(imported.code, 1);
    QVERIFY2(imported.err.find("made with another CLIP model") != std::string::npos, imported.err.c_str());
    QVERIFY2(imported.err.find("nothing was imported") != std::string::npos, imported.err.c_str());
    auto project = store::Project::open(other.file("p.aapeproj"));
    QVERIFY(project);
    auto engine = openFp32(otherClip);
    for (const auto& image : project->images().value())
        QCOMPARE(project->cachedViewCount(engine->info().fingerprint, image.contentHash).value(), 0);
}

void TestShards::changedImagesAreNotImported()
{
    // The cluster's copy of the images has one file edited since the project imported it.
    test::TempDir work;
    fs::copy(m_images, work.file("images"), fs::copy_options::recursive);
    auto inputs = workflow::collectShardInputs(work.file("images"), {}, {});
    const std::string edited = (*inputs)[5].recordedPath;
    test::writeBinaryFile(work.file("images/" + edited), test::encodeImage(test::gradientImage(48, 48), ".png"));
    const std::string out = work.file("shards");
    auto ran = runCli(embedArgs(m_model, work.file("images"), out, "0/1", 0));
    QVERIFY2(ran.code == 0, ran.err.c_str());

    fs::copy_file(m_project, work.file("p.aapeproj"));
    auto imported = runCli({"import-embeddings", work.file("p.aapeproj"), out});
    QVERIFY2(imported.code == 0, imported.err.c_str());
    QVERIFY2(imported.err.find("1 images of the project differ from the files that were embedded") != std::string::npos,
             imported.err.c_str());
    QVERIFY2(imported.err.find(edited) != std::string::npos, imported.err.c_str());
    auto project = store::Project::open(work.file("p.aapeproj"));
    auto engine = openFp32(m_model);
    int cached = 0, uncached = 0;
    for (const auto& image : project->images().value()) {
        const bool isEdited = image.path.size() >= edited.size()
                              && image.path.compare(image.path.size() - edited.size(), edited.size(), edited) == 0;
        const int count = project->cachedViewCount(engine->info().fingerprint, image.contentHash).value();
        QCOMPARE(count, isEdited ? 0 : 1);
        (isEdited ? uncached : cached) += 1;
    }
    QCOMPARE(uncached, 1);
    QVERIFY(cached > 40);
}

void TestShards::sceneTilesShardLikeTheProjectImportsThem()
{
    // A 200 x 200 scene of 6 bands in 50-pixel land-cover blocks, cut into 25-pixel tiles: 64 tiles.
    test::TempDir work;
    const std::string scene = work.file("scene.tif");
    const std::string labels = work.file("landcover.geojson");
    QVERIFY(geo::writeSyntheticScene(scene, smallScene()).ok());
    QVERIFY(geo::writeSyntheticLabels(labels, smallScene()).ok());
    const auto sceneArgs = [&](const std::string& out, const std::string& shard) {
        return std::vector<std::string>{"embed", "--model", m_model, "--scene", scene, "--tile",  "25", "--out",
                                        out,     "--shard", shard,   "--views", "1",   "--batch", "8"};
    };

    // The union of 3 shards is the unsharded output, row for row.
    const std::string whole = work.file("whole");
    auto ran = runCli(sceneArgs(whole, "0/1"));
    QVERIFY2(ran.code == 0, ran.err.c_str());
    auto header = readNpyHeader(workflow::shardEmbeddingFile(whole, 0));
    QVERIFY(header);
    QCOMPARE(header->rows, std::int64_t(64 * 2));
    const std::string sharded = work.file("sharded");
    for (const char* shard : {"0/3", "1/3", "2/3"}) {
        ran = runCli(sceneArgs(sharded, shard));
        QVERIFY2(ran.code == 0, ran.err.c_str());
    }
    QVERIFY(concatenatedData(sharded, 3) == concatenatedData(whole, 1));
    QCOMPARE(concatenatedMetadata(sharded, 3), concatenatedMetadata(whole, 1));
    const std::string metadata = concatenatedMetadata(whole, 1);
    const auto first = nlohmann::json::parse(metadata.substr(0, metadata.find('\n')));
    QVERIFY2(first.value("image_path", std::string()).find("#tile=0,0,25,25") != std::string::npos,
             first.dump().c_str());

    // A project that imported the same scene with the same tiling takes every row: encoding
    // then finds all 64 tiles (and the training tiles' view) cached.
    const std::string project = work.file("scene.aapeproj");
    ran = runCli({"create", project, "--model", m_model});
    QVERIFY2(ran.code == 0, ran.err.c_str());
    ran =
        runCli({"import", project, "--scene", scene, "--tile", "25", "--labels", labels, "--label-field", "landcover"});
    QVERIFY2(ran.code == 0, ran.err.c_str());
    ran = runCli({"import-embeddings", project, sharded});
    QVERIFY2(ran.code == 0, ran.err.c_str());
    auto engine = openFp32(m_model);
    QVERIFY(engine);
    auto opened = store::Project::open(project);
    QVERIFY(opened);
    workflow::EncodeOptions options;
    options.augmentedViews = 1;
    auto report = workflow::encodeProject(opened.value(), engine.value(), options);
    QVERIFY2(report, report ? "" : report.error().toString().c_str());
    QCOMPARE(report->imagesEncoded, 0);
    QCOMPARE(report->viewsEncoded, 0);
    QCOMPARE(report->imagesCached, 64);

    // Without --tile the command says what it needs.
    ran = runCli({"embed", "--model", m_model, "--scene", scene, "--out", work.file("no-tile")});
    QVERIFY(ran.code != 0);
    QVERIFY2(ran.err.find("--tile") != std::string::npos, ran.err.c_str());
}

// A bundle of a run trained briefly on the tiny demo (shared by the prediction tests).
std::string TestShards::trainedBundle()
{
    if (!m_bundle.empty())
        return m_bundle;
    const std::string project = m_dir.file("trained.aapeproj");
    fs::copy_file(m_project, project, fs::copy_options::overwrite_existing);
    auto ran = runCli({"train", project, "--epochs", "3", "--views", "0"});
    if (ran.code != 0) {
        qWarning("%s", ran.err.c_str());
        return {};
    }
    const std::string bundle = m_dir.file("trained.aape.safetensors");
    ran = runCli({"export", project, "--run", "1", "--out", bundle});
    if (ran.code != 0) {
        qWarning("%s", ran.err.c_str());
        return {};
    }
    m_bundle = bundle;
    return m_bundle;
}

void TestShards::predictionShardsAreTheUnshardedPrediction()
{
    const std::string bundle = trainedBundle();
    QVERIFY(!bundle.empty());
    // Unsharded: one JSON object per image on standard output.
    auto whole = runCli({"predict", "--bundle", bundle, "--model", m_model, "--json", m_images});
    QVERIFY2(whole.code == 0, whole.err.c_str());
    std::map<std::string, nlohmann::json> expected;
    std::istringstream lines(whole.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) {
            const auto json = nlohmann::json::parse(line);
            expected[fs::path(json.at("path").get<std::string>()).lexically_normal().string()] = json;
        }
    QCOMPARE(expected.size(), m_imageCount);

    // Three shards: together every image once, with the same classes and probabilities.
    const std::string out = m_dir.file("predicted");
    for (const char* shard : {"0/3", "1/3", "2/3"}) {
        auto ran =
            runCli({"predict", "--bundle", bundle, "--model", m_model, "--shard", shard, "--out", out, m_images});
        QVERIFY2(ran.code == 0, ran.err.c_str());
        QVERIFY(fs::exists(workflow::shardDoneMarker(out, std::atoi(shard))));
    }
    std::size_t seen = 0;
    for (int k = 0; k < 3; ++k) {
        std::istringstream shardLines(test::readTextFile(workflow::shardPredictionFile(out, k)));
        for (std::string line; std::getline(shardLines, line);) {
            const auto json = nlohmann::json::parse(line);
            const std::string path = fs::path(json.at("path").get<std::string>()).lexically_normal().string();
            QVERIFY2(expected.count(path), path.c_str());
            const auto& want = expected[path];
            QCOMPARE(json["top"][0]["class"], want["top"][0]["class"]);
            QVERIFY(std::abs(json["top"][0]["prob"].get<double>() - want["top"][0]["prob"].get<double>()) < 1e-4);
            QVERIFY(std::abs(json["ood_score"].get<double>() - want["ood_score"].get<double>()) < 1e-4);
            ++seen;
        }
    }
    QCOMPARE(seen, m_imageCount);
    // A done shard is not predicted again.
    auto again = runCli({"predict", "--bundle", bundle, "--model", m_model, "--shard", "1/3", "--out", out, m_images});
    QVERIFY2(again.code == 0, again.err.c_str());
    QVERIFY2(again.err.find("already done") != std::string::npos, again.err.c_str());
    // Images have no map to merge: the merge says what the result is instead.
    auto merged = runCli({"cluster", "merge", out});
    QVERIFY(merged.code != 0);
    QVERIFY2(merged.err.find("image predictions") != std::string::npos, merged.err.c_str());
}

void TestShards::sceneMapMergesFromShardsOnly()
{
    const std::string bundle = trainedBundle();
    QVERIFY(!bundle.empty());
    test::TempDir work;
    const std::string scene = work.file("scene.tif");
    QVERIFY(geo::writeSyntheticScene(scene, smallScene()).ok());
    const std::string wholeMap = work.file("whole.tif");
    auto ran = runCli(
        {"predict", "--bundle", bundle, "--model", m_model, "--scene", scene, "--tile", "25", "--out", wholeMap});
    QVERIFY2(ran.code == 0, ran.err.c_str());

    // 64 tiles in blocks of 32: 3 shards leave one empty, which is fine.
    const std::string out = work.file("shards");
    for (const char* shard : {"0/3", "1/3", "2/3"}) {
        ran = runCli({"predict", "--bundle", bundle, "--model", m_model, "--scene", scene, "--tile", "25", "--shard",
                      shard, "--out", out});
        QVERIFY2(ran.code == 0, ran.err.c_str());
    }
    // Unfinished: refused, naming the shard.
    const std::string partial = work.file("partial");
    fs::copy(out, partial, fs::copy_options::recursive);
    fs::remove(workflow::shardDoneMarker(partial, 1));
    ran = runCli({"cluster", "merge", partial});
    QVERIFY(ran.code != 0);
    QVERIFY2(ran.err.find("not finished (1)") != std::string::npos, ran.err.c_str());

    const std::string mergedMap = work.file("merged.tif");
    const std::string vector = work.file("merged.geojson");
    ran = runCli({"cluster", "merge", out, "--out", mergedMap, "--vector", vector});
    QVERIFY2(ran.code == 0, ran.err.c_str());
    QVERIFY2(ran.out.find("classified 64 tiles") != std::string::npos, ran.out.c_str());
    QVERIFY(fs::exists(vector));
    const std::string difference = test::classMapDifference(wholeMap, mergedMap);
    QVERIFY2(difference.empty(), difference.c_str());
    auto merged = geo::SceneReader::open(mergedMap);
    QVERIFY(merged);
    QCOMPARE(merged->info().width, 8);

    // On Slurm, the final job of a scene's prediction merges the map.
    workflow::SlurmJobOptions options;
    options.program = "/usr/bin/aape";
    options.commandArgs = {"predict", "--bundle", bundle, "--model", m_model, "--scene", scene, "--out", out};
    options.shards = 3;
    options.cpus = 2;
    const std::string array = workflow::slurmArrayScript(options, out);
    QVERIFY2(array.find("--job-name=aape-predict") != std::string::npos, array.c_str());
    QVERIFY2(array.find("--threads 2") != std::string::npos, array.c_str());
    const std::string final = workflow::slurmFinalScript(options, out);
    QVERIFY2(final.find("cluster merge") != std::string::npos, final.c_str());
    QVERIFY(workflow::shardedOutputDir(options.commandArgs));
}

QTEST_GUILESS_MAIN(TestShards)
#include "tst_shards.moc"
