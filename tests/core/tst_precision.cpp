// The precision contract of the CLIP towers: bf16 embeddings stay at cosine >= 0.999 to fp32,
// int8 at >= 0.99 with >= 98 % zero-shot top-1 agreement on the demo's images; each precision
// keeps its own embedding cache and a run records the one it trained on.

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/CheckpointWriter.h"
#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/store/Project.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/Train.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace aape;

namespace {

double cosine(const std::vector<float>& a, const std::vector<float>& b, int row, int d)
{
    double dot = 0, na = 0, nb = 0;
    for (int j = 0; j < d; ++j) {
        const double x = a[static_cast<std::size_t>(row * d + j)], y = b[static_cast<std::size_t>(row * d + j)];
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    return dot / std::sqrt(na * nb);
}

double minimumCosine(const std::vector<float>& a, const std::vector<float>& b, int d)
{
    double worst = 1.0;
    for (int row = 0; row < static_cast<int>(a.size()) / d; ++row)
        worst = std::min(worst, cosine(a, b, row, d));
    return worst;
}

clip::ClipModel loadModel(const std::string& path, clip::Precision precision)
{
    clip::LoadOptions options;
    options.device = clip::DeviceKind::Cpu;
    options.precision = precision;
    auto model = clip::ClipModel::load(path, options);
    if (!model)
        qFatal("loading %s failed: %s", path.c_str(), model.error().message.c_str());
    return std::move(model).value();
}

} // namespace

class TestPrecision final : public QObject {
    Q_OBJECT

    test::TempDir m_dir;
    std::string m_vitB; // ViT-B/16 widths and heads, two layers per tower: the products of the real thing
    int m_dim = 0;
    std::vector<float> m_pixels;
    std::vector<std::vector<std::int32_t>> m_tokens;

private Q_SLOTS:
    void initTestCase()
    {
        auto config = clip::clipPreset("ViT-B/16");
        QVERIFY(config);
        config->vision.layers = 2;
        config->text.layers = 2;
        clip::RandomClipOptions options;
        options.config = config.value();
        options.seed = 3;
        m_vitB = m_dir.file("vit-b16-shaped");
        QVERIFY(clip::writeRandomHuggingFaceClip(m_vitB, options));
        m_dim = config->embedDim;

        std::mt19937 rng(11);
        std::normal_distribution<float> normal;
        const int size = config->vision.imageSize;
        m_pixels.resize(static_cast<std::size_t>(6) * 3 * size * size);
        for (auto& value : m_pixels)
            value = normal(rng);
        std::uniform_int_distribution<std::int32_t> token(1, config->text.vocabSize - 3);
        for (int t = 0; t < 8; ++t) {
            std::vector<std::int32_t> ids{config->text.vocabSize - 2};
            for (int i = 0; i < 6 + 3 * t; ++i)
                ids.push_back(token(rng));
            ids.push_back(config->text.vocabSize - 1);
            m_tokens.push_back(ids);
        }
    }

    void bf16AndInt8StayCloseToFp32OnViTBShapedTowers()
    {
        auto fp32 = loadModel(m_vitB, clip::Precision::Float32);
        QCOMPARE(fp32.precision(), clip::Precision::Float32);
        auto images32 = fp32.encodeImages(m_pixels.data(), 6);
        auto texts32 = fp32.encodeTokens(m_tokens);
        QVERIFY(images32 && texts32);

        // The contract: bf16 within cosine 0.999 of fp32, int8 within 0.99.
        for (const auto& [precision, floor] :
             {std::pair{clip::Precision::BFloat16, 0.999}, std::pair{clip::Precision::Int8, 0.99}}) {
            auto model = loadModel(m_vitB, precision);
            QCOMPARE(model.precision(), precision);
            QVERIFY(model.deviceDescription().find(clip::precisionName(precision)) != std::string::npos);
            auto images = model.encodeImages(m_pixels.data(), 6);
            auto texts = model.encodeTokens(m_tokens);
            QVERIFY(images && texts);
            const double imageCosine = minimumCosine(images.value(), images32.value(), m_dim);
            const double textCosine = minimumCosine(texts.value(), texts32.value(), m_dim);
            qInfo("%s: min cosine to fp32 %.6f (images), %.6f (texts)", clip::precisionName(precision), imageCosine,
                  textCosine);
            QVERIFY2(imageCosine >= floor && textCosine >= floor, "embeddings drift from fp32");
            // Not fp32 in disguise: the arithmetic really changed.
            QVERIFY(imageCosine < 0.9999999);
        }
    }

