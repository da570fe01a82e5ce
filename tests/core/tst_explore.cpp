// Exploring the collection over the cached embeddings: similar images (equal to a brute-force
// search done here, also for a phrase and an outside image through a real CLIP), near-duplicates
// (planted copies found, the ones across splits flagged and excludable), label mistakes (flipped
// labels of a generated project ranked first), what to label next (uncertain and diverse images
// preferred on a planted case), the PCA map and the error without embeddings.

#include "ImageFixtures.h"
#include "PlantedEmbeddings.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/explore/LabelQuality.h"
#include "aape/explore/Projection.h"
#include "aape/explore/Similarity.h"
#include "aape/store/Project.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

using namespace aape;

namespace {

constexpr int kDim = test::kPlantedDim;
using test::around;
using test::normalised;
using test::PlantedProject;

std::vector<float> randomDirection(std::mt19937_64& rng)
{
    return test::randomDirection(rng);
}

std::vector<float> mix(const std::vector<float>& a, float wa, const std::vector<float>& b, float wb)
{
    std::vector<float> v(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        v[i] = wa * a[i] + wb * b[i];
    return normalised(v);
}

double dot(const float* a, const float* b, int dim)
{
    double sum = 0.0;
    for (int i = 0; i < dim; ++i)
        sum += static_cast<double>(a[i]) * b[i];
    return sum;
}

// Brute force: every image of the collection by cosine with `query`, best first (ties by index).
std::vector<std::pair<std::size_t, double>> bruteForceRanking(const explore::EmbeddedCollection& collection,
                                                              const std::vector<float>& query,
                                                              std::optional<std::size_t> skip = std::nullopt)
{
    std::vector<std::pair<std::size_t, double>> all;
    for (std::size_t i = 0; i < collection.size(); ++i)
        if (!skip || *skip != i)
            all.push_back({i, dot(collection.row(i), query.data(), collection.dim)});
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return all;
}

void writeRgbPng(const cv::Mat& rgb, const std::string& path)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    QVERIFY(cv::imwrite(path, bgr));
}

} // namespace

class TestExplore final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void similarEqualsBruteForce();
    void similarByTextAndOutsideImageThroughClip();
    void plantedNearDuplicatesFoundAndCrossSplitExcluded();
    void flippedLabelsRankFirst();
    void suggestPrefersUncertainAndDiverse();
    void suggestFollowsTheNewestRun();
    void pcaFollowsThePlantedAxes();
    void tsneKeepsNeighboursAndIsCachedUntilTheEmbeddingsChange();
    void noEmbeddingsSaysHowToEncode();
};

void TestExplore::similarEqualsBruteForce()
{
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(7);
    const auto cls = planted.addClass("harbour");
    std::vector<std::string> paths;
    for (int i = 0; i < 300; ++i)
        paths.push_back(planted.addImage(randomDirection(rng),
                                         i % 3 == 0 ? std::optional<std::int64_t>(cls) : std::nullopt,
                                         i % 5 == 0 ? store::Split::Test : store::Split::Train));
    QVERIFY(planted.commit());

    auto collection = explore::loadCollection(planted.project());
    QVERIFY(collection.ok());
    QCOMPARE(collection->size(), std::size_t{300});
    const auto query = randomDirection(rng);
    const auto found = explore::nearestImages(collection.value(), query, 15);
    const auto expected = bruteForceRanking(collection.value(), query);
    QCOMPARE(found.size(), std::size_t{15});
    for (std::size_t i = 0; i < found.size(); ++i) {
        QCOMPARE(found[i].index, expected[i].first);
        QVERIFY(std::abs(found[i].cosine - expected[i].second) < 1e-5);
    }

    // The CLI with an image of the project: itself left out, the rest as brute force has it.
    const std::size_t queryIndex = 42;
    const auto self = collection->indexOfPath(paths[queryIndex]);
    QVERIFY(self >= 0);
    const float* row = collection->row(static_cast<std::size_t>(self));
    const auto expectedFromImage =
        bruteForceRanking(collection.value(), std::vector<float>(row, row + kDim), static_cast<std::size_t>(self));
    const auto cli =
        test::runCli({"similar", dir.file("p.aapeproj"), "--image", paths[queryIndex], "--k", "7", "--json"});
    QVERIFY2(cli.code == 0, cli.err.c_str());
    const auto json = nlohmann::json::parse(cli.out);
    QCOMPARE(json.size(), std::size_t{7});
    for (std::size_t i = 0; i < json.size(); ++i) {
        QCOMPARE(QString::fromStdString(json[i]["path"].get<std::string>()),
                 QString::fromStdString(collection->images[expectedFromImage[i].first].path));
        QVERIFY(std::abs(json[i]["cosine"].get<double>() - expectedFromImage[i].second) < 1e-5);
        QVERIFY(i == 0 || json[i]["cosine"].get<double>() <= json[i - 1]["cosine"].get<double>());
    }

    const auto table = test::runCli({"similar", dir.file("p.aapeproj"), "--image", paths[queryIndex], "--k", "3"});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.find(collection->images[expectedFromImage[0].first].path) != std::string::npos);
    const auto noQuery = test::runCli({"similar", dir.file("p.aapeproj")});
    QCOMPARE(noQuery.code, 1);
    QVERIFY(noQuery.err.find("--image FILE or --text") != std::string::npos);
}

