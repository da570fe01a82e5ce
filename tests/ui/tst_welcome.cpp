// The welcome page names a recent project's folder as people say it: "~/Projects" under the
// home folder, the full path elsewhere (and always in the tooltip).

#include "StudioSettings.h"
#include "WelcomePage.h"

#include "SettingsSandbox.h"

#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace aape;
using namespace aape::ui;

class WelcomeTest final : public QObject {
    Q_OBJECT

private slots:
    void recentFoldersUnderHomeReadTilde();

private:
    test::SettingsSandbox m_settings;
};

void WelcomeTest::recentFoldersUnderHomeReadTilde()
{
    QTemporaryDir home;
    QTemporaryDir elsewhere;
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral("Projects")));
    const QString inHome = home.filePath(QStringLiteral("Projects/Stanford Cars.aapeproj"));
    const QString outside = elsewhere.filePath(QStringLiteral("EuroSAT.aapeproj"));
    for (const QString& path : {outside, inHome}) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        StudioSettings::addRecentProject(path);
    }
    const QByteArray realHome = qgetenv("HOME");
    qputenv("HOME", QFile::encodeName(home.path()));
    WelcomePage page;
    qputenv("HOME", realHome);
    QListWidget* list = page.recentList();
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->text(), QStringLiteral("Stanford Cars — ~/Projects"));
    QCOMPARE(list->item(0)->toolTip(), QDir::toNativeSeparators(inHome));
    QCOMPARE(list->item(1)->text(), QStringLiteral("EuroSAT — ") + QDir::toNativeSeparators(elsewhere.path()));
}

QTEST_MAIN(WelcomeTest)
#include "tst_welcome.moc"
