// PredictionsModel, its filter proxy, ConfusionMatrixModel and PromptAttentionModel over a
// project filled through the store API, and the inspect page's cell filter and J/K keys.

#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "ImageInspector.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "PromptAttentionModel.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>

using namespace aape;
using aape::ui::PredictionsFilterProxy;

namespace {

struct Fixture {
    std::string path;
    std::int64_t runId = 0;
    std::vector<std::int64_t> classIds;
    std::vector<std::int64_t> imageIds;
    std::vector<std::int64_t> descriptionIds;  // of class 0
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
    attention.weights = {{f.descriptionIds[0], 0.6}, {f.descriptionIds[1], 0.3}, {f.descriptionIds[2], 0.1}};
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
    void filters_data();
    void filters();
    void confusionMatrix();
    void attentionModel();
    void pageCellClickAndKeys();

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
    QCOMPARE(model.headerData(0, Qt::Vertical).toString(), QStringLiteral("1  apple"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("2"));
    QVERIFY(model.headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("banana")));
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
    QCOMPARE(model.index(0, ui::PromptAttentionModel::Description).data().toString(), QStringLiteral("a round red fruit"));
    QCOMPARE(model.index(0, 0).data(ui::PromptAttentionModel::WeightRole).toDouble(), 0.6);
    QCOMPARE(model.index(2, 0).data().toString(), QStringLiteral("10.0%"));
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

QTEST_MAIN(TestInspect)
#include "tst_inspect.moc"
