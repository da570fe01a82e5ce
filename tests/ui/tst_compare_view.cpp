// The Runs page's method comparison: the bar chart's means and error bars against the stored
// runs' summaries, no bar where a method cannot answer (the probe's new-class accuracy), the
// per-class winner on planted predictions, and the Compare Methods dialog training real runs.

#include "CompareDialog.h"
#include "ComparisonChart.h"
#include "ComparisonModel.h"
#include "ComparisonPanel.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "ProjectSession.h"
#include "RunsPage.h"
#include "SettingsSandbox.h"
#include "StudioSettings.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/store/Project.h"
#include "aape/workflow/Compare.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include <qcustomplot.h>

#include <cmath>
#include <map>

using namespace aape;

namespace {

// Four classes with four test images each; per class, how many images each method's runs got
// right (the same in both seeds, so the per-class mean is exact).
struct Planted {
    std::string path;
    std::vector<std::int64_t> classIds;
    std::map<std::string, std::vector<std::int64_t>> runsByGroup;
    std::int64_t cuplRun = 0; // a baseline run evaluated before baselines kept per-image results
};

const char* const kPlainWhen = "2026-11-30 09:00";
const char* const kBaseToNewWhen = "2026-12-01 10:00";

std::string groupName(const std::string& method, const char* when)
{
    return "compare · " + method + " · 4 shots · " + when;
}

// Right answers per class (of 4) for each method of the plain comparison.
const std::map<std::string, std::vector<int>> kRight = {
    {"zero-shot", {1, 4, 2, 0}},
    {"linear-probe", {3, 1, 3, 1}},
    {"aape", {4, 2, 1, 3}},
};

Planted writePlanted(const test::TempDir& dir)
{
    Planted planted;
    planted.path = dir.file("compare.aapeproj");
    auto project = store::Project::create(planted.path).value();
    for (const char* name : {"annual crop", "forest", "river", "sea lake"})
        planted.classIds.push_back(project.ensureClass(name).value());
    std::vector<store::NewImage> images;
    for (std::size_t c = 0; c < planted.classIds.size(); ++c)
        for (int i = 0; i < 4; ++i) {
            store::NewImage image;
            image.path = "/planted/" + std::to_string(c) + "_" + std::to_string(i) + ".png";
            char hash[17];
            std::snprintf(hash, sizeof hash, "%016zx", c * 4 + static_cast<std::size_t>(i) + 1);
            image.contentHash = hash;
            image.width = image.height = 32;
            image.classId = planted.classIds[c];
            image.split = store::Split::Test;
            images.push_back(image);
        }
    if (!project.addImages(images))
        qFatal("could not add the planted images");
    const auto stored = project.images().value();

    const auto addRun = [&](const std::string& method, const char* when, std::uint64_t seed, bool baseToNew,
                            const nlohmann::json& summary) {
        store::RunSpec spec;
        spec.name = "compare " + method;
        spec.seed = seed;
        spec.group = groupName(method, when);
        spec.config = {{"method", method}, {"shots", 4}, {"base_to_new", baseToNew}, {"epochs", 2}};
        const auto id = project.createRun(spec).value();
        nlohmann::json full = summary;
        full["evaluated_split"] = "test";
        if (!project.setRunSummary(id, full) || !project.setRunStatus(id, store::RunStatus::Finished))
            qFatal("could not finish a planted run");
        planted.runsByGroup[spec.group].push_back(id);
        return id;
    };

    // The plain comparison: accuracies from the planted predictions, which differ per seed only
    // in their summary (so that the error bars are not zero).
    for (const auto& [method, right] : kRight) {
        for (std::uint64_t seed = 1; seed <= 2; ++seed) {
            int correct = 0;
            for (int r : right)
                correct += r;
            const double accuracy = correct / 16.0 + (seed == 1 ? -0.02 : 0.03);
            const auto id = addRun(method, kPlainWhen, seed, false, {{"accuracy", accuracy}});
            std::vector<store::PredictionRecord> predictions;
            for (const auto& image : stored) {
                const auto c =
                    static_cast<std::size_t>(std::find(planted.classIds.begin(), planted.classIds.end(), *image.classId)
                                             - planted.classIds.begin());
                const int index = std::stoi(image.path.substr(image.path.find('_') + 1));
                store::PredictionRecord p;
                p.imageId = image.id;
                p.split = store::Split::Test;
                p.trueClassId = image.classId;
                p.predictedClassId = index < right[c] ? *image.classId : planted.classIds[(c + 1) % 4];
                p.probability = 0.5;
                predictions.push_back(p);
            }
            if (!project.putPredictions(id, predictions))
                qFatal("could not store planted predictions");
        }
    }
    planted.cuplRun = addRun("cupl", kPlainWhen, 1, false, {{"accuracy", 0.4}});
    addRun("cupl", kPlainWhen, 2, false, {{"accuracy", 0.5}});

    // The base-to-new comparison: the probe answers the base classes only.
    const double base[] = {0.8, 0.9}, novel[] = {0.6, 0.5};
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        const auto s = seed - 1;
        for (const std::string method : {"zero-shot", "aape"}) {
            const double b = base[s] + (method == "aape" ? 0.05 : -0.1), n = novel[s];
            addRun(method, kBaseToNewWhen, seed, true,
                   {{"accuracy", (b + n) / 2},
                    {"base_accuracy", b},
                    {"new_accuracy", n},
                    {"harmonic_mean", 2 * b * n / (b + n)}});
        }
        addRun("linear-probe", kBaseToNewWhen, seed, true, {{"accuracy", base[s]}, {"base_accuracy", base[s]}});
    }
    return planted;
}

