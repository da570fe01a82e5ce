// File ▸ Encode on a Cluster…: the dialog lists the project's images in the shared folder, runs
// `aape cluster submit` (the real CLI) against a fake Slurm whose sbatch runs the array's tasks
// at once, shows the shards' state, resubmits a shard that "failed" and, when every shard is
// done, imports the embeddings: the project then encodes nothing. The real cluster is tested
// by tst_slurm (root only); this one runs everywhere.

#include "ClusterDialog.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/Shards.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QtTest>

#include <filesystem>

using namespace aape;
using namespace aape::ui;
namespace fs = std::filesystem;

namespace {

// sbatch: records its arguments, runs every task of an array at once (skipping shards named by
// a skip-K file once, as if the node had died) and prints a job id; squeue and sacct know nothing.
const char* const kFakeSbatch = R"(#!/bin/bash
log="$FAKE_SLURM_DIR/sbatch.log"
echo "$*" >> "$log"
id=$((4000 + $(wc -l < "$log")))
array=""; script=""
for a in "$@"; do
  case "$a" in
    --array=*) array="${a#--array=}" ;;
    --parsable|--dependency=*) ;;
    *) script="$a" ;;
  esac
done
if [ -n "$array" ]; then
  IFS=, read -ra parts <<< "$array"
  for p in "${parts[@]}"; do
    if [[ $p == *-* ]]; then ks=$(seq "${p%-*}" "${p#*-}"); else ks=$p; fi
    for k in $ks; do
      if [ -e "$FAKE_SLURM_DIR/skip-$k" ]; then rm -f "$FAKE_SLURM_DIR/skip-$k"; continue; fi
      SLURM_ARRAY_TASK_ID=$k bash "$script" > "$FAKE_SLURM_DIR/task-$k.log" 2>&1 || true
    done
  done
fi
echo "$id"
)";

void writeExecutable(const std::string& path, const std::string& text)
{
    test::writeTextFile(path, text);
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

} // namespace

class TestClusterDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsTheCommandItWillRun();
    void submitsFollowsResubmitsAndImports();
    void saysWhatIsWrong();

private:
    test::SettingsSandbox m_settings;
    test::TempDir m_dir;
    std::string m_project;
    std::string m_model;
    std::string m_slurm;
};

void TestClusterDialog::initTestCase()
{
    auto demo = test::writeTinyDemo(m_dir.file("demo"), m_dir.file("clip"), 4);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    m_project = demo->projectPath;
    m_model = demo->modelPath;
    m_slurm = m_dir.file("slurm");
    fs::create_directories(m_slurm);
    writeExecutable(m_slurm + "/sbatch", kFakeSbatch);
    writeExecutable(m_slurm + "/squeue", "#!/bin/sh\nexit 0\n");
    writeExecutable(m_slurm + "/sacct", "#!/bin/sh\nexit 0\n");
    qputenv("PATH", QByteArray::fromStdString(m_slurm) + ':' + qgetenv("PATH"));
    qputenv("FAKE_SLURM_DIR", QByteArray::fromStdString(m_slurm));
    qputenv("AAPE_CLI", AAPE_CLI_PATH);
}

void TestClusterDialog::showsTheCommandItWillRun()
{
    ProjectSession session;
    JobRunner jobs;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_project), &error), qPrintable(error));
    ClusterDialog dialog(&session, &jobs);
    dialog.outputFolder()->setText(QString::fromStdString(m_dir.file("preview-out")));
    dialog.shards()->setValue(3);
    dialog.cpus()->setValue(4);
    dialog.views()->setValue(2);
    dialog.partition()->setText(QStringLiteral("gpu"));
    const QStringList arguments = dialog.submitArguments();
    const QString line = arguments.join(QLatin1Char(' '));
    QVERIFY2(line.startsWith(QStringLiteral("cluster submit --slurm --shards 3 --partition gpu --cpus 4 -- embed "
                                            "--model ")),
             qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("--files ") + QString::fromStdString(m_dir.file("preview-out/images.txt"))),
             qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("--views 2 --precision fp32 --out")), qPrintable(line));
    QVERIFY(arguments.contains(QString::fromStdString(m_model)));
    // The preview is what runs, with the program in front.
    QVERIFY2(dialog.commandPreview()->toPlainText().contains(QStringLiteral("--shards 3")),
             qPrintable(dialog.commandPreview()->toPlainText()));
    QVERIFY(dialog.commandPreview()->toPlainText().startsWith(QStringLiteral(AAPE_CLI_PATH)));
    // Nothing submitted from that folder: Submit is the way forward.
    QVERIFY(dialog.submitButton()->isEnabled());
    QVERIFY(!dialog.resumeButton()->isEnabled());
}

