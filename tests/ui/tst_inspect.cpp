// PredictionsModel, its filter proxy, ConfusionMatrixModel and PromptAttentionModel over a
// project filled through the store API; the inspect page's cell filter, J/K keys, relabelling
// and excluding from the page (keys, context menu, undo), the per-class chart, and the
// explanations of its numbers.

#include "AttentionChart.h"
#include "ClassAccuracyModel.h"
#include "ClassChooser.h"
#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "ElidedLabel.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "PlantedFlags.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "PromptAttentionModel.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <functional>
#include <memory>

#include <QAbstractItemModelTester>
#include <QButtonGroup>
#include <QComboBox>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QWhatsThis>
#include <QtTest>

#include <qcustomplot.h>

using namespace aape;
using aape::ui::PredictionsFilterProxy;

namespace {

void saveShot(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!folder.isEmpty())
        widget->grab().save(folder + QLatin1Char('/') + name);
}

struct Fixture {
    std::string path;
    std::int64_t runId = 0;
    std::vector<std::int64_t> classIds;
    std::vector<std::int64_t> imageIds;
    std::vector<std::int64_t> descriptionIds; // of class 0
};

// Three classes, six test images with known outcomes:
//   img0 a->a (zs a)   img1 a->b (zs a: broken)   img2 b->b (zs a: fixed)
//   img3 b->b (zs b)   img4 c->c (zs b: fixed)    img5 c->a (zs c: broken, low confidence, high OOD)
Fixture makeProject(const test::TempDir& dir)
{
    Fixture f;
    f.path = dir.file("p.aapeproj");
    auto project = store::Project::create(f.path);
    if (!project)
        qFatal("%s", project.error().toString().c_str());
    for (const char* name : {"apple", "banana", "cherry"})
        f.classIds.push_back(project->ensureClass(name).value());
    std::vector<store::NewImage> images;
    const int labels[] = {0, 0, 1, 1, 2, 2};
    for (int i = 0; i < 6; ++i) {
        const QString file = QString::fromStdString(dir.file("img" + std::to_string(i) + ".png"));
        QImage image(64, 48, QImage::Format_RGB888);
        image.fill(QColor::fromHsv(i * 50, 200, 200));
        image.save(file);
        store::NewImage row;
        row.path = file.toStdString();
        row.contentHash = QStringLiteral("%1").arg(i + 1, 16, 16, QLatin1Char('0')).toStdString();
        row.width = 64;
        row.height = 48;
        row.classId = f.classIds[static_cast<std::size_t>(labels[i])];
        row.split = store::Split::Test;
        images.push_back(row);
    }
    if (!project->addImages(images))
        qFatal("addImages failed");
    for (const auto& image : project->images().value())
        f.imageIds.push_back(image.id);
    for (const char* text : {"a round red fruit", "grows on trees", "has a stem"})
        f.descriptionIds.push_back(project->addDescription(f.classIds[0], text, "typed").value());
    project->addDescription(f.classIds[1], "a long yellow fruit", "typed").value();

    store::RunSpec spec;
    spec.name = "fixture run";
    spec.seed = 3;
    f.runId = project->createRun(spec).value();
    const int predicted[] = {0, 1, 1, 1, 2, 0};
    const int zeroShot[] = {0, 0, 0, 1, 1, 2};
    const double probability[] = {0.9, 0.7, 0.8, 0.95, 0.85, 0.3};
    const double ood[] = {0.1, 0.3, 0.2, 0.05, 0.15, 0.9};
    std::vector<store::PredictionRecord> rows;
    for (int i = 0; i < 6; ++i) {
        store::PredictionRecord p;
        p.imageId = f.imageIds[static_cast<std::size_t>(i)];
        p.split = store::Split::Test;
        p.trueClassId = f.classIds[static_cast<std::size_t>(labels[i])];
        p.predictedClassId = f.classIds[static_cast<std::size_t>(predicted[i])];
        p.zeroShotClassId = f.classIds[static_cast<std::size_t>(zeroShot[i])];
        p.probability = probability[i];
        p.oodScore = ood[i];
        p.cosTemplate = 0.25;
        p.cosAape = 0.3;
        p.topK = nlohmann::json::array({nlohmann::json::array({p.predictedClassId, p.probability})});
        rows.push_back(p);
    }
    if (!project->putPredictions(f.runId, rows))
        qFatal("putPredictions failed");
    store::AttentionRow attention;
    attention.imageId = f.imageIds[0];
    attention.classId = f.classIds[0];
    // (blended weight, the aggregator's own weight): the two orders differ on purpose.
    attention.weights = {
        {f.descriptionIds[0], 0.6, 0.2}, {f.descriptionIds[1], 0.3, 0.5}, {f.descriptionIds[2], 0.1, 0.3}};
    if (!project->putAttention(f.runId, {attention}))
        qFatal("putAttention failed");
    if (!project->setRunStatus(f.runId, store::RunStatus::Finished))
        qFatal("setRunStatus failed");
    return f;
}

} // namespace

