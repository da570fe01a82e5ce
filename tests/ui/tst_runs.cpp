// RunsModel over runs written through the store API, the runs page's group statistics and
// curve overlay, and the predictions CSV export.

#include "ExportActions.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "RunsModel.h"
#include "RunsPage.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include <qcustomplot.h>

using namespace aape;

namespace {

// Two finished runs in run set "g" (final val accuracy 0.6 and 0.8, summaries with base/new
// and zero-shot), one ungrouped interrupted run, a failed third run of "g" and a set "h" with
// one finished run.
std::string makeProject(const test::TempDir& dir, std::vector<std::int64_t>* ids)
{
    const std::string path = dir.file("runs.aapeproj");
    auto project = store::Project::create(path).value();
    const double finals[] = {0.6, 0.8};
    for (int r = 0; r < 2; ++r) {
        store::RunSpec spec;
        spec.name = "seed run " + std::to_string(r + 1);
        spec.seed = static_cast<std::uint64_t>(r + 1);
        spec.group = "g";
        spec.config = {{"epochs", 3}, {"shots", 4}, {"distill_weight", 5.0}, {"base_to_new", true}};
        const auto id = project.createRun(spec).value();
        ids->push_back(id);
        for (int e = 0; e < 3; ++e) {
            store::EpochMetrics m;
            m.epoch = e;
            m.totalLoss = 2.0 - 0.5 * e;
            m.trainAccuracy = 0.5;
            m.valAccuracy = finals[r] - 0.1 * (2 - e);
            if (!project.commitEpoch(id, m, {{"w", {1}, {float(e)}}}))
                qFatal("commitEpoch failed");
        }
        if (!project.setRunSummary(
                id, {{"base_accuracy", 0.9 - 0.1 * r}, {"new_accuracy", 0.5}, {"zero_shot_accuracy", 0.3 + 0.2 * r}}))
            qFatal("setRunSummary failed");
        if (!project.setRunStatus(id, store::RunStatus::Finished))
            qFatal("setRunStatus failed");
    }
    store::RunSpec spec;
    spec.name = "cut off";
    spec.config = {{"epochs", 10}};
    const auto id = project.createRun(spec).value();
    ids->push_back(id);
    store::EpochMetrics m;
    m.totalLoss = 1.0;
    if (!project.commitEpoch(id, m, {{"w", {1}, {0.f}}}) || !project.setRunStatus(id, store::RunStatus::Interrupted))
        qFatal("interrupted run failed");
    // Unfinished members of a set take no part in its statistics.
    spec.name = "seed run 3";
    spec.seed = 3;
    spec.group = "g";
    const auto failed = project.createRun(spec).value();
    ids->push_back(failed);
    m.valAccuracy = 0.1;
    if (!project.commitEpoch(failed, m, {{"w", {1}, {0.f}}}) || !project.setRunStatus(failed, store::RunStatus::Failed))
        qFatal("failed run failed");
    spec.name = "lonely";
    spec.seed = 1;
    spec.group = "h";
    const auto lonely = project.createRun(spec).value();
    ids->push_back(lonely);
    m.valAccuracy = 0.5;
    if (!project.commitEpoch(lonely, m, {{"w", {1}, {0.f}}})
        || !project.setRunStatus(lonely, store::RunStatus::Finished))
        qFatal("lonely run failed");
    return path;
}

} // namespace

class TestRuns final : public QObject {
    Q_OBJECT
private slots:
    void model();
    void numbers_data();
    void numbers();
    void meanAndSampleStd();
    void pageGroupsAndOverlay();
    void predictionsCsv();
    void zeroShotBesideEveryRun();
    void renameAndDelete();
    void runMenusFollowTheNewestRun();

private:
    test::SettingsSandbox m_settings;
};

