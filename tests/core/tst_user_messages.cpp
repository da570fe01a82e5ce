// Messages say what went wrong with which file and what to do, in one or two sentences; what
// LibTorch, the safetensors reader or the fingerprints had to say goes to the log file
// (AAPE_LOG_FILE here), which the message points to. The CLI runs in-process.

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/CheckpointWriter.h"
#include "aape/store/Project.h"
#include "aape/util/Log.h"
#include "cli/Cli.h"

#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <cctype>
#include <filesystem>
#include <sstream>

using namespace aape;
namespace fs = std::filesystem;

using test::CliResult;
using test::runCli;

namespace {

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// Sentences in `text` once the paths are taken out (they hold dots): ".", "!" or "?" followed
// by a space, a closing parenthesis or the end.
int sentenceCount(std::string text, const std::vector<std::string>& paths)
{
    for (const auto& path : paths)
        for (auto at = text.find(path); !path.empty() && at != std::string::npos; at = text.find(path))
            text.erase(at, path.size());
    int count = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((text[i] == '.' || text[i] == '!' || text[i] == '?')
            && (i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == ')'))
            ++count;
    return count;
}

// What must never reach a user: LibTorch's exception text and stack frames, source locations.
const char* const kInternals[] = {"Exception raised from", "c10", "frame #", ".cpp:", "torch/csrc", "what():"};

} // namespace

class TestUserMessages final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void pngChosenAsModel_data();
    void pngChosenAsModel();
    void damagedCheckpointDetailGoesToTheLog();
    void truncatedSafetensors_data();
    void truncatedSafetensors();
    void bundleOfAnotherClip();
    void bundleOfAClipWithOtherDimensions();
    void verbosePrintsTheDetail();

private:
    // The one line of `err`: names `file`, says `mentions`, two sentences at most, nothing of the
    // internals; "(details: <log>)" exactly when `expectDetail`, and the log has the entry.
    void checkMessage(const CliResult& run, const std::string& file, const std::string& mentions, bool expectDetail,
                      const std::string& detailInLog = {});
    std::string log() const { return test::readTextFile(m_log); }

    test::TempDir m_dir;
    std::string m_log;
    std::string m_project;
    std::string m_model;
    std::string m_bundle;
    std::string m_image;
    std::string m_png;
    test::TinyClipPaths m_clip;
};

