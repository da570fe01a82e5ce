// The studio fits small laptop screens (1366 × 768, 1280 × 800) in every state: the main
// window's minimum size, with a Stanford Cars size project open on each page and the Inspect
// page restricted to a cell of two long car names, stays within 1280 × 768 less the window
// frame and a desktop panel; clicking a matrix cell never widens the window.

#include "CarsFixture.h"
#include "ClassAccuracyModel.h"
#include "ClassChooser.h"
#include "ConfusionMatrixModel.h"
#include "ConfusionMatrixView.h"
#include "ElidedLabel.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include <QApplication>
#include <QComboBox>
#include <QLayout>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include <functional>
#include <memory>

using namespace aape;
using test::CarsFixture;

namespace {

// The smallest screen we support, less the window's borders (8 px each side), its title bar
// (about 32 px) and a desktop panel or task bar (about 48 px).
constexpr QSize kScreen(1280, 768);
constexpr QSize kFrame(16, 80);
constexpr QSize kLimit = kScreen - kFrame;

// The widest (or tallest) widgets under `root`, to tell where a too-large minimum comes from.
QString largestChildren(QWidget* root, bool byWidth)
{
    std::vector<std::pair<int, QString>> sizes;
    for (QWidget* child : root->findChildren<QWidget*>()) {
        // Hidden pages of a stack count too: a QStackedWidget is as large as its largest page.
        if (child->isWindow())
            continue;
        const QSize hint = child->minimumSizeHint().expandedTo(child->minimumSize());
        sizes.emplace_back(
            byWidth ? hint.width() : hint.height(),
            QStringLiteral("%1 %2").arg(QString::fromLatin1(child->metaObject()->className()), child->objectName()));
    }
    std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList lines;
    for (std::size_t i = 0; i < sizes.size() && i < 12; ++i)
        lines << QStringLiteral("%1 %2").arg(sizes[i].first).arg(sizes[i].second);
    return lines.join(QLatin1Char('\n'));
}

void checkFits(QWidget* window, const QString& state)
{
    QApplication::processEvents();
    const QSize minimum = window->minimumSizeHint().expandedTo(window->minimumSize());
    qInfo("%s: minimum %d × %d", qPrintable(state), minimum.width(), minimum.height());
    if (qEnvironmentVariableIsSet("AAPE_SIZE_DEBUG"))
        qInfo("widest:\n%s\ntallest:\n%s", qPrintable(largestChildren(window, true)),
              qPrintable(largestChildren(window, false)));
    QVERIFY2(minimum.width() <= kLimit.width(), qPrintable(QStringLiteral("%1: minimum width %2 > %3; widest:\n%4")
                                                               .arg(state)
                                                               .arg(minimum.width())
                                                               .arg(kLimit.width())
                                                               .arg(largestChildren(window, true))));
    QVERIFY2(minimum.height() <= kLimit.height(), qPrintable(QStringLiteral("%1: minimum height %2 > %3; tallest:\n%4")
                                                                 .arg(state)
                                                                 .arg(minimum.height())
                                                                 .arg(kLimit.height())
                                                                 .arg(largestChildren(window, false))));
}

} // namespace

class TestWindowSize final : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void mainWindowFitsInEveryState();
    void inspectPageWithLongCellFilter();
    void screenshots();

private:
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    CarsFixture m_cars;
};

void TestWindowSize::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<test::TempDir>();
    // Image files for the first classes, which the pages show first.
    m_cars = test::makeCarsProject(*m_dir, 3);
}

void TestWindowSize::mainWindowFitsInEveryState()
{
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    checkFits(&window, QStringLiteral("welcome"));

    QVERIFY(window.openProject(QString::fromStdString(m_cars.path)));
    for (int page = ui::MainWindow::DataPageIndex; page <= ui::MainWindow::RunsPageIndex; ++page) {
        window.showPage(page);
        checkFits(&window, QStringLiteral("page %1 with 196 classes").arg(page));
    }

    // Inspect, restricted to a cell of two long names by a click on the matrix.
    window.showPage(ui::MainWindow::InspectPageIndex);
    auto* inspect = window.findChild<ui::InspectPage*>();
    QVERIFY(inspect);
    QCOMPARE(inspect->runId(), m_cars.runId);
    inspect->analysisTabs()->setCurrentWidget(inspect->confusionView()->parentWidget());
    ui::ConfusionMatrixView* matrix = inspect->confusionView();
    matrix->setCellSize(matrix->textCellSize() + 4);
    // The planted pair 26 -> 27: Lamborghini Gallardo LP 570-4 Superleggera taken for Land Rover Range Rover SUV.
    const int row = inspect->confusion()->positionOf(m_cars.classIds[26]);
    const int column = inspect->confusion()->positionOf(m_cars.classIds[27]);
    matrix->scrollTo(inspect->confusion()->index(row, column));
    const QRect cell = matrix->visualRect(inspect->confusion()->index(row, column));
    QVERIFY(matrix->viewport()->rect().contains(cell.center()));
    const int widthBefore = window.width();
    QTest::mouseClick(matrix->viewport(), Qt::LeftButton, {}, cell.center());
    QApplication::processEvents();
    QCOMPARE(inspect->proxy()->rowCount(), 1);
    QVERIFY(inspect->restrictionLabel()->isVisibleTo(inspect));
    QVERIFY(inspect->restrictionLabel()->fullText().contains(QString::fromStdString(m_cars.names[26])));
    QCOMPARE(window.width(), widthBefore);
    checkFits(&window, QStringLiteral("inspect with a long cell filter"));
    // The longest names of all.
    inspect->restrictToCell(m_cars.classIds[33], m_cars.classIds[26]);
    QApplication::processEvents();
    QCOMPARE(window.width(), widthBefore);
    checkFits(&window, QStringLiteral("inspect with the longest cell filter"));
    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!shots.isEmpty())
        QVERIFY(window.grab().save(shots + QStringLiteral("/window-1280x800-inspect-cell.png")));

    // A long message in the banner wraps instead of widening the window.
    window.banner()->showMessage(ui::MessageBanner::Warning,
                                 QStringLiteral("The descriptions of 2012 Rolls-Royce Phantom Drophead Coupe "
                                                "Convertible and 2012 Lamborghini Gallardo LP 570-4 Superleggera "
                                                "could not be matched to a class; check the names in the JSON file and "
                                                "import it again."),
                                 QStringLiteral("details"));
    checkFits(&window, QStringLiteral("inspect with a banner"));
    window.closeProject();
    checkFits(&window, QStringLiteral("closed"));
}