void TestExplore::similarByTextAndOutsideImageThroughClip()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 3);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());

    // Nothing is encoded yet: the command encodes every image's canonical view first.
    const auto byText =
        test::runCli({"similar", demo->projectPath, "--text", "a red circle on grey", "--k", "5", "--json"});
    QVERIFY2(byText.code == 0, byText.err.c_str());
    QVERIFY(byText.err.find("encoded") != std::string::npos);

    auto project = store::Project::open(demo->projectPath).value();
    auto collection = explore::loadCollection(project);
    QVERIFY(collection.ok());
    QCOMPARE(collection->notEncoded, 0);
    QCOMPARE(static_cast<int>(collection->size()), project.countImages().value());
    auto engine = clip::ClipEngine::open(project.model().value()->path).value();

    auto text = engine.encodeTexts({"a red circle on grey"}).value();
    const auto expected = bruteForceRanking(collection.value(), normalised(text));
    auto json = nlohmann::json::parse(byText.out);
    QCOMPARE(json.size(), std::size_t{5});
    for (std::size_t i = 0; i < json.size(); ++i) {
        QCOMPARE(QString::fromStdString(json[i]["path"].get<std::string>()),
                 QString::fromStdString(collection->images[expected[i].first].path));
        QVERIFY(std::abs(json[i]["cosine"].get<double>() - expected[i].second) < 1e-4);
    }

    // An image from outside the project is embedded on the spot.
    const std::string outside = dir.file("outside.png");
    writeRgbPng(test::photoLikeImage(48, 40, 3), outside);
    const auto byImage = test::runCli({"similar", demo->projectPath, "--image", outside, "--k", "4", "--json"});
    QVERIFY2(byImage.code == 0, byImage.err.c_str());
    cv::Mat bgr = cv::imread(outside, cv::IMREAD_COLOR), rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    const auto image = normalised(engine.encodeImages({rgb}).value());
    const auto expectedImage = bruteForceRanking(collection.value(), image);
    json = nlohmann::json::parse(byImage.out);
    QCOMPARE(json.size(), std::size_t{4});
    for (std::size_t i = 0; i < json.size(); ++i) {
        QCOMPARE(QString::fromStdString(json[i]["path"].get<std::string>()),
                 QString::fromStdString(collection->images[expectedImage[i].first].path));
        QVERIFY(std::abs(json[i]["cosine"].get<double>() - expectedImage[i].second) < 1e-4);
    }
}