void TestRuns::model()
{
    test::TempDir dir;
    std::vector<std::int64_t> ids;
    const auto path = makeProject(dir, &ids);
    auto project = store::Project::open(path).value();
    ui::RunsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh(&project);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    const int first = model.rowOf(ids[0]);
    QVERIFY(first >= 0);
    QCOMPARE(model.index(first, ui::RunsModel::Name).data().toString(), QStringLiteral("seed run 1"));
    QCOMPARE(model.index(first, ui::RunsModel::Status).data().toString(), QStringLiteral("finished"));
    QCOMPARE(model.index(first, ui::RunsModel::Epochs).data().toString(), QStringLiteral("3 / 3"));
    // Not evaluated: the last validation accuracy, marked as such.
    QCOMPARE(model.index(first, ui::RunsModel::Accuracy).data().toString(), QStringLiteral("60.0% (val)"));
    QCOMPARE(model.index(first, ui::RunsModel::Base).data().toString(), QStringLiteral("90.0%"));
    QCOMPARE(model.index(first, ui::RunsModel::Group).data().toString(), QStringLiteral("g"));
    // The settings column names shots, λ and the protocol; its tooltip lists every setting.
    const QString settings = model.index(first, ui::RunsModel::Settings).data().toString();
    QVERIFY2(settings.startsWith(QStringLiteral("4 shot")) && settings.contains(QStringLiteral("λ 5"))
                 && settings.endsWith(QStringLiteral("base-to-new")),
             qPrintable(settings));
    QVERIFY(model.index(first, ui::RunsModel::Settings)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("epochs: 3")));
    // H is derived from base and new when the summary lacks it: 2·0.9·0.5/1.4.
    QCOMPARE(model.index(first, ui::RunsModel::Harmonic).data(ui::RunsModel::SortRole).toDouble(), 0.9 / 1.4);
    const int cut = model.rowOf(ids[2]);
    QVERIFY(model.index(cut, 0).data(ui::RunsModel::ResumableRole).toBool());
    QCOMPARE(model.index(cut, ui::RunsModel::Status).data().toString(), QStringLiteral("interrupted"));
    model.refresh(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestRuns::numbers_data()
{
    QTest::addColumn<QString>("summary");
    QTest::addColumn<double>("accuracy");
    QTest::addColumn<double>("harmonic");
    QTest::newRow("flat") << R"({"accuracy": 0.7, "harmonic_mean": 0.5})" << 0.7 << 0.5;
    QTest::newRow("nested") << R"({"accuracy": 0.4, "base": {"accuracy": 0.8}, "new": {"accuracy": 0.8}})" << 0.4
                            << 0.8;
    QTest::newRow("from last epoch") << R"({})" << 0.25 << -1.0;
}

void TestRuns::numbers()
{
    QFETCH(QString, summary);
    QFETCH(double, accuracy);
    QFETCH(double, harmonic);
    store::RunRecord run;
    run.summary = nlohmann::json::parse(summary.toStdString());
    store::EpochMetrics last;
    last.valAccuracy = 0.25;
    const auto n = ui::runNumbers(run, {last});
    QVERIFY(n.accuracy.has_value());
    QCOMPARE(*n.accuracy, accuracy);
    QCOMPARE(n.harmonic.value_or(-1.0), harmonic);
}

void TestRuns::meanAndSampleStd()
{
    QVERIFY(!ui::meanStd({}).has_value());
    const auto one = ui::meanStd({0.25});
    QCOMPARE(one->mean, 0.25);
    QCOMPARE(one->std, 0.0);
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
    const auto eight = ui::meanStd({2, 4, 4, 4, 5, 5, 7, 9});
    QCOMPARE(eight->count, 8);
    QCOMPARE(eight->mean, 5.0);
    QVERIFY(qAbs(eight->std - std::sqrt(32.0 / 7.0)) < 1e-12);
}

void TestRuns::pageGroupsAndOverlay()
{
    test::TempDir dir;
    std::vector<std::int64_t> ids;
    const auto path = makeProject(dir, &ids);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.model()->rowCount(), 5);
    // Run set g: two finished seeds (the failed third is left out). Accuracy 0.6 and 0.8 ->
    // 70.00 ± 14.14 (sample std); zero-shot 0.3 and 0.5; base 0.9 and 0.8; new 0.5 twice;
    // H 2·0.9·0.5/1.4 and 2·0.8·0.5/1.3.
    QCOMPARE(page.groups()->rowCount(), 2);
    const auto cell = [&page](int row, int column) { return page.groups()->item(row, column)->text(); };
    QCOMPARE(cell(0, 0), QStringLiteral("g"));
    QCOMPARE(cell(0, 1), QStringLiteral("2 of 3"));
    QCOMPARE(cell(0, 2), QStringLiteral("70.00 ± 14.14"));
    QCOMPARE(cell(0, 3), QStringLiteral("40.00 ± 14.14"));
    QCOMPARE(cell(0, 4), QStringLiteral("85.00 ± 7.07"));
    QCOMPARE(cell(0, 5), QStringLiteral("50.00 ± 0.00"));
    QCOMPARE(cell(0, 6), QStringLiteral("62.91 ± 1.94"));
    // Run set h has one finished run: no spread to show.
    QCOMPARE(cell(1, 0), QStringLiteral("h"));
    QCOMPARE(cell(1, 1), QStringLiteral("1 of 1"));
    QCOMPARE(cell(1, 2), QStringLiteral("—"));
    QVERIFY(!page.groups()->item(1, 2)->toolTip().isEmpty());
    // The newest run is chosen at first, so that the plot is not empty.
    QCOMPARE(page.selectedRunIds(), std::vector<std::int64_t>{ids.back()});
    QCOMPARE(page.plot()->graphCount(), 2);
    page.selectRuns({ids[0], ids[1]});
    QCOMPARE(page.selectedRunIds().size(), std::size_t(2));
    // Two curves (accuracy and loss) per selected run, three epochs each.
    QCOMPARE(page.plot()->graphCount(), 4);
    for (int g = 0; g < page.plot()->graphCount(); ++g)
        QCOMPARE(page.plot()->graph(g)->dataCount(), 3);
    // New runs appear when the session says runs changed.
    {
        auto project = store::Project::open(path).value();
        store::RunSpec spec;
        spec.name = "late";
        (void)project.createRun(spec).value();
    }
    session.notifyRunsChanged();
    QCOMPARE(page.model()->rowCount(), 6);
    QCOMPARE(page.selectedRunIds().size(), std::size_t(2));

    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!shots.isEmpty())
        page.grab().save(shots + QStringLiteral("/runs-fixture.png"));
    QTemporaryDir out;
    QVERIFY(ui::exportPlot(page.plot(), out.filePath(QStringLiteral("plot.png"))).ok());
    QVERIFY(ui::exportPlot(page.plot(), out.filePath(QStringLiteral("plot.pdf"))).ok());
    QVERIFY(QFileInfo(out.filePath(QStringLiteral("plot.png"))).size() > 1000);
    QFile pdf(out.filePath(QStringLiteral("plot.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(4) == "%PDF");
}

void TestRuns::predictionsCsv()
{
    test::TempDir dir;
    auto project = store::Project::create(dir.file("csv.aapeproj")).value();
    const auto a = project.ensureClass("a, with comma").value();
    const auto b = project.ensureClass("b").value();
    store::NewImage image;
    image.path = dir.file("x.png");
    image.contentHash = "00000000000000aa";
    image.classId = a;
    image.split = store::Split::Test;
    QVERIFY(project.addImages({image}).ok());
    const auto imageId = project.images().value().front().id;
    store::RunSpec spec;
    const auto run = project.createRun(spec).value();
    store::PredictionRecord p;
    p.imageId = imageId;
    p.trueClassId = a;
    p.predictedClassId = b;
    p.probability = 0.75;
    p.oodScore = 0.25;
    p.cosTemplate = 0.5;
    p.cosAape = 0.125;
    p.zeroShotClassId = a;
    QVERIFY(project.putPredictions(run, {p}).ok());
    const QString csv = QString::fromStdString(dir.file("out.csv"));
    const auto status = ui::exportPredictionsCsv(project, run, csv);
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().toString().c_str());
    const auto text = QString::fromStdString(test::readTextFile(csv.toStdString()));
    const auto lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], QStringLiteral("path,true,predicted,probability,ood,cos_template,cos_aape,zero_shot"));
    QCOMPARE(lines[1], QString::fromStdString(image.path)
                           + QStringLiteral(",\"a, with comma\",b,0.75,0.25,0.5,0.125,\"a, with comma\""));
    QVERIFY(!ui::exportPredictionsCsv(project, run, QStringLiteral("/nonexistent-dir/x.csv")).ok());
}

