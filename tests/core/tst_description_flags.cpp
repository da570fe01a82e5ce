// Descriptions that earn their place: on a planted project (embeddings and an aggregator
// written by hand), a description planted on another class's images is flagged
// matches_other_class, one the aggregator leaves out is flagged ignored, a class with one
// description is never "ignored", and the ranking is the mean blended weight computed here
// independently. `describe --flags` prints the same, and `predict --explain` names the
// description nearest an image.

#include "PlantedFlags.h"
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

using Vec = std::vector<float>;

double dotOf(const Vec& a, const Vec& b)
{
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

using Planted = test::PlantedFlagsProject;

Planted plantProject(const test::TempDir& dir)
{
    return test::writePlantedFlagsProject(dir.path());
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
    // The aggregator's own weights cannot tell the harbour's two descriptions apart (0.5 each),
    // but no harbour image matches "dense green trees": over the images it gets next to nothing.
    QVERIFY(std::abs(trees->ownWeight - 0.5) < 1e-3);
    QVERIFY(trees->ignored);
    const auto* harbour = findFlag(report.value(), "a harbour with moored boats");
    QVERIFY(harbour);
    QVERIFY(!harbour->flagged());
    QVERIFY(harbour->meanImageWeight > 0.9);

    const auto* mud = findFlag(report.value(), "a muddy bank");
    QVERIFY(mud);
    QVERIFY(mud->ignored);
    QVERIFY2(mud->ownWeight < 0.01, QByteArray::number(mud->ownWeight));
    // Flagged by its mean weight over the class's images, under half the even share.
    QVERIFY(mud->meanImageWeight < workflow::kIgnoredWeightFraction / 3.0);
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