    void int8AgreesWithFp32OnTheDemosZeroShotAnswers()
    {
        const std::string demoClip = data::findDemoClip();
        if (demoClip.empty())
            QSKIP("the committed demo CLIP (resources/demo-clip) is not found");
        const auto& classes = data::demoClasses();
        std::vector<std::string> prompts;
        for (const auto& cls : classes)
            prompts.push_back("a photo of a " + cls.name + ".");
        std::vector<cv::Mat> images;
        for (int c = 0; c < static_cast<int>(classes.size()); ++c)
            for (int variant = 0; variant < 10; ++variant)
                images.push_back(data::renderDemoImage(c, variant, 48, 99));

        struct Answers {
            std::vector<float> images, texts;
        };
        auto answers = [&](clip::Precision precision) {
            clip::EngineOptions options;
            options.load.device = clip::DeviceKind::Cpu;
            options.load.precision = precision;
            auto engine = clip::ClipEngine::open(demoClip, options);
            if (!engine)
                qFatal("%s", engine.error().message.c_str());
            auto imageRows = engine->encodeImages(images);
            auto textRows = engine->encodeTexts(prompts);
            if (!imageRows || !textRows)
                qFatal("encoding failed");
            return Answers{imageRows.value(), textRows.value()};
        };
        const Answers fp32 = answers(clip::Precision::Float32);
        const int d = static_cast<int>(fp32.texts.size() / prompts.size());
        auto top1 = [&](const Answers& a, int image) {
            int best = 0;
            double bestScore = -2.0;
            for (int c = 0; c < static_cast<int>(prompts.size()); ++c) {
                double score = 0.0;
                for (int j = 0; j < d; ++j)
                    score += double(a.images[static_cast<std::size_t>(image * d + j)])
                             * a.texts[static_cast<std::size_t>(c * d + j)];
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            return best;
        };
        for (auto precision : {clip::Precision::BFloat16, clip::Precision::Int8}) {
            const Answers other = answers(precision);
            int agree = 0;
            for (int i = 0; i < static_cast<int>(images.size()); ++i)
                agree += top1(other, i) == top1(fp32, i);
            const double agreement = double(agree) / double(images.size());
            const double imageCosine = minimumCosine(other.images, fp32.images, d);
            qInfo("%s on the demo: top-1 agreement %.3f, min image cosine %.6f", clip::precisionName(precision),
                  agreement, imageCosine);
            QVERIFY(agreement >= 0.98);
            QVERIFY(imageCosine >= (precision == clip::Precision::Int8 ? 0.99 : 0.999));
        }
    }

    void automaticMeansBf16OnlyWhereTheCpuComputesIt()
    {
        std::string reason;
        const auto chosen = clip::automaticPrecision(clip::DeviceKind::Cpu, &reason);
        QCOMPARE(chosen, clip::cpuComputesBfloat16() ? clip::Precision::BFloat16 : clip::Precision::Float32);
        QVERIFY(!reason.empty());
        QCOMPARE(clip::automaticPrecision(clip::DeviceKind::Cuda), clip::Precision::Float16);
        auto automatic = loadModel(m_dir.file("vit-b16-shaped"), clip::Precision::Auto);
        QCOMPARE(automatic.precision(), chosen);
        QCOMPARE(automatic.precisionReason(), reason);
    }

    void impossibleCombinationsAreRefusedWithAReason()
    {
        clip::LoadOptions options;
        options.device = clip::DeviceKind::Cpu;
        options.precision = clip::Precision::Float16;
        auto refused = clip::ClipModel::load(m_vitB, options);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.find("GPU") != std::string::npos);
        QVERIFY(!clip::parsePrecision("fp8"));
        QCOMPARE(clip::parsePrecision("int8").value(), clip::Precision::Int8);
    }