void TestExplore::plantedNearDuplicatesFoundAndCrossSplitExcluded()
{
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(11);
    std::vector<std::int64_t> classes;
    std::vector<std::vector<float>> centres;
    for (int c = 0; c < 4; ++c) {
        classes.push_back(planted.addClass("class " + std::to_string(c)));
        centres.push_back(randomDirection(rng));
    }
    std::vector<std::vector<float>> originals;
    std::vector<std::string> originalPaths;
    for (int i = 0; i < 160; ++i) {
        originals.push_back(around(centres[static_cast<std::size_t>(i % 4)], 0.12f, rng));
        originalPaths.push_back(planted.addImage(originals.back(), classes[static_cast<std::size_t>(i % 4)],
                                                 i % 4 == 3 ? store::Split::Test : store::Split::Train));
    }
    // Planted copies: two within the training images, three test copies of training images.
    std::set<std::pair<std::string, std::string>> plantedPairs;
    std::set<std::string> testCopies;
    const std::vector<std::pair<int, store::Split>> copies = {{0, store::Split::Train},
                                                              {5, store::Split::Train},
                                                              {9, store::Split::Test},
                                                              {14, store::Split::Test},
                                                              {21, store::Split::Test}};
    for (const auto& [original, split] : copies) {
        const auto path = planted.addImage(around(originals[static_cast<std::size_t>(original)], 0.01f, rng),
                                           classes[static_cast<std::size_t>(original % 4)], split);
        plantedPairs.insert({originalPaths[static_cast<std::size_t>(original)], path});
        if (split == store::Split::Test)
            testCopies.insert(path);
    }
    QVERIFY(planted.commit());

    auto collection = explore::loadCollection(planted.project()).value();
    auto pairs = explore::findNearDuplicates(collection, 0.97f);
    QVERIFY(pairs.ok());
    // Brute force over every pair agrees with the tiled search, and finds the planted pairs only.
    std::set<std::pair<std::string, std::string>> bruteForce;
    for (std::size_t i = 0; i < collection.size(); ++i)
        for (std::size_t j = i + 1; j < collection.size(); ++j)
            if (dot(collection.row(i), collection.row(j), kDim) >= 0.97)
                bruteForce.insert({collection.images[i].path, collection.images[j].path});
    QCOMPARE(bruteForce, plantedPairs);
    std::set<std::pair<std::string, std::string>> found;
    int crossing = 0;
    for (const auto& pair : pairs.value()) {
        found.insert({collection.images[pair.first].path, collection.images[pair.second].path});
        const bool expectCross = testCopies.count(collection.images[pair.second].path) > 0;
        QCOMPARE(pair.crossesSplit, expectCross);
        crossing += pair.crossesSplit;
    }
    QCOMPARE(found, plantedPairs);
    QCOMPARE(crossing, 3);
    for (std::size_t i = 1; i < pairs->size(); ++i)
        QVERIFY(pairs.value()[i].cosine <= pairs.value()[i - 1].cosine);

    // The CLI lists the same pairs, and excludes the test side of the crossing ones on request.
    const auto json = test::runCli({"duplicates", dir.file("p.aapeproj"), "--json"});
    QVERIFY2(json.code == 0, json.err.c_str());
    const auto rows = nlohmann::json::parse(json.out);
    QCOMPARE(rows.size(), std::size_t{5});
    int jsonCrossing = 0;
    for (const auto& row : rows)
        jsonCrossing += row["cross_split"].get<bool>();
    QCOMPARE(jsonCrossing, 3);
    const auto exclude = test::runCli({"duplicates", dir.file("p.aapeproj"), "--exclude-cross-split"});
    QVERIFY2(exclude.code == 0, exclude.err.c_str());
    QVERIFY(exclude.out.find("3 across splits") != std::string::npos);
    auto reopened = store::Project::open(dir.file("p.aapeproj")).value();
    for (const auto& image : reopened.images().value())
        QCOMPARE(image.excluded, testCopies.count(image.path) > 0);
    const auto after = test::runCli({"duplicates", dir.file("p.aapeproj"), "--json"});
    QCOMPARE(nlohmann::json::parse(after.out).size(), std::size_t{2});
}