class TestInspect final : public QObject {
    Q_OBJECT
private slots:
    void predictionsModel();
    void looksLikeNamesTheNearestDescriptions();
    void imageStatesWithoutReset();
    void filters_data();
    void filters();
    void confusionMatrix();
    void attentionModel();
    void pageCellClickAndKeys();
    void allClearsTheCellFilter();
    void relabelWithKeys();
    void relabelAndExcludeFromTheContextMenu();
    void chooseAnyClassWithCtrlM();
    void inspectorExplainsItsNumbers();
    void predictedColumnIsReadable();
    void perClassChartIsReadable();
    void accuracySaysWhichSplit();

private:
    test::SettingsSandbox m_settings;
};

void TestInspect::predictionsModel()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    auto project = store::Project::open(f.path).value();
    ui::PredictionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh(&project, f.runId);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), int(ui::PredictionsModel::ColumnCount));
    const auto row1 = model.index(1, ui::PredictionsModel::Predicted);
    QCOMPARE(row1.data().toString(), QStringLiteral("banana"));
    QCOMPARE(model.index(1, ui::PredictionsModel::TrueClass).data().toString(), QStringLiteral("apple"));
    QCOMPARE(model.index(1, ui::PredictionsModel::ZeroShot).data().toString(), QStringLiteral("apple"));
    QVERIFY(model.index(0, ui::PredictionsModel::Image).data().toString().endsWith(QStringLiteral("/img0.png")));
    QVERIFY(!model.index(0, ui::PredictionsModel::Image).data(Qt::DecorationRole).value<QPixmap>().isNull());
    QVERIFY(model.headerData(ui::PredictionsModel::OodScore, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("our addition")));
    QCOMPARE(model.highOodThreshold(), 0.9);
    model.refresh(&project, 0);
    QCOMPARE(model.rowCount(), 0);
}

void TestInspect::imageStatesWithoutReset()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    auto project = store::Project::open(f.path).value();
    ui::PredictionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.refresh(&project, f.runId);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // img1 (apple) relabelled banana, img4 excluded, after the evaluation.
    QVERIFY(project.setImageLabel(f.imageIds[1], f.classIds[1]).ok());
    QVERIFY(project.setImageExcluded(f.imageIds[4], true).ok());
    model.refreshImageStates(&project);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 2); // just the two rows
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 4);
    const QModelIndex truth = model.index(1, ui::PredictionsModel::TrueClass);
    QCOMPARE(truth.data(ui::PredictionsModel::CurrentClassIdRole).toLongLong(), f.classIds[1]);
    QCOMPARE(truth.data(ui::PredictionsModel::TrueClassIdRole).toLongLong(), f.classIds[0]); // as evaluated
    QVERIFY(truth.data(ui::PredictionsModel::RelabelledRole).toBool());
    const QModelIndex excluded = model.index(4, ui::PredictionsModel::Image);
    QVERIFY(excluded.data(ui::PredictionsModel::ExcludedRole).toBool());
    QVERIFY(excluded.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Excluded")));
    QVERIFY(model.index(4, ui::PredictionsModel::Probability).data(Qt::ForegroundRole).isValid());
    QVERIFY(!model.index(3, ui::PredictionsModel::Probability).data(Qt::ForegroundRole).isValid());
    // Nothing changed: no signal.
    model.refreshImageStates(&project);
    QCOMPARE(changed.count(), 2);
}

