#include "ClassListModel.h"
#include "DataPage.h"
#include "DatasetModel.h"
#include "DescribePage.h"
#include "DescriptionMatchDialog.h"
#include "DropSupport.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "WelcomePage.h"

#include "ImageFixtures.h"
#include "TestSupport.h"
#include "TinyClip.h"

#include "aape/demo/DemoWorld.h"

#include <QDir>
#include <QDropEvent>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace aape;
using aape::test::deliverDrop;
using namespace aape::ui;

namespace {

// root/<class>/<n>.png images plus one file that is not an image.
void writeImageFolder(const std::string& root, const QStringList& classes, int perClass)
{
    for (const QString& name : classes) {
        QDir().mkpath(QString::fromStdString(root) + QLatin1Char('/') + name);
        for (int i = 0; i < perClass; ++i)
            test::writeBinaryFile(root + "/" + name.toStdString() + "/" + std::to_string(i) + ".png",
                                  test::encodeImage(test::photoLikeImage(40 + i, 30, 7u * i + 1), ".png"));
    }
    test::writeTextFile(root + "/" + classes.first().toStdString() + "/notes.txt", "not an image");
}

void saveShot(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QVERIFY(widget->grab().save(folder + QLatin1Char('/') + name));
}

} // namespace

class MainWindowTest final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void dropFolderImportsIntoProject();
    void dropWithoutProjectAsksForOne();
    void pagesFollowShortcuts();
    void recentProjectsAreRemembered();
    void stopShowsStoppingUntilFinished();
    void screenshots();

private:
    std::unique_ptr<test::TempDir> m_dir;
};

void MainWindowTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AAPE Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
    m_dir = std::make_unique<test::TempDir>();
}

void MainWindowTest::init()
{
    QSettings().clear();
}

void MainWindowTest::dropFolderImportsIntoProject()
{
    const std::string root = m_dir->file("drop");
    writeImageFolder(root, {QStringLiteral("cats"), QStringLiteral("dogs")}, 3);
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createProject(QString::fromStdString(m_dir->file("drop.aapeproj"))));
    QVERIFY(window.countsLabel()->text().startsWith(QStringLiteral("0 image")));

    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    deliverDrop(&window, {QString::fromStdString(root)});
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(1).toBool(), true);

    // The store, the status bar, the data page and the banner all reflect the import.
    QCOMPARE(window.session()->project()->countImages().value(), 6);
    // Without a translation loaded Qt's plural forms read "image(s)".
    QVERIFY2(QRegularExpression(QStringLiteral("^6 image(s|\\(s\\)) · 2 class(es|\\(es\\))$"))
                 .match(window.countsLabel()->text())
                 .hasMatch(),
             qPrintable(window.countsLabel()->text()));
    QCOMPARE(window.dataPage()->datasetModel()->rowCount(), 6);
    QCOMPARE(window.currentPage(), int(MainWindow::DataPageIndex));
    QVERIFY(window.banner()->isVisibleTo(&window));
    QCOMPARE(window.banner()->level(), MessageBanner::Warning);
    QVERIFY2(QRegularExpression(QStringLiteral("^Imported 6 image(s|\\(s\\)); 1 skipped"))
                 .match(window.banner()->text())
                 .hasMatch(),
             qPrintable(window.banner()->text()));
    QVERIFY(window.banner()->details().contains(QStringLiteral("notes.txt")));

    // Dropping the same folder again adds nothing and says so.
    finished.clear();
    deliverDrop(&window, {QString::fromStdString(root)});
    QVERIFY(finished.wait(30000));
    QCOMPARE(window.session()->project()->countImages().value(), 6);
    QVERIFY(window.banner()->text().contains(QStringLiteral("6 already in the project")));

    // A CuPL file dropped on the window adds descriptions to the matching classes, once the
    // user has confirmed the loose match ("Cats") and left out the group that matches none.
    test::writeTextFile(m_dir->file("cupl.json"),
                        R"({"Cats": ["a small furry pet", "whiskers"], "birds": ["feathers"]})");
    finished.clear();
    deliverDrop(&window, {QString::fromStdString(m_dir->file("cupl.json"))});
    QVERIFY(finished.wait(30000));
    DescriptionMatchDialog* review = nullptr;
    QTRY_VERIFY((review = window.findChild<DescriptionMatchDialog*>()) != nullptr);
    QCOMPARE(window.session()->project()->descriptions().value().size(), std::size_t(0));
    finished.clear();
    QTest::mouseClick(review->importButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(window.session()->project()->descriptions().value().size(), std::size_t(2));
    QVERIFY2(window.banner()->text().contains(QStringLiteral("2 description")), qPrintable(window.banner()->text()));
    QVERIFY(window.banner()->text().contains(QStringLiteral("left out")));
    QVERIFY(window.banner()->details().contains(QStringLiteral("birds")));
    QCOMPARE(window.currentPage(), int(MainWindow::DescribePageIndex));
}

void MainWindowTest::dropWithoutProjectAsksForOne()
{
    const std::string root = m_dir->file("orphan");
    writeImageFolder(root, {QStringLiteral("a"), QStringLiteral("b")}, 1);
    MainWindow window;
    QSignalSpy started(window.jobs(), &JobRunner::started);
    deliverDrop(&window, {QString::fromStdString(root)});
    QCoreApplication::processEvents();
    QCOMPARE(started.count(), 0);
    QVERIFY(window.banner()->isVisibleTo(&window));
    QVERIFY(window.banner()->text().contains(QStringLiteral("project first")));
    const QList<QPushButton*> action = window.banner()->findChildren<QPushButton*>();
    bool hasNewProject = false;
    for (QPushButton* button : action)
        hasNewProject =
            hasNewProject || (button->text() == QStringLiteral("New Project…") && button->isVisibleTo(&window));
    QVERIFY(hasNewProject);
}

