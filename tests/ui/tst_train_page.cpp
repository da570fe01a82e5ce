// End to end on a generated demo project: the train page encodes and trains a 3-epoch run,
// the store and the live plot agree, Stop ends a long run quickly and Resume continues it,
// and the try page classifies images with the trained run (also by new class names).

#include "ExportActions.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "PredictionsModel.h"
#include "RunsPage.h"
#include "JobRunner.h"
#include "LossPlot.h"
#include "ProjectSession.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"
#include "TrainPage.h"
#include "TrainingJob.h"
#include "TryPage.h"

#include "aape/aape/Bundle.h"
#include "aape/data/DemoWorld.h"
#include "aape/store/Project.h"

#include <QElapsedTimer>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QtTest>
#include <qcustomplot.h>

using namespace aape;

namespace {

data::DemoProject writeDemo(const test::TempDir& dir)
{
    data::DemoOptions options;
    options.imagesPerClass = 12;
    auto demo = data::writeDemoProject(dir.file("demo"), options);
    if (!demo)
        qFatal("%s", demo.error().toString().c_str());
    return demo.value();
}

TrainConfig quickConfig(int epochs)
{
    TrainConfig config;
    config.epochs = epochs;
    config.shots = 4;
    config.augmentedViews = 2;
    config.batchSize = 8;
    return config;
}

} // namespace

class TestTrainPage final : public QObject {
    Q_OBJECT
private slots:
    void seeds_data();
    void seeds();
    void defaultsFollowThePaper();
    void trainsThreeEpochs();
    void longRunsDrawThinLines();
    void stopAndResume();

private:
    test::SettingsSandbox m_settings;
};

void TestTrainPage::seeds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<qulonglong>>("expected");
    QTest::newRow("one") << "1" << QList<qulonglong>{1};
    QTest::newRow("commas") << "1, 2, 3" << QList<qulonglong>{1, 2, 3};
    QTest::newRow("spaces") << " 4 5 " << QList<qulonglong>{4, 5};
    QTest::newRow("bad") << "1, x" << QList<qulonglong>{};
    QTest::newRow("empty") << "" << QList<qulonglong>{};
}

void TestTrainPage::seeds()
{
    QFETCH(QString, text);
    QFETCH(QList<qulonglong>, expected);
    const auto seeds = ui::parseSeeds(text);
    QCOMPARE(QList<qulonglong>(seeds.begin(), seeds.end()), expected);
}

void TestTrainPage::defaultsFollowThePaper()
{
    ui::ProjectSession session;
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    const auto config = page.config();
    QCOMPARE(config.shots, 16);
    QCOMPARE(config.epochs, 200);
    QCOMPARE(config.batchSize, 32);
    QCOMPARE(config.learningRate, 0.002);
    QCOMPARE(config.distillWeight, 5.0);
    QCOMPARE(config.rewardScale, 2.5);
    QCOMPARE(config.augmentedViews, 10);
    QCOMPARE(config.device, std::string("auto"));
    // Without a project nothing starts, and the page says why.
    QVERIFY(!page.startTraining());
    QVERIFY(!jobs.isBusy());
}