void TestRuns::zeroShotBesideEveryRun()
{
    test::TempDir dir;
    std::vector<std::int64_t> ids;
    const auto path = makeProject(dir, &ids);
    auto project = store::Project::open(path).value();
    ui::RunsModel model;
    model.refresh(&project);
    QCOMPARE(model.headerData(ui::RunsModel::ZeroShot, Qt::Horizontal).toString(), QStringLiteral("Zero-shot"));
    QCOMPARE(model.index(model.rowOf(ids[0]), ui::RunsModel::ZeroShot).data().toString(), QStringLiteral("30.0%"));
    QCOMPARE(model.index(model.rowOf(ids[1]), ui::RunsModel::ZeroShot).data().toString(), QStringLiteral("50.0%"));
    // A run not evaluated yet says that its accuracy is the validation accuracy.
    QCOMPARE(model.index(model.rowOf(ids[3]), ui::RunsModel::Accuracy).data().toString(),
             QStringLiteral("10.0% (val)"));
    // An evaluated run's tooltip names the split and the epoch.
    QVERIFY(project
                .setRunSummary(ids[0], {{"accuracy", 0.6},
                                        {"zero_shot_accuracy", 0.3},
                                        {"evaluated_split", "test"},
                                        {"evaluated_epoch", 2},
                                        {"epoch_choice", "best"}})
                .ok());
    model.refresh(&project);
    const QString tip = model.index(model.rowOf(ids[0]), ui::RunsModel::Accuracy).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("test images, at epoch 2 (the best on validation)")), qPrintable(tip));
}

