// The studio shows what went wrong with which file and what to do, in a sentence or two; the
// technical side (LibTorch's exception text with its stack frames) goes to the log file, which
// the model chooser links to and every error banner's Details name and open. With
// AAPE_SHOTS_DIR set it saves screenshots of both to look at.

#include "ImageFixtures.h"
#include "JobRunner.h"
#include "MessageBanner.h"
#include "ModelChooser.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/util/Log.h"

#include <QBoxLayout>
#include <QDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextDocumentFragment>
#include <QtTest/QtTest>

using namespace aape;
using namespace aape::ui;

namespace {

const char* const kInternals[] = {"Exception raised from", "c10", "frame #", ".cpp:", "torch/csrc"};

// Sentences once `file` is taken out (file names hold dots).
int sentenceCount(QString text, const QString& file)
{
    text.remove(file);
    int count = 0;
    for (int i = 0; i < text.size(); ++i)
        if ((text[i] == QLatin1Char('.') || text[i] == QLatin1Char('!') || text[i] == QLatin1Char('?'))
            && (i + 1 == text.size() || text[i + 1].isSpace()))
            ++count;
    return count;
}

// What LibTorch's unpickler says about a picture, as the issue quotes it.
Error libTorchError(const std::string& file)
{
    return makeError(ErrorCode::BadFormat, "This file is not a CLIP checkpoint; choose another one.", file,
                     "Exception raised from readGlobal at ./torch/csrc/jit/serialization/unpickler.cpp:827 (most "
                     "recent call first):\nframe #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x58\n"
                     "frame #1: torch::jit::Unpickler::readGlobal(std::string const&, std::string const&) + 0x7e4");
}

} // namespace

class TestErrorMessages final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void modelChooserNamesThePictureAndWhatToDo();
    void modelChooserSendsLibTorchsTextToTheLog();
    void failedJobReportsTheSentenceAndLogsTheDetail();
    void errorBannerDetailsPointToTheLog();

private:
    QString waitForCheck(ModelChooser& chooser, const QString& path);
    QString log() const { return QString::fromStdString(test::readTextFile(m_log)); }
    void shoot(QWidget* widget, const QString& name);

    test::SettingsSandbox m_settings;
    test::TempDir m_dir;
    std::string m_log;
    QString m_png;
};

void TestErrorMessages::initTestCase()
{
    m_log = m_dir.file("state/aape.log");
    qputenv("AAPE_LOG_FILE", QByteArray::fromStdString(m_log));
    m_png = QString::fromStdString(m_dir.file("holiday photo.png"));
    test::writeBinaryFile(m_png.toStdString(), test::encodeImage(test::gradientImage(64, 48), ".png"));
}

void TestErrorMessages::init()
{
    std::remove(m_log.c_str());
}

void TestErrorMessages::shoot(QWidget* widget, const QString& name)
{
    const QString shots = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (!shots.isEmpty())
        QVERIFY(widget->grab().save(shots + QLatin1Char('/') + name));
}

QString TestErrorMessages::waitForCheck(ModelChooser& chooser, const QString& path)
{
    QSignalSpy checked(&chooser, &ModelChooser::checked);
    chooser.setPath(path);
    if (!checked.wait(60000) || checked.takeFirst().at(0).toBool())
        return {};
    return chooser.findChild<QLabel*>(QStringLiteral("modelCheckResult"))->text();
}

void TestErrorMessages::modelChooserNamesThePictureAndWhatToDo()
{
    ModelChooser chooser;
    chooser.show();
    const QString html = waitForCheck(chooser, m_png);
    QVERIFY2(!html.isEmpty(), "a picture passed the checkpoint check");
    const QString text = QTextDocumentFragment::fromHtml(html).toPlainText();
    QVERIFY2(text.contains(QStringLiteral("holiday photo.png")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("PNG image"))
                 && text.contains(QStringLiteral("choose a Hugging Face CLIP "
                                                 "folder")),
             qPrintable(text));
    QVERIFY2(sentenceCount(text, QStringLiteral("holiday photo.png")) <= 2, qPrintable(text));
    for (const char* internal : kInternals)
        QVERIFY2(!text.contains(QLatin1String(internal)), qPrintable(text));
    QVERIFY(!chooser.modelInfo());
    QVERIFY2(log().contains(m_png), qPrintable(log()));
    shoot(&chooser, QStringLiteral("model-chooser-png.png"));
}

