// Descriptions that earn their place: on a planted project (embeddings and an aggregator
// written by hand), a description planted on another class's images is flagged
// matches_other_class, one the aggregator leaves out is flagged ignored, a class with one
// description is never "ignored", and the ranking is the mean blended weight computed here
// independently. `describe --flags` prints the same, and `predict --explain` names the
// description nearest an image.

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/store/Project.h"
#include "aape/workflow/DescriptionFlags.h"
#include "aape/workflow/Encode.h"
#include "cli/Cli.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

using namespace aape;

using test::runCli;

namespace {

constexpr int kDim = 32;
const std::string kKey = "planted-fingerprint";

using Vec = std::vector<float>;

void must(const Status& status)
{
    if (!status)
        qFatal("%s", status.error().toString().c_str());
}

Vec scaled(const Vec& v, float s)
{
    Vec out(v);
    for (auto& x : out)
        x *= s;
    return out;
}

Vec plus(const Vec& a, const Vec& b)
{
    Vec out(a);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] += b[i];
    return out;
}

double dotOf(const Vec& a, const Vec& b)
{
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

Vec normalised(const Vec& v)
{
    return scaled(v, float(1.0 / std::sqrt(dotOf(v, v))));
}

// Dense orthonormal directions, all orthogonal to (1, ..., 1): LayerNorm then only rescales
// combinations of them, which keeps the planted aggregator's scores exact.
std::vector<Vec> orthonormalDirections(int count)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<Vec> basis{normalised(Vec(kDim, 1.0f))};
    while (static_cast<int>(basis.size()) < count + 1) {
        Vec v(kDim);
        for (auto& x : v)
            x = normal(rng);
        for (const auto& b : basis)
            v = plus(v, scaled(b, float(-dotOf(v, b))));
        basis.push_back(normalised(v));
    }
    return {basis.begin() + 1, basis.end()};
}

struct Planted {
    std::string path;
    std::int64_t runId = 0;
    std::map<std::string, std::int64_t> classIds;
    std::map<std::string, std::int64_t> descriptionIds;   // by text
    std::map<std::string, Vec> descriptionVectors;        // by text
    std::map<std::string, std::vector<Vec>> imageVectors; // by class
};