void TestClusterDialog::submitsFollowsResubmitsAndImports()
{
    const std::string project = m_dir.file("cluster.aapeproj");
    fs::copy_file(m_project, project);
    ProjectSession session;
    JobRunner jobs;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(project), &error), qPrintable(error));
    ClusterDialog dialog(&session, &jobs);
    const std::string out = m_dir.file("shared-out");
    dialog.outputFolder()->setText(QString::fromStdString(out));
    dialog.shards()->setValue(3);
    dialog.views()->setValue(1);

    // The node of shard 1 "dies": two of three shards are done and shard 1 shows as failed.
    test::writeTextFile(m_slurm + "/skip-1", "");
    QSignalSpy refreshed(&dialog, &ClusterDialog::statusRefreshed);
    QVERIFY(dialog.submit());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.shardCount() == 3, 60000);
    QCOMPARE(dialog.shardsDone(), 2);
    QCOMPARE(dialog.shardTable()->rowCount(), 3);
    QCOMPARE(dialog.shardTable()->item(1, 1)->text(), QStringLiteral("failed"));
    QCOMPARE(dialog.shardTable()->item(0, 1)->text(), QStringLiteral("done"));
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("2 of 3")), qPrintable(dialog.statusLabel()->text()));
    QVERIFY(dialog.resumeButton()->isEnabled());
    QVERIFY(!dialog.submitButton()->isEnabled());
    // The list holds every image of the project, one per line.
    auto opened = store::Project::open(project, store::OpenMode::ReadOnly);
    QVERIFY(opened);
    const std::string list = test::readTextFile(out + "/images.txt");
    for (const auto& image : opened->images().value())
        QVERIFY2(list.find(image.path + "\n") != std::string::npos, image.path.c_str());
    QVERIFY(fs::exists(out + "/cluster/embed.sbatch"));

    // Resubmitting runs shard 1; all done, the embeddings are imported by themselves.
    QSignalSpy imported(&dialog, &ClusterDialog::imported);
    QVERIFY(dialog.resume());
    QVERIFY(imported.wait(60000));
    QCOMPARE(imported.first().at(0).toBool(), true);
    QCOMPARE(dialog.shardsDone(), 3);
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("from 3 shard")),
             qPrintable(dialog.statusLabel()->text()));
    const QString log = QString::fromStdString(test::readTextFile(m_slurm + "/sbatch.log"));
    QVERIFY2(log.contains(QStringLiteral("--array=1 ")), qPrintable(log));

    // The project now encodes nothing with the same views.
    auto engine = clip::ClipEngine::open(m_model, [] {
        clip::EngineOptions options;
        options.load.precision = clip::Precision::Float32;
        return options;
    }());
    QVERIFY(engine);
    auto reopened = store::Project::open(project);
    QVERIFY(reopened);
    workflow::EncodeOptions options;
    options.augmentedViews = 1;
    auto report = workflow::encodeProject(reopened.value(), engine.value(), options);
    QVERIFY2(report, report ? "" : report.error().toString().c_str());
    QCOMPARE(report->imagesEncoded, 0);
    QCOMPARE(report->viewsEncoded, 0);

    // Opening the dialog again for the project finds the job where it was left.
    ClusterDialog again(&session, &jobs);
    QCOMPARE(again.outputFolder()->text(), QString::fromStdString(out));
    QTRY_COMPARE_WITH_TIMEOUT(again.shardsDone(), 3, 20000);
    QVERIFY(!again.submitButton()->isEnabled());
}

void TestClusterDialog::saysWhatIsWrong()
{
    ProjectSession session;
    JobRunner jobs;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_project), &error), qPrintable(error));
    // sbatch refuses (a partition that does not exist): its message is shown, nothing else.
    const std::string refusing = m_dir.file("refusing");
    fs::create_directories(refusing);
    writeExecutable(refusing + "/sbatch",
                    "#!/bin/sh\necho 'sbatch: error: invalid partition specified: nowhere' >&2\nexit 1\n");
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QByteArray::fromStdString(refusing) + ':' + path);
    ClusterDialog dialog(&session, &jobs);
    dialog.outputFolder()->setText(QString::fromStdString(m_dir.file("refused-out")));
    dialog.partition()->setText(QStringLiteral("nowhere"));
    QVERIFY(dialog.submit());
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusLabel()->text().contains(QStringLiteral("invalid partition")), 30000);
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("failed")), qPrintable(dialog.statusLabel()->text()));
    qputenv("PATH", path);

    // A folder that cannot be created is named.
    dialog.outputFolder()->setText(QStringLiteral("/proc/no-such-place/out"));
    QVERIFY(!dialog.submit());
    QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("/proc/no-such-place/out")),
             qPrintable(dialog.statusLabel()->text()));
}

QTEST_MAIN(TestClusterDialog)
#include "tst_cluster_dialog.moc"