void TestExplore::flippedLabelsRankFirst()
{
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(3);
    const int classCount = 5;
    std::vector<std::int64_t> classes;
    std::vector<std::vector<float>> centres;
    for (int c = 0; c < classCount; ++c) {
        classes.push_back(planted.addClass("class " + std::to_string(c)));
        centres.push_back(randomDirection(rng));
    }
    std::set<std::string> flipped;
    for (int i = 0; i < 200; ++i) {
        const int trueClass = i % classCount;
        int label = trueClass;
        if (i % 25 == 7) { // 8 planted mistakes: the label of the next class
            label = (trueClass + 1) % classCount;
        }
        const auto path = planted.addImage(around(centres[static_cast<std::size_t>(trueClass)], 0.15f, rng),
                                           classes[static_cast<std::size_t>(label)],
                                           i % 10 == 0 ? store::Split::Test : store::Split::Train);
        if (label != trueClass)
            flipped.insert(path);
    }
    // Unlabelled images are not judged.
    planted.addImage(randomDirection(rng), std::nullopt);
    QVERIFY(planted.commit());
    QCOMPARE(flipped.size(), std::size_t{8});

    auto collection = explore::loadCollection(planted.project()).value();
    auto ranked = explore::rankLabelMistakes(collection);
    QVERIFY(ranked.ok());
    QCOMPARE(ranked->size(), std::size_t{200});
    for (std::size_t i = 0; i < flipped.size(); ++i) {
        const auto& m = ranked.value()[i];
        QVERIFY2(flipped.count(collection.images[m.index].path) == 1,
                 qPrintable(QString("rank %1 is not a planted mistake").arg(i)));
        QVERIFY(m.suggestedClassId != m.givenClassId);
        // The suggestion is the image's true class: the one after the given label's.
        const auto given = std::find(classes.begin(), classes.end(), m.givenClassId) - classes.begin();
        QCOMPARE(m.suggestedClassId, classes[static_cast<std::size_t>((given + classCount - 1) % classCount)]);
    }
    // The confident-learning flag is conservative (the temperature is fitted on the noisy labels):
    // it marks most planted mistakes and hardly any right label.
    int flaggedMistakes = 0, flaggedRight = 0;
    for (const auto& m : ranked.value())
        (flipped.count(collection.images[m.index].path) ? flaggedMistakes : flaggedRight) += m.likelyError;
    QVERIFY2(flaggedMistakes >= 4 && flaggedRight <= 2,
             qPrintable(QString("%1 mistakes and %2 right labels flagged").arg(flaggedMistakes).arg(flaggedRight)));
    for (std::size_t i = 1; i < ranked->size(); ++i)
        QVERIFY(ranked.value()[i].givenProbability >= ranked.value()[i - 1].givenProbability);

    const auto cli = test::runCli({"mistakes", dir.file("p.aapeproj"), "--top", "8", "--json"});
    QVERIFY2(cli.code == 0, cli.err.c_str());
    std::set<std::string> listed;
    for (const auto& row : nlohmann::json::parse(cli.out))
        listed.insert(row["path"].get<std::string>());
    QCOMPARE(listed, flipped);
}

