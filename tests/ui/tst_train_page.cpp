// End to end on a generated demo project: the train page encodes and trains a 3-epoch run,
// the store and the live plot agree, Stop ends a long run quickly and Resume continues it,
// and the try page classifies images with the trained run (also by new class names).

#include "ExportActions.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "LossPlot.h"
#include "MessageBanner.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "RunsPage.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"
#include "TrainPage.h"
#include "TrainingJob.h"
#include "TryPage.h"

#include "aape/aape/Bundle.h"
#include "aape/demo/DemoWorld.h"
#include "aape/store/Project.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
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
    void zeroShotReferenceLine();
    void readinessNamesWhatIsMissing();
    void runEndWarningAndNewProject();

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
    // Epochs follow the shots by CoOp's schedule while they are at the schedule's value.
    auto* shots = page.findChild<QSpinBox*>(QStringLiteral("shots"));
    auto* epochs = page.findChild<QSpinBox*>(QStringLiteral("epochs"));
    auto* views = page.findChild<QSpinBox*>(QStringLiteral("views"));
    shots->setValue(1);
    QCOMPARE(epochs->value(), 50);
    shots->setValue(4);
    QCOMPARE(epochs->value(), 100);
    epochs->setValue(123);
    shots->setValue(8);
    QCOMPARE(epochs->value(), 123); // typed by the user: kept
    // Paper defaults put back what the paper states, not our own choices (views, reward scale).
    views->setValue(3);
    page.restoreDefaults();
    QCOMPARE(page.config().shots, 16);
    QCOMPARE(page.config().epochs, 200);
    QCOMPARE(views->value(), 3);
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
    QSignalSpy progress(&jobs, &ui::JobRunner::progress);
    QVERIFY(page.startTraining());
    QVERIFY(page.isTraining());
    QVERIFY(finished.wait(300000));
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(3).toString()));
    QVERIFY(!page.isTraining());
    // The stage line ends on the run's result and the epoch evaluated.
    const QString stage = page.findChild<QLabel*>(QStringLiteral("stage"))->text();
    QVERIFY2(stage.startsWith(QStringLiteral("Finished. Run ")) && stage.contains(QStringLiteral("test accuracy"))
                 && stage.contains(QStringLiteral("at epoch")),
             qPrintable(stage));
    // Training progress counted epochs: "Training", 1..3 of 3.
    bool sawEpochs = false;
    for (const auto& p : progress)
        if (p.at(0).toString() == QStringLiteral("Training")) {
            QCOMPARE(p.at(2).toLongLong(), 3);
            sawEpochs = true;
        }
    QVERIFY(sawEpochs);

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
        QCOMPARE(fresh.lossPlot()->pointCount(ui::LossPlot::TotalLoss), 3); // on ProjectSession::opened
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
    QVERIFY(finished.first().at(2).toBool()); // cancelled
    // The bar counts epochs and stays where Stop left it.
    auto* bar = page.findChild<QProgressBar*>();
    QCOMPARE(bar->maximum(), page.config().epochs);
    QVERIFY(bar->value() >= 1);
    QVERIFY(bar->value() <= session.project()->runs().value().front().lastEpoch + 1);

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
        for (int e = from; e <= to; ++e) {
            EpochMetrics m;
            m.epoch = e - 1;
            m.totalLoss = 1.0 / e;
            m.trainAccuracy = 0.5;
            plot.addEpoch(m);
        }
    };
    const auto styleIs = [&plot](double width, QCPScatterStyle::ScatterShape shape) {
        for (int g = 0; g < ui::LossPlot::ZeroShotValidation; ++g) {
            if (plot.plot()->graph(g)->pen().widthF() != width
                || plot.plot()->graph(g)->scatterStyle().shape() != shape)
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

void TestTrainPage::zeroShotReferenceLine()
{
    ui::LossPlot plot;
    for (int e = 0; e < 4; ++e) {
        EpochMetrics m;
        m.epoch = e;
        m.valAccuracy = 0.5 + 0.1 * e;
        plot.addEpoch(m);
    }
    plot.setZeroShotValidation(0.6);
    QTRY_COMPARE(plot.pointCount(ui::LossPlot::ZeroShotValidation), 2);
    auto* line = plot.plot()->graph(ui::LossPlot::ZeroShotValidation);
    QCOMPARE(line->data()->begin()->value, 60.0);
    QCOMPARE(line->data()->begin()->key, 1.0);
    QCOMPARE((line->data()->end() - 1)->key, 4.0);
    // The reward has its own axis, not the losses'.
    QVERIFY(plot.plot()->graph(ui::LossPlot::AggReward)->valueAxis()
            != plot.plot()->graph(ui::LossPlot::TotalLoss)->valueAxis());
    plot.clear();
    QTRY_COMPARE(plot.pointCount(ui::LossPlot::ZeroShotValidation), 0);
}

void TestTrainPage::readinessNamesWhatIsMissing()
{
    test::TempDir dir;
    const auto demo = writeDemo(dir);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    page.show();
    auto* readiness = page.findChild<QLabel*>(QStringLiteral("readiness"));
    QVERIFY(readiness);
    QVERIFY(!readiness->isVisible()); // the demo describes every class
    const auto cls = session.project()->classes().value().front();
    for (const auto& d : session.project()->descriptions(cls.id).value())
        QVERIFY(session.project()->removeDescription(d.id).ok());
    session.notifyDescriptionsChanged();
    QVERIFY(readiness->isVisible());
    QVERIFY2(readiness->text().contains(QString::fromStdString(cls.name))
                 && readiness->text().contains(QStringLiteral("without descriptions")),
             qPrintable(readiness->text()));
    QVERIFY(session.project()->addDescription(cls.id, "a thing", "typed").ok());
    session.notifyDescriptionsChanged();
    QVERIFY(!readiness->isVisible());
    // A class whose images are all outside the train split cannot learn from images.
    for (const auto& image : session.project()->images().value())
        if (image.classId == cls.id)
            QVERIFY(session.project()->setImageSplit(image.id, store::Split::Test).ok());
    session.notifyDatasetChanged();
    QVERIFY2(readiness->text().contains(QStringLiteral("without training images")), qPrintable(readiness->text()));
}

void TestTrainPage::runEndWarningAndNewProject()
{
    test::TempDir dir;
    const auto demo = writeDemo(dir);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo.projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::TrainPage page(&session, &jobs);
    page.show();
    ui::RunEndReport end;
    end.runId = 4;
    end.warning = QStringLiteral("Run 4 ended at 75.6 % validation accuracy, below zero-shot CLIP (84.4 %).");
    page.showRunEnd(end);
    QVERIFY(page.banner()->isVisible());
    QVERIFY(page.banner()->text().contains(QStringLiteral("below zero-shot CLIP")));
    // Another project: nothing of this one's messages stays.
    auto* stage = page.findChild<QLabel*>(QStringLiteral("stage"));
    stage->setText(QStringLiteral("Finished. Run 2 …"));
    auto other = store::Project::create(dir.file("other.aapeproj"));
    QVERIFY(other.ok());
    other = makeError(ErrorCode::Internal, "closed");
    QVERIFY2(session.open(QString::fromStdString(dir.file("other.aapeproj")), &error), qPrintable(error));
    QCOMPARE(stage->text(), QStringLiteral("Ready."));
    QVERIFY(!page.banner()->isVisible());
}

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
