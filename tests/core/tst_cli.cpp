// The command line does what it looks like: options that take one value take one per
// occurrence, CoOp splits resolve as the studio resolves them, a command that achieved
// nothing fails with one summary line, runs can be renamed and deleted, and `train --keep`
// chooses the epoch that evaluation uses.

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/store/Project.h"
#include "cli/Cli.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <filesystem>
#include <set>
#include <sstream>

using namespace aape;

using test::CliResult;
using test::runCli;

namespace {

int countLines(const std::string& text)
{
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Lines other than the progress bar's (which prints a line per step when not on a terminal).
int countMessageLines(const std::string& text)
{
    std::istringstream in(text);
    int count = 0;
    for (std::string line; std::getline(in, line);)
        count += line.rfind("importing:", 0) != 0;
    return count;
}

// A CoOp-layout dataset as StanfordCars has it: the split file beside the image folders, its
// paths relative to the split file's folder.
void writeCoopDataset(const std::string& root, int perClass)
{
    nlohmann::json split = {
        {"train", nlohmann::json::array()}, {"val", nlohmann::json::array()}, {"test", nlohmann::json::array()}};
    const char* names[] = {"2012 Tesla Model S", "2012 BMW M3 coupe"};
    for (int label = 0; label < 2; ++label) {
        for (int i = 0; i < perClass; ++i) {
            const std::string relative = "cars_train/" + std::to_string(label) + "_" + std::to_string(i) + ".jpg";
            std::filesystem::create_directories(root + "/cars_train");
            test::writeBinaryFile(root + "/" + relative,
                                  test::encodeJpeg(test::photoLikeImage(40, 30, unsigned(label * 100 + i))));
            const char* section = i % 3 == 0 ? "test" : (i % 3 == 1 ? "train" : "val");
            split[section].push_back({relative, label, names[label]});
        }
    }
    test::writeTextFile(root + "/split_zhou_StanfordCars.json", split.dump());
}

} // namespace

class TestCli final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void predictTakesOneClassPerOption();
    void coopSplitResolvesBesideTheSplitFile();
    void importThatAddsNothingFails();
    void trainKeepRenameDelete();

private:
    test::TempDir m_dir;
    std::string m_project;
    std::string m_model;
    std::string m_bundle;
    std::vector<std::string> m_images;
};