void TestErrorMessages::modelChooserSendsLibTorchsTextToTheLog()
{
    // Neither a zip nor a pickle: LibTorch's reader throws, with its stack frames.
    const QString damaged = QString::fromStdString(m_dir.file("damaged.pt"));
    test::writeTextFile(damaged.toStdString(), std::string(4096, '\x5a'));
    ModelChooser chooser;
    chooser.show();
    const QString html = waitForCheck(chooser, damaged);
    QVERIFY(!html.isEmpty());
    const QString text = QTextDocumentFragment::fromHtml(html).toPlainText();
    QVERIFY2(text.contains(QStringLiteral("damaged.pt")), qPrintable(text));
    QVERIFY2(sentenceCount(text, QStringLiteral("damaged.pt")) <= 3, qPrintable(text)); // + the link's sentence
    for (const char* internal : kInternals)
        QVERIFY2(!text.contains(QLatin1String(internal)), qPrintable(text));
    // The link opens the log, which has the reader's own words.
    const QString logUrl = QUrl::fromLocalFile(QString::fromStdString(m_log)).toString();
    QVERIFY2(html.contains(logUrl.toHtmlEscaped()), qPrintable(html));
    QVERIFY2(log().contains(damaged) && log().size() > text.size() + 100, qPrintable(log()));
    shoot(&chooser, QStringLiteral("model-chooser-damaged.png"));
}

void TestErrorMessages::failedJobReportsTheSentenceAndLogsTheDetail()
{
    JobRunner jobs;
    QSignalSpy finished(&jobs, &JobRunner::finished);
    QVERIFY(
        jobs.start(QStringLiteral("Loading"), [](JobContext&) -> Status { return libTorchError("/data/cat.png"); }));
    QVERIFY(finished.wait(10000));
    const QString error = finished.first().at(3).toString();
    QCOMPARE(error, QStringLiteral("/data/cat.png: This file is not a CLIP checkpoint; choose another one."));
    QVERIFY2(log().contains(QStringLiteral("frame #1: torch::jit::Unpickler::readGlobal")), qPrintable(log()));
    QVERIFY2(log().contains(QStringLiteral("Loading")), qPrintable(log()));
}

void TestErrorMessages::errorBannerDetailsPointToTheLog()
{
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* banner = new MessageBanner(&window);
    layout->addWidget(banner);
    layout->addStretch();
    window.resize(760, 120);
    window.show();
    const Error error = libTorchError("/data/cat.png");
    banner->showMessage(MessageBanner::Error, QString::fromStdString(error.message), loggedDetails(error));
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const QString& shown : {banner->text(), banner->details()})
        for (const char* internal : kInternals)
            QVERIFY2(!shown.contains(QLatin1String(internal)), qPrintable(shown));
    QVERIFY2(log().contains(QStringLiteral("readGlobal")), qPrintable(log()));
    shoot(&window, QStringLiteral("error-banner.png"));

    auto* details = banner->findChild<QPushButton*>(QStringLiteral("bannerDetails"));
    QVERIFY(details && details->isVisible() && details->text().startsWith(QStringLiteral("Details")));
    details->click();
    auto* dialog = window.findChild<QDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    const QString shown = dialog->findChild<QPlainTextEdit*>(QStringLiteral("detailsText"))->toPlainText();
    QVERIFY2(shown.contains(QString::fromStdString(m_log)), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("/data/cat.png")), qPrintable(shown));
    for (const char* internal : kInternals)
        QVERIFY2(!shown.contains(QLatin1String(internal)), qPrintable(shown));
    auto* openLog = dialog->findChild<QPushButton*>(QStringLiteral("openLogButton"));
    QVERIFY(openLog && openLog->isVisible());
    shoot(dialog, QStringLiteral("error-details.png"));

    // Errors without details still say where the log is; other levels have no Details.
    banner->showMessage(MessageBanner::Error, QStringLiteral("The export failed; free some disk space."));
    QVERIFY(details->isVisible());
    banner->showMessage(MessageBanner::Success, QStringLiteral("Saved."));
    QVERIFY(!details->isVisible());
}

QTEST_MAIN(TestErrorMessages)
#include "tst_error_messages.moc"