// harbor: "a harbour with moored boats" (its own images), "dense green trees" (the forest's
// images): matches_other_class. forest: one description. river: two descriptions along the
// river's images and "a muddy bank" that the aggregator leaves out (its key direction is the
// river's, on which that description is weakest): ignored.
Planted plantProject(const test::TempDir& dir)
{
    Planted p;
    p.path = dir.file("planted.aapeproj");
    auto project = store::Project::create(p.path).value();
    const auto u = orthonormalDirections(12);
    const std::vector<std::string> classNames{"harbor", "forest", "river"};
    store::ModelReference model;
    model.path = dir.file("clip");
    model.format = "hf";
    model.fingerprint = kKey;
    model.info = {{"logit_scale_log", std::log(100.0)}, {"embed_dim", kDim}};
    must(project.setModel(model));
    std::vector<store::TextEmbedding> texts;
    std::vector<store::ImageEmbedding> images;
    std::vector<store::NewImage> newImages;
    for (std::size_t c = 0; c < classNames.size(); ++c) {
        p.classIds[classNames[c]] = project.ensureClass(classNames[c]).value();
        texts.push_back({workflow::templateFor(classNames[c]), u[c]});
        for (int i = 0; i < 4; ++i) {
            const Vec x = normalised(plus(u[c], scaled(u[6 + static_cast<std::size_t>(i)], 0.35f)));
            p.imageVectors[classNames[c]].push_back(x);
            store::NewImage image;
            image.path = dir.file(classNames[c] + std::to_string(i) + ".png");
            image.contentHash = "00000000000000" + std::to_string(c) + std::to_string(i);
            image.classId = p.classIds[classNames[c]];
            image.split = store::Split::Train;
            newImages.push_back(image);
            images.push_back({image.contentHash, 0, x});
        }
    }
    const std::vector<std::tuple<std::string, std::string, Vec>> descriptions{
        {"harbor", "a harbour with moored boats", normalised(plus(u[0], scaled(u[10], 0.2f)))},
        {"harbor", "dense green trees", u[1]},
        {"forest", "a forest seen from above", normalised(plus(u[1], scaled(u[11], 0.2f)))},
        {"river", "a winding river", u[2]},
        {"river", "water between two banks", normalised(plus(u[2], scaled(u[6], 0.2f)))},
        {"river", "a muddy bank", normalised(plus(scaled(u[2], 0.45f), scaled(u[5], 0.9f)))},
    };
    for (const auto& [cls, text, vector] : descriptions) {
        p.descriptionIds[text] = project.addDescription(p.classIds[cls], text, "typed").value();
        p.descriptionVectors[text] = vector;
        texts.push_back({text, vector});
    }
    project.addImages(newImages).value();
    must(project.putImageEmbeddings(kKey, images));
    must(project.putTextEmbeddings(kKey, texts));

    store::FewShotSet set;
    set.shots = 4;
    set.seed = 1;
    for (const auto& image : project.images().value()) {
        set.imageIds.push_back(image.id);
        set.classIds.push_back(*image.classId);
    }
    store::RunSpec spec;
    spec.name = "planted";
    spec.config = {{"method", "aape"}};
    spec.fewShotSetId = project.saveFewShotSet(set).value();
    spec.modelFingerprint = kKey;
    p.runId = project.createRun(spec).value();

    // The aggregator: every head's query and key read the river's direction u[2] only, so a
    // description's score is 2·(u2·LN(p̄))(u2·LN(p_i))/√dh; W_v = 0. h = 0, g = [I | 0].
    const int d = kDim;
    Vec inProj(static_cast<std::size_t>(3 * d * d), 0.0f);
    const int heads = 8, dh = d / heads;
    for (int h = 0; h < heads; ++h)
        for (int j = 0; j < d; ++j) {
            inProj[static_cast<std::size_t>((h * dh) * d + j)] = 2.0f * u[2][static_cast<std::size_t>(j)];
            inProj[static_cast<std::size_t>((d + h * dh) * d + j)] = u[2][static_cast<std::size_t>(j)];
        }
    Vec g(static_cast<std::size_t>(d * 2 * d), 0.0f);
    for (int i = 0; i < d; ++i)
        g[static_cast<std::size_t>(i * 2 * d + i)] = 1.0f;
    const std::vector<NamedTensor> checkpoint{
        {"aggregator.in_proj_weight", {3 * d, d}, inProj},
        {"h.fc1.weight", {d / 16, d}, Vec(static_cast<std::size_t>(d / 16 * d), 0.0f)},
        {"h.fc1.bias", {d / 16}, Vec(static_cast<std::size_t>(d / 16), 0.0f)},
        {"h.fc2.weight", {d, d / 16}, Vec(static_cast<std::size_t>(d * d / 16), 0.0f)},
        {"h.fc2.bias", {d}, Vec(static_cast<std::size_t>(d), 0.0f)},
        {"g.weight", {d, 2 * d}, g},
        {"g.bias", {d}, Vec(static_cast<std::size_t>(d), 0.0f)},
    };
    EpochMetrics metrics;
    metrics.epoch = 0;
    must(project.commitEpoch(p.runId, metrics, checkpoint));
    must(project.setRunStatus(p.runId, store::RunStatus::Finished));
    return p;
}

const workflow::DescriptionFlag* findFlag(const workflow::DescriptionFlagsReport& report, const std::string& text)
{
    for (const auto& cls : report.classes)
        for (const auto& d : cls.descriptions)
            if (d.text == text)
                return &d;
    return nullptr;
}

} // namespace

class TestDescriptionFlags final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plantedFlags();
    void rankingIsTheMeanBlendedWeight();
    void cliPrintsFlagsAndJson();
    void predictExplainNamesTheNearestDescription();
};