void TestExplore::suggestPrefersUncertainAndDiverse()
{
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(5);
    const auto a = randomDirection(rng);
    const auto b = randomDirection(rng);
    const auto side = randomDirection(rng);
    const auto classA = planted.addClass("a");
    const auto classB = planted.addClass("b");
    for (int i = 0; i < 20; ++i) {
        planted.addImage(around(a, 0.08f, rng), classA);
        planted.addImage(around(b, 0.08f, rng), classB);
    }
    std::set<std::string> easy, tight, apart;
    for (int i = 0; i < 10; ++i) {
        easy.insert(planted.addImage(around(a, 0.08f, rng), std::nullopt));
        easy.insert(planted.addImage(around(b, 0.08f, rng), std::nullopt));
    }
    // The most uncertain images all sit in one tight spot halfway between the classes; a second
    // group, a little less uncertain, lies halfway too but far from the first.
    const auto middle = mix(a, 1.0f, b, 1.0f);
    for (int i = 0; i < 6; ++i)
        tight.insert(planted.addImage(around(middle, 0.002f, rng), std::nullopt));
    const auto elsewhere = mix(mix(a, 1.0f, b, 0.85f), 1.0f, side, 1.2f);
    for (int i = 0; i < 6; ++i)
        apart.insert(planted.addImage(around(elsewhere, 0.002f, rng), std::nullopt));
    QVERIFY(planted.commit());

    auto collection = explore::loadCollection(planted.project()).value();
    explore::SuggestOptions options;
    options.count = 2;
    auto report = explore::suggestImagesToLabel(collection, options);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().message.c_str());
    QCOMPARE(report->unlabelled, 32);
    QCOMPARE(report->suggestions.size(), std::size_t{2});
    const auto first = collection.images[report->suggestions[0].index].path;
    const auto second = collection.images[report->suggestions[1].index].path;
    // One from each uncertain spot: after the first pick, its neighbours are no longer far from
    // everything chosen.
    QVERIFY2((tight.count(first) == 1 && apart.count(second) == 1)
                 || (apart.count(first) == 1 && tight.count(second) == 1),
             "the two picks come from the two uncertain spots, not twice from one");

    // Uncertainty alone would have picked twice from the tight spot: the planted case needs diversity.
    std::vector<std::pair<float, std::string>> byUncertainty;
    explore::SuggestOptions all;
    all.count = 32;
    const auto everything = explore::suggestImagesToLabel(collection, all).value();
    float easiest = 1.0f;
    for (const auto& s : everything.suggestions) {
        byUncertainty.push_back({s.uncertainty, collection.images[s.index].path});
        if (easy.count(collection.images[s.index].path))
            easiest = std::min(easiest, s.uncertainty);
    }
    std::sort(byUncertainty.rbegin(), byUncertainty.rend());
    QVERIFY(tight.count(byUncertainty[0].second) == 1 && tight.count(byUncertainty[1].second) == 1);
    for (const auto& s : report->suggestions)
        QVERIFY(s.uncertainty > 0.5f);
    float hardestEasy = 0.0f;
    for (const auto& [u, path] : byUncertainty)
        if (easy.count(path))
            hardestEasy = std::max(hardestEasy, u);
    QVERIFY(hardestEasy < 0.2f);
    QVERIFY(easiest <= hardestEasy);

    const auto cli = test::runCli({"suggest", dir.file("p.aapeproj"), "--k", "2", "--json"});
    QVERIFY2(cli.code == 0, cli.err.c_str());
    const auto rows = nlohmann::json::parse(cli.out);
    QCOMPARE(rows.size(), std::size_t{2});
    QCOMPARE(QString::fromStdString(rows[0]["path"].get<std::string>()), QString::fromStdString(first));
    QCOMPARE(QString::fromStdString(rows[1]["path"].get<std::string>()), QString::fromStdString(second));
}