// Mean and sample standard deviation of a summary key over a group's runs, from the store.
std::pair<double, double> expected(const std::string& path, const std::vector<std::int64_t>& runIds, const char* key)
{
    auto project = store::Project::open(path).value();
    std::vector<double> values;
    for (auto id : runIds)
        values.push_back(project.run(id).value()->summary[key].get<double>());
    double mean = 0.0;
    for (double v : values)
        mean += v;
    mean /= static_cast<double>(values.size());
    double squares = 0.0;
    for (double v : values)
        squares += (v - mean) * (v - mean);
    const double std = values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
    return {mean * 100.0, std * 100.0};
}

QCPBars* barsNamed(QCustomPlot* plot, const QString& name)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto* bars = qobject_cast<QCPBars*>(plot->plottable(i)); bars && bars->name() == name)
            return bars;
    return nullptr;
}

QCPErrorBars* errorsOf(QCustomPlot* plot, QCPBars* bars)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto* errors = qobject_cast<QCPErrorBars*>(plot->plottable(i)); errors && errors->dataPlottable() == bars)
            return errors;
    return nullptr;
}

// The bar of `bars` within method slot `slot` (1-based), if any: value and its data index.
std::optional<std::pair<double, int>> barAt(QCPBars* bars, int slot)
{
    for (int i = 0; i < bars->dataCount(); ++i) {
        const auto it = bars->data()->at(i);
        if (std::abs(it->key - slot) < 0.45)
            return std::make_pair(it->value, i);
    }
    return std::nullopt;
}

int chooseComparison(ui::ComparisonPanel* panel, const char* when)
{
    for (int i = 0; i < panel->chooser()->count(); ++i)
        if (panel->chooser()->itemData(i).toString().endsWith(QString::fromUtf8(when))) {
            panel->chooser()->setCurrentIndex(i);
            return i;
        }
    return -1;
}

} // namespace

class TestCompareView final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void comparisonsFound();
    void chartShowsMeanAndSpreadPerMethod();
    void baseToNewShowsNoBarWhereAMethodCannotAnswer();
    void perClassWinner();
    void chartFollowsTheTheme();
    void compareDialogTrainsTheRuns();
    void stopEndsTheComparisonQuickly();
    void screenshotOfTheDemo();

private:
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    Planted m_planted;
};

void TestCompareView::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    m_planted = writePlanted(*m_dir);
}

void TestCompareView::comparisonsFound()
{
    auto project = store::Project::open(m_planted.path).value();
    const auto choices = ui::findComparisons(project.runs().value());
    QCOMPARE(choices.size(), std::size_t{2});
    // Newest first (the base-to-new one was written last), methods in the table's order.
    QVERIFY(choices[0].baseToNew);
    QCOMPARE(choices[0].groups,
             (std::vector<std::string>{groupName("zero-shot", kBaseToNewWhen),
                                       groupName("linear-probe", kBaseToNewWhen), groupName("aape", kBaseToNewWhen)}));
    QCOMPARE(choices[1].groups.size(), std::size_t{4});
    QCOMPARE(choices[1].shots, 4);
    QVERIFY(choices[1].label.contains(QString::fromUtf8(kPlainWhen)));
}