void TestDescriptionFlags::plantedFlags()
{
    test::TempDir dir;
    const auto planted = plantProject(dir);
    auto project = store::Project::open(planted.path).value();
    auto report = workflow::describeFlags(project);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->runId, planted.runId);
    QCOMPARE(static_cast<int>(report->classes.size()), 3);

    const auto* trees = findFlag(report.value(), "dense green trees");
    QVERIFY(trees);
    QVERIFY(trees->matchesOtherClass);
    QCOMPARE(trees->otherClass, std::string("forest"));
    QVERIFY2(trees->otherCosine > trees->ownCosine + 0.5, QByteArray::number(trees->otherCosine));
    QVERIFY(!trees->ignored); // two descriptions the aggregator cannot tell apart: 0.5 each
    QVERIFY(std::abs(trees->ownWeight - 0.5) < 1e-3);

    const auto* mud = findFlag(report.value(), "a muddy bank");
    QVERIFY(mud);
    QVERIFY(mud->ignored);
    QVERIFY2(mud->ownWeight < 0.01, QByteArray::number(mud->ownWeight));
    QVERIFY(!mud->matchesOtherClass);

    const auto* forest = findFlag(report.value(), "a forest seen from above");
    QVERIFY(forest);
    QCOMPARE(forest->ownWeight, 1.0);
    QVERIFY(!forest->flagged()); // a class's only description is never "ignored"

    for (const char* fine : {"a harbour with moored boats", "a winding river", "water between two banks"}) {
        const auto* flag = findFlag(report.value(), fine);
        QVERIFY(flag);
        QVERIFY2(!flag->flagged(), fine);
    }
    QCOMPARE(report->flaggedCount(), 2);
    double sum = 0.0;
    for (const auto& d : report->classes[2].descriptions)
        sum += d.ownWeight;
    QVERIFY(std::abs(sum - 1.0) < 1e-4);
}

void TestDescriptionFlags::rankingIsTheMeanBlendedWeight()
{
    test::TempDir dir;
    const auto planted = plantProject(dir);
    auto project = store::Project::open(planted.path).value();
    auto report = workflow::describeFlags(project, planted.runId);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    for (const auto& cls : report->classes) {
        // Independently: per training image, own weight × softmax(100·cos) renormalised, averaged.
        const auto& images = planted.imageVectors.at(cls.className);
        std::map<std::string, double> mean;
        for (const auto& x : images) {
            std::vector<double> w;
            double maxLogit = -1e30;
            for (const auto& d : cls.descriptions)
                maxLogit = std::max(maxLogit, 100.0 * dotOf(x, planted.descriptionVectors.at(d.text)));
            double total = 0.0;
            for (const auto& d : cls.descriptions) {
                w.push_back(d.ownWeight * std::exp(100.0 * dotOf(x, planted.descriptionVectors.at(d.text)) - maxLogit));
                total += w.back();
            }
            for (std::size_t j = 0; j < w.size(); ++j)
                mean[cls.descriptions[j].text] += w[j] / total / images.size();
        }
        std::vector<std::string> expected;
        for (const auto& [text, weight] : mean)
            expected.push_back(text);
        std::stable_sort(expected.begin(), expected.end(),
                         [&](const auto& a, const auto& b) { return mean[a] > mean[b]; });
        for (std::size_t j = 0; j < cls.descriptions.size(); ++j) {
            QCOMPARE(cls.descriptions[j].text, expected[j]);
            QCOMPARE(cls.descriptions[j].rank, static_cast<int>(j) + 1);
            QVERIFY(std::abs(cls.descriptions[j].meanImageWeight - mean[expected[j]]) < 1e-4);
        }
    }
    // The river: the two descriptions along its images lead, the ignored one comes last.
    QCOMPARE(report->classes[2].descriptions.back().text, std::string("a muddy bank"));
}

