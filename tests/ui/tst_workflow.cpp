// The whole studio workflow through the main window, asserting on what the widgets show:
// a new project with the demo's CLIP, its images and descriptions dropped on the window, a
// description typed on the Describe page, a few epochs trained with the Train page's Start
// button, an image's attention on the Inspect page, and the bundle exported with the Runs
// page's export action (through its file dialog).

#include "AttentionChart.h"
#include "ClassListModel.h"
#include "DataPage.h"
#include "DatasetModel.h"
#include "DescribePage.h"
#include "DescriptionModel.h"
#include "DropSupport.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "PromptAttentionModel.h"
#include "RunsModel.h"
#include "RunsPage.h"
#include "StudioSettings.h"
#include "TrainPage.h"
#include "TryPage.h"

#include "TestSupport.h"

#include "aape/aape/Bundle.h"
#include "aape/demo/DemoWorld.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QUrl>
#include <QtTest>

#include <memory>
#include <numeric>

using namespace aape;
using aape::test::deliverDrop;
using namespace aape::ui;

namespace {

// Waits for the running job, or the one about to start (drops start theirs from a queued
// call), to end; returns its (ok, error).
std::pair<bool, QString> waitForJob(JobRunner* jobs, int timeoutMs)
{
    QSignalSpy started(jobs, &JobRunner::started);
    QSignalSpy finished(jobs, &JobRunner::finished);
    if (!jobs->isBusy() && !started.wait(5000))
        return {false, QStringLiteral("no job started")};
    if (finished.isEmpty() && !finished.wait(timeoutMs))
        return {false, QStringLiteral("the job did not finish in time")};
    return {finished.first().at(1).toBool(), finished.first().at(3).toString()};
}

// Presses Save in the next file dialog, keeping the name and folder it suggests; returns
// them through `suggested`.
void acceptFileDialog(QString* suggested)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, suggested] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer->stop();
        timer->deleteLater();
        *suggested = dialog->selectedFiles().value(0);
        static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept, as the Save button does
    });
    timer->start();
}

QAction* actionWithText(QWidget* widget, const QString& text)
{
    for (QAction* action : widget->actions())
        if (action->text() == text)
            return action;
    return nullptr;
}

} // namespace

class WorkflowTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fromDemoToExportedBundle();

private:
    QTemporaryDir m_settingsDir;
};

void WorkflowTest::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AAPE Studio Workflow Test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_workflow"));
    QSettings().clear();
}

