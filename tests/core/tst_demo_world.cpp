// The demo's generated world and toy CLIP: scenes show what their captions say, pretraining
// never sees the held-out combinations, the toy trainer learns, and the demo project is whole.

#include "TestSupport.h"

#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/demo/ToyPretraining.h"
#include "aape/store/Project.h"

#include <opencv2/imgproc.hpp>

#include <QtTest/QtTest>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

using namespace aape;
namespace fs = std::filesystem;

namespace {

// Pixels within a tolerance of the shape colour, as separate blobs.
int countBlobs(const cv::Mat& rgb, const cv::Scalar& colour)
{
    cv::Mat mask;
    cv::inRange(rgb, colour - cv::Scalar::all(45), colour + cv::Scalar::all(45), mask);
    cv::Mat labels, stats, centroids;
    const int components = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
    int blobs = 0;
    for (int i = 1; i < components; ++i)
        blobs += stats.at<int>(i, cv::CC_STAT_AREA) >= 6;
    return blobs;
}

bool contains(const std::string& text, const std::string& word)
{
    return text.find(word) != std::string::npos;
}

} // namespace

class TestDemoWorld final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void renderingIsDeterministic()
    {
        std::mt19937_64 rng(3);
        const auto scene = data::sampleWorldScene(rng, false);
        const cv::Mat a = data::renderWorldScene(scene, 48, 99);
        const cv::Mat b = data::renderWorldScene(scene, 48, 99);
        const cv::Mat c = data::renderWorldScene(scene, 48, 100);
        QCOMPARE(a.size(), cv::Size(48, 48));
        QCOMPARE(a.type(), CV_8UC3);
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(a, c, cv::NORM_INF) > 0.0);
    }

    void sceneShowsItsCount_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("large");
        for (int shape : {0, 1, 2, 3, 5, 6, 7})
            for (int count = 1; count <= 3; ++count)
                for (bool large : {false, true}) {
                    const std::string name = data::worldShapes()[static_cast<std::size_t>(shape)] + " x"
                                             + std::to_string(count) + (large ? " large" : " small");
                    QTest::newRow(name.c_str()) << shape << count << large;
                }
    }

    void sceneShowsItsCount()
    {
        QFETCH(int, shape);
        QFETCH(int, count);
        QFETCH(bool, large);
        data::WorldScene scene;
        scene.shape = shape;
        scene.colour = 0; // red on plain black: easy to segment
        scene.count = count;
        scene.large = large;
        scene.backgroundColour = 0;
        scene.texture = 0;
        const cv::Mat image = data::renderWorldScene(scene, 96, 5 + static_cast<std::uint64_t>(count));
        QCOMPARE(countBlobs(image, cv::Scalar(220, 40, 40)), count);
    }

    void largeShapesCoverMore()
    {
        data::WorldScene scene;
        scene.backgroundColour = 0;
        auto area = [&](bool large) {
            scene.large = large;
            cv::Mat mask;
            cv::inRange(data::renderWorldScene(scene, 48, 1), cv::Scalar(175, 0, 0), cv::Scalar(255, 85, 85), mask);
            return cv::countNonZero(mask);
        };
        QVERIFY(area(true) > 2 * area(false));
    }

    void captionsNameColourShapeAndCount_data()
    {
        QTest::addColumn<int>("seed");
        for (int seed = 0; seed < 12; ++seed)
            QTest::newRow(std::to_string(seed).c_str()) << seed;
    }

    void captionsNameColourShapeAndCount()
    {
        QFETCH(int, seed);
        std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
        const std::vector<std::vector<std::string>> colourWords = {
            {"red", "crimson"},    {"orange"}, {"yellow", "golden"}, {"green"},
            {"cyan", "turquoise"}, {"blue"},   {"purple", "violet"}, {"white"}};
        const std::vector<std::vector<std::string>> shapeWords = {
            {"circle", "disc", "dot"},          {"square", "box"},
            {"triangle", "three-cornered"},     {"star"},
            {"ring", "donut", "hollow circle"}, {"cross", "plus sign"},
            {"hexagon", "six-sided"},           {"diamond", "rhombus"}};
        for (int i = 0; i < 50; ++i) {
            const auto scene = data::sampleWorldScene(rng, false);
            const std::string caption = data::captionWorldScene(scene, rng);
            const auto mentions = [&](const std::vector<std::string>& words) {
                return std::any_of(words.begin(), words.end(),
                                   [&](const std::string& w) { return contains(caption, w); });
            };
            QVERIFY2(mentions(colourWords[static_cast<std::size_t>(scene.colour)]), caption.c_str());
            QVERIFY2(mentions(shapeWords[static_cast<std::size_t>(scene.shape)]), caption.c_str());
            if (scene.count == 2)
                QVERIFY2(mentions({"two ", "pair of "}), caption.c_str());
            if (scene.count == 3)
                QVERIFY2(contains(caption, "three "), caption.c_str());
            if (scene.count == 1)
                QVERIFY2(!mentions({"two ", "three ", "pair of "}), caption.c_str());
        }
    }

    void grammarHasSeveralPhrasingsPerScene()
    {
        std::mt19937_64 rng(1);
        const auto scene = data::sampleWorldScene(rng, false);
        std::set<std::string> captions;
        for (int i = 0; i < 40; ++i)
            captions.insert(data::captionWorldScene(scene, rng));
        QVERIFY(captions.size() >= 10);
    }

    void pretrainingNeverShowsHeldOutCombinations()
    {
        std::mt19937_64 rng(2);
        int heldOut = 0;
        for (int i = 0; i < 5000; ++i) {
            const auto scene = data::sampleWorldScene(rng, true);
            heldOut += data::isHeldOutCombination(scene.shape, scene.colour);
        }
        QCOMPARE(heldOut, 0);
        std::mt19937_64 unrestricted(2);
        for (int i = 0; i < 5000; ++i) {
            const auto scene = data::sampleWorldScene(unrestricted, false);
            heldOut += data::isHeldOutCombination(scene.shape, scene.colour);
        }
        QVERIFY(heldOut > 0);
    }

    void demoClassesAreSortedWithUnseenOnesAmongTheNew()
    {
        const auto& classes = data::demoClasses();
        QCOMPARE(classes.size(), std::size_t(12));
        QVERIFY(std::is_sorted(classes.begin(), classes.end(),
                               [](const data::DemoClass& a, const data::DemoClass& b) { return a.name < b.name; }));
        int unseen = 0;
        for (std::size_t c = 0; c < classes.size(); ++c) {
            const auto& cls = classes[c];
            QCOMPARE(cls.name, data::worldColours()[static_cast<std::size_t>(cls.colour)] + " "
                                   + data::worldShapes()[static_cast<std::size_t>(cls.shape)]);
            QCOMPARE(cls.unseenInPretraining, data::isHeldOutCombination(cls.shape, cls.colour));
            if (cls.unseenInPretraining) {
                QVERIFY2(c >= classes.size() / 2, "classes unseen in pretraining belong to the new half");
                ++unseen;
            }
            const auto distractors = std::count_if(cls.descriptions.begin(), cls.descriptions.end(),
                                                   [](const data::DemoDescription& d) { return d.distractor; });
            QVERIFY(distractors >= 1);
            QVERIFY(cls.descriptions.size() - static_cast<std::size_t>(distractors) >= 3);
            for (const auto& d : cls.descriptions)
                QVERIFY2(!d.distractor || !contains(d.text, data::worldColours()[static_cast<std::size_t>(cls.colour)])
                             || !contains(d.text, data::worldShapes()[static_cast<std::size_t>(cls.shape)]),
                         d.text.c_str());
        }
        QVERIFY(unseen >= 2);
    }

    void demoImagesShowTheirClassColour()
    {
        const auto& classes = data::demoClasses();
        const cv::Mat a = data::renderDemoImage(0, 0, 48);
        QCOMPARE(cv::norm(a, data::renderDemoImage(0, 0, 48), cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(a, data::renderDemoImage(0, 1, 48), cv::NORM_INF) > 0.0);
        QVERIFY(!classes.empty());
    }

    void toyTrainerLearnsAFixedBatch()
    {
        clip::ToyPretrainConfig config;
        config.config.embedDim = 16;
        config.config.vision = {16, 8, 32, 1, 2, 64};
        config.config.text = {40, 8, 32, 1, 2, 64};
        config.steps = 40;
        config.batchSize = 8;
        config.learningRate = 3e-3;
        config.warmupSteps = 1;
        config.weightDecay = 0.0;
        std::mt19937_64 rng(4);
        std::normal_distribution<float> normal;
        clip::ToyBatch fixed;
        for (int i = 0; i < 8 * 3 * 16 * 16; ++i)
            fixed.pixels.push_back(normal(rng));
        for (int i = 0; i < 8; ++i)
            fixed.tokens.push_back({38, 2 + i, 10 + i, 39});
        std::vector<double> losses;
        clip::ToyPretrainCallbacks callbacks;
        callbacks.nextBatch = [&](int, clip::ToyBatch& batch) -> Status {
            batch = fixed;
            return {};
        };
        callbacks.onProgress = [&](const clip::ToyPretrainProgress& p) { losses.push_back(p.loss); };
        test::TempDir dir;
        auto result = clip::pretrainToyClip(config, clip::ImageNormalisation{16}, callbacks, dir.file("clip"));
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().toString().c_str());
        QCOMPARE(static_cast<int>(losses.size()), 40);
        QVERIFY2(losses.back() < 0.5 * losses.front(), std::to_string(losses.back()).c_str());
        QVERIFY(fs::exists(dir.file("clip/model.safetensors")));
        QVERIFY(fs::exists(dir.file("clip/config.json")));
    }

    void toyTrainerRefusesTokensOutsideTheVocabulary()
    {
        clip::ToyPretrainConfig config;
        config.config.embedDim = 16;
        config.config.vision = {16, 8, 32, 1, 2, 64};
        config.config.text = {40, 8, 32, 1, 2, 64};
        config.steps = 2;
        config.batchSize = 2;
        clip::ToyPretrainCallbacks callbacks;
        callbacks.nextBatch = [&](int, clip::ToyBatch& batch) -> Status {
            batch.pixels.assign(2 * 3 * 16 * 16, 0.0f);
            batch.tokens = {{38, 5, 39}, {38, 400, 39}};
            return {};
        };
        test::TempDir dir;
        auto result = clip::pretrainToyClip(config, clip::ImageNormalisation{16}, callbacks, dir.file("clip"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QVERIFY(!fs::exists(dir.file("clip/model.safetensors")));
    }

    void demoProjectIsComplete()
    {
        test::TempDir dir;
        data::ToyClipOptions tiny;
        tiny.steps = 2;
        tiny.batchSize = 8;
        tiny.heldOutImages = 40;
        auto clip = data::pretrainDemoClip(dir.file("clip"), tiny);
        QVERIFY2(clip.ok(), clip.ok() ? "" : clip.error().toString().c_str());
        QVERIFY(fs::exists(dir.file("clip/note.txt")));
        QVERIFY(clip->zeroShotAccuracy >= 0.0 && clip->zeroShotAccuracy <= 1.0);

        data::DemoOptions options;
        options.imagesPerClass = 4;
        options.clipPath = dir.file("clip");
        std::vector<std::string> stages;
        options.progress = [&](const std::string& stage, std::size_t, std::size_t) {
            if (stages.empty() || stages.back() != stage)
                stages.push_back(stage);
        };
        auto demo = data::writeDemoProject(dir.file("demo"), options);
        QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
        QVERIFY(!demo->pretrainedNow);
        QCOMPARE(demo->images.added, 48);
        QVERIFY(std::find(stages.begin(), stages.end(), "images") != stages.end());

        auto engine = clip::ClipEngine::open(demo->modelPath);
        QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().toString().c_str());
        QCOMPARE(engine->info().config.vision.imageSize, options.imageSize);

        auto project = store::Project::open(demo->projectPath);
        QVERIFY(project.ok());
        auto classes = project->classes();
        QVERIFY(classes.ok());
        QCOMPARE(classes->size(), std::size_t(12));
        for (std::size_t c = 0; c < classes->size(); ++c)
            QCOMPARE((*classes)[c].name, data::demoClasses()[c].name);
        auto descriptions = project->descriptions();
        QVERIFY(descriptions.ok());
        std::size_t expected = 0;
        for (const auto& cls : data::demoClasses())
            expected += cls.descriptions.size();
        QCOMPARE(descriptions->size(), expected);

        auto again = data::writeDemoProject(dir.file("demo"), options);
        QVERIFY(!again.ok());
    }
};

QTEST_APPLESS_MAIN(TestDemoWorld)
#include "tst_demo_world.moc"
