#include "JobRunner.h"

#include "aape/util/Log.h"

#include <QtConcurrent/QtConcurrent>

#if defined(Q_OS_LINUX)
#include <cerrno>
#include <sys/resource.h>
#endif

namespace aape::ui {

namespace {

// Jobs run at a lower priority than the GUI thread (Linux nice is per thread, and threads a
// job starts, such as the trainer's second thread, inherit it). On a 2-core machine a
// training job's two threads otherwise starved the GUI: its 10 ms timer waited up to 127 ms
// (tst_responsiveness beside a parallel test). Jobs have their own pool: an unprivileged
// thread cannot raise its priority again, so no thread is handed back to shared use.
constexpr int kBackgroundNice = 5;

int currentNice()
{
#if defined(Q_OS_LINUX)
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, 0); // the calling thread, on Linux
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

void lowerPriorityTo(int nice)
{
#if defined(Q_OS_LINUX)
    if (currentNice() < nice)
        (void)setpriority(PRIO_PROCESS, 0, nice); // failure only costs responsiveness
#else
    (void)nice;
#endif
}

} // namespace

void JobContext::progress(const QString& stage, qint64 done, qint64 total)
{
    // The first report of a stage always goes through, so that the page never shows a stage
    // that has ended (say, encoding's count while training runs).
    if (stage == m_lastStage && m_sinceProgress.isValid() && m_sinceProgress.elapsed() < 100 && done < total)
        return;
    m_lastStage = stage;
    m_sinceProgress.start();
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner, stage, done, total] { Q_EMIT runner->progress(stage, done, total); },
        Qt::QueuedConnection);
}

void JobContext::post(const QString& kind, const QVariant& payload)
{
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner, kind, payload] { Q_EMIT runner->posted(kind, payload); }, Qt::QueuedConnection);
}

void JobContext::log(const QString& line)
{
    QMetaObject::invokeMethod(
        m_runner, [runner = m_runner, line] { Q_EMIT runner->logLine(line); }, Qt::QueuedConnection);
}

JobRunner::JobRunner(QObject* parent)
    : QObject(parent)
    , m_jobNice(currentNice() + kBackgroundNice)
{
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, [this] {
        const QString name = m_name;
        const bool ok = m_result.ok();
        const bool cancelled = (!ok && m_result.error().code == ErrorCode::Cancelled) || stopRequested(m_stop);
        // The user sees "file: message"; the technical detail goes to the log file.
        if (!ok && !cancelled)
            Log::error(m_result.error(), "job \"" + name.toStdString() + "\"");
        const QString error = ok ? QString() : QString::fromStdString(m_result.error().toString());
        m_busy = false;
        m_name.clear();
        m_stop.reset();
        Q_EMIT finished(name, ok, cancelled, error);
    });
}

JobRunner::~JobRunner()
{
    requestStop();
    m_watcher.waitForFinished();
}

bool JobRunner::start(const QString& name, Job job)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_name = name;
    m_stop = std::make_shared<StopToken>();
    m_result = Status();
    Q_EMIT started(name);
    auto stop = m_stop;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [this, stop, job = std::move(job)] {
        lowerPriorityTo(m_jobNice);
        JobContext context(this, stop);
        Status status;
        try {
            status = job(context);
        } catch (const std::exception& e) {
            status =
                makeError(ErrorCode::Internal,
                          "The task failed unexpectedly; please report it together with the log file.", {}, e.what());
        }
        m_result = status; // read by the GUI thread only after the future finished
    }));
    return true;
}

void JobRunner::requestStop()
{
    if (!m_busy || !m_stop)
        return;
    m_stop->request();
    Q_EMIT stopping();
}

void JobRunner::waitForFinished()
{
    m_watcher.waitForFinished();
    QCoreApplication::processEvents();
}

} // namespace aape::ui