void TestExplore::suggestFollowsTheNewestRun()
{
    // A trained run on the tiny demo; eight test images lose their labels. `aape suggest` ranks
    // them by the run's own uncertainty: the bundle of that run applied to the cached embeddings,
    // computed again here.
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    const std::string path = demo->projectPath;
    auto trained = test::runCli({"train", path, "--epochs", "3", "--views", "0", "--precision", "fp32"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    std::set<std::int64_t> unlabelled;
    {
        auto project = store::Project::open(path).value();
        for (const auto& image : project.images().value())
            if (image.split == store::Split::Test && unlabelled.size() < 8) {
                QVERIFY(project.setImageLabel(image.id, std::nullopt).ok());
                unlabelled.insert(image.id);
            }
    }
    auto suggested = test::runCli({"suggest", path, "--k", "5", "--json"});
    QVERIFY2(suggested.code == 0, suggested.err.c_str());
    QVERIFY2(suggested.err.find("uncertainty of run 1") != std::string::npos, suggested.err.c_str());
    const auto rows = nlohmann::json::parse(suggested.out);
    QCOMPARE(rows.size(), std::size_t{5});

    const std::string bundlePath = dir.file("run1.aape.safetensors");
    auto exported = test::runCli({"export", path, "--run", "1", "--out", bundlePath});
    QVERIFY2(exported.code == 0, exported.err.c_str());
    auto bundle = Bundle::load(bundlePath);
    QVERIFY(bundle);
    auto project = store::Project::open(path, store::OpenMode::ReadOnly).value();
    auto collection = explore::loadCollection(project).value();
    for (const auto& row : rows) {
        const auto index = collection.indexOfPath(row["path"].get<std::string>());
        QVERIFY(index >= 0);
        QVERIFY(unlabelled.count(collection.images[static_cast<std::size_t>(index)].id));
        const float* e = collection.row(static_cast<std::size_t>(index));
        auto logits = predict(bundle.value(), std::vector<float>(e, e + collection.dim));
        QVERIFY(logits);
        std::vector<double> p(logits->begin(), logits->end());
        const double top = *std::max_element(p.begin(), p.end());
        double sum = 0.0;
        for (double& x : p)
            sum += x = std::exp(x - top);
        for (double& x : p)
            x /= sum;
        std::vector<std::size_t> order(p.size());
        for (std::size_t c = 0; c < order.size(); ++c)
            order[c] = c;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
        QCOMPARE(row["predicted"].get<std::string>(), bundle->classNames[order[0]]);
        QVERIFY(std::abs(row["uncertainty"].get<double>() - (1.0 - (p[order[0]] - p[order[1]]))) < 1e-4);
        QVERIFY(std::abs(row["probability"].get<double>() - p[order[0]]) < 1e-4);
    }

    // Asked for, or without a run, a model fitted on the embeddings judges instead.
    auto fitted = test::runCli({"suggest", path, "--k", "5", "--json", "--embedding-model"});
    QVERIFY2(fitted.code == 0, fitted.err.c_str());
    QVERIFY2(fitted.err.find("uncertainty of run") == std::string::npos, fitted.err.c_str());
    QVERIFY(nlohmann::json::parse(fitted.out) != rows);
}

void TestExplore::pcaFollowsThePlantedAxes()
{
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(9);
    // Orthonormal base, major and minor directions.
    std::vector<std::vector<float>> basis;
    while (basis.size() < 3) {
        auto v = randomDirection(rng);
        for (const auto& u : basis) {
            const double p = dot(v.data(), u.data(), kDim);
            for (int k = 0; k < kDim; ++k)
                v[static_cast<std::size_t>(k)] -= static_cast<float>(p) * u[static_cast<std::size_t>(k)];
        }
        basis.push_back(normalised(v));
    }
    std::normal_distribution<float> major(0.0f, 0.3f), minor(0.0f, 0.1f), noise(0.0f, 0.003f);
    std::vector<float> majorValues, minorValues;
    for (int i = 0; i < 400; ++i) {
        const float s = major(rng), t = minor(rng);
        std::vector<float> v(kDim);
        for (int k = 0; k < kDim; ++k) {
            const auto kk = static_cast<std::size_t>(k);
            v[kk] = basis[0][kk] + s * basis[1][kk] + t * basis[2][kk] + noise(rng);
        }
        majorValues.push_back(s);
        minorValues.push_back(t);
        planted.addImage(normalised(v), std::nullopt);
    }
    QVERIFY(planted.commit());
    auto collection = explore::loadCollection(planted.project()).value();
    auto projection = explore::pcaProjection(collection);
    QVERIFY(projection.ok());
    QCOMPARE(projection->xy.size(), std::size_t{800});
    QVERIFY(projection->explainedVariance > 0.9);
    const auto correlation = [&](int axis, const std::vector<float>& truth) {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        const double n = static_cast<double>(truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i) {
            const double x = projection->xy[i * 2 + static_cast<std::size_t>(axis)], y = truth[i];
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        return (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    };
    QVERIFY2(std::abs(correlation(0, majorValues)) > 0.97, qPrintable(QString::number(correlation(0, majorValues))));
    QVERIFY2(std::abs(correlation(1, minorValues)) > 0.9, qPrintable(QString::number(correlation(1, minorValues))));
}

void TestExplore::tsneKeepsNeighboursAndIsCachedUntilTheEmbeddingsChange()
{
    // Five planted clusters; PCA squeezes them into two dimensions, t-SNE must keep each image's
    // nearest neighbour on the map inside its cluster.
    test::TempDir dir;
    PlantedProject planted(dir.file("p.aapeproj"));
    std::mt19937_64 rng(17);
    std::vector<std::int64_t> classes;
    std::vector<std::vector<float>> centres;
    for (int c = 0; c < 5; ++c) {
        classes.push_back(planted.addClass("class " + std::to_string(c)));
        centres.push_back(randomDirection(rng));
    }
    for (int i = 0; i < 300; ++i)
        planted.addImage(around(centres[static_cast<std::size_t>(i % 5)], 0.25f, rng),
                         classes[static_cast<std::size_t>(i % 5)]);
    QVERIFY(planted.commit());
    auto collection = explore::loadCollection(planted.project()).value();
    const auto classOf = [&](std::size_t i) { return *collection.images[i].classId; };
    const auto neighbourAgreement = [&](const std::vector<float>& xy) {
        int agree = 0;
        for (std::size_t i = 0; i < collection.size(); ++i) {
            double best = std::numeric_limits<double>::max();
            std::size_t nearest = i;
            for (std::size_t j = 0; j < collection.size(); ++j) {
                if (j == i)
                    continue;
                const double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
                if (dx * dx + dy * dy < best) {
                    best = dx * dx + dy * dy;
                    nearest = j;
                }
            }
            agree += classOf(nearest) == classOf(i) ? 1 : 0;
        }
        return double(agree) / double(collection.size());
    };

    std::vector<std::string> stages;
    explore::TsneOptions options;
    options.progress = [&](const std::string& stage, std::size_t, std::size_t) {
        if (stages.empty() || stages.back() != stage)
            stages.push_back(stage);
    };
    auto tsne = explore::tsneProjection(collection, options);
    QVERIFY2(tsne, tsne ? "" : tsne.error().toString().c_str());
    QCOMPARE(tsne->xy.size(), 2 * collection.size());
    QCOMPARE(stages, (std::vector<std::string>{"neighbours", "layout"}));
    const double tsneAgreement = neighbourAgreement(tsne->xy);
    const double pcaAgreement = neighbourAgreement(explore::pcaProjection(collection)->xy);
    qInfo("nearest neighbour on the map in the same cluster: t-SNE %.3f, PCA %.3f", tsneAgreement, pcaAgreement);
    QVERIFY2(tsneAgreement >= 0.93, std::to_string(tsneAgreement).c_str());
    QVERIFY2(tsneAgreement > pcaAgreement + 0.15,
             (std::to_string(tsneAgreement) + " vs PCA " + std::to_string(pcaAgreement)).c_str());
    // Deterministic: the same collection gives the same map.
    auto again = explore::tsneProjection(collection);
    QVERIFY(again);
    QVERIFY(again->xy == tsne->xy);

    // Kept in the project until the embeddings change.
    QVERIFY(!explore::cachedTsne(planted.project(), collection));
    QVERIFY(explore::storeTsne(planted.project(), collection, tsne.value()).ok());
    auto cached = explore::cachedTsne(planted.project(), collection);
    QVERIFY(cached);
    QCOMPARE(cached->size(), tsne->xy.size());
    for (std::size_t i = 0; i < cached->size(); ++i)
        QCOMPARE((*cached)[i], tsne->xy[i]);
    QVERIFY(!explore::cachedTsne(planted.project(), collection, 10.0)); // another perplexity
    QVERIFY(planted.project().setImageExcluded(collection.images[3].id, true).ok());
    auto changed = explore::loadCollection(planted.project()).value();
    QVERIFY(!explore::cachedTsne(planted.project(), changed));

    // Stop: a Cancelled error, nothing else.
    options.stop = std::make_shared<StopToken>();
    options.stop->request();
    auto stoppedMap = explore::tsneProjection(collection, options);
    QVERIFY(!stoppedMap);
    QCOMPARE(stoppedMap.error().code, ErrorCode::Cancelled);
}

void TestExplore::noEmbeddingsSaysHowToEncode()
{
    test::TempDir dir;
    const std::string path = dir.file("empty.aapeproj");
    {
        auto project = store::Project::create(path).value();
        auto cls = project.ensureClass("harbour").value();
        store::NewImage image;
        image.path = "/planted/a.png";
        image.contentHash = "00000000000000aa";
        image.classId = cls;
        QVERIFY(project.addImages({image}).ok());
        auto collection = explore::loadCollection(project);
        QVERIFY(!collection.ok());
        QVERIFY(collection.error().message.find("aape encode " + path) != std::string::npos);
    }
    // The CLI cannot encode without a CLIP: it says so instead of listing nothing.
    const auto cli = test::runCli({"mistakes", path});
    QCOMPARE(cli.code, 1);
    QVERIFY2(cli.err.find("--model") != std::string::npos, cli.err.c_str());
}

QTEST_GUILESS_MAIN(TestExplore)
#include "tst_explore.moc"
