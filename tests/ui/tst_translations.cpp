// The studio's translations: the embedded zh_CN catalogue translates the main window, the
// committed .ts files are complete, and the English catalogue supplies plural forms.

#include "MainWindow.h"
#include "StudioSettings.h"

#include "TestSupport.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace aape;
using namespace aape::ui;

namespace {

struct TsCounts {
    int messages = 0;
    int unfinished = 0;
    int empty = 0;
    QStringList offenders;  // source texts of the first unfinished or empty messages
    QString error;
};

// Walks a Qt Linguist .ts file; obsolete ("vanished") messages are not counted, since
// lrelease drops them.
TsCounts countTs(const QString& path)
{
    TsCounts counts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        counts.error = file.errorString();
        return counts;
    }
    QXmlStreamReader xml(&file);
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            if (type == QLatin1String("vanished") || type == QLatin1String("obsolete")) {
                xml.skipCurrentElement();
                continue;
            }
            ++counts.messages;
            // Numerus translations hold <numerusform> children; all of them must be filled.
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            const bool unfinished = type == QLatin1String("unfinished");
            const bool empty = text.trimmed().isEmpty();
            counts.unfinished += unfinished ? 1 : 0;
            counts.empty += empty ? 1 : 0;
            if ((unfinished || empty) && counts.offenders.size() < 10)
                counts.offenders.append(source);
        }
    }
    if (xml.hasError())
        counts.error = xml.errorString();
    return counts;
}

QString tsPath(const QString& name)
{
    return QStringLiteral(AAPE_SOURCE_DIR "/translations/") + name;
}

QStringList menuTitles(QMainWindow& window)
{
    QStringList titles;
    for (QAction* action : window.menuBar()->actions())
        titles.append(action->text());
    return titles;
}

QStringList pageNames(QMainWindow& window)
{
    QStringList names;
    for (QListWidget* list : window.findChildren<QListWidget*>()) {
        for (int row = 0; row < list->count(); ++row)
            names.append(list->item(row)->text());
    }
    return names;
}

void removeTranslators()
{
    for (QTranslator* translator : QCoreApplication::instance()->findChildren<QTranslator*>()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

} // namespace

class TranslationsTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void tsFilesAreComplete_data();
    void tsFilesAreComplete();
    void chineseTranslatesMainWindow_data();
    void chineseTranslatesMainWindow();
    void englishHasPluralForms();
    void screenshot();

private:
    std::unique_ptr<test::TempDir> m_dir;
};

void TranslationsTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("AAPE Studio Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    QSettings().clear();
    m_dir = std::make_unique<test::TempDir>();
}

void TranslationsTest::cleanup()
{
    removeTranslators();
    QLocale::setDefault(QLocale::c());
}

void TranslationsTest::tsFilesAreComplete_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("minimumMessages");
    QTest::newRow("zh_CN") << QStringLiteral("aape_zh_CN.ts") << 100;
}

void TranslationsTest::tsFilesAreComplete()
{
    QFETCH(QString, file);
    QFETCH(int, minimumMessages);
    const TsCounts counts = countTs(tsPath(file));
    QVERIFY2(counts.error.isEmpty(), qPrintable(counts.error));
    QVERIFY2(counts.messages >= minimumMessages, qPrintable(QString::number(counts.messages)));
    const QString offenders = counts.offenders.join(QStringLiteral(" | "));
    QVERIFY2(counts.unfinished == 0, qPrintable(QStringLiteral("%1 unfinished: %2").arg(counts.unfinished).arg(offenders)));
    QVERIFY2(counts.empty == 0, qPrintable(QStringLiteral("%1 empty: %2").arg(counts.empty).arg(offenders)));
}

void TranslationsTest::chineseTranslatesMainWindow_data()
{
    QTest::addColumn<QString>("english");
    QTest::addColumn<QString>("chinese");
    QTest::addColumn<bool>("isMenu");
    QTest::newRow("file menu") << QStringLiteral("&File") << QStringLiteral("文件(&F)") << true;
    QTest::newRow("edit menu") << QStringLiteral("&Edit") << QStringLiteral("编辑(&E)") << true;
    QTest::newRow("help menu") << QStringLiteral("&Help") << QStringLiteral("帮助(&H)") << true;
    QTest::newRow("data page") << QStringLiteral("Data") << QStringLiteral("数据") << false;
    QTest::newRow("describe page") << QStringLiteral("Describe") << QStringLiteral("描述") << false;
    QTest::newRow("train page") << QStringLiteral("Train") << QStringLiteral("训练") << false;
    QTest::newRow("runs page") << QStringLiteral("Runs") << QStringLiteral("运行记录") << false;
}

void TranslationsTest::chineseTranslatesMainWindow()
{
    QFETCH(QString, english);
    QFETCH(QString, chinese);
    QFETCH(bool, isMenu);
    QVERIFY(installTranslator(*QCoreApplication::instance(), Language::ChineseSimplified));
    MainWindow window;
    QVERIFY(window.createProject(QString::fromStdString(m_dir->file(QTest::currentDataTag()) + ".aapeproj")));
    const QStringList texts = isMenu ? menuTitles(window) : pageNames(window);
    QVERIFY2(texts.contains(chinese), qPrintable(texts.join(QStringLiteral(", "))));
    QVERIFY(!texts.contains(english));
}

void TranslationsTest::englishHasPluralForms()
{
    // Without aape_en.qm Qt falls back to the source text, "%n image(s)".
    QVERIFY(installTranslator(*QCoreApplication::instance(), Language::English));
    QCOMPARE(QCoreApplication::translate("aape::ui::MainWindow", "%n image(s)", nullptr, 1), QStringLiteral("1 image"));
    QCOMPARE(QCoreApplication::translate("aape::ui::MainWindow", "%n image(s)", nullptr, 2), QStringLiteral("2 images"));
}

void TranslationsTest::screenshot()
{
    const QString folder = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (folder.isEmpty())
        QSKIP("Set AAPE_SHOTS_DIR to write docs/screenshots/main-zh_CN.png.");
    QVERIFY(installTranslator(*QCoreApplication::instance(), Language::ChineseSimplified));
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createProject(QString::fromStdString(m_dir->file("shot.aapeproj"))));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QDir().mkpath(folder);
    QVERIFY(window.grab().save(folder + QStringLiteral("/main-zh_CN.png")));
}

QTEST_MAIN(TranslationsTest)
#include "tst_translations.moc"