void TestUserMessages::initTestCase()
{
    m_log = m_dir.file("state/aape/aape.log");
    qputenv("AAPE_LOG_FILE", QByteArray::fromStdString(m_log));
    qunsetenv("AAPE_DEBUG");
    QCOMPARE(Log::filePath(), m_log);
    auto demo = test::writeTinyDemo(m_dir.file("demo"), m_dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_project = demo->projectPath;
    m_model = demo->modelPath;
    auto trained = runCli({"train", m_project, "--epochs", "2", "--shots", "2", "--views", "1", "--batch", "8"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    m_bundle = m_dir.file("run.aape.safetensors");
    auto exported = runCli({"export", m_project, "--run", "1", "--out", m_bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());
    m_image = store::Project::open(m_project).value().images().value().front().path;
    m_png = m_dir.file("holiday photo.png");
    test::writeBinaryFile(m_png, test::encodeImage(test::gradientImage(64, 48), ".png"));
    m_clip = test::writeTinyClip(m_dir.file("other-clip"), 2);
}

void TestUserMessages::init()
{
    fs::remove(m_log);
}

void TestUserMessages::checkMessage(const CliResult& run, const std::string& file, const std::string& mentions,
                                    bool expectDetail, const std::string& detailInLog)
{
    QVERIFY2(run.code != 0, run.err.c_str());
    QVERIFY2(std::count(run.err.begin(), run.err.end(), '\n') == 1, run.err.c_str());
    QVERIFY2(run.err.rfind("aape: ", 0) == 0, run.err.c_str());
    QVERIFY2(contains(run.err, file), run.err.c_str());
    QVERIFY2(contains(run.err, mentions), run.err.c_str());
    QVERIFY2(sentenceCount(run.err, {file, m_log}) <= 2, run.err.c_str());
    for (const char* internal : kInternals)
        QVERIFY2(!contains(run.err, internal), run.err.c_str());
    QCOMPARE(contains(run.err, "(details: " + m_log + ")"), expectDetail);
    const std::string logged = log();
    QVERIFY2(contains(logged, file), logged.c_str());
    if (!detailInLog.empty()) {
        QVERIFY2(contains(logged, detailInLog), logged.c_str());
        QVERIFY2(!contains(run.err, detailInLog), run.err.c_str());
    }
}

void TestUserMessages::pngChosenAsModel_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("create --model") << "create";
    QTest::newRow("predict --model") << "predict";
    QTest::newRow("train --model") << "train";
}

void TestUserMessages::pngChosenAsModel()
{
    QFETCH(QString, command);
    CliResult run;
    if (command == "create")
        run = runCli({"create", m_dir.file("new.aapeproj"), "--model", m_png});
    else if (command == "predict")
        run = runCli({"predict", "--bundle", m_bundle, "--model", m_png, m_image});
    else
        run = runCli({"train", m_project, "--model", m_png, "--epochs", "1"});
    checkMessage(run, m_png, "This file is a PNG image, not a CLIP checkpoint; choose a Hugging Face CLIP folder",
                 false);
    QVERIFY(!fs::exists(m_dir.file("new.aapeproj")));
}

void TestUserMessages::damagedCheckpointDetailGoesToTheLog()
{
    // Neither a zip nor a pickle: LibTorch's reader throws with its stack frames.
    const std::string damaged = m_dir.file("damaged.pt");
    test::writeTextFile(damaged, std::string(4096, '\x5a'));
    const auto run = runCli({"create", m_dir.file("new.aapeproj"), "--model", damaged});
    checkMessage(run, damaged, "torch.save() state dict", true);
    // The exception text is in the log, under the entry that names the command and file.
    const std::string logged = log();
    QVERIFY2(contains(logged, "create") && contains(logged, "[bad-format]"), logged.c_str());
    QVERIFY2(logged.size() > run.err.size() + 100, logged.c_str());
}

void TestUserMessages::truncatedSafetensors_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("bundle") << "bundle";
    QTest::newRow("open_clip model") << "model";
}

void TestUserMessages::truncatedSafetensors()
{
    QFETCH(QString, what);
    const bool bundle = what == "bundle";
    const std::string source = bundle ? m_bundle : m_clip.openClipSafetensors;
    const std::string truncated = m_dir.file(bundle ? "cut.aape.safetensors" : "other-clip/open_clip/cut.safetensors");
    fs::copy_file(source, truncated, fs::copy_options::overwrite_existing);
    fs::resize_file(truncated, fs::file_size(truncated) / 2);
    const auto run = bundle ? runCli({"predict", "--bundle", truncated, "--model", m_model, m_image})
                            : runCli({"create", m_dir.file("new.aapeproj"), "--model", truncated});
    checkMessage(run, truncated, "not a valid safetensors file", true, "points outside the file");
}

void TestUserMessages::bundleOfAnotherClip()
{
    // The same geometry, other weights: predictions are made but wrong, and the warning says so.
    const auto run = runCli({"predict", "--bundle", m_bundle, "--model", m_clip.huggingFace, m_image});
    QVERIFY2(run.code == 0, run.err.c_str());
    QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), 1L);
    QVERIFY2(contains(run.err, m_bundle) && contains(run.err, m_clip.huggingFace), run.err.c_str());
    QVERIFY2(contains(run.err, "another CLIP model"), run.err.c_str());
    QVERIFY2(sentenceCount(run.err, {m_bundle, m_clip.huggingFace, m_model}) <= 2, run.err.c_str());
    // The fingerprints are for the log.
    const std::string logged = log();
    QVERIFY2(contains(logged, "fingerprint"), logged.c_str());
    QVERIFY2(!contains(run.err, "fingerprint"), run.err.c_str());
    for (const char* internal : kInternals)
        QVERIFY2(!contains(run.err, internal), run.err.c_str());
}

void TestUserMessages::bundleOfAClipWithOtherDimensions()
{
    auto config = clip::clipPreset("tiny");
    QVERIFY(config.ok());
    config->embedDim = 48;
    clip::RandomClipOptions options;
    options.config = config.value();
    options.seed = 3;
    const std::string wide = m_dir.file("wide-clip");
    QVERIFY(clip::writeRandomHuggingFaceClip(wide, options).ok());
    for (const char* name : {"vocab.json", "merges.txt"})
        fs::copy_file(m_clip.huggingFace + "/" + name, wide + "/" + name, fs::copy_options::overwrite_existing);
    const auto run = runCli({"predict", "--bundle", m_bundle, "--model", wide, m_image});
    checkMessage(run, m_bundle, "trained with another CLIP model than " + wide, true, "dimensions");
}

void TestUserMessages::verbosePrintsTheDetail()
{
    const std::string damaged = m_dir.file("damaged.pt");
    test::writeTextFile(damaged, std::string(4096, '\x5a'));
    const auto quiet = runCli({"create", m_dir.file("new.aapeproj"), "--model", damaged});
    const auto verbose = runCli({"--verbose", "create", m_dir.file("new.aapeproj"), "--model", damaged});
    QVERIFY(verbose.code != 0);
    QVERIFY2(verbose.err.size() > quiet.err.size() + 20, verbose.err.c_str());
    QVERIFY2(verbose.err.rfind(quiet.err, 0) == 0, verbose.err.c_str());
    QVERIFY2(contains(verbose.err, "PytorchStreamReader"), verbose.err.c_str());
    qputenv("AAPE_DEBUG", "1");
    const auto debug = runCli({"create", m_dir.file("new.aapeproj"), "--model", damaged});
    qunsetenv("AAPE_DEBUG");
    // The same text; the stack frames' addresses differ between the two calls.
    QVERIFY2(debug.err.rfind(quiet.err, 0) == 0 && contains(debug.err, "PytorchStreamReader"), debug.err.c_str());
}

QTEST_GUILESS_MAIN(TestUserMessages)
#include "tst_user_messages.moc"