void MainWindowTest::pagesFollowShortcuts()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(window.createProject(QString::fromStdString(m_dir->file("pages.aapeproj"))));
    QCOMPARE(window.currentPage(), int(MainWindow::DataPageIndex));
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), int(MainWindow::DescribePageIndex));
    QTest::keyClick(&window, Qt::Key_6, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), int(MainWindow::RunsPageIndex));
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.currentPage(), int(MainWindow::DataPageIndex));
    window.closeProject();
    QVERIFY(window.welcomePage()->isVisible());
}

void MainWindowTest::recentProjectsAreRemembered()
{
    const QString first = QString::fromStdString(m_dir->file("recent1.aapeproj"));
    const QString second = QString::fromStdString(m_dir->file("recent2.aapeproj"));
    {
        MainWindow window;
        QVERIFY(window.createProject(first));
        QVERIFY(window.createProject(second));
        QVERIFY(window.openProject(first));
    }
    const QStringList recent = StudioSettings::recentProjects();
    QCOMPARE(recent.size(), 2);
    QCOMPARE(recent.first(), QFileInfo(first).absoluteFilePath());
    QVERIFY(QFile::remove(second));

    MainWindow window;
    QListWidget* list = window.welcomePage()->recentList();
    QCOMPARE(list->count(), 2);
    QVERIFY(list->item(0)->flags().testFlag(Qt::ItemIsEnabled));
    QVERIFY(!list->item(1)->flags().testFlag(Qt::ItemIsEnabled)); // the missing file is greyed
    QVERIFY(list->item(1)->toolTip().contains(QStringLiteral("no longer exists")));

    // Opening a file that is not a project shows the reason in the banner, no dialog.
    test::writeTextFile(m_dir->file("broken.aapeproj"), "not sqlite");
    QVERIFY(!window.openProject(QString::fromStdString(m_dir->file("broken.aapeproj"))));
    QCOMPARE(window.banner()->level(), MessageBanner::Error);
    QVERIFY(!window.session()->isOpen());
}

void MainWindowTest::stopShowsStoppingUntilFinished()
{
    MainWindow window;
    window.show();
    auto* stop = window.findChild<QPushButton*>(QStringLiteral("stopJobButton"));
    QVERIFY(stop);
    QVERIFY(!stop->isVisible());
    QVERIFY(window.jobs()->start(QStringLiteral("Waiting"), [](JobContext& context) -> Status {
        while (!context.stopRequested())
            QThread::msleep(5);
        return makeError(ErrorCode::Cancelled, "stopped");
    }));
    QTRY_VERIFY(stop->isVisible());
    QSignalSpy finished(window.jobs(), &JobRunner::finished);
    QTest::mouseClick(stop, Qt::LeftButton);
    QCOMPARE(stop->text(), QStringLiteral("Stopping…"));
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(2).toBool(), true);
    QVERIFY(!stop->isVisible());
}

void MainWindowTest::screenshots()
{
    if (qEnvironmentVariableIsEmpty("AAPE_SCREENSHOT_DIR"))
        QSKIP("set AAPE_SCREENSHOT_DIR to write screenshots");
    // Recent entries for the welcome page: one present, one moved away, in a Projects folder
    // of a home folder, which the page shows as "~/Projects" (not the test's temporary path).
    const QString home = QString::fromStdString(m_dir->file("home"));
    QVERIFY(QDir().mkpath(home + QStringLiteral("/Projects")));
    const QString present = home + QStringLiteral("/Projects/EuroSAT 16-shot.aapeproj");
    const QString moved = home + QStringLiteral("/Projects/Stanford Cars.aapeproj");
    {
        MainWindow window;
        QVERIFY(window.createProject(moved));
        QVERIFY(window.createProject(present));
    }
    QFile::remove(moved);
    // The demo, written beforehand with a tiny CLIP so that openDemo only opens it (the real
    // first run may train the demo's CLIP for minutes).
    QDir(MainWindow::demoFolder()).removeRecursively();
    QVERIFY(test::writeTinyDemo(MainWindow::demoFolder().toStdString(), m_dir->file("clip")).ok());

    const QByteArray realHome = qgetenv("HOME");
    qputenv("HOME", QFile::encodeName(home));
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.welcomePage()->recentList()->item(0)->text().endsWith(QStringLiteral("~/Projects")));
    saveShot(&window, QStringLiteral("welcome.png"));
    qputenv("HOME", realHome);

    window.openDemo();
    QVERIFY(window.session()->isOpen());
    QVERIFY(window.dataPage()->datasetModel()->rowCount() > 0);
    // Let the visible thumbnails decode.
    QListView* grid = window.dataPage()->grid();
    grid->selectionModel()->select(window.dataPage()->filterModel()->index(2, 0), QItemSelectionModel::Select);
    QTRY_VERIFY_WITH_TIMEOUT(grid->model()->index(0, 0).data(DatasetModel::ThumbnailLoadedRole).toBool(), 20000);
    QTest::qWait(1500);
    saveShot(&window, QStringLiteral("data.png"));

    window.showPage(MainWindow::DescribePageIndex);
    window.describePage()->selectClass(window.describePage()->classModel()->classIdAt(1));
    QTest::qWait(200);
    saveShot(&window, QStringLiteral("describe.png"));
}

QTEST_MAIN(MainWindowTest)
#include "tst_main_window.moc"
