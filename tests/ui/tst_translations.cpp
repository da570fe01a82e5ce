// The studio's translations: the embedded zh_CN catalogue translates the main window, the
// committed .ts files are complete, and the English catalogue supplies plural forms.

#include "MainWindow.h"
#include "StudioSettings.h"
#include "UndoCommands.h"

#include "TestSupport.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
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
    int vanished = 0;      // messages whose source text is gone from the code (lupdate keeps them)
    QStringList offenders; // source texts of the first unfinished or empty messages
    QString error;
};

// Walks a Qt Linguist .ts file. Obsolete ("vanished") messages are counted apart: lrelease
// drops them, and a committed file should have none (a string changed in the code and its
// translation was not carried over).
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
                ++counts.vanished;
                if (counts.offenders.size() < 10)
                    counts.offenders.append(source);
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
    void tsFilesMatchTheSources();
    void undoTextsAreTranslated();
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
    QVERIFY2(counts.unfinished == 0,
             qPrintable(QStringLiteral("%1 unfinished: %2").arg(counts.unfinished).arg(offenders)));
    QVERIFY2(counts.empty == 0, qPrintable(QStringLiteral("%1 empty: %2").arg(counts.empty).arg(offenders)));
    QVERIFY2(counts.vanished == 0, qPrintable(QStringLiteral("%1 vanished: %2").arg(counts.vanished).arg(offenders)));
}

void TranslationsTest::tsFilesMatchTheSources()
{
    // lupdate over a copy of the committed file: every user-visible string of ui/ and app/
    // must already be there and translated, and none may have vanished from the code.
    QString lupdate;
    for (const QString& folder :
         {QLibraryInfo::path(QLibraryInfo::LibraryExecutablesPath), QLibraryInfo::path(QLibraryInfo::BinariesPath)}) {
        if (QFileInfo(folder + QStringLiteral("/lupdate")).isExecutable()) {
            lupdate = folder + QStringLiteral("/lupdate");
            break;
        }
    }
    if (lupdate.isEmpty())
        QSKIP("Qt 6 lupdate not found; install qt6-l10n-tools (packaging/install-deps.sh does).");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("aape_zh_CN.ts"));
    QVERIFY(QFile::copy(tsPath(QStringLiteral("aape_zh_CN.ts")), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess process;
    process.setWorkingDirectory(QStringLiteral(AAPE_SOURCE_DIR));
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(lupdate, {QStringLiteral("ui"), QStringLiteral("app"), QStringLiteral("-ts"), copy,
                            QStringLiteral("-locations"), QStringLiteral("none")});
    QVERIFY2(process.waitForFinished(120000), "lupdate did not finish within two minutes");
    const QString output = QString::fromLocal8Bit(process.readAll());
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, qPrintable(output));
    const TsCounts counts = countTs(copy);
    QVERIFY2(counts.error.isEmpty(), qPrintable(counts.error));
    const QString offenders = counts.offenders.join(QStringLiteral(" | "));
    QVERIFY2(counts.unfinished == 0,
             qPrintable(QStringLiteral("%1 strings in the code are not in translations/aape_zh_CN.ts or not translated "
                                       "(run lupdate as translations/CMakeLists.txt says): %2")
                            .arg(counts.unfinished)
                            .arg(offenders)));
    QVERIFY2(
        counts.vanished == 0,
        qPrintable(
            QStringLiteral("%1 translated strings are gone from the code: %2").arg(counts.vanished).arg(offenders)));
}

void TranslationsTest::undoTextsAreTranslated()
{
    // The undo commands carry their own translation contexts (Q_DECLARE_TR_FUNCTIONS), which
    // must be the ones lupdate filed their strings under.
    QVERIFY(installTranslator(*QCoreApplication::instance(), Language::ChineseSimplified));
    SetImagesExcludedCommand exclude(nullptr, {1, 2, 3}, true);
    QCOMPARE(exclude.text(), QStringLiteral("排除 3 张图像"));
    SetImageSplitsCommand split(nullptr, {1}, store::Split::Val);
    QCOMPARE(split.text(), QStringLiteral("将 1 张图像移至验证集"));
    removeTranslators();
    QVERIFY(installTranslator(*QCoreApplication::instance(), Language::English));
    SetImagesExcludedCommand one(nullptr, {7}, false);
    QCOMPARE(one.text(), QStringLiteral("Include 1 image"));
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
    QCOMPARE(QCoreApplication::translate("aape::ui::MainWindow", "%n image(s)", nullptr, 2),
             QStringLiteral("2 images"));
}

void TranslationsTest::screenshot()
{
    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        QSKIP("set AAPE_SCREENSHOT_DIR to write main-zh_CN.png (packaging/update-screenshots.sh does)");
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