void TestInspect::filters_data()
{
    QTest::addColumn<int>("filter");
    QTest::addColumn<QList<int>>("expectedImages");
    QTest::newRow("all") << int(PredictionsFilterProxy::Filter::All) << QList<int>{0, 1, 2, 3, 4, 5};
    QTest::newRow("misclassified") << int(PredictionsFilterProxy::Filter::Misclassified) << QList<int>{1, 5};
    QTest::newRow("low confidence") << int(PredictionsFilterProxy::Filter::LowConfidence) << QList<int>{5};
    QTest::newRow("high ood") << int(PredictionsFilterProxy::Filter::HighOod) << QList<int>{5};
    QTest::newRow("fixed") << int(PredictionsFilterProxy::Filter::FixedByAdaptation) << QList<int>{2, 4};
    QTest::newRow("broken") << int(PredictionsFilterProxy::Filter::BrokenByAdaptation) << QList<int>{1, 5};
}

void TestInspect::filters()
{
    QFETCH(int, filter);
    QFETCH(QList<int>, expectedImages);
    test::TempDir dir;
    const auto f = makeProject(dir);
    auto project = store::Project::open(f.path).value();
    ui::PredictionsModel model;
    PredictionsFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.refresh(&project, f.runId);
    proxy.setFilter(static_cast<PredictionsFilterProxy::Filter>(filter));
    QList<int> shown;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const auto id = proxy.index(row, 0).data(ui::PredictionsModel::ImageIdRole).toLongLong();
        shown << int(std::find(f.imageIds.begin(), f.imageIds.end(), id) - f.imageIds.begin());
    }
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, expectedImages);
}

void TestInspect::confusionMatrix()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    auto project = store::Project::open(f.path).value();
    ui::ConfusionMatrixModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh(&project, f.runId);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), 3);
    // Names on both axes (the view rotates the column names).
    QCOMPARE(model.headerData(0, Qt::Vertical).toString(), QStringLiteral("apple"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("banana"));
    QVERIFY(model.headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("banana")));
    QCOMPARE(model.errors(0), 1);
    QCOMPARE(model.errors(1), 0);
    QCOMPARE(model.positionOf(f.classIds[2]), 2);
    // Rows true, columns predicted: apple->apple 1, apple->banana 1, banana->banana 2, cherry->cherry 1, cherry->apple 1.
    QCOMPARE(model.count(0, 0), 1);
    QCOMPARE(model.count(0, 1), 1);
    QCOMPARE(model.count(1, 1), 2);
    QCOMPARE(model.count(2, 0), 1);
    QCOMPARE(model.count(2, 2), 1);
    QCOMPARE(model.count(1, 0), 0);
    QCOMPARE(model.maxCount(), 2);
    QCOMPARE(model.index(0, 1).data(ui::ConfusionMatrixModel::RowFractionRole).toDouble(), 0.5);
    QCOMPARE(model.index(2, 0).data(ui::ConfusionMatrixModel::PredictedClassIdRole).toLongLong(), f.classIds[0]);
}