void WorkflowTest::fromDemoToExportedBundle()
{
    QElapsedTimer clock;
    clock.start();
    test::TempDir dir;
    data::DemoOptions options;
    options.imagesPerClass = 12;
    const auto demo = data::writeDemoProject(dir.file("demo"), options);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());

    // Start: the CLIP chosen before (the demo's) goes into the new project.
    StudioSettings::setLastModelPath(QString::fromStdString(demo->modelPath));
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.createProject(QString::fromStdString(dir.file("workflow.aapeproj"))));
    if (window.jobs()->isBusy()) {
        const auto [ok, error] = waitForJob(window.jobs(), 60000);
        QVERIFY2(ok, qPrintable(error));
    }
    QVERIFY(window.session()->project()->model().value().has_value());

    // Bring images: the demo's folder (one sub-folder per class) dropped on the window.
    deliverDrop(&window, {QString::fromStdString(demo->imageFolder)});
    {
        const auto [ok, error] = waitForJob(window.jobs(), 60000);
        QVERIFY2(ok, qPrintable(error));
    }
    const int classCount = int(data::demoClasses().size());
    const int imageCount = classCount * options.imagesPerClass;
    QCOMPARE(window.currentPage(), int(MainWindow::DataPageIndex));
    QCOMPARE(window.dataPage()->datasetModel()->rowCount(), imageCount);
    // The Data page's class list: "All images", "Unlabelled", then the classes with their counts.
    ClassListModel* classes = window.dataPage()->classModel();
    QCOMPARE(classes->rowCount(), classCount + 2);
    QCOMPARE(classes->classIdAt(0), ClassListModel::kAllImages);
    QCOMPARE(classes->index(2, ClassListModel::ImagesColumn).data(ClassListModel::ImageCountRole).toInt(),
             options.imagesPerClass);
    QVERIFY2(window.banner()->text().startsWith(QStringLiteral("Imported %1 image").arg(imageCount)),
             qPrintable(window.banner()->text()));
    QVERIFY2(window.countsLabel()->text().startsWith(QStringLiteral("%1 image").arg(imageCount)),
             qPrintable(window.countsLabel()->text()));

    // Describe: the demo's CuPL file dropped, then one sentence typed for the first class.
    deliverDrop(&window, {QString::fromStdString(demo->descriptionsPath)});
    {
        const auto [ok, error] = waitForJob(window.jobs(), 60000);
        QVERIFY2(ok, qPrintable(error));
    }
    QCOMPARE(window.currentPage(), int(MainWindow::DescribePageIndex));
    DescribePage* describe = window.describePage();
    describe->classView()->setCurrentIndex(describe->classModel()->index(0, 0));
    const qint64 firstClass = describe->currentClassId();
    QVERIFY(firstClass > 0);
    const int before = describe->descriptionModel()->rowCount();
    QVERIFY(before > 0);
    const QString typed = QStringLiteral("a shape drawn on a plain background");
    auto* line = describe->findChild<QLineEdit*>(QStringLiteral("newDescription"));
    QVERIFY(line);
    line->setFocus();
    QTest::keyClicks(line, typed);
    QTest::keyClick(line, Qt::Key_Return);
    QCOMPARE(describe->descriptionModel()->rowCount(), before + 1);
    QStringList shownDescriptions;
    for (int row = 0; row < describe->descriptionModel()->rowCount(); ++row)
        shownDescriptions.append(
            describe->descriptionModel()->index(row, DescriptionModel::TextColumn).data().toString());
    QVERIFY(shownDescriptions.contains(typed));
    QVERIFY(line->text().isEmpty());

    // Train: a few quick epochs set in the panel, started with the Start button.
    window.showPage(MainWindow::TrainPageIndex);
    auto* train = window.findChild<TrainPage*>();
    QVERIFY(train->isVisible());
    train->findChild<QSpinBox*>(QStringLiteral("shots"))->setValue(4);
    train->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(3);
    train->findChild<QSpinBox*>(QStringLiteral("batch"))->setValue(8);
    train->findChild<QSpinBox*>(QStringLiteral("views"))->setValue(2);
    train->findChild<QLineEdit*>(QStringLiteral("seeds"))->setText(QStringLiteral("2"));
    auto* start = train->findChild<QPushButton*>(QStringLiteral("start"));
    QVERIFY(start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(train->isTraining());
    {
        const auto [ok, error] = waitForJob(window.jobs(), 180000);
        QVERIFY2(ok, qPrintable(error));
    }
    QVERIFY(!train->isTraining());
    QTRY_COMPARE(train->lossPlot()->plottedPointCount(), 3);
    QCOMPARE(train->lossPlot()->pointCount(LossPlot::ValAccuracy)
                     + train->lossPlot()->pointCount(LossPlot::TrainAccuracy)
                 >= 3,
             true);

    // The runs page lists the finished run.
    window.showPage(MainWindow::RunsPageIndex);
    auto* runs = window.findChild<RunsPage*>();
    QCOMPARE(runs->model()->rowCount(), 1);
    QCOMPARE(runs->model()->index(0, RunsModel::Status).data().toString(), QStringLiteral("finished"));
    QCOMPARE(runs->model()->index(0, RunsModel::Seed).data().toULongLong(), 2ULL);
    QVERIFY(runs->model()->index(0, RunsModel::Accuracy).data().toString().endsWith(QLatin1Char('%')));
    const qint64 runId = runs->model()->index(0, 0).data(RunsModel::RunIdRole).toLongLong();

    // Inspect: the first image of the class described by hand, with its attention.
    window.showPage(MainWindow::InspectPageIndex);
    auto* inspect = window.findChild<InspectPage*>();
    QCOMPARE(inspect->runId(), runId);
    QVERIFY(inspect->predictions()->rowCount() > 0);
    int row = -1;
    for (int r = 0; r < inspect->proxy()->rowCount() && row < 0; ++r) {
        const auto source = inspect->proxy()->mapToSource(inspect->proxy()->index(r, 0));
        const auto& p = inspect->predictions()->prediction(source.row());
        if (p.predictedClassId == firstClass)
            row = r;
    }
    QVERIFY2(row >= 0, "no image was predicted as the class described by hand");
    inspect->table()->setFocus();
    inspect->table()->selectRow(row);
    ImageInspector* inspector = inspect->inspector();
    QTRY_VERIFY(inspector->imageId() > 0);
    PromptAttentionModel* attention = inspector->predictedAttention();
    QVERIFY(attention->hasWeights());
    QCOMPARE(attention->rowCount(), before + 1);
    // The chart draws the class's descriptions, the typed one included, with weights that
    // sum to one.
    const auto bars = inspector->chart()->bars(0);
    QCOMPARE(int(bars.size()), before + 1);
    QStringList barTexts;
    double sum = 0.0;
    for (const auto& [text, weight] : bars) {
        barTexts.append(text);
        QVERIFY(weight >= 0.0 && weight <= 1.0);
        sum += weight;
    }
    QVERIFY2(qAbs(sum - 1.0) < 1e-3, qPrintable(QString::number(sum)));
    barTexts.sort();
    shownDescriptions.sort();
    QCOMPARE(barTexts, shownDescriptions);
    QVERIFY(inspector->chart()->sectionTitles().first().contains(
        describe->classModel()->index(0, ClassListModel::NameColumn).data().toString()));
    // J moves to the next image; the inspector follows.
    const auto shownImage = inspector->imageId();
    if (inspect->proxy()->rowCount() > row + 1) {
        QTest::keyClick(inspect->table(), Qt::Key_J);
        QTRY_VERIFY(inspector->imageId() != shownImage);
    }

    // Try: the new run is chosen already; an image dropped on the page is classified among the
    // trained classes and one typed by name.
    window.showPage(MainWindow::TryPageIndex);
    auto* tryPage = window.findChild<TryPage*>();
    QCOMPARE(tryPage->findChild<QComboBox*>(QStringLiteral("tryRun"))->currentData().toLongLong(), runId);
    auto* extra = tryPage->findChild<QLineEdit*>(QStringLiteral("extraClasses"));
    extra->setFocus();
    QTest::keyClicks(extra, QStringLiteral("purple hexagon"));
    QTest::keyClick(extra, Qt::Key_Return); // no images yet: nothing to classify
    QVERIFY(!window.jobs()->isBusy());
    QSignalSpy tried(tryPage, &TryPage::predictionFinished);
    const QString tryImage = QString::fromStdString(window.session()->project()->images().value().front().path);
    deliverDrop(tryPage, {tryImage});
    QVERIFY(tried.wait(60000));
    QVERIFY(tried.first().at(0).toBool());
    QCOMPARE(tryPage->results()->rowCount(), 1);
    QVERIFY(!tryPage->results()->item(0, 1)->text().isEmpty());
    QVERIFY(tryPage->results()->item(0, 2)->text().endsWith(QLatin1Char('%')));
    QTRY_VERIFY(!window.jobs()->isBusy());

    // Export: the Runs page's bundle action, answered in its file dialog.
    window.showPage(MainWindow::RunsPageIndex);
    runs->table()->selectRow(0);
    // The dialog suggests the run's name in the folder used last.
    QTemporaryDir out;
    StudioSettings::setLastFolder(out.path());
    QAction* exportBundle = actionWithText(runs, QStringLiteral("Prompt generator bundle…"));
    QVERIFY(exportBundle);
    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    QString bundlePath;
    acceptFileDialog(&bundlePath);
    exportBundle->trigger();
    QVERIFY2(bundlePath.startsWith(out.path() + QLatin1Char('/'))
                 && bundlePath.endsWith(QStringLiteral(".aape.safetensors")),
             qPrintable(bundlePath));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("Exporting"));
    QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(3).toString()));
    QVERIFY(QFileInfo::exists(bundlePath));
    auto bundle = Bundle::load(bundlePath.toStdString());
    QVERIFY2(bundle.ok(), bundle.ok() ? "" : bundle.error().toString().c_str());
    QCOMPARE(bundle->classCount(), classCount);
    qInfo("workflow took %lld ms", static_cast<long long>(clock.elapsed()));
}

QTEST_MAIN(WorkflowTest)
#include "tst_workflow.moc"
