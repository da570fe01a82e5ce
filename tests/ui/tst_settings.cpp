// Settings and window layout survive a restart: one window is arranged, closed and destroyed,
// a second one built on the same QSettings finds the geometry, splitters, table headers, the
// last page and filters, the training settings, the CLIP checkpoint and the language again.

#include "DataPage.h"
#include "MainWindow.h"
#include "RunsModel.h"
#include "StudioSettings.h"
#include "TrainPage.h"
#include "WelcomePage.h"

#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace aape;
using namespace aape::ui;

namespace {

template <typename T>
T* child(QWidget& window, const char* name)
{
    T* found = window.findChild<T*>(QLatin1String(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

QToolButton* buttonWithText(QWidget& window, const QString& text)
{
    for (QToolButton* button : window.findChildren<QToolButton*>())
        if (button->text() == text)
            return button;
    return nullptr;
}

QAction* languageAction(MainWindow& window, const QString& text)
{
    for (QAction* menu : window.menuBar()->actions()) {
        if (!menu->menu())
            continue;
        for (QAction* action : menu->menu()->actions())
            if (action->text() == text)
                return action;
    }
    return nullptr;
}

} // namespace

class SettingsTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void layoutAndChoicesSurviveARestart();
    void brokenTrainSettingsKeepTheDefaults();
    void layoutOfAnOlderVersionIsHarmless();

private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<test::TempDir> m_dir;
};

void SettingsTest::initTestCase()
{
    // Settings in a folder of this test only, never the user's.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AAPE Studio Settings Test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
    QSettings().clear();
    QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));
    m_dir = std::make_unique<test::TempDir>();
}

void SettingsTest::layoutAndChoicesSurviveARestart()
{
    const QString project = QString::fromStdString(m_dir->file("remembered.aapeproj"));
    QVERIFY(store::Project::create(project.toStdString()).ok());
    const QString model = QStringLiteral(AAPE_SOURCE_DIR "/resources/demo-clip");

    QList<int> dataSizes;
    QList<int> runsSizes;
    int runsNameWidth = 0;
    QSize windowSize;
    {
        auto window = std::make_unique<MainWindow>();
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QVERIFY(window->openProject(project));
        // Not the built-in 1200×800, and large enough for the project pages.
        window->resize(1130, 770);
        QTRY_COMPARE(window->size(), QSize(1130, 770));
        windowSize = window->size();

        window->showPage(MainWindow::DataPageIndex);
        auto* dataSplitter = child<QSplitter>(*window, "dataSplitter");
        dataSplitter->setSizes({330, 400});
        dataSizes = dataSplitter->sizes();
        auto* split = child<QComboBox>(*window, "splitFilter");
        split->setCurrentIndex(split->findText(QStringLiteral("Test")));
        QCOMPARE(split->currentText(), QStringLiteral("Test"));
        child<QCheckBox>(*window, "showExcluded")->setChecked(false);

        window->showPage(MainWindow::RunsPageIndex);
        auto* runsSplitter = child<QSplitter>(*window, "runsSplitter");
        runsSplitter->setSizes({120, 300});
        runsSizes = runsSplitter->sizes();
        auto* runsHeader = child<QTableView>(*window, "runsTable")->horizontalHeader();
        runsHeader->resizeSection(1, 233);
        runsNameWidth = runsHeader->sectionSize(1);
        runsHeader->setSortIndicator(2, Qt::AscendingOrder);

        auto* train = window->findChild<TrainPage*>();
        child<QSpinBox>(*train, "shots")->setValue(4);
        child<QSpinBox>(*train, "epochs")->setValue(7);
        child<QLineEdit>(*train, "seeds")->setText(QStringLiteral("3, 5"));
        child<QCheckBox>(*train, "baseToNew")->setChecked(true);

        window->showPage(MainWindow::InspectPageIndex);
        QToolButton* misclassified = buttonWithText(*window, QStringLiteral("Misclassified"));
        QVERIFY(misclassified);
        misclassified->click();

        QAction* chinese = languageAction(*window, languageDisplayName(Language::ChineseSimplified));
        QVERIFY(chinese);
        chinese->trigger();
        StudioSettings::setLastModelPath(model);
        window->close();
    }

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), windowSize);
    QCOMPARE(StudioSettings::language(), Language::ChineseSimplified);
    QVERIFY(languageAction(window, languageDisplayName(Language::ChineseSimplified))->isChecked());
    // The welcome page names the checkpoint chosen last.
    QVERIFY2(child<QLabel>(window, "modelLine")->text().contains(model),
             qPrintable(child<QLabel>(window, "modelLine")->text()));

    QVERIFY(window.openProject(project));
    QCOMPARE(window.currentPage(), int(MainWindow::InspectPageIndex));
    QVERIFY(buttonWithText(window, QStringLiteral("Misclassified"))->isChecked());

    window.showPage(MainWindow::DataPageIndex);
    QTRY_COMPARE(child<QSplitter>(window, "dataSplitter")->sizes(), dataSizes);
    QCOMPARE(child<QComboBox>(window, "splitFilter")->currentText(), QStringLiteral("Test"));
    QVERIFY(!child<QCheckBox>(window, "showExcluded")->isChecked());

    window.showPage(MainWindow::RunsPageIndex);
    QTRY_COMPARE(child<QSplitter>(window, "runsSplitter")->sizes(), runsSizes);
    auto* runsHeader = child<QTableView>(window, "runsTable")->horizontalHeader();
    QCOMPARE(runsHeader->sectionSize(1), runsNameWidth);
    QCOMPARE(runsHeader->sortIndicatorSection(), 2);
    QCOMPARE(runsHeader->sortIndicatorOrder(), Qt::AscendingOrder);

    auto* train = window.findChild<TrainPage*>();
    QCOMPARE(train->config().shots, 4);
    QCOMPARE(train->config().epochs, 7);
    QCOMPARE(train->seedsText(), QStringLiteral("3, 5"));
    QVERIFY(child<QCheckBox>(*train, "baseToNew")->isChecked());
    // Paper defaults are one click away and are remembered in turn.
    train->restoreDefaults();
    QCOMPARE(train->config().epochs, TrainConfig{}.epochs);
    TrainPage fresh(window.session(), window.jobs());
    QCOMPARE(fresh.config().epochs, TrainConfig{}.epochs);
    QVERIFY(!child<QCheckBox>(fresh, "baseToNew")->isChecked());
}