void TestInspect::attentionModel()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    auto project = store::Project::open(f.path).value();
    ui::PromptAttentionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh(&project, f.runId, f.imageIds[0], f.classIds[0]);
    QCOMPARE(reset.count(), 1);
    QVERIFY(model.hasWeights());
    QCOMPARE(model.className(), QStringLiteral("apple"));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, ui::PromptAttentionModel::Description).data().toString(),
             QStringLiteral("a round red fruit"));
    // The aggregator's own weights by default (the paper's Figure 7), the blend on request.
    QCOMPARE(model.weighting(), ui::PromptAttentionModel::Weighting::Aggregator);
    QCOMPARE(model.index(0, 0).data(ui::PromptAttentionModel::WeightRole).toDouble(), 0.2);
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("30.0%"));
    model.setWeighting(ui::PromptAttentionModel::Weighting::Blended);
    QCOMPARE(reset.count(), 2);
    QVERIFY(model.hasWeights());
    QCOMPARE(model.index(0, 0).data(ui::PromptAttentionModel::WeightRole).toDouble(), 0.6);
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("10.0%"));
    model.setWeighting(ui::PromptAttentionModel::Weighting::Aggregator);
    // An evaluation stored before the own weights were kept: the blend only, and the model says so.
    store::AttentionRow old{f.imageIds[1], f.classIds[0], {{f.descriptionIds[0], 0.5, std::nullopt}}};
    QVERIFY(project.putAttention(f.runId, {old}).ok());
    model.refresh(&project, f.runId, f.imageIds[1], f.classIds[0]);
    QVERIFY(!model.hasWeights());
    QVERIFY(model.ownWeightsMissing());
    model.setWeighting(ui::PromptAttentionModel::Weighting::Blended);
    QVERIFY(model.hasWeights());
    QVERIFY(!model.ownWeightsMissing());
    model.setWeighting(ui::PromptAttentionModel::Weighting::Aggregator);
    // A class without stored attention lists its descriptions with zero weight.
    model.refresh(&project, f.runId, f.imageIds[0], f.classIds[1]);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(!model.hasWeights());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestInspect::pageCellClickAndKeys()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(f.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::InspectPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.setRun(f.runId);
    QCOMPARE(page.runId(), f.runId);
    QCOMPARE(page.proxy()->rowCount(), 6);
    QCOMPARE(page.inspector()->imageId(), f.imageIds[0]);
    QVERIFY(page.inspector()->predictedAttention()->hasWeights());
    // The chart shows the aggregator's own weights, largest first; the menu switches to the blend.
    auto* chart = page.inspector()->chart();
    QCOMPARE(chart->bars(0).front().second, 0.5);
    auto* weighting = page.inspector()->attentionWeighting();
    QCOMPARE(weighting->currentIndex(), 0);
    weighting->setCurrentIndex(1);
    QCOMPARE(chart->bars(0).front().second, 0.6);
    QCOMPARE(chart->bars(0).front().first, QStringLiteral("a round red fruit"));
    weighting->setCurrentIndex(0);

    // Clicking the (cherry, apple) cell leaves only img5.
    auto* view = page.confusionView();
    const QRect cell = view->visualRect(page.confusion()->index(2, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(page.proxy()->rowCount(), 1);
    QCOMPARE(page.inspector()->imageId(), f.imageIds[5]);
    // Misclassified with a different true class: both classes' attention are shown.
    QCOMPARE(page.inspector()->trueAttention()->classId(), f.classIds[2]);

    page.proxy()->setCell(std::nullopt);
    page.table()->selectRow(0);
    page.table()->setFocus();
    const auto first = page.inspector()->imageId();
    QTest::keyClick(page.table(), Qt::Key_J);
    QVERIFY(page.inspector()->imageId() != first);
    QTest::keyClick(page.table(), Qt::Key_K);
    QCOMPARE(page.inspector()->imageId(), first);
    QTest::keyClick(page.table(), Qt::Key_Down);
    QVERIFY(page.inspector()->imageId() != first);

    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!shots.isEmpty())
        page.grab().save(shots + QStringLiteral("/inspect-fixture.png"));
}

namespace {

struct OpenPage {
    ui::ProjectSession session;
    ui::JobRunner jobs;
    QUndoStack undo;
    std::unique_ptr<ui::InspectPage> page;

    explicit OpenPage(const std::string& path)
    {
        QString error;
        if (!session.open(QString::fromStdString(path), &error))
            qFatal("%s", qPrintable(error));
        page = std::make_unique<ui::InspectPage>(&session, &jobs, &undo);
        page->resize(1200, 800);
        page->show();
        if (!QTest::qWaitForWindowExposed(page.get()))
            qFatal("not exposed");
    }
};

// The proxy row of an image in the page's table, -1 when it is not shown.
int rowOfImage(ui::InspectPage& page, std::int64_t imageId)
{
    for (int row = 0; row < page.proxy()->rowCount(); ++row)
        if (page.proxy()->index(row, 0).data(ui::PredictionsModel::ImageIdRole).toLongLong() == imageId)
            return row;
    return -1;
}

// Runs `pick` on the next popup menu once it is open (QMenu::exec blocks until it closes).
void whenMenuOpens(std::function<void(QMenu*)> pick)
{
    QTimer::singleShot(0, [pick] {
        QTRY_VERIFY(qobject_cast<QMenu*>(QApplication::activePopupWidget()));
        auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        pick(menu);
        if (menu->isVisible())
            menu->close();
    });
}

QAction* actionStartingWith(QMenu* menu, const QString& text)
{
    for (QAction* action : menu->actions()) {
        if (action->text().startsWith(text))
            return action;
        if (action->menu())
            if (QAction* inner = actionStartingWith(action->menu(), text))
                return inner;
    }
    return nullptr;
}

} // namespace

void TestInspect::allClearsTheCellFilter()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    page.analysisTabs()->setCurrentWidget(page.confusionView()->parentWidget());
    auto* view = page.confusionView();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(page.confusion()->index(2, 0)).center());
    QCOMPARE(page.proxy()->rowCount(), 1);
    QVERIFY(page.restrictionLabel()->isVisibleTo(&page));
    QCOMPARE(page.restrictionLabel()->fullText(), QStringLiteral("Only images of cherry predicted as apple"));
    // Misclassified keeps the cell; All shows every image of every class again.
    page.filterButtons()->button(int(PredictionsFilterProxy::Filter::Misclassified))->click();
    QCOMPARE(page.proxy()->rowCount(), 1);
    page.filterButtons()->button(int(PredictionsFilterProxy::Filter::All))->click();
    QCOMPARE(page.proxy()->cell(), std::nullopt);
    QCOMPARE(page.proxy()->rowCount(), 6);
    QVERIFY(!page.restrictionLabel()->isVisibleTo(&page));
    // A class from the per-class table lists that class's images.
    page.analysisTabs()->setCurrentWidget(page.classTable()->parentWidget());
    QTableView* classes = page.classTable();
    const QModelIndex banana = page.classAccuracyProxy()->mapFromSource(
        page.classAccuracy()->index(page.classAccuracy()->rowOfClass(f.classIds[1]), ui::ClassAccuracyModel::Name));
    QTest::mouseClick(classes->viewport(), Qt::LeftButton, {}, classes->visualRect(banana).center());
    QCOMPARE(page.proxy()->rowCount(), 2);
    QCOMPARE(page.restrictionLabel()->fullText(), QStringLiteral("Only images of banana"));
    page.filterButtons()->button(int(PredictionsFilterProxy::Filter::All))->click();
    QCOMPARE(page.proxy()->rowCount(), 6);
}

