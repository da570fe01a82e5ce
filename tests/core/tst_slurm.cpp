// `aape cluster` on a real Slurm: the test starts a single-node cluster of its own (munge key,
// munged, a generated slurm.conf for this machine, slurmctld and slurmd, all under a temp folder
// and stopped at the end), submits an embedding of a few hundred images in 4 shards, checks
// that the shards together are the unsharded output bit for bit, cancels one shard mid-run,
// resumes it, and imports the result into a project whose training then encodes no image.
// Then it classifies a generated GeoTIFF scene in 3 prediction shards, whose dependent final
// job merges them into the same map as an unsharded `aape predict --scene`.
// Starting Slurm needs root and the Debian packages slurm-wlm and munge: elsewhere it skips.

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/geo/Scene.h"
#include "aape/geo/SyntheticScene.h"
#include "aape/util/Npy.h"
#include "aape/workflow/Shards.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>

using namespace aape;
namespace fs = std::filesystem;

namespace {

constexpr int kImagesPerClass = 150;
constexpr int kShards = 4;
constexpr int kViews = 10;

std::string programOnPath(const char* name)
{
    const QStringList paths = {"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"};
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(name, paths);
    return found.toStdString();
}

struct Ran {
    int code = -1;
    std::string out;
    std::string err;
};

// A program run to its end (at most `seconds`), with SLURM_CONF set by the cluster.
Ran run(const std::string& program, const std::vector<std::string>& args, int seconds = 60)
{
    QProcess process;
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    process.start(QString::fromStdString(program), list);
    Ran ran;
    if (!process.waitForFinished(seconds * 1000)) {
        process.kill();
        process.waitForFinished(5000);
        ran.err = "timed out or could not start";
        return ran;
    }
    ran.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    ran.out = process.readAllStandardOutput().toStdString();
    ran.err = process.readAllStandardError().toStdString();
    return ran;
}

// munged, slurmctld and slurmd in the foreground as children of the test, so that the test
// knows their process ids and stops exactly those.
class LocalSlurm final {
public:
    ~LocalSlurm() { stop(); }

    static std::string unavailableReason()
    {
        if (::geteuid() != 0)
            return "starting a Slurm cluster needs root (munged and slurmd run as root); run as root, as CI does";
        for (const char* program : {"munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel"})
            if (programOnPath(program).empty())
                return std::string(program)
                       + " is not installed (packaging/install-deps.sh --tests installs slurm-wlm "
                         "and munge)";
        return {};
    }

