// Renaming a class after training: the class's template ("a photo of a {name}.") changes with
// the name, so the next training encodes the new one and trains under it; earlier runs keep
// their results and are shown, evaluated and exported under the new name once it is encoded.

#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/aape/Bundle.h"
#include "aape/store/Project.h"
#include "aape/workflow/Encode.h"
#include "cli/Cli.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <sstream>

using namespace aape;

using test::CliResult;
using test::runCli;

namespace {} // namespace

class TestClassRename final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nextTrainingEncodesTheNewName();
};

void TestClassRename::nextTrainingEncodesTheNewName()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    const std::string project = demo->projectPath;
    const std::vector<std::string> train = {"train", project,   "--epochs", "2",       "--shots",
                                            "2",     "--views", "1",        "--batch", "8"};
    auto first = runCli(train);
    QVERIFY2(first.code == 0, first.err.c_str());

    std::int64_t classId = 0;
    std::string oldName;
    std::string fingerprint;
    {
        auto opened = store::Project::open(project).value();
        const store::ClassRecord renamed = opened.classes().value().front();
        classId = renamed.id;
        oldName = renamed.name;
        fingerprint = opened.model().value()->cacheKey(); // the key of the encode's precision
        QVERIFY(opened.renameClass(classId, "deep " + oldName).ok());
        auto cached = opened.textEmbeddings(fingerprint, {workflow::templateFor("deep " + oldName)}).value();
        QCOMPARE(cached.missing.size(), std::size_t(1)); // not encoded yet
    }

    // The next training encodes the new template and trains under the new name.
    auto second = runCli(train);
    QVERIFY2(second.code == 0, second.err.c_str());
    {
        auto opened = store::Project::open(project).value();
        auto cached = opened.textEmbeddings(fingerprint, {workflow::templateFor("deep " + oldName)}).value();
        QVERIFY(cached.missing.empty());
    }
    // Both runs, the earlier one too, evaluate and export under the new name.
    for (const std::string run : {"1", "2"}) {
        auto evaluated = runCli({"eval", project, "--run", run});
        QVERIFY2(evaluated.code == 0, evaluated.err.c_str());
        const std::string bundlePath = dir.file("run" + run + ".aape.safetensors");
        auto exported = runCli({"export", project, "--run", run, "--out", bundlePath});
        QVERIFY2(exported.code == 0, exported.err.c_str());
        auto bundle = Bundle::load(bundlePath);
        QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().toString().c_str());
        const auto& names = bundle->classNames;
        QVERIFY(std::find(names.begin(), names.end(), "deep " + oldName) != names.end());
        QVERIFY(std::find(names.begin(), names.end(), oldName) == names.end());
    }
}

QTEST_GUILESS_MAIN(TestClassRename)
#include "tst_class_rename.moc"