void TestInspect::relabelWithKeys()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    QSignalSpy changed(&open.session, &ui::ProjectSession::datasetChanged);
    // img1 is an apple predicted as banana: select it, press 2 (the second class, banana).
    const int row = rowOfImage(page, f.imageIds[1]);
    QVERIFY(row >= 0);
    page.table()->setFocus();
    page.table()->selectRow(row);
    QCOMPARE(page.inspector()->imageId(), f.imageIds[1]);
    QVERIFY(page.inspector()->note().contains(QStringLiteral("Right-click")));
    QTest::keyClick(page.table(), Qt::Key_2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(open.undo.count(), 1);
    QCOMPARE(open.session.project()->image(f.imageIds[1]).value()->classId, std::optional<std::int64_t>(f.classIds[1]));
    // The row shows the new label, marked as changed since the evaluation; it stays in place.
    QCOMPARE(rowOfImage(page, f.imageIds[1]), row);
    const QModelIndex truth = page.proxy()->index(row, ui::PredictionsModel::TrueClass);
    QCOMPARE(truth.data().toString(), QStringLiteral("✎ banana"));
    QCOMPARE(truth.data(ui::PredictionsModel::SortRole).toString(), QStringLiteral("banana"));
    QVERIFY(truth.data(ui::PredictionsModel::RelabelledRole).toBool());
    QVERIFY(truth.data(Qt::FontRole).value<QFont>().italic());
    QVERIFY(truth.data(Qt::ToolTipRole).toString().contains(QStringLiteral("evaluated when it was labelled apple")));
    QVERIFY2(page.inspector()->note().contains(QStringLiteral("Now labelled banana")),
             qPrintable(page.inspector()->note()));
    // 0 removes the label; Ctrl+Z (the shared stack) undoes step by step.
    QTest::keyClick(page.table(), Qt::Key_0);
    QCOMPARE(open.session.project()->image(f.imageIds[1]).value()->classId, std::nullopt);
    QCOMPARE(truth.data().toString(), QStringLiteral("✎ (unlabelled)"));
    open.undo.undo();
    open.undo.undo();
    QCOMPARE(open.session.project()->image(f.imageIds[1]).value()->classId, std::optional<std::int64_t>(f.classIds[0]));
    QCOMPARE(truth.data().toString(), QStringLiteral("apple"));
    QVERIFY(!truth.data(ui::PredictionsModel::RelabelledRole).toBool());
    // Several selected images at once, from the inspector too.
    page.table()->selectRow(rowOfImage(page, f.imageIds[0]));
    page.table()->selectionModel()->select(page.proxy()->index(rowOfImage(page, f.imageIds[2]), 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(page.selectedImageIds().size(), 2);
    page.inspector()->setFocus();
    QTest::keyClick(page.inspector(), Qt::Key_3);
    for (int i : {0, 2})
        QCOMPARE(open.session.project()->image(f.imageIds[static_cast<std::size_t>(i)]).value()->classId,
                 std::optional<std::int64_t>(f.classIds[2]));
    // Delete excludes; the row says so.
    QTest::keyClick(page.table(), Qt::Key_Delete);
    QVERIFY(open.session.project()->image(f.imageIds[0]).value()->excluded);
    const QModelIndex image = page.proxy()->index(rowOfImage(page, f.imageIds[0]), ui::PredictionsModel::Image);
    QVERIFY(image.data(ui::PredictionsModel::ExcludedRole).toBool());
    QVERIFY(image.data().toString().startsWith(QStringLiteral("[excluded]")));
    // Typing a digit in the class search does not relabel anything.
    const int edits = open.undo.count();
    page.classSearch()->setFocus();
    const qint64 shown = page.inspector()->imageId();
    QTest::keyClicks(page.classSearch(), QStringLiteral("1j"));
    QCOMPARE(open.undo.count(), edits);
    QCOMPARE(page.classSearch()->text(), QStringLiteral("1j"));
    QCOMPARE(page.inspector()->imageId(), shown); // J typed, not "next image"
}

void TestInspect::relabelAndExcludeFromTheContextMenu()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    // Right-click img5 (a cherry predicted as apple); the first entry takes the prediction.
    const int row = rowOfImage(page, f.imageIds[5]);
    page.table()->scrollTo(page.proxy()->index(row, 0));
    const QPoint at = page.table()->visualRect(page.proxy()->index(row, ui::PredictionsModel::Predicted)).center();
    QString offered;
    whenMenuOpens([&offered](QMenu* menu) {
        offered = menu->actions().first()->text();
        menu->actions().first()->trigger();
    });
    QMetaObject::invokeMethod(page.table(), "customContextMenuRequested", Q_ARG(QPoint, at));
    QCOMPARE(offered, QStringLiteral("Label as apple (predicted, 30%)"));
    QCOMPARE(page.inspector()->imageId(), f.imageIds[5]);
    QCOMPARE(open.session.project()->image(f.imageIds[5]).value()->classId, std::optional<std::int64_t>(f.classIds[0]));
    QCOMPARE(page.proxy()->index(row, ui::PredictionsModel::TrueClass).data().toString(), QStringLiteral("✎ apple"));

    // The inspector's menu excludes the image it shows.
    whenMenuOpens([](QMenu* menu) {
        QAction* exclude = actionStartingWith(menu, QStringLiteral("Exclude from Training"));
        QVERIFY(exclude);
        exclude->trigger();
    });
    QMetaObject::invokeMethod(page.inspector(), "customContextMenuRequested", Q_ARG(QPoint, QPoint(10, 10)));
    QVERIFY(open.session.project()->image(f.imageIds[5]).value()->excluded);
    QVERIFY(page.inspector()->note().contains(QStringLiteral("Excluded")));
    // Now the menu offers to include it again; undo works as well.
    QMenu menu;
    page.fillContextMenu(&menu);
    QVERIFY(actionStartingWith(&menu, QStringLiteral("Include in Training")));
    // The current label is not offered; the zero-shot answer is.
    QVERIFY(!actionStartingWith(&menu, QStringLiteral("Label as apple")));
    QVERIFY(actionStartingWith(&menu, QStringLiteral("cherry (zero-shot CLIP)")));
    open.undo.undo();
    QVERIFY(!open.session.project()->image(f.imageIds[5]).value()->excluded);
    QVERIFY(!page.proxy()->index(row, 0).data(ui::PredictionsModel::ExcludedRole).toBool());
}

void TestInspect::chooseAnyClassWithCtrlM()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    page.table()->setFocus();
    page.table()->selectRow(rowOfImage(page, f.imageIds[0]));
    // The chooser lists every class; typing keeps the matching ones, Enter takes the first.
    int listed = 0;
    int matching = 0;
    QTimer::singleShot(0, [&] {
        QTRY_VERIFY(qobject_cast<ui::ClassChooser*>(QApplication::activeModalWidget()));
        auto* chooser = qobject_cast<ui::ClassChooser*>(QApplication::activeModalWidget());
        listed = chooser->list()->model()->rowCount();
        QTest::keyClicks(chooser->searchField(), QStringLiteral("ERR"));
        matching = chooser->list()->model()->rowCount();
        QTest::keyClick(chooser->searchField(), Qt::Key_Return);
    });
    QTest::keyClick(page.table(), Qt::Key_M, Qt::ControlModifier);
    QCOMPARE(listed, 3);
    QCOMPARE(matching, 1); // cherry
    QCOMPARE(open.session.project()->image(f.imageIds[0]).value()->classId, std::optional<std::int64_t>(f.classIds[2]));
    QCOMPARE(open.undo.count(), 1);
}