void TestCompareView::chartShowsMeanAndSpreadPerMethod()
{
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_planted.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    QVERIFY(page.views()->isTabVisible(1));
    ui::ComparisonPanel* panel = page.comparisonPanel();
    QCOMPARE(panel->chooser()->count(), 2);
    QVERIFY(chooseComparison(panel, kPlainWhen) >= 0);
    QCustomPlot* plot = panel->chart()->plot();
    // One bar set per method, in the order of the table, each with its mean and spread.
    const std::vector<std::pair<std::string, QString>> methods = {{"zero-shot", QStringLiteral("Zero-shot CLIP")},
                                                                  {"cupl", QStringLiteral("CuPL")},
                                                                  {"linear-probe", QStringLiteral("Linear probe")},
                                                                  {"aape", QStringLiteral("AAPE")}};
    int barSets = 0;
    for (int i = 0; i < plot->plottableCount(); ++i)
        barSets += qobject_cast<QCPBars*>(plot->plottable(i)) != nullptr;
    QCOMPARE(barSets, int(methods.size()));
    for (std::size_t m = 0; m < methods.size(); ++m) {
        QCPBars* bars = barsNamed(plot, methods[m].second);
        QVERIFY2(bars, qPrintable(methods[m].second));
        const auto [mean, std] =
            expected(m_planted.path, m_planted.runsByGroup[groupName(methods[m].first, kPlainWhen)], "accuracy");
        const auto bar = barAt(bars, int(m) + 1);
        QVERIFY2(bar, qPrintable(methods[m].second));
        QVERIFY2(std::abs(bar->first - mean) < 1e-9,
                 qPrintable(QStringLiteral("%1: %2 vs %3").arg(methods[m].second).arg(bar->first).arg(mean)));
        QCPErrorBars* errors = errorsOf(plot, bars);
        QVERIFY(errors);
        QVERIFY(std > 1.0);
        QVERIFY(std::abs(errors->data()->at(bar->second).errorPlus - std) < 1e-9);
    }
    QVERIFY(panel->chart()->missingLabels().empty());
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty()) {
        page.resize(1100, 700);
        page.views()->setCurrentWidget(panel);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.grab().save(QString::fromUtf8(shots) + QStringLiteral("/compare-planted.png"));
    }
    // The tick labels name the methods as users know them.
    auto ticker = plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(1), QStringLiteral("Zero-shot\nCLIP"));
    QCOMPARE(ticker->ticks().value(4), QStringLiteral("AAPE"));
}

void TestCompareView::baseToNewShowsNoBarWhereAMethodCannotAnswer()
{
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_planted.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    ui::ComparisonPanel* panel = page.comparisonPanel();
    QVERIFY(chooseComparison(panel, kBaseToNewWhen) >= 0);
    QVERIFY(panel->report().baseToNew);
    QCustomPlot* plot = panel->chart()->plot();
    QCPBars* base = barsNamed(plot, QStringLiteral("Base classes"));
    QCPBars* novel = barsNamed(plot, QStringLiteral("New classes"));
    QCPBars* harmonic = barsNamed(plot, QStringLiteral("H (harmonic mean)"));
    QVERIFY(base && novel && harmonic);
    // Zero-shot CLIP (1), linear probe (2), AAPE (3).
    const auto probeRuns = m_planted.runsByGroup[groupName("linear-probe", kBaseToNewWhen)];
    const auto aapeRuns = m_planted.runsByGroup[groupName("aape", kBaseToNewWhen)];
    QVERIFY(barAt(base, 2));
    QVERIFY(std::abs(barAt(base, 2)->first - expected(m_planted.path, probeRuns, "base_accuracy").first) < 1e-9);
    QVERIFY(!barAt(novel, 2)); // no bar, not a bar at 0
    QVERIFY(!barAt(harmonic, 2));
    QVERIFY(std::abs(barAt(novel, 3)->first - expected(m_planted.path, aapeRuns, "new_accuracy").first) < 1e-9);
    QVERIFY(std::abs(barAt(harmonic, 3)->first - expected(m_planted.path, aapeRuns, "harmonic_mean").first) < 1e-9);
    // A "—" stands where each missing bar would be.
    const auto missing = panel->chart()->missingLabels();
    QCOMPARE(missing.size(), std::size_t{2});
    for (auto* label : missing) {
        QCOMPARE(label->text(), QStringLiteral("—"));
        QVERIFY(std::abs(label->position->key() - 2.0) < 0.45);
    }
    QVERIFY(plot->legend->visible());
}

