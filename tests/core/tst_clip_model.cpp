// The CLIP engine: every checkpoint format gives the same embeddings, bad checkpoints give
// clear errors, and the tower arithmetic does not drift.

#include "BpeFixture.h"
#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/util/SafeTensors.h"
#include "cli/Cli.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace aape;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kTexts = {"a photo of a cat.", "", "Ünïcode ÉCOLE &amp; 123 emoji 😀 漢字",
                                         "a much longer sentence that keeps going and going with many words"};

std::vector<cv::Mat> testImages()
{
    return {test::gradientImage(32, 32), test::checkerboardImage(40, 32, 4), test::photoLikeImage(50, 70, 3)};
}

double maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size())
        return 1e9;
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
    return worst;
}

// Flips bytes of a file at an offset.
void overwrite(const std::string& path, std::size_t offset, const std::string& bytes)
{
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string safetensorsWithHeader(const test::TempDir& dir, const std::string& header, std::size_t dataBytes)
{
    std::string bytes;
    const std::uint64_t length = header.size();
    for (int i = 0; i < 8; ++i)
        bytes.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes += header;
    bytes += std::string(dataBytes, '\0');
    const std::string path = dir.file("hostile.safetensors");
    test::writeTextFile(path, bytes);
    return path;
}

} // namespace

class TestClipModel final : public QObject {
    Q_OBJECT

private:
    test::TempDir m_dir;
    test::TinyClipPaths m_paths;

private Q_SLOTS:
    void initTestCase() { m_paths = test::writeTinyClip(m_dir.file("tiny")); }