void TestInspect::inspectorExplainsItsNumbers()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    open.page->setRun(f.runId);
    ui::ImageInspector* inspector = open.page->inspector();
    auto* aape = inspector->findChild<QLabel*>(QStringLiteral("aapeSimilarity"));
    auto* plain = inspector->findChild<QLabel*>(QStringLiteral("templateSimilarity"));
    QVERIFY(aape && plain);
    QVERIFY(aape->text().contains(QStringLiteral("0.300")));
    QVERIFY(plain->text().contains(QStringLiteral("0.250")));
    // In plain words: what it compares, what high means, how to read the number.
    for (const QString& text : {aape->toolTip(), aape->whatsThis()}) {
        QVERIFY(text.contains(QStringLiteral("how well the image matches the predicted class")));
        QVERIFY(text.contains(QStringLiteral("1 would be a perfect match")));
    }
    QVERIFY(plain->toolTip().contains(QStringLiteral("a photo of a")));
    // A click on the number shows the explanation at once.
    QTest::mouseClick(aape, Qt::LeftButton);
    QTRY_VERIFY(QApplication::activePopupWidget()
                && QByteArray(QApplication::activePopupWidget()->metaObject()->className()) == "QWhatsThat");
    QWhatsThis::hideText();
    QCOMPARE(
        open.page->predictions()->headerData(ui::PredictionsModel::CosAape, Qt::Horizontal, Qt::ToolTipRole).toString(),
        aape->toolTip());
}