    std::string start(const std::string& dir)
    {
        m_dir = dir;
        fs::create_directories(dir + "/state");
        fs::create_directories(dir + "/spool");
        // A private munge key and socket: nothing of the machine's own munge is used or touched.
        std::vector<unsigned char> key(1024);
        std::random_device random;
        for (auto& byte : key)
            byte = static_cast<unsigned char>(random());
        test::writeBinaryFile(dir + "/munge.key", key);
        fs::permissions(dir + "/munge.key", fs::perms::owner_read | fs::perms::owner_write);

        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        std::string shortHost = host;
        shortHost = shortHost.substr(0, shortHost.find('.'));
        // Ports of its own, away from a system Slurm's 6817/6818 and from a parallel run.
        const int port = 20000 + static_cast<int>(::getpid() % 20000);
        std::ofstream conf(dir + "/slurm.conf");
        conf << "ClusterName=aapetest\n"
             << "SlurmctldHost=" << shortHost << "\n"
             << "SlurmctldPort=" << port << "\nSlurmdPort=" << port + 1 << "\n"
             << "SlurmUser=root\nSlurmdUser=root\n"
             << "AuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket=" << dir << "/munge.socket\n"
             << "StateSaveLocation=" << dir << "/state\nSlurmdSpoolDir=" << dir << "/spool\n"
             << "SlurmctldPidFile=" << dir << "/slurmctld.pid\nSlurmdPidFile=" << dir << "/slurmd.pid\n"
             << "SlurmctldLogFile=" << dir << "/slurmctld.log\nSlurmdLogFile=" << dir << "/slurmd.log\n"
             << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
             << "JobAcctGatherType=jobacct_gather/none\nAccountingStorageType=accounting_storage/none\n"
             << "SelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\nSchedulerType=sched/backfill\n"
             << "MpiDefault=none\nSwitchType=switch/none\nReturnToService=2\nMinJobAge=600\n"
             << "NodeName=" << shortHost << " NodeAddr=127.0.0.1 CPUs=" << QThread::idealThreadCount()
             << " State=UNKNOWN\n"
             << "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n";
        conf.close();
        qputenv("SLURM_CONF", QByteArray::fromStdString(dir + "/slurm.conf"));

        if (!launch(m_munged, "munged",
                    {"-F", "--force", "--socket=" + dir + "/munge.socket", "--key-file=" + dir + "/munge.key",
                     "--pid-file=" + dir + "/munged.pid", "--log-file=" + dir + "/munged.log",
                     "--seed-file=" + dir + "/munged.seed"}))
            return "munged did not start: " + log("munged.log");
        for (int i = 0; i < 50 && !fs::exists(dir + "/munge.socket"); ++i)
            QThread::msleep(100);
        if (!launch(m_slurmctld, "slurmctld", {"-D", "-i", "-f", dir + "/slurm.conf"}))
            return "slurmctld did not start: " + log("slurmctld.log");
        QThread::msleep(1000);
        if (!launch(m_slurmd, "slurmd", {"-D", "-f", dir + "/slurm.conf"}))
            return "slurmd did not start: " + log("slurmd.log");
        // Ready when the node is idle.
        for (int i = 0; i < 100; ++i) {
            const auto sinfo = run(programOnPath("sinfo"), {"-h", "-o", "%t"}, 10);
            if (sinfo.out.rfind("idle", 0) == 0)
                return {};
            QThread::msleep(200);
        }
        return "the node did not become idle: " + log("slurmctld.log") + log("slurmd.log");
    }

    // Cancels what is left of the test's jobs, then stops the daemons it started (by their ids).
    void stop()
    {
        if (m_slurmctld && m_slurmctld->state() == QProcess::Running)
            for (const auto& id : m_jobs)
                run(programOnPath("scancel"), {id}, 20);
        for (auto* process : {&m_slurmd, &m_slurmctld, &m_munged}) {
            if (!*process)
                continue;
            (*process)->terminate();
            if (!(*process)->waitForFinished(15000)) {
                (*process)->kill();
                (*process)->waitForFinished(5000);
            }
            process->reset();
        }
    }

    void remember(const std::string& jobId) { m_jobs.push_back(jobId); }
    std::string log(const std::string& name) const
    {
        std::ifstream in(m_dir + "/" + name);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
    }

private:
    bool launch(std::unique_ptr<QProcess>& process, const char* name, const std::vector<std::string>& args)
    {
        process = std::make_unique<QProcess>();
        process->setStandardOutputFile(QString::fromStdString(m_dir + "/" + name + ".out"));
        process->setStandardErrorFile(QString::fromStdString(m_dir + "/" + name + ".err"));
        QStringList list;
        for (const auto& a : args)
            list << QString::fromStdString(a);
        process->start(QString::fromStdString(programOnPath(name)), list);
        if (!process->waitForStarted(10000))
            return false;
        QThread::msleep(300);
        return process->state() == QProcess::Running;
    }

    std::string m_dir;
    std::unique_ptr<QProcess> m_munged;
    std::unique_ptr<QProcess> m_slurmctld;
    std::unique_ptr<QProcess> m_slurmd;
    std::vector<std::string> m_jobs;
};

// Waits until no job or array task of `job` is in the queue.
bool waitUntilLeftQueue(const std::string& job, int seconds)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < seconds * 1000) {
        const auto squeue = run(programOnPath("squeue"), {"-h", "-o", "%i|%F"}, 20);
        bool queued = false;
        std::istringstream lines(squeue.out);
        for (std::string line; std::getline(lines, line);)
            queued |= line.rfind(job + "|", 0) == 0 || line.rfind(job + "_", 0) == 0
                      || line.substr(line.find('|') + 1) == job;
        if (squeue.code == 0 && !queued)
            return true;
        QThread::msleep(250);
    }
    return false;
}