    void eachPrecisionHasItsOwnCacheAndRunsRecordIt()
    {
        test::TempDir dir;
        auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
        QVERIFY(demo);
        auto project = store::Project::open(demo->projectPath);
        QVERIFY(project);
        auto open = [&](clip::Precision precision) {
            clip::EngineOptions options;
            options.load.device = clip::DeviceKind::Cpu;
            options.load.precision = precision;
            auto engine = clip::ClipEngine::open(demo->modelPath, options);
            if (!engine)
                qFatal("%s", engine.error().message.c_str());
            return std::move(engine).value();
        };
        workflow::EncodeOptions encode;
        encode.augmentedViews = 1;
        // Nothing cached yet: automatic means the machine's choice.
        QCOMPARE(workflow::projectPrecision(project.value(), clip::Precision::Auto), clip::Precision::Auto);
        auto fp32 = workflow::encodeProject(project.value(), open(clip::Precision::Float32), encode);
        QVERIFY(fp32);
        // Cached in fp32 (like every project from before precisions): automatic keeps fp32, so a
        // project is never encoded twice just because the default changed; a choice still stands.
        std::string reason;
        QCOMPARE(workflow::projectPrecision(project.value(), clip::Precision::Auto, &reason), clip::Precision::Float32);
        QVERIFY(reason.find("cached") != std::string::npos);
        QCOMPARE(workflow::projectPrecision(project.value(), clip::Precision::BFloat16), clip::Precision::BFloat16);
        QCOMPARE(fp32->precision, std::string("fp32"));
        QCOMPARE(fp32->cacheKey, fp32->modelFingerprint); // projects from before precisions keep their cache
        QVERIFY(fp32->viewsEncoded > 0);

        std::optional<workflow::EncodeEstimate> estimate;
        encode.onEstimate = [&](const workflow::EncodeEstimate& e) { estimate = e; };
        auto bf16 = workflow::encodeProject(project.value(), open(clip::Precision::BFloat16), encode);
        QVERIFY(bf16);
        QCOMPARE(bf16->cacheKey, fp32->modelFingerprint + "@bf16");
        // Nothing of the fp32 cache was reused: every view was encoded again, in bf16.
        QCOMPARE(bf16->viewsEncoded, fp32->viewsEncoded);
        QVERIFY(estimate);
        QCOMPARE(estimate->views, bf16->viewsPlanned);
        QCOMPARE(estimate->views, bf16->viewsEncoded);
        QVERIFY(estimate->viewsPerSecond > 0.0 && estimate->seconds > 0.0);
        QCOMPARE(estimate->precision, std::string("bf16"));

        auto model = project->model();
        QVERIFY(model && model.value());
        QCOMPARE(model.value()->precision(), std::string("bf16"));
        QCOMPARE(workflow::projectPrecision(project.value(), clip::Precision::Auto), clip::Precision::BFloat16);
        QCOMPARE(model.value()->cacheKey(), bf16->cacheKey);

        workflow::RunRequest request;
        request.config.epochs = 1;
        request.config.shots = 2;
        request.config.augmentedViews = 1;
        request.config.device = "cpu";
        auto run = workflow::trainRun(project.value(), request, {}, nullptr);
        QVERIFY2(run, run ? "" : run.error().message.c_str());
        auto record = project->run(run->runId);
        QVERIFY(record && record.value());
        QCOMPARE(record.value()->modelFingerprint, bf16->cacheKey);
        QCOMPARE(record.value()->config.value("precision", std::string()), std::string("bf16"));

        // A second fp32 encode finds its own cache untouched.
        encode.onEstimate = nullptr;
        auto again = workflow::encodeProject(project.value(), open(clip::Precision::Float32), encode);
        QVERIFY(again);
        QCOMPARE(again->viewsEncoded, 0);
    }
};

QTEST_GUILESS_MAIN(TestPrecision)
#include "tst_precision.moc"