void TestInspect::predictedColumnIsReadable()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    // Columns were sized for short names (as they are when a layout comes back from the
    // settings, or a first run had short names); then a class gets a car's name.
    const QString longName = QStringLiteral("2012 Rolls-Royce Phantom Drophead Coupe Convertible");
    QVERIFY(open.session.project()->renameClass(f.classIds[1], longName.toStdString()).ok());
    open.session.notifyRunsChanged();
    QHeaderView* header = page.table()->horizontalHeader();
    // Wide enough for ordinary names in full, and for a long one's first 30 characters.
    const QFontMetrics metrics = page.table()->fontMetrics();
    const int needed =
        std::min(metrics.horizontalAdvance(longName), metrics.averageCharWidth() * ui::InspectPage::kClassColumnChars);
    for (int column : {int(ui::PredictionsModel::TrueClass), int(ui::PredictionsModel::Predicted)})
        QVERIFY2(header->sectionSize(column) >= needed,
                 qPrintable(QStringLiteral("%1 < %2").arg(header->sectionSize(column)).arg(needed)));
    // Every class cell has its full name as tooltip, for columns the user narrows.
    const int row = rowOfImage(page, f.imageIds[1]);
    QVERIFY(page.proxy()
                ->index(row, ui::PredictionsModel::Predicted)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(longName));
    QCOMPARE(page.proxy()
                 ->index(rowOfImage(page, f.imageIds[2]), ui::PredictionsModel::TrueClass)
                 .data(Qt::ToolTipRole)
                 .toString(),
             longName);
}