std::string arrayJobOf(const std::string& submitOutput)
{
    std::smatch match;
    static const std::regex pattern("job array ([0-9]+) and the final job ([0-9]+)");
    return std::regex_search(submitOutput, match, pattern) ? match[1].str() + " " + match[2].str() : std::string();
}

} // namespace

class TestSlurm final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void shardedEmbeddingOnSlurm();
    void scenePredictionMergesOnSlurm();

private:
    test::TempDir m_dir;
    std::string m_model;   // the tiny CLIP of the embedding test
    std::string m_project; // its project, trained on the cluster's embeddings
    LocalSlurm m_slurm;
    bool m_started = false;
};

void TestSlurm::initTestCase()
{
    const std::string reason = LocalSlurm::unavailableReason();
    if (!reason.empty())
        QSKIP(("Slurm cannot be started here: " + reason).c_str());
    const std::string failed = m_slurm.start(m_dir.file("slurm"));
    m_started = true;
    QVERIFY2(failed.empty(), failed.c_str());
}

void TestSlurm::cleanupTestCase()
{
    if (m_started)
        m_slurm.stop();
}

void TestSlurm::shardedEmbeddingOnSlurm()
{
    // A few hundred generated photo-like images in two classes, large enough that a shard takes
    // seconds; blocks of 4 images, so that a shard shows progress early and is cancelled mid-run.
    const std::string images = m_dir.file("images");
    for (int c = 0; c < 2; ++c) {
        const std::string folder = images + (c == 0 ? "/field" : "/forest");
        fs::create_directories(folder);
        for (int i = 0; i < kImagesPerClass; ++i)
            test::writeBinaryFile(folder + "/" + std::to_string(i) + ".jpg",
                                  test::encodeJpeg(test::photoLikeImage(480, 360, unsigned(c * 1000 + i)), 90));
    }
    const std::string model = test::writeTinyClip(m_dir.file("clip")).huggingFace;
    m_model = model;
    const std::string cli = AAPE_CLI_PATH;

    // The unsharded output, on this machine, outside Slurm.
    const std::string whole = m_dir.file("whole");
    const std::vector<std::string> embed = {
        "embed",   "--model", model,       "--folder", images, "--views", std::to_string(kViews),
        "--batch", "4",       "--threads", "1"};
    auto args = embed;
    args.insert(args.end(), {"--out", whole});
    QElapsedTimer clock;
    clock.start();
    auto unsharded = run(cli, args, 300);
    QVERIFY2(unsharded.code == 0, unsharded.err.c_str());
    qInfo("unsharded embed of %d images x %d views: %.1f s", 2 * kImagesPerClass, kViews + 1,
          double(clock.elapsed()) / 1000.0);

    // Submit 4 shards, one CPU each.
    const std::string out = m_dir.file("cluster-out");
    args = {"cluster", "submit", "--slurm", "--shards", std::to_string(kShards),
            "--cpus",  "1",      "--time",  "00:10:00", "--"};
    args.insert(args.end(), embed.begin(), embed.end());
    args.insert(args.end(), {"--out", out});
    clock.restart();
    auto submitted = run(cli, args);
    QVERIFY2(submitted.code == 0, (submitted.out + submitted.err).c_str());
    const std::string ids = arrayJobOf(submitted.out);
    QVERIFY2(!ids.empty(), submitted.out.c_str());
    const std::string arrayJob = ids.substr(0, ids.find(' '));
    const std::string finalJob = ids.substr(ids.find(' ') + 1);
    m_slurm.remember(arrayJob);
    m_slurm.remember(finalJob);
    const std::string script = test::readTextFile(out + "/cluster/embed.sbatch");
    QVERIFY2(script.find("#SBATCH --array=0-3") != std::string::npos, script.c_str());
    QVERIFY2(script.find("--shard \"${SLURM_ARRAY_TASK_ID}/4\"") != std::string::npos, script.c_str());

    // Cancel shard 1 once it has started embedding (its log shows progress).
    const std::string log1 = out + "/cluster/logs/shard-1.log";
    QElapsedTimer waited;
    waited.start();
    bool started = false;
    while (waited.elapsed() < 120000 && !started) {
        started = fs::exists(log1) && test::readTextFile(log1).find("embedding:") != std::string::npos;
        if (!started)
            QThread::msleep(50);
    }
    QVERIFY2(started, ("shard 1 did not start: " + m_slurm.log("slurmctld.log")).c_str());
    QVERIFY2(!fs::exists(aape::workflow::shardDoneMarker(out, 1)),
             "shard 1 finished before it could be cancelled; the test needs more work per shard");
    auto cancelled = run(programOnPath("scancel"), {arrayJob + "_1"});
    QVERIFY2(cancelled.code == 0, cancelled.err.c_str());
    QVERIFY2(waitUntilLeftQueue(finalJob, 240), "the array and its final job did not end within 4 minutes");
    const double firstPass = double(clock.elapsed()) / 1000.0;

    QVERIFY(!fs::exists(aape::workflow::shardDoneMarker(out, 1)));
    auto status = run(cli, {"cluster", "status", out});
    QVERIFY2(status.code == 0, status.err.c_str());
    QVERIFY2(status.out.find("4 shards in " + out + ": 3 done, 0 running, 0 pending, 1 failed") != std::string::npos,
             status.out.c_str());
    QVERIFY2(status.out.find("sacct has no records here") != std::string::npos, status.out.c_str());
    QVERIFY2(status.out.find("aape cluster resume") != std::string::npos, status.out.c_str());
    // The final job wrote the same table into its log.
    bool finalLogged = false;
    for (const auto& entry : fs::directory_iterator(out + "/cluster/logs"))
        finalLogged |= entry.path().filename().string().rfind("final-", 0) == 0
                       && test::readTextFile(entry.path().string()).find("3 done") != std::string::npos;
    QVERIFY(finalLogged);

    // Resume submits only shard 1, which then completes.
    clock.restart();
    auto resumed = run(cli, {"cluster", "resume", out});
    QVERIFY2(resumed.code == 0, (resumed.out + resumed.err).c_str());
    QVERIFY2(resumed.out.find("submitted shards 1 as job array") != std::string::npos, resumed.out.c_str());
    const std::string again = arrayJobOf(resumed.out);
    m_slurm.remember(again.substr(0, again.find(' ')));
    m_slurm.remember(again.substr(again.find(' ') + 1));
    QVERIFY2(waitUntilLeftQueue(again.substr(again.find(' ') + 1), 240), "the resumed shard did not end");
    qInfo("4 shards on Slurm: first pass %.1f s (one cancelled), resumed shard %.1f s", firstPass,
          double(clock.elapsed()) / 1000.0);
    status = run(cli, {"cluster", "status", out});
    QVERIFY2(status.out.find("4 done, 0 running, 0 pending, 0 failed") != std::string::npos, status.out.c_str());
    auto nothing = run(cli, {"cluster", "resume", out});
    QVERIFY2(nothing.out.find("nothing to resubmit") != std::string::npos, nothing.out.c_str());

    // The shards together are the unsharded output, bit for bit, rows and metadata.
    std::vector<unsigned char> shardBytes;
    std::string shardMetadata;
    for (int k = 0; k < kShards; ++k) {
        auto matrix = readNpy(aape::workflow::shardEmbeddingFile(out, k));
        QVERIFY(matrix);
        QVERIFY(matrix->rows > 0);
        shardBytes.insert(shardBytes.end(), matrix->rawData.begin(), matrix->rawData.end());
        shardMetadata += test::readTextFile(aape::workflow::shardMetadataFile(out, k));
    }
    auto wholeMatrix = readNpy(aape::workflow::shardEmbeddingFile(whole, 0));
    QVERIFY(wholeMatrix);
    QCOMPARE(wholeMatrix->rows, std::int64_t(2 * kImagesPerClass * (kViews + 1)));
    QVERIFY(shardBytes == wholeMatrix->rawData);
    QCOMPARE(shardMetadata, test::readTextFile(aape::workflow::shardMetadataFile(whole, 0)));

    // Imported into a project, training encodes no image: every view is cached.
    const std::string project = m_dir.file("p.aapeproj");
    for (const std::vector<std::string>& step : {std::vector<std::string>{"create", project, "--model", model},
                                                 std::vector<std::string>{"import", project, "--folder", images}}) {
        auto ran = run(cli, step);
        QVERIFY2(ran.code == 0, ran.err.c_str());
    }
    auto imported = run(cli, {"import-embeddings", project, out});
    QVERIFY2(imported.code == 0, imported.err.c_str());
    QVERIFY2(imported.out.find("of 300 images from 4 shards") != std::string::npos, imported.out.c_str());
    auto trained =
        run(cli, {"train", project, "--views", std::to_string(kViews), "--epochs", "1", "--shots", "2", "--batch", "8"},
            300);
    QVERIFY2(trained.code == 0, trained.err.c_str());
    QVERIFY2(trained.err.find("encoded 0 image views") != std::string::npos, trained.err.c_str());
    QVERIFY2(trained.err.find("300 images") != std::string::npos, trained.err.c_str());
    m_project = project;
}