void TestCompareView::perClassWinner()
{
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_planted.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    ui::ComparisonPanel* panel = page.comparisonPanel();
    QVERIFY(chooseComparison(panel, kPlainWhen) >= 0);
    ui::ClassWinnersModel* model = panel->winnersModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 4);
    const int best = model->bestColumn();
    const QStringList names = {QStringLiteral("Zero-shot CLIP"), QStringLiteral("Linear probe"),
                               QStringLiteral("AAPE")};
    const std::map<std::string, QString> shown = {
        {"zero-shot", names[0]}, {"linear-probe", names[1]}, {"aape", names[2]}};
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto classId = model->index(row, 0).data(ui::ClassWinnersModel::ClassIdRole).toLongLong();
        const auto c = static_cast<std::size_t>(std::find(m_planted.classIds.begin(), m_planted.classIds.end(), classId)
                                                - m_planted.classIds.begin());
        int most = -1;
        std::string winner;
        for (const auto& [method, right] : kRight)
            if (right[c] > most) {
                most = right[c];
                winner = method;
            }
        QCOMPARE(model->index(row, best).data().toString(), shown.at(winner));
        for (const auto& [method, right] : kRight) {
            const int column = model->methodColumn(*parseMethod(method));
            const auto index = model->index(row, column);
            QCOMPARE(index.data(ui::ClassWinnersModel::WinnerRole).toBool(), method == winner);
            QCOMPARE(index.data(ui::ClassWinnersModel::SortRole).toDouble(), right[c] / 4.0);
            QCOMPARE(index.data().toString(), QStringLiteral("%1%").arg(right[c] * 25.0, 0, 'f', 1));
        }
        // CuPL's runs kept no per-image results: its column has none, and the note says which runs.
        const auto cupl = model->index(row, model->methodColumn(Method::Cupl));
        QCOMPARE(cupl.data().toString(), QStringLiteral("—"));
        QVERIFY(!cupl.data(ui::ClassWinnersModel::WinnerRole).toBool());
    }
    QVERIFY(!panel->noteLabel()->isHidden());
    QVERIFY2(panel->noteLabel()->text().contains(QString::number(m_planted.cuplRun)),
             qPrintable(panel->noteLabel()->text()));
    // Sorting by AAPE's column, best first, puts annual crop (4 of 4) on top and river last.
    QTableView* table = panel->winnersTable();
    table->sortByColumn(model->methodColumn(Method::Aape), Qt::DescendingOrder);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("annual crop"));
    QCOMPARE(table->model()->index(3, 0).data().toString(), QStringLiteral("river"));
}

void TestCompareView::chartFollowsTheTheme()
{
    // A dark palette as a dark desktop theme gives, then back to the light default.
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x22, 0x26));
    dark.setColor(QPalette::WindowText, QColor(0xE8, 0xE8, 0xE8));
    dark.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1C));
    dark.setColor(QPalette::AlternateBase, QColor(0x2A, 0x2C, 0x31));
    dark.setColor(QPalette::Text, QColor(0xE8, 0xE8, 0xE8));
    dark.setColor(QPalette::Button, QColor(0x2D, 0x30, 0x36));
    dark.setColor(QPalette::ButtonText, QColor(0xE8, 0xE8, 0xE8));
    dark.setColor(QPalette::Mid, QColor(0x55, 0x58, 0x5F));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    const QPalette light = QApplication::palette();
    QApplication::setPalette(dark);
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_planted.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    page.resize(1100, 700);
    page.views()->setCurrentWidget(page.comparisonPanel());
    QVERIFY(chooseComparison(page.comparisonPanel(), kBaseToNewWhen) >= 0);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const auto textColours = [](ui::ComparisonChart* chart) {
        QSet<QRgb> colours;
        for (int i = 0; i < chart->plot()->itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(chart->plot()->item(i)))
                colours.insert(text->color().rgb());
        colours.insert(chart->plot()->yAxis->tickLabelColor().rgb());
        colours.insert(chart->plot()->legend->textColor().rgb());
        return colours;
    };
    ui::ComparisonChart* chart = page.comparisonPanel()->chart();
    QCOMPARE(textColours(chart), QSet<QRgb>{dark.color(QPalette::WindowText).rgb()});
    QCOMPARE(chart->plot()->grab().toImage().pixelColor(3, 3).rgb(), dark.color(QPalette::Base).rgb());
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty())
        page.grab().save(QString::fromUtf8(shots) + QStringLiteral("/compare-dark.png"));
    QApplication::setPalette(light);
    QTRY_COMPARE(textColours(chart), QSet<QRgb>{light.color(QPalette::WindowText).rgb()});
}