void TestInspect::perClassChartIsReadable()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    QVERIFY(page.showsPerClassChart());
    QTabWidget* tabs = page.analysisTabs();
    tabs->setCurrentIndex(tabs->count() - 1);
    QCustomPlot* plot = page.perClassPlot();
    QTRY_VERIFY(plot->isVisible());
    plot->replot();
    // The legend sits above the bars, not on them.
    QVERIFY(plot->legend->visible());
    QVERIFY(!plot->legend->outerRect().intersects(plot->axisRect()->rect()));
    // Names are horizontal, one per line: neighbouring ticks are at least a line apart.
    QCPAxis* names = plot->yAxis;
    QCOMPARE(names->tickLabelRotation(), 0.0);
    const double spacing = std::abs(names->coordToPixel(2) - names->coordToPixel(1));
    QVERIFY2(spacing >= QFontMetrics(names->tickLabelFont()).height(), qPrintable(QString::number(spacing)));
    QCOMPARE(plot->plottableCount(), 2);
    QVERIFY(plot->xAxis->label().contains(QStringLiteral("test")));
    saveShot(&page, QStringLiteral("inspect-3-classes-chart.png"));
}

void TestInspect::accuracySaysWhichSplit()
{
    test::TempDir dir;
    const auto f = makeProject(dir);
    {
        auto project = store::Project::open(f.path).value();
        QVERIFY(
            project
                .setRunSummary(f.runId, {{"evaluated_split", "val"}, {"evaluated_epoch", 7}, {"epoch_choice", "last"}})
                .ok());
    }
    OpenPage open(f.path);
    ui::InspectPage& page = *open.page;
    page.setRun(f.runId);
    // 4 of 6 right after adaptation; zero-shot right on img0, img1, img3 and img5, 4 of 6 too.
    QCOMPARE(page.summaryLabel()->text(),
             QStringLiteral("6 image(s) of the validation split · validation accuracy 66.7% (zero-shot CLIP 66.7%) · "
                            "epoch 7, the last"));
    QCOMPARE(page.classAccuracy()->headerData(ui::ClassAccuracyModel::Accuracy, Qt::Horizontal).toString(),
             QStringLiteral("Accuracy (validation)"));
}

void TestInspect::looksLikeNamesTheNearestDescriptions()
{
    test::TempDir dir;
    const auto planted = test::writePlantedFlagsProject(dir.path());
    auto project = store::Project::open(planted.path).value();
    std::map<std::int64_t, QString> names;
    for (const auto& cls : project.classes().value())
        names[cls.id] = QString::fromStdString(cls.name);
    for (const char* className : {"harbor", "river"}) {
        store::ImageFilter filter;
        filter.classId = planted.classIds.at(className);
        const auto image = project.images(filter).value().front();
        // Independently: the three descriptions of any class nearest the image's embedding.
        const auto x = project.imageEmbeddings("planted-fingerprint", {image.contentHash}, 0).value().values;
        std::vector<std::pair<double, QString>> ranked;
        for (const auto& d : project.descriptions().value()) {
            const auto& p = planted.descriptionVectors.at(d.text);
            double cosine = 0.0;
            for (std::size_t i = 0; i < p.size(); ++i)
                cosine += double(p[i]) * x[i];
            ranked.emplace_back(cosine,
                                QStringLiteral("%1 (%2)").arg(QString::fromStdString(d.text), names[d.classId]));
        }
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        store::PredictionRecord prediction;
        prediction.imageId = image.id;
        prediction.predictedClassId = *image.classId;
        prediction.trueClassId = image.classId;
        ui::ImageInspector inspector;
        inspector.showPrediction(&project, planted.runId, prediction, QString::fromStdString(image.path), names);
        const QString expected =
            QStringLiteral("Looks like: %1, %2, %3").arg(ranked[0].second, ranked[1].second, ranked[2].second);
        QCOMPARE(inspector.looksLike()->text(), expected);
        inspector.clear();
        QVERIFY(inspector.looksLike()->text().isEmpty());
    }
}

QTEST_MAIN(TestInspect)
#include "tst_inspect.moc"
