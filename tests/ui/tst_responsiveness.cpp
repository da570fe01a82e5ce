// The GUI thread stays responsive while a training job runs: a 10 ms timer on the GUI
// thread never waits more than 100 ms between timeouts.

#include "JobRunner.h"
#include "ProjectSession.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"
#include "TrainPage.h"
#include "TrainingJob.h"

#include "aape/data/DemoWorld.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

using namespace aape;

class TestResponsiveness final : public QObject {
    Q_OBJECT
private slots:
    void guiThreadKeepsTicking();

private:
    test::SettingsSandbox m_settings;
};

void TestResponsiveness::guiThreadKeepsTicking()
{
    test::TempDir dir;
    data::DemoOptions options;
    options.imagesPerClass = 10;
    auto demo = data::writeDemoProject(dir.file("demo"), options);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo->projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    TrainConfig config;
    config.epochs = 100000;
    config.shots = 4;
    config.augmentedViews = 2;
    config.batchSize = 4;
    page.setConfig(config);

    QSignalSpy posted(&jobs, &ui::JobRunner::posted);
    QSignalSpy finished(&jobs, &ui::JobRunner::finished);
    QVERIFY(page.startTraining());
    // Measure while epochs are being trained and plotted, for 3 s.
    QTRY_VERIFY_WITH_TIMEOUT(posted.count() >= 2, 40000);
    QElapsedTimer sinceTick;
    qint64 worstGap = 0;
    int ticks = 0;
    QTimer timer;
    timer.setInterval(10);
    timer.setTimerType(Qt::PreciseTimer);
    connect(&timer, &QTimer::timeout, this, [&] {
        if (sinceTick.isValid())
            worstGap = qMax(worstGap, sinceTick.elapsed());
        sinceTick.start();
        ++ticks;
    });
    timer.start();
    const int postedBefore = posted.count();
    QTest::qWait(3000);
    timer.stop();
    const int epochsDuring = posted.count() - postedBefore;
    page.stopTraining();
    QVERIFY(finished.wait(10000));
    qInfo("ticks %d, worst gap %lld ms, %d epochs plotted during the measurement", ticks, worstGap, epochsDuring);
    QVERIFY(epochsDuring > 0);  // training really ran while we measured
    QVERIFY2(worstGap <= 100, qPrintable(QStringLiteral("worst gap %1 ms").arg(worstGap)));
}

QTEST_MAIN(TestResponsiveness)
#include "tst_responsiveness.moc"