void TestDescriptionFlags::cliPrintsFlagsAndJson()
{
    test::TempDir dir;
    const auto planted = plantProject(dir);
    auto text = runCli({"describe", planted.path, "--flags"});
    QVERIFY2(text.code == 0, text.err.c_str());
    QVERIFY2(text.out.find("! ") != std::string::npos, text.out.c_str());
    QVERIFY2(text.out.find("ignored: the aggregator gives it") != std::string::npos, text.out.c_str());
    QVERIFY2(text.out.find("matches another class: it is closer to forest's images") != std::string::npos,
             text.out.c_str());
    QVERIFY2(text.out.find("2 flagged descriptions") != std::string::npos, text.out.c_str());

    auto json = runCli({"describe", planted.path, "--flags", "--json", "--run", std::to_string(planted.runId)});
    QVERIFY2(json.code == 0, json.err.c_str());
    const auto parsed = nlohmann::json::parse(json.out);
    QCOMPARE(parsed["flagged"].get<int>(), 2);
    bool sawIgnored = false;
    for (const auto& cls : parsed["classes"])
        for (const auto& d : cls["descriptions"])
            if (d["text"] == "a muddy bank") {
                sawIgnored = d["ignored"].get<bool>();
                QCOMPARE(d["flags"].size(), std::size_t{1});
            }
    QVERIFY(sawIgnored);

    auto noRun = runCli({"describe", planted.path, "--flags", "--run", "99"});
    QVERIFY(noRun.code != 0);
    QVERIFY2(noRun.err.find("no run 99") != std::string::npos, noRun.err.c_str());
}

void TestDescriptionFlags::predictExplainNamesTheNearestDescription()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 4);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    auto trained = runCli({"train", demo->projectPath, "--epochs", "1", "--shots", "2", "--views", "1"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    const std::string bundle = dir.file("run.aape.safetensors");
    auto exported = runCli({"export", demo->projectPath, "--run", "1", "--out", bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());

    // Independently: the description whose cached embedding is nearest the image's.
    auto project = store::Project::open(demo->projectPath).value();
    const auto key = project.model().value()->cacheKey();
    const auto image = project.images().value().front();
    const auto x = project.imageEmbeddings(key, {image.contentHash}, 0).value().values;
    std::map<std::int64_t, std::string> classOf;
    for (const auto& cls : project.classes().value())
        classOf[cls.id] = cls.name;
    std::string best;
    double bestCosine = -2.0;
    for (const auto& d : project.descriptions().value()) {
        const auto p = project.textEmbeddings(key, {d.text}).value().values;
        const double cosine = dotOf(x, p) / std::sqrt(dotOf(x, x) * dotOf(p, p));
        if (cosine > bestCosine) {
            bestCosine = cosine;
            best = d.text + " (" + classOf[d.classId] + ")";
        }
    }
    QVERIFY(!best.empty());

    // In the precision the project was encoded in, so that the image's embedding is the cached one.
    const auto precision = project.model().value()->precision();
    auto explained = runCli({"predict", "--bundle", bundle, "--model", demo->modelPath, "--precision", precision,
                             "--explain", "--project", demo->projectPath, image.path});
    QVERIFY2(explained.code == 0, explained.err.c_str());
    QVERIFY2(explained.out.find("  looks like: " + best + ", ") != std::string::npos,
             (explained.out + " expected " + best).c_str());

    auto json = runCli({"predict", "--bundle", bundle, "--model", demo->modelPath, "--precision", precision,
                        "--explain", "--project", demo->projectPath, "--json", image.path});
    QVERIFY2(json.code == 0, json.err.c_str());
    const auto line = nlohmann::json::parse(json.out.substr(0, json.out.find('\n')));
    QCOMPARE(line["looks_like"].size(), std::size_t{3});
    const auto first = line["looks_like"][0];
    QCOMPARE(first["description"].get<std::string>() + " (" + first["class"].get<std::string>() + ")", best);

    auto withoutProject = runCli({"predict", "--bundle", bundle, "--model", demo->modelPath, "--explain", image.path});
    QVERIFY(withoutProject.code != 0);
}

QTEST_GUILESS_MAIN(TestDescriptionFlags)
#include "tst_description_flags.moc"