void SettingsTest::brokenTrainSettingsKeepTheDefaults()
{
    StudioSettings::setTrainSettings(QStringLiteral("{\"epochs\": \"many\", \"shots\": 2, \"seeds\": 7}"));
    MainWindow window;
    auto* train = window.findChild<TrainPage*>();
    QCOMPARE(train->config().epochs, TrainConfig{}.epochs);
    QCOMPARE(train->config().shots, 2);
    QCOMPARE(train->seedsText(), QStringLiteral("1"));
    StudioSettings::setTrainSettings(QStringLiteral("not json"));
    TrainPage other(window.session(), window.jobs());
    QCOMPARE(other.config().shots, TrainConfig{}.shots);
}

void SettingsTest::layoutOfAnOlderVersionIsHarmless()
{
    // A runs table saved when it had three columns, and a splitter state that is not one.
    QStandardItemModel older(0, 3);
    QTableView oldTable;
    oldTable.setModel(&older);
    oldTable.horizontalHeader()->resizeSection(2, 300);
    StudioSettings::setViewState(QStringLiteral("header/runsTable"), oldTable.horizontalHeader()->saveState());
    StudioSettings::setViewState(QStringLiteral("splitter/runsSplitter"), QByteArray("not a splitter state"));
    MainWindow window;
    auto* header = child<QTableView>(window, "runsTable")->horizontalHeader();
    QCOMPARE(header->count(), int(RunsModel::ColumnCount));
    for (int section = 0; section < header->count(); ++section) {
        QVERIFY(!header->isSectionHidden(section));
        QVERIFY2(header->sectionSize(section) > 0, qPrintable(QString::number(section)));
    }
    const QList<int> sizes = child<QSplitter>(window, "runsSplitter")->sizes();
    QCOMPARE(sizes.size(), 2);
}

QTEST_MAIN(SettingsTest)
#include "tst_settings.moc"
