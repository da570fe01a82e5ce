#pragma once
// Runs one long job (import, encode, train, evaluate, export) at a time on a worker thread,
// as Qt's Mandelbrot example does: the job polls a stop token, reports through a JobContext
// whose calls become queued signals, and never touches widgets. Progress is throttled to
// 10 Hz. Create and use from the GUI thread; the destructor stops and joins the job.

#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QVariant>

#include <atomic>
#include <functional>
#include <mutex>

namespace aape::ui {

class JobRunner;

// Handed to the job on the worker thread. All members are safe to call from there.
class JobContext final {
public:
    JobContext(JobRunner* runner, StopTokenPtr stop)
        : m_runner(runner)
        , m_stop(std::move(stop))
    {}
    const StopTokenPtr& stopToken() const { return m_stop; }
    bool stopRequested() const { return aape::stopRequested(m_stop); }
    // Throttled: at most 10 updates a second reach the GUI (the first of a stage and the last
    // one always do).
    void progress(const QString& stage, qint64 done, qint64 total);
    // Any payload (e.g. a QVariantMap of epoch metrics); delivered in order, not throttled.
    void post(const QString& kind, const QVariant& payload);
    void log(const QString& line);

private:
    JobRunner* m_runner;
    StopTokenPtr m_stop;
    QElapsedTimer m_sinceProgress;
    QString m_lastStage;
};

class JobRunner final : public QObject {
    Q_OBJECT
public:
    using Job = std::function<Status(JobContext&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    // Returns false (and starts nothing) while another job runs.
    bool start(const QString& name, Job job);
    void requestStop();
    bool isBusy() const { return m_busy; }
    QString currentJob() const { return m_name; }
    // Blocks until the current job ends (tests, application shutdown).
    void waitForFinished();

Q_SIGNALS:
    void started(const QString& name);
    void progress(const QString& stage, qint64 done, qint64 total);
    void posted(const QString& kind, const QVariant& payload);
    void logLine(const QString& line);
    void stopping();
    // ok: the job returned success; cancelled: it stopped on request; error: the message.
    void finished(const QString& name, bool ok, bool cancelled, const QString& error);

private:
    friend class JobContext;
    int m_jobNice;      // the jobs' thread priority (nice), below the GUI thread's
    QThreadPool m_pool; // one thread, for jobs only (see JobRunner.cpp)
    QFutureWatcher<void> m_watcher;
    StopTokenPtr m_stop;
    QString m_name;
    bool m_busy = false;
    Status m_result;
};

} // namespace aape::ui
