// Help ▸ User Guide shows the guide offline: from the build folder (the source tree's docs/)
// and from an installed layout (<prefix>/bin next to <prefix>/share/doc/aape-studio), with its
// screenshots.

#include "MainWindow.h"
#include "MessageBanner.h"
#include "UserGuideViewer.h"

#include "SettingsSandbox.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextDocument>
#include <QtTest>

using namespace aape;
using namespace aape::ui;

class UserGuideTest final : public QObject {
    Q_OBJECT

private slots:
    void buildFolderFindsTheSourceGuide();
    void installedGuideComesFirst();
    void helpMenuOpensTheGuideWithItsScreenshots();

private:
    test::SettingsSandbox m_settings;
};

void UserGuideTest::buildFolderFindsTheSourceGuide()
{
    // The test runs from build/tests, where nothing is installed.
    const QString found = UserGuideViewer::findUserGuide(QCoreApplication::applicationDirPath());
    QCOMPARE(QFileInfo(found).canonicalFilePath(),
             QFileInfo(QStringLiteral(AAPE_SOURCE_DIR "/docs/user-guide.md")).canonicalFilePath());
}

void UserGuideTest::installedGuideComesFirst()
{
    // As CMake's install and the Debian package lay it out, under any prefix.
    QTemporaryDir prefix;
    QVERIFY(QDir().mkpath(prefix.filePath(QStringLiteral("bin"))));
    QVERIFY(QDir().mkpath(prefix.filePath(QStringLiteral("share/doc/aape-studio"))));
    const QString installed = prefix.filePath(QStringLiteral("share/doc/aape-studio/user-guide.md"));
    QFile file(installed);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# Installed guide\n");
    file.close();
    const QString bin = prefix.filePath(QStringLiteral("bin"));
    QCOMPARE(UserGuideViewer::candidatePaths(bin).first(), QDir::cleanPath(installed));
    QCOMPARE(UserGuideViewer::findUserGuide(bin), QDir::cleanPath(installed));
    UserGuideViewer viewer(installed);
    QVERIFY(viewer.browser()->toPlainText().contains(QStringLiteral("Installed guide")));
}

void UserGuideTest::helpMenuOpensTheGuideWithItsScreenshots()
{
    MainWindow window;
    window.show();
    auto* action = window.findChild<QAction*>(QStringLiteral("userGuideAction"));
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
    action->trigger();
    auto* viewer = window.findChild<UserGuideViewer*>();
    QVERIFY(viewer);
    QVERIFY(viewer->isVisible());
    QVERIFY(viewer->isWindow());
    QTextBrowser* browser = viewer->browser();
    // Rendered as Markdown (no "#" left), with the screenshots read from beside the guide.
    const QString text = browser->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("AAPE Studio")), qPrintable(text.left(200)));
    QVERIFY(!text.startsWith(QLatin1Char('#')));
    const QUrl shot = browser->source().resolved(QUrl(QStringLiteral("screenshots/welcome.png")));
    const QVariant image = browser->loadResource(QTextDocument::ImageResource, shot);
    QVERIFY(image.isValid());
    QVERIFY(!QImage::fromData(image.toByteArray()).isNull() || !image.value<QImage>().isNull());
    // A second time raises the same window.
    action->trigger();
    QCOMPARE(window.findChildren<UserGuideViewer*>().size(), 1);
    QVERIFY(window.banner()->text().isEmpty() || !window.banner()->isVisible());

    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (!folder.isEmpty()) {
        viewer->resize(1000, 760);
        QTest::qWait(200);
        QDir().mkpath(folder);
        QVERIFY(viewer->grab().save(folder + QStringLiteral("/user-guide.png")));
    }
}

QTEST_MAIN(UserGuideTest)
#include "tst_user_guide.moc"