void TestSlurm::scenePredictionMergesOnSlurm()
{
    if (m_project.empty())
        QSKIP("needs the project trained by shardedEmbeddingOnSlurm, which failed");
    const std::string cli = AAPE_CLI_PATH;
    const std::string bundle = m_dir.file("run.aape.safetensors");
    auto exported = run(cli, {"export", m_project, "--run", "1", "--out", bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());
    // A 6-band UInt16 GeoTIFF in UTM 33N, 200 pixels a side: 64 tiles of 25 pixels.
    const std::string scene = m_dir.file("scene.tif");
    QVERIFY(geo::writeSyntheticScene(scene, test::squareScene(200, 6, 50)).ok());
    const std::vector<std::string> predict = {"predict", "--bundle", bundle, "--model",   m_model, "--scene",
                                              scene,     "--tile",   "25",   "--threads", "1"};

    auto args = predict;
    const std::string wholeMap = m_dir.file("whole.tif");
    args.insert(args.end(), {"--out", wholeMap});
    auto whole = run(cli, args, 300);
    QVERIFY2(whole.code == 0, whole.err.c_str());

    // 3 shards, then the final job, which depends on the array, merges DIR/map.tif.
    const std::string out = m_dir.file("predicted");
    args = {"cluster", "submit", "--slurm", "--shards", "3", "--cpus", "1", "--time", "00:10:00", "--"};
    args.insert(args.end(), predict.begin(), predict.end());
    args.insert(args.end(), {"--out", out});
    QElapsedTimer clock;
    clock.start();
    auto submitted = run(cli, args);
    QVERIFY2(submitted.code == 0, (submitted.out + submitted.err).c_str());
    const std::string ids = arrayJobOf(submitted.out);
    QVERIFY2(!ids.empty(), submitted.out.c_str());
    m_slurm.remember(ids.substr(0, ids.find(' ')));
    const std::string finalJob = ids.substr(ids.find(' ') + 1);
    m_slurm.remember(finalJob);
    QVERIFY2(waitUntilLeftQueue(finalJob, 240), "the prediction array and its final job did not end within 4 minutes");
    qInfo("3 prediction shards and the merge on Slurm: %.1f s", double(clock.elapsed()) / 1000.0);
    auto status = run(cli, {"cluster", "status", out});
    QVERIFY2(status.out.find("3 done, 0 running, 0 pending, 0 failed") != std::string::npos,
             (status.out + status.err).c_str());

    const std::string merged = out + "/map.tif";
    QVERIFY2(fs::exists(merged), ("the final job wrote no map; its log: " +
                                  [&] {
                                      std::string logs;
                                      for (const auto& entry : fs::directory_iterator(out + "/cluster/logs"))
                                          logs += test::readTextFile(entry.path().string());
                                      return logs;
                                  }())
                                     .c_str());
    const std::string difference = test::classMapDifference(wholeMap, merged);
    QVERIFY2(difference.empty(), difference.c_str());
    auto map = geo::SceneReader::open(merged);
    QVERIFY(map);
    QCOMPARE(map->info().width, 8);
    QCOMPARE(map->info().height, 8);
}

QTEST_GUILESS_MAIN(TestSlurm)
#include "tst_slurm.moc"