void TestWindowSize::inspectPageWithLongCellFilter()
{
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(QString::fromStdString(m_cars.path), &error), qPrintable(error));
    ui::JobRunner jobs;
    ui::InspectPage page(&session, &jobs);
    page.resize(1100, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const QSize before = page.minimumSizeHint();
    page.restrictToCell(m_cars.classIds[33], m_cars.classIds[26]);
    QApplication::processEvents();
    // The text is cut to fit and whole in the tooltip.
    QVERIFY(page.restrictionLabel()->isElided()
            || page.restrictionLabel()->width()
                   >= page.restrictionLabel()->fontMetrics().horizontalAdvance(page.restrictionLabel()->fullText()));
    QVERIFY(page.restrictionLabel()->toolTip().contains(QString::fromStdString(m_cars.names[33])));
    QVERIFY2(page.minimumSizeHint().width() <= before.width(),
             qPrintable(QStringLiteral("%1 > %2").arg(page.minimumSizeHint().width()).arg(before.width())));
    checkFits(&page, QStringLiteral("inspect page alone"));
    // Narrowed to its minimum the label elides rather than pushing the page wider.
    page.resize(page.minimumSizeHint());
    QApplication::processEvents();
    QVERIFY(page.restrictionLabel()->isElided());
    QCOMPARE(page.width(), page.minimumSizeHint().width());
}

void TestWindowSize::screenshots()
{
    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (shots.isEmpty())
        QSKIP("set AAPE_SHOTS_DIR to write screenshots");
    const auto save = [&shots](QWidget* widget, const QString& name) {
        QApplication::processEvents();
        QVERIFY(widget->grab().save(shots + QLatin1Char('/') + name));
    };
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(m_cars.path)));
    window.showPage(ui::MainWindow::InspectPageIndex);
    auto* inspect = window.findChild<ui::InspectPage*>();
    QVERIFY(inspect);
    save(&window, QStringLiteral("inspect-196-classes.png"));

    QTableView* classes = inspect->classTable();
    const QModelIndex worst = classes->model()->index(0, ui::ClassAccuracyModel::Name);
    QTest::mouseClick(classes->viewport(), Qt::LeftButton, {}, classes->visualRect(worst).center());
    save(&window, QStringLiteral("inspect-196-class-filter.png"));

    inspect->analysisTabs()->setCurrentWidget(inspect->confusionsTable());
    QTableView* confusions = inspect->confusionsTable();
    QTest::mouseClick(confusions->viewport(), Qt::LeftButton, {},
                      confusions->visualRect(confusions->model()->index(0, 0)).center());
    save(&window, QStringLiteral("inspect-196-top-confusions.png"));

    inspect->analysisTabs()->setCurrentWidget(inspect->confusionView()->parentWidget());
    inspect->confusionView()->fitToView();
    save(&window, QStringLiteral("inspect-196-matrix-fit.png"));
    auto* order = inspect->findChild<QComboBox*>(QStringLiteral("matrixOrder"));
    order->setCurrentIndex(order->findData(int(ui::ConfusionMatrixModel::Order::Confusable)));
    inspect->confusionView()->setCellSize(inspect->confusionView()->textCellSize() + 6);
    inspect->confusionView()->horizontalScrollBar()->setValue(0);
    inspect->confusionView()->verticalScrollBar()->setValue(0);
    save(&window, QStringLiteral("inspect-196-matrix-confused-together.png"));

    // A relabel from the table: the row and the inspector say so.
    inspect->table()->setFocus();
    inspect->table()->selectRow(1);
    QTest::keyClick(inspect->table(), Qt::Key_2);
    save(&window, QStringLiteral("inspect-196-relabelled.png"));

    QMenu menu;
    inspect->fillContextMenu(&menu);
    menu.popup(window.mapToGlobal(QPoint(400, 300)));
    save(&menu, QStringLiteral("inspect-context-menu.png"));
    for (QAction* action : menu.actions()) {
        if (!action->menu())
            continue;
        action->menu()->popup(window.mapToGlobal(QPoint(600, 300)));
        save(action->menu(), QStringLiteral("inspect-context-menu-set-class.png"));
        action->menu()->close();
    }
    menu.close();

    std::vector<std::pair<qint64, QString>> names;
    for (std::size_t i = 0; i < m_cars.names.size(); ++i)
        names.emplace_back(m_cars.classIds[i], QString::fromStdString(m_cars.names[i]));
    ui::ClassChooser chooser(names, QStringLiteral("Class of the 1 selected image:"));
    chooser.show();
    QTest::keyClicks(chooser.searchField(), QStringLiteral("hummer"));
    save(&chooser, QStringLiteral("class-chooser.png"));

    window.resize(1366, 768);
    inspect->analysisTabs()->setCurrentWidget(inspect->classTable()->parentWidget());
    save(&window, QStringLiteral("inspect-196-1366x768.png"));
}

QTEST_MAIN(TestWindowSize)
#include "tst_window_size.moc"