void TestCompareView::compareDialogTrainsTheRuns()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    // The Train page's settings the dialog takes: few views, so that encoding is quick.
    ui::StudioSettings::setTrainSettings(QStringLiteral(R"({"augmented_views": 1, "batch_size": 8})"));
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo->projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    QVERIFY(!page.views()->isTabVisible(1));
    page.show();
    page.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    // Reached from the keyboard.
    page.table()->setFocus();
    QTest::keySequence(page.table(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    ui::CompareDialog* dialog = page.compareDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    for (Method method : allMethods())
        QVERIFY(dialog->methodBox(method)->isChecked());
    QCOMPARE(dialog->seedsEdit()->text(), QStringLiteral("1 2 3"));
    QCOMPARE(dialog->shotsBox()->value(), 16);
    QCOMPARE(dialog->epochsBox()->value(), 200); // the paper's schedule for 16 shots
    dialog->shotsBox()->setValue(2);
    QCOMPARE(dialog->epochsBox()->value(), 100); // follows the shots
    dialog->epochsBox()->setValue(2);
    dialog->seedsEdit()->setText(QStringLiteral("4 5"));
    dialog->methodBox(Method::Cupl)->setChecked(false);
    dialog->methodBox(Method::TipAdapter)->setChecked(false);
    dialog->baseToNewBox()->setChecked(true);
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty())
        dialog->grab().save(QString::fromUtf8(shots) + QStringLiteral("/compare-dialog.png"));
    QSignalSpy finished(dialog, &ui::CompareDialog::comparisonFinished);
    QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
    QVERIFY(dialog->isRunning());
    QVERIFY(dialog->stopButton()->isEnabled());
    QVERIFY(!dialog->runButton()->isEnabled());
    QVERIFY(finished.wait(120000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog->stageLabel()->text()));

    // 4 methods × 2 seeds, finished and evaluated, grouped by method.
    auto project = store::Project::open(demo->projectPath).value();
    std::map<std::string, std::vector<std::uint64_t>> seedsByMethod;
    for (const auto& run : project.runs().value()) {
        QCOMPARE(run.status, store::RunStatus::Finished);
        QVERIFY(run.summary.contains("base_accuracy"));
        QVERIFY(run.group.rfind("compare · " + run.config.value("method", std::string()) + " · 2 shots · ", 0) == 0);
        QCOMPARE(run.config.value("base_to_new", false), true);
        seedsByMethod[run.config.value("method", std::string())].push_back(run.seed);
    }
    QCOMPARE(seedsByMethod.size(), std::size_t{4});
    for (const char* method : {"zero-shot", "linear-probe", "tip-adapter-f", "aape"})
        QCOMPARE(seedsByMethod[method].size(), std::size_t{2});
    QCOMPARE(project.epochMetrics(project.runs().value().front().id).value().size(), std::size_t{2}); // AAPE's

    // The page shows the new comparison at once.
    QVERIFY(page.views()->isTabVisible(1));
    QCOMPARE(page.views()->currentWidget(), page.comparisonPanel());
    const auto& report = page.comparisonPanel()->report();
    QCOMPARE(report.methods.size(), std::size_t{4});
    QVERIFY(report.baseToNew);
    for (const auto& m : report.methods)
        QCOMPARE(m.runIds.size(), std::size_t{2});
    QCOMPARE(page.comparisonPanel()->chart()->missingLabels().size(), std::size_t{4}); // probe, Tip-Adapter-F: new, H
    // Every run kept its per-image predictions: the per-class table has every method, the probe
    // only on the base classes (half of them) and zero-shot CLIP on all of them.
    ui::ClassWinnersModel* winners = page.comparisonPanel()->winnersModel();
    QVERIFY(page.comparisonPanel()->noteLabel()->isHidden());
    const auto classes = project.classes().value();
    QCOMPARE(winners->rowCount(), int(classes.size()));
    int probeAnswers = 0;
    for (int row = 0; row < winners->rowCount(); ++row) {
        QVERIFY(winners->index(row, winners->methodColumn(Method::ZeroShot))
                    .data(ui::ClassWinnersModel::SortRole)
                    .toDouble()
                >= 0.0);
        probeAnswers += winners->index(row, winners->methodColumn(Method::LinearProbe))
                            .data(ui::ClassWinnersModel::SortRole)
                            .toDouble()
                        >= 0.0;
        QVERIFY(!winners->index(row, winners->bestColumn()).data().toString().isEmpty());
    }
    QCOMPARE(probeAnswers, int(classes.size()) / 2);
    QVERIFY(!dialog->isRunning());
    QVERIFY(dialog->stageLabel()->text().startsWith(QStringLiteral("Finished")));
    // Opened again, it keeps what the user chose.
    dialog->close();
    QCOMPARE(page.openCompareDialog(), dialog);
    QCOMPARE(dialog->seedsEdit()->text(), QStringLiteral("4 5"));
    QCOMPARE(dialog->epochsBox()->value(), 2);
    QVERIFY(!dialog->methodBox(Method::Cupl)->isChecked());
}