void TestRuns::renameAndDelete()
{
    test::TempDir dir;
    std::vector<std::int64_t> ids;
    const auto path = makeProject(dir, &ids);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    QSignalSpy changed(&session, &ui::ProjectSession::runsChanged);
    QVERIFY(page.renameRun(ids[0], QStringLiteral("  best so far ")));
    QCOMPARE(session.project()->run(ids[0]).value()->name, std::string("best so far"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(page.model()->index(page.model()->rowOf(ids[0]), ui::RunsModel::Name).data().toString(),
             QStringLiteral("best so far"));
    QVERIFY(!page.renameRun(ids[0], QStringLiteral("   ")));

    const auto answer = [](QMessageBox::StandardButton button) {
        QTimer::singleShot(0, [button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(QStringLiteral("cannot be undone")));
            box->button(button)->click();
        });
    };
    answer(QMessageBox::Cancel);
    QCOMPARE(page.deleteRuns({ids[1]}, true), 0);
    QCOMPARE(page.model()->rowCount(), 5);
    answer(QMessageBox::Yes);
    QCOMPARE(page.deleteRuns({ids[1], ids[2]}, true), 2);
    QCOMPARE(page.model()->rowCount(), 3);
    QVERIFY(!session.project()->run(ids[1]).value().has_value());
    QVERIFY(session.project()->epochMetrics(ids[1]).value().empty());
}

void TestRuns::runMenusFollowTheNewestRun()
{
    test::TempDir dir;
    std::vector<std::int64_t> ids;
    const auto path = makeProject(dir, &ids);
    auto project = store::Project::open(path).value();
    ui::RunMenu menu;
    menu.refresh(&project);
    // Finished runs only, newest first, named with accuracy, epochs and time.
    QCOMPARE(menu.count(), 3);
    QCOMPARE(menu.runId(), ids[4]);
    const QString label = menu.itemText(menu.findData(QVariant::fromValue<qint64>(ids[0])));
    QVERIFY2(label.startsWith(QStringLiteral("seed run 1 · H 64.3 % · 3 epoch")), qPrintable(label));

    const auto finishRun = [&project](const std::string& name) {
        store::RunSpec spec;
        spec.name = name;
        const auto id = project.createRun(spec).value();
        store::EpochMetrics m;
        if (!project.commitEpoch(id, m, {{"w", {1}, {0.f}}}) || !project.setRunStatus(id, store::RunStatus::Finished))
            qFatal("finishing a run failed");
        return id;
    };
    // Left on the newest, the menu moves to a run that finishes later.
    const auto later = finishRun("later");
    QVERIFY(menu.refresh(&project));
    QCOMPARE(menu.runId(), later);
    // A run the user chose on purpose stays chosen.
    menu.chooseRun(ids[0]);
    const auto latest = finishRun("latest");
    QVERIFY(!menu.refresh(&project));
    QCOMPARE(menu.runId(), ids[0]);
    // ... until it is deleted: then the newest again.
    QVERIFY(project.removeRun(ids[0]).ok());
    QVERIFY(menu.refresh(&project));
    QCOMPARE(menu.runId(), latest);
}

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