    void allFormatsGiveTheSameEmbeddings()
    {
        auto reference = clip::ClipEngine::open(m_paths.huggingFace);
        QVERIFY2(reference.ok(), reference.ok() ? "" : reference.error().toString().c_str());
        const auto referenceImages = reference->encodeImages(testImages());
        const auto referenceTexts = reference->encodeTexts(kTexts);
        QVERIFY(referenceImages.ok() && referenceTexts.ok());

        const std::pair<std::string, clip::CheckpointFormat> others[] = {
            {m_paths.huggingFaceSharded, clip::CheckpointFormat::HuggingFace},
            {m_paths.openAiArchive, clip::CheckpointFormat::OpenAITorchScript},
            {m_paths.openClipPt, clip::CheckpointFormat::OpenClip},
            {m_paths.openClipSafetensors, clip::CheckpointFormat::OpenClip},
        };
        for (const auto& [path, format] : others) {
            auto engine = clip::ClipEngine::open(path);
            QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().toString().c_str());
            QCOMPARE(engine->info().format, format);
            QCOMPARE(engine->info().config.vision.heads, 2);
            QCOMPARE(engine->info().config.text.heads, 2);
            QCOMPARE(engine->info().config.activation, clip::Activation::QuickGelu);
            QCOMPARE(engine->info().fingerprint, reference->info().fingerprint);
            const auto images = engine->encodeImages(testImages());
            const auto texts = engine->encodeTexts(kTexts);
            QVERIFY(images.ok() && texts.ok());
            QVERIFY2(maxAbsDifference(images.value(), referenceImages.value()) < 1e-5, path.c_str());
            QVERIFY2(maxAbsDifference(texts.value(), referenceTexts.value()) < 1e-5, path.c_str());
        }
    }

    void geometryIsReadFromTheCheckpoint()
    {
        auto info = clip::inspectCheckpoint(m_paths.huggingFace);
        QVERIFY(info.ok());
        QCOMPARE(info->config.embedDim, 32);
        QCOMPARE(info->config.vision.imageSize, 32);
        QCOMPARE(info->config.vision.patchSize, 8);
        QCOMPARE(info->config.vision.layers, 2);
        QCOMPARE(info->config.text.width, 24);
        QCOMPARE(info->config.text.contextLength, 77);
        QCOMPARE(info->config.text.vocabSize, m_paths.vocabSize);
        QVERIFY(!info->vocabPath.empty());
        auto archive = clip::inspectCheckpoint(m_paths.openAiArchive);
        QVERIFY(archive.ok());
        QVERIFY2(!archive->notes.empty(), "opening a TorchScript archive must warn that it contains code");
    }

    void embeddingsAreUnitLengthAndDistinct()
    {
        auto engine = clip::ClipEngine::open(m_paths.huggingFace);
        QVERIFY(engine.ok());
        const auto texts = engine->encodeTexts(kTexts);
        QVERIFY(texts.ok());
        const int d = engine->embedDim();
        for (std::size_t row = 0; row < kTexts.size(); ++row) {
            double norm = 0.0;
            for (int j = 0; j < d; ++j)
                norm += std::pow(texts.value()[row * d + j], 2);
            QVERIFY(std::abs(norm - 1.0) < 1e-5);
        }
        QVERIFY(maxAbsDifference({texts->begin(), texts->begin() + d}, {texts->begin() + d, texts->begin() + 2 * d})
                > 1e-3);
    }

    void activationChangesTheResult()
    {
        test::TempDir dir;
        const auto gelu = test::writeTinyClip(dir.file("gelu"), 1, /*quickGelu=*/false);
        auto quick = clip::ClipEngine::open(m_paths.huggingFace);
        auto plain = clip::ClipEngine::open(gelu.huggingFace);
        QVERIFY(quick.ok() && plain.ok());
        QCOMPARE(plain->info().config.activation, clip::Activation::Gelu);
        auto openClip = clip::ClipEngine::open(gelu.openClipPt);
        QVERIFY(openClip.ok());
        QCOMPARE(openClip->info().config.activation, clip::Activation::Gelu);
        const auto a = quick->encodeTexts(kTexts);
        const auto b = plain->encodeTexts(kTexts);
        QVERIFY(maxAbsDifference(a.value(), b.value()) > 1e-4);
    }

    void trimmedTextBatchesEqualPaddedOnes()
    {
        auto engine = clip::ClipEngine::open(m_paths.huggingFace);
        QVERIFY(engine.ok());
        std::vector<std::vector<std::int32_t>> tokens;
        for (const auto& text : kTexts)
            tokens.push_back(engine->tokenizer().tokenize(text));
        const auto trimmed = engine->model().encodeTokens(tokens, false);
        const auto padded = engine->model().encodeTokens(tokens, true);
        QVERIFY(trimmed.ok() && padded.ok());
        QVERIFY(maxAbsDifference(trimmed.value(), padded.value()) < 1e-5);
        // Order is kept although the batch is sorted by length inside.
        const auto single = engine->model().encodeTokens({tokens[3]});
        QVERIFY(maxAbsDifference(single.value(), {trimmed->begin() + 3 * 32, trimmed->begin() + 4 * 32}) < 1e-5);
    }

    void towerArithmeticDoesNotDrift()
    {
        // Values of this implementation after it was checked against the reference Python
        // CLIP on a checkpoint of this geometry; a change in the tower maths moves them. In fp32:
        // the automatic precision may be bf16 on this machine.
        clip::EngineOptions options;
        options.load.precision = clip::Precision::Float32;
        auto engine = clip::ClipEngine::open(m_paths.huggingFace, options);
        QVERIFY(engine.ok());
        const auto image = engine->encodeImages({test::gradientImage(32, 32)});
        const auto text = engine->encodeTexts({"a photo of a cat."});
        QVERIFY(image.ok() && text.ok());
        const float expectedImage[] = {0.0882784f, -0.0011481f, 0.1373445f, 0.0929217f, -0.2919397f, 0.2941241f};
        const float expectedText[] = {0.0176924f, -0.1802336f, 0.1484343f, 0.0516576f, 0.2378389f, 0.3731464f};
        for (int i = 0; i < 6; ++i) {
            QVERIFY2(std::abs(image.value()[i] - expectedImage[i]) < 1e-4, std::to_string(image.value()[i]).c_str());
            QVERIFY2(std::abs(text.value()[i] - expectedText[i]) < 1e-4, std::to_string(text.value()[i]).c_str());
        }
    }

    void badCheckpointsGiveClearErrors_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing") << "missing" << int(ErrorCode::FileNotFound) << "does not exist";
        QTest::newRow("folder without config") << "empty-folder" << int(ErrorCode::FileNotFound) << "config.json";
        QTest::newRow("other model type") << "siglip" << int(ErrorCode::Unsupported) << "model_type";
        QTest::newRow("truncated weights") << "truncated" << int(ErrorCode::BadFormat) << "safetensors";
        QTest::newRow("wrong shape") << "wrong-shape" << int(ErrorCode::ShapeMismatch) << "shape";
        QTest::newRow("random bytes") << "random-bytes" << int(ErrorCode::BadFormat) << "state dict";
        QTest::newRow("resnet") << "resnet" << int(ErrorCode::Unsupported) << "ResNet";
        QTest::newRow("broken config json") << "broken-json" << int(ErrorCode::BadFormat) << "JSON";
    }

    void badCheckpointsGiveClearErrors()
    {
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        test::TempDir dir;
        std::string path;
        const std::string k = kind.toStdString();
        auto copyHf = [&] {
            fs::copy(m_paths.huggingFace, dir.file("hf"), fs::copy_options::recursive);
            return dir.file("hf");
        };
        if (k == "missing") {
            path = dir.file("nothing-here");
        } else if (k == "empty-folder") {
            fs::create_directories(dir.file("empty"));
            path = dir.file("empty");
        } else if (k == "siglip") {
            path = copyHf();
            auto text = test::readTextFile(path + "/config.json");
            text.replace(text.find("\"clip\""), 6, "\"siglip\"");
            test::writeTextFile(path + "/config.json", text);
        } else if (k == "truncated") {
            path = copyHf();
            fs::resize_file(path + "/model.safetensors", fs::file_size(path + "/model.safetensors") / 2);
        } else if (k == "wrong-shape") {
            // A checkpoint whose class embedding is shorter than the tower width.
            path = dir.file("wrong.safetensors");
            auto source = st::SafeTensorsFile::open(m_paths.openClipSafetensors);
            QVERIFY(source.ok());
            std::vector<st::TensorToWrite> tensors;
            for (const auto& [name, entry] : source->tensors()) {
                auto values = source->readFloat32(name);
                QVERIFY(values.ok());
                auto shape = entry.shape;
                if (name == "visual.class_embedding") {
                    shape = {16};
                    values->resize(16);
                }
                tensors.push_back(st::float32Tensor(name, shape, values->data()));
            }
            QVERIFY(st::writeSafeTensors(path, tensors).ok());
        } else if (k == "random-bytes") {
            path = dir.file("model.pt");
            test::writeTextFile(path, std::string(4096, '\x5a'));
        } else if (k == "resnet") {
            path = dir.file("rn50.safetensors");
            const float value = 0.0f;
            QVERIFY(st::writeSafeTensors(path, {st::float32Tensor("visual.layer1.0.conv1.weight", {1}, &value)}).ok());
        } else if (k == "broken-json") {
            path = copyHf();
            test::writeTextFile(path + "/config.json", "{\"model_type\": \"clip\", ");
        }
        auto loaded = clip::ClipModel::load(path);
        QVERIFY(!loaded.ok());
        const std::string message = loaded.error().toString();
        QCOMPARE(int(loaded.error().code), code);
        QVERIFY2(message.find(mentions.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(!loaded.error().file.empty(), message.c_str());
    }

    void hostileSafetensorsAreRejected_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<int>("dataBytes");
        QTest::newRow("offset past end") << R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})" << 8;
        QTest::newRow("huge shape") << R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}})"
                                    << 16;
        QTest::newRow("size mismatch") << R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})" << 16;
        QTest::newRow("reversed offsets") << R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})" << 16;
        QTest::newRow("overlap")
            << R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})"
            << 16;
        QTest::newRow("negative dim") << R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})" << 4;
        QTest::newRow("unknown dtype") << R"({"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})" << 16;
        QTest::newRow("not an object") << R"([1,2,3])" << 0;
        QTest::newRow("not json") << "{{{{" << 0;
        QTest::newRow("metadata not strings") << R"({"__metadata__":{"a":1}})" << 0;
    }

    void hostileSafetensorsAreRejected()
    {
        QFETCH(QString, header);
        QFETCH(int, dataBytes);
        test::TempDir dir;
        const auto path = safetensorsWithHeader(dir, header.toStdString(), static_cast<std::size_t>(dataBytes));
        auto file = st::SafeTensorsFile::open(path);
        QVERIFY(!file.ok());
        QCOMPARE(file.error().code, ErrorCode::BadFormat);
        QCOMPARE(file.error().file, path);
    }

    void headerLengthBeyondFileIsRejected()
    {
        test::TempDir dir;
        const auto path = safetensorsWithHeader(dir, "{}", 0);
        overwrite(path, 0, std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8));
        auto file = st::SafeTensorsFile::open(path);
        QVERIFY(!file.ok());
        QVERIFY(file.error().detail.find("header length") != std::string::npos);
    }

    void safetensorsRoundTrip()
    {
        test::TempDir dir;
        const std::vector<float> values = {1.5f, -2.25f, 3.0f, 0.0f, 1e-8f, -65504.0f};
        const auto path = dir.file("round.safetensors");
        QVERIFY(st::writeSafeTensors(path, {st::float32Tensor("x.y", {2, 3}, values.data())}, {{"k", "v"}}).ok());
        auto file = st::SafeTensorsFile::open(path);
        QVERIFY(file.ok());
        QCOMPARE(file->metadata().at("k"), std::string("v"));
        QCOMPARE(file->tensors().at("x.y").shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(file->readFloat32("x.y").value(), values);
        QVERIFY(!file->readFloat32("missing").ok());
    }

    void embedCommandPrintsTheContractShape()
    {
        const auto imagePath = m_dir.file("grad.png");
        test::writeBinaryFile(imagePath, test::encodeImage(test::gradientImage(40, 30), ".png"));
        const std::string model = m_paths.huggingFace;
        const char* argv[] = {
            "aape",   "embed", "--model", model.c_str(), "--image", imagePath.c_str(), "--text", "a photo of a dog.",
            "--text", "two"};
        std::ostringstream out, err;
        QCOMPARE(cli::run(10, argv, out, err), 0);
        const auto json = nlohmann::json::parse(out.str());
        QCOMPARE(json["model"]["format"].get<std::string>(), std::string("huggingface"));
        QCOMPARE(json["model"]["embed_dim"].get<int>(), 32);
        QCOMPARE(json["model"]["activation"].get<std::string>(), std::string("quick_gelu"));
        QCOMPARE(json["model"]["image_size"].get<int>(), 32);
        QCOMPARE(json["images"].size(), std::size_t(1));
        QCOMPARE(json["images"][0]["path"].get<std::string>(), imagePath);
        QCOMPARE(json["images"][0]["embedding"].size(), std::size_t(32));
        QCOMPARE(json["texts"].size(), std::size_t(2));
        const auto tokens = json["texts"][1]["tokens"].get<std::vector<int>>();
        QCOMPARE(tokens.front(), test::bpeFixtureStartOfText());
        QCOMPARE(tokens.back(), test::bpeFixtureEndOfText());
    }

    void embedCommandFailsWithOneLineNamingTheFile()
    {
        const std::string model = m_paths.huggingFace;
        const std::string missing = m_dir.file("no-such-image.png");
        const char* argv[] = {"aape", "embed", "--model", model.c_str(), "--image", missing.c_str()};
        std::ostringstream out, err;
        QVERIFY(cli::run(6, argv, out, err) != 0);
        QVERIFY(out.str().empty());
        const std::string message = err.str();
        QVERIFY2(message.find(missing) != std::string::npos, message.c_str());
        QCOMPARE(std::count(message.begin(), message.end(), '\n'), 1L);
    }
};

QTEST_APPLESS_MAIN(TestClipModel)
#include "tst_clip_model.moc"