void TestCli::initTestCase()
{
    auto demo = test::writeTinyDemo(m_dir.file("demo"), m_dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_project = demo->projectPath;
    m_model = demo->modelPath;
    auto trained = runCli({"train", m_project, "--epochs", "2", "--shots", "2", "--views", "1", "--batch", "8"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    m_bundle = m_dir.file("run.aape.safetensors");
    auto exported = runCli({"export", m_project, "--run", "1", "--out", m_bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());
    auto project = store::Project::open(m_project).value();
    for (const auto& image : project.images().value())
        if (m_images.size() < 3)
            m_images.push_back(image.path);
}

void TestCli::predictTakesOneClassPerOption()
{
    // The images after --class are images, not more class names.
    auto result = runCli({"predict", "--bundle", m_bundle, "--model", m_model, "--class", "yellow triangle",
                          m_images[0], m_images[1], m_images[2]});
    QVERIFY2(result.code == 0, result.err.c_str());
    QCOMPARE(countLines(result.out), 3);
    for (const auto& image : m_images)
        QVERIFY2(result.out.find(image) != std::string::npos, result.out.c_str());
    // Repeated, each occurrence adds one class.
    auto json = runCli({"predict", "--bundle", m_bundle, "--model", m_model, "--class", "yellow triangle", "--class",
                        "grey star", "--top", "100", "--json", m_images[0]});
    QVERIFY2(json.code == 0, json.err.c_str());
    const auto line = nlohmann::json::parse(json.out.substr(0, json.out.find('\n')));
    std::set<std::string> names;
    for (const auto& entry : line["top"])
        names.insert(entry["class"].get<std::string>());
    QVERIFY(names.count("yellow triangle") && names.count("grey star"));
    // The same rule for `describe --add`: a second word after the value is not taken silently.
    const std::string className = store::Project::open(m_project).value().classes().value().front().name;
    auto add = runCli({"describe", m_project, "--class", className, "--add", "one sentence", "stray"});
    QVERIFY(add.code != 0);
    QVERIFY2(add.err.find("stray") != std::string::npos, add.err.c_str());
}

void TestCli::coopSplitResolvesBesideTheSplitFile()
{
    const std::string root = m_dir.file("stanford_cars");
    writeCoopDataset(root, 6);
    auto created = runCli({"create", m_dir.file("cars.aapeproj")});
    QVERIFY2(created.code == 0, created.err.c_str());
    // Run from another folder: relative paths resolve against the split file's folder.
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(m_dir.path());
    auto imported =
        runCli({"import", m_dir.file("cars.aapeproj"), "--coop", "stanford_cars/split_zhou_StanfordCars.json"});
    std::filesystem::current_path(cwd);
    QVERIFY2(imported.code == 0, imported.err.c_str());
    QVERIFY2(imported.out.rfind("added 12 images", 0) == 0, imported.out.c_str());
    auto project = store::Project::open(m_dir.file("cars.aapeproj")).value();
    const auto classes = project.classes().value();
    QCOMPARE(classes.size(), std::size_t(2));
    QCOMPARE(classes[0].name, std::string("2012 Tesla Model S")); // label order
}

void TestCli::importThatAddsNothingFails()
{
    const std::string root = m_dir.file("elsewhere");
    writeCoopDataset(root, 30);
    auto created = runCli({"create", m_dir.file("empty.aapeproj")});
    QVERIFY(created.code == 0);
    // A wrong --root: every listed file is missing. One summary, a hint, a failure, no classes.
    auto imported = runCli({"import", m_dir.file("empty.aapeproj"), "--coop", root + "/split_zhou_StanfordCars.json",
                            "--root", m_dir.file("nowhere")});
    QCOMPARE(imported.code, 1);
    QVERIFY2(countMessageLines(imported.err) <= 7, imported.err.c_str());
    QVERIFY2(imported.err.find("60 × The file does not exist.") != std::string::npos, imported.err.c_str());
    QVERIFY2(imported.err.find("no images were imported") != std::string::npos, imported.err.c_str());
    QVERIFY2(imported.err.find("--root") != std::string::npos, imported.err.c_str());
    auto project = store::Project::open(m_dir.file("empty.aapeproj")).value();
    QCOMPARE(project.classes()->size(), std::size_t(0));
    // --verbose lists every file.
    auto verbose = runCli({"import", m_dir.file("empty.aapeproj"), "--coop", root + "/split_zhou_StanfordCars.json",
                           "--root", m_dir.file("nowhere"), "--verbose"});
    QVERIFY(countMessageLines(verbose.err) >= 60);
}

void TestCli::trainKeepRenameDelete()
{
    auto trained = runCli({"train", m_project, "--epochs", "2", "--shots", "2", "--views", "1", "--batch", "8",
                           "--keep", "last", "--name", "kept last"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    QVERIFY2(trained.out.find("epoch 2 (last)") != std::string::npos, trained.out.c_str());
    auto project = store::Project::open(m_project).value();
    const auto run = project.runs().value().front();
    QCOMPARE(run.name, std::string("kept last"));
    QCOMPARE(run.config.value("keep_epoch", ""), std::string("last"));
    QCOMPARE(run.summary.value("epoch_choice", ""), std::string("last"));
    const std::string id = std::to_string(run.id);

    auto renamed = runCli({"runs", m_project, "--rename", id, "--name", "baseline"});
    QVERIFY2(renamed.code == 0, renamed.err.c_str());
    QCOMPARE(project.run(run.id).value()->name, std::string("baseline"));
    auto listed = runCli({"runs", m_project});
    QVERIFY2(listed.out.find("baseline") != std::string::npos, listed.out.c_str());
    QVERIFY2(listed.out.find("zero-shot") != std::string::npos, listed.out.c_str());
    auto deleted = runCli({"runs", m_project, "--delete", id});
    QVERIFY2(deleted.code == 0, deleted.err.c_str());
    QVERIFY(!project.run(run.id).value().has_value());
    auto again = runCli({"runs", m_project, "--delete", id});
    QCOMPARE(again.code, 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