void TestCompareView::stopEndsTheComparisonQuickly()
{
    test::TempDir dir;
    auto demo = test::writeTinyDemo(dir.file("demo"), dir.file("clip"), 6);
    QVERIFY2(demo.ok(), demo.ok() ? "" : demo.error().toString().c_str());
    ui::StudioSettings::setTrainSettings(QStringLiteral(R"({"augmented_views": 1, "batch_size": 2})"));
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(demo->projectPath), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::RunsPage page(&session, &jobs);
    ui::CompareDialog* dialog = page.openCompareDialog();
    // AAPE only, long enough that it would take minutes.
    for (Method method : allMethods())
        dialog->methodBox(method)->setChecked(method == Method::Aape);
    dialog->shotsBox()->setValue(2);
    dialog->epochsBox()->setValue(5000);
    QSignalSpy finished(dialog, &ui::CompareDialog::comparisonFinished);
    QSignalSpy progress(&jobs, &ui::JobRunner::progress);
    QVERIFY(dialog->startComparison());
    // The GUI thread stays free: progress arrives while the job trains.
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(progress.begin(), progress.end(),
                                         [](const QList<QVariant>& p) {
                                             return p.at(0).toString().startsWith(QStringLiteral("AAPE, seed"));
                                         }),
                             60000);
    QTest::mouseClick(dialog->stopButton(), Qt::LeftButton);
    QCOMPARE(dialog->stageLabel()->text(), QStringLiteral("Stopping…"));
    QVERIFY(!dialog->stopButton()->isEnabled());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(finished.wait(10000));
    QVERIFY(clock.elapsed() < 10000);
    QVERIFY(finished.first().at(1).toBool()); // cancelled
    QVERIFY(dialog->stageLabel()->text().startsWith(QStringLiteral("Stopped")));
    QVERIFY(dialog->runButton()->isEnabled());
    // The stopped run is kept, short of its epochs, and can be resumed from the Train page.
    auto project = store::Project::open(demo->projectPath).value();
    const auto runs = project.runs().value();
    QCOMPARE(runs.size(), std::size_t{1});
    QVERIFY(runs.front().lastEpoch < 4999);
}

void TestCompareView::screenshotOfTheDemo()
{
    const QString shots = QString::fromLocal8Bit(qgetenv("AAPE_SHOTS_DIR"));
    if (shots.isEmpty())
        QSKIP("set AAPE_SHOTS_DIR to write the screenshot");
    test::TempDir dir;
    auto demo = data::writeDemoProject(dir.file("demo"), {});
    QVERIFY(demo.ok());
    {
        auto project = store::Project::open(demo->projectPath).value();
        auto engine = clip::ClipEngine::open(demo->modelPath).value();
        workflow::CompareRequest request;
        request.baseToNew = true;
        request.config.shots = 4;
        request.config.epochs = 30;
        request.config.augmentedViews = 2;
        auto report = workflow::compareMethods(project, engine, request);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    }
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(demo->projectPath)));
    window.showPage(ui::MainWindow::RunsPageIndex);
    auto* page = window.findChild<ui::RunsPage*>();
    QVERIFY(page);
    page->views()->setCurrentWidget(page->comparisonPanel());
    // Room for the comparison: the runs table keeps a few rows.
    auto* split = page->findChild<QSplitter*>(QStringLiteral("runsSplitter"));
    QVERIFY(split);
    split->setSizes({140, 520});
    QTest::qWait(500);
    window.grab().save(shots + QStringLiteral("/compare.png"));
}

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