void TestTrainPage::trainsThreeEpochs()
{
    test::TempDir dir;
    const auto demo = writeDemo(dir);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    page.setConfig(quickConfig(3));
    page.setSeedsText(QStringLiteral("5"));
    QSignalSpy finished(&jobs, &ui::JobRunner::finished);
    QSignalSpy epochs(&jobs, &ui::JobRunner::posted);
    QVERIFY(page.startTraining());
    QVERIFY(page.isTraining());
    QVERIFY(finished.wait(300000));
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(3).toString()));
    QVERIFY(!page.isTraining());

    auto runs = session.project()->runs().value();
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(runs.front().status, store::RunStatus::Finished);
    QCOMPARE(runs.front().seed, std::uint64_t(5));
    QCOMPARE(session.project()->epochMetrics(runs.front().id).value().size(), std::size_t(3));
    QTRY_COMPARE(page.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 3);
    QCOMPARE(page.lossPlot()->pointCount(ui::LossPlot::TaskLoss), 3);
    QCOMPARE(page.lossPlot()->pointCount(ui::LossPlot::DistillLoss), 3);
    QCOMPARE(page.lossPlot()->pointCount(ui::LossPlot::AggReward), 3);
    QCOMPARE(page.lossPlot()->pointCount(ui::LossPlot::TrainAccuracy), 3);
    QTRY_COMPARE(page.lossPlot()->plottedPointCount(), 3);

    // Reopened later, the project's train page shows that run's curves, not empty axes.
    {
        ui::ProjectSession reopened;
        QVERIFY2(reopened.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
        ui::JobRunner otherJobs;
        ui::TrainPage later(&reopened, &otherJobs);
        QCOMPARE(later.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 3);
        QCOMPARE(later.lossPlot()->pointCount(ui::LossPlot::TrainAccuracy), 3);
        ui::ProjectSession empty;
        ui::TrainPage fresh(&empty, &otherJobs);
        QCOMPARE(fresh.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 0);
        QVERIFY2(empty.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
        QCOMPARE(fresh.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 3);  // on ProjectSession::opened
        empty.close();
        QCOMPARE(fresh.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 0);
    }
    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!shots.isEmpty())
        page.grab().save(shots + QStringLiteral("/train.png"));

    // The run was evaluated: the inspect page lists its predictions and shows the first.
    QVERIFY(runs.front().summary.contains("accuracy"));
    ui::InspectPage inspect(&session, &jobs);
    inspect.resize(1200, 800);
    inspect.show();
    inspect.setRun(runs.front().id);
    QVERIFY(inspect.predictions()->rowCount() > 0);
    QVERIFY(inspect.inspector()->imageId() > 0);
    ui::RunsPage runsPage(&session, &jobs);
    runsPage.resize(1200, 800);
    runsPage.show();
    runsPage.selectRuns({runs.front().id});
    if (!shots.isEmpty()) {
        inspect.grab().save(shots + QStringLiteral("/inspect.png"));
        runsPage.grab().save(shots + QStringLiteral("/runs.png"));
    }

    // The run's bundle loads with the bundle API and names the demo's classes.
    QTemporaryDir out;
    const QString bundlePath = out.filePath(QStringLiteral("run.aape.safetensors"));
    const auto exported = ui::exportRunBundleFile(*session.project(), runs.front().id, bundlePath);
    QVERIFY2(exported.ok(), exported.ok() ? "" : exported.error().toString().c_str());
    auto bundle = Bundle::load(bundlePath.toStdString());
    QVERIFY(bundle.ok());
    QCOMPARE(bundle->classCount(), int(data::demoClasses().size()));

    // Try page: two demo images and one extra class typed by name.
    ui::TryPage tryPage(&session, &jobs);
    tryPage.resize(1200, 800);
    tryPage.show();
    tryPage.setRun(runs.front().id);
    tryPage.setExtraClasses(QStringLiteral("purple hexagon"));
    auto images = session.project()->images().value();
    QSignalSpy tried(&tryPage, &ui::TryPage::predictionFinished);
    tryPage.addImages({QString::fromStdString(images[0].path), QString::fromStdString(images[1].path),
                       QString::fromStdString(dir.file("missing.png"))});
    QVERIFY(tried.wait(120000));
    QVERIFY(tried.first().at(0).toBool());
    QCOMPARE(tryPage.results()->rowCount(), 3);
    QVERIFY(!tryPage.results()->item(0, 1)->text().isEmpty());
    QVERIFY(tryPage.results()->item(0, 2)->text().endsWith(QLatin1Char('%')));
    const double ood = tryPage.results()->item(0, 3)->text().toDouble();
    QVERIFY(ood >= 0.0 && ood <= 1.0);
    // The unreadable file gets a message, not a prediction.
    QVERIFY(tryPage.results()->item(2, 2)->text().isEmpty());
    auto direct = ui::predictImages(QString::fromStdString(demo.projectPath), runs.front().id,
                                    {QString::fromStdString(images[0].path)}, {QStringLiteral("purple hexagon")}, {});
    QVERIFY(direct.ok());
    QCOMPARE(direct->front().probabilities.size(), std::size_t(5));
    if (!shots.isEmpty())
        tryPage.grab().save(shots + QStringLiteral("/try.png"));
}

void TestTrainPage::stopAndResume()
{
    test::TempDir dir;
    const auto demo = writeDemo(dir);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    page.setConfig(quickConfig(100000));
    QSignalSpy posted(&jobs, &ui::JobRunner::posted);
    QSignalSpy finished(&jobs, &ui::JobRunner::finished);
    QVERIFY(page.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(posted.begin(), posted.end(),
                                         [](const QList<QVariant>& a) { return a.at(0).toString() == ui::kPostEpoch; }),
                             300000);
    auto* stop = page.findChild<QPushButton*>(QStringLiteral("stop"));
    QVERIFY(stop && stop->isEnabled());
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(!stop->isEnabled());
    QVERIFY(finished.wait(5000));
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(finished.first().at(2).toBool());  // cancelled

    auto run = session.project()->runs().value().front();
    QVERIFY(run.resumable);
    auto* list = page.findChild<QListWidget*>(QStringLiteral("resumable"));
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->data(Qt::UserRole).toLongLong(), run.id);
    const int before = run.lastEpoch;

    list->setCurrentRow(0);
    finished.clear();
    QVERIFY(page.resumeSelected());
    QTRY_VERIFY_WITH_TIMEOUT(session.project()->epochMetrics(run.id).value().size() > std::size_t(before + 2), 300000);
    page.stopTraining();
    QVERIFY(finished.wait(5000));
    QVERIFY(session.project()->run(run.id).value()->lastEpoch > before);
}

void TestTrainPage::longRunsDrawThinLines()
{
    ui::LossPlot plot;
    const auto addEpochs = [&plot](int from, int to) {
        for (int e = from; e <= to; ++e)
            plot.addEpoch({{QStringLiteral("epoch"), e}, {QStringLiteral("totalLoss"), 1.0 / e},
                           {QStringLiteral("trainAccuracy"), 0.5}});
    };
    const auto styleIs = [&plot](double width, QCPScatterStyle::ScatterShape shape) {
        for (int g = 0; g < plot.plot()->graphCount(); ++g) {
            if (plot.plot()->graph(g)->pen().widthF() != width || plot.plot()->graph(g)->scatterStyle().shape() != shape)
                return false;
        }
        return true;
    };
    addEpochs(1, 10);
    QTRY_COMPARE(plot.plottedPointCount(), 10);
    QVERIFY(styleIs(2.0, QCPScatterStyle::ssDisc));
    addEpochs(11, 400);
    QTRY_COMPARE(plot.plottedPointCount(), 400);
    QVERIFY(styleIs(1.0, QCPScatterStyle::ssNone));
    plot.clear();
    addEpochs(1, 5);
    QTRY_COMPARE(plot.plottedPointCount(), 5);
    QVERIFY(styleIs(2.0, QCPScatterStyle::ssDisc));
}

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
