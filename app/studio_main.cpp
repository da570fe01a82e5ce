#include "MainWindow.h"
#include "StudioSettings.h"
#include "studio/DemoTour.h"

#include "aape/util/Log.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    aape::Log::setProgram("aape-studio");
    QApplication::setOrganizationName(QStringLiteral("AAPE Studio"));
    QApplication::setApplicationName(QStringLiteral("aape-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("AAPE Studio"));
    QApplication::setApplicationVersion(QStringLiteral(AAPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("aape-studio"));
    aape::ui::installTranslator(app, aape::ui::StudioSettings::language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Adapt CLIP to your own images with AAPE."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QApplication::translate("main", "A project file (*.aapeproj) to open."),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QApplication::translate("main", "Open the demo project (created on first use)."));
    parser.addOption(demo);
    const QCommandLineOption tour(
        QStringLiteral("headless-tour"),
        QApplication::translate("main", "Without a display: run the demo workflow (encode, train, evaluate, export) "
                                        "and save a screenshot of every page into FOLDER."),
        QStringLiteral("FOLDER"));
    parser.addOption(tour);
    const QCommandLineOption tourEpochs(QStringLiteral("tour-epochs"),
                                        QApplication::translate("main", "Epochs for --headless-tour."),
                                        QStringLiteral("N"), QStringLiteral("60"));
    parser.addOption(tourEpochs);
    parser.process(app);

    if (parser.isSet(tour))
        return aape::ui::runDemoTour(parser.value(tour), parser.value(tourEpochs).toInt());

    aape::ui::MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());
    window.show();

    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(demo)) {
        QTimer::singleShot(0, &window, [&window] { window.openDemo(); });
    } else if (!positional.isEmpty()) {
        const QString path = QFileInfo(positional.first()).absoluteFilePath();
        QTimer::singleShot(0, &window, [&window, path] { window.openProject(path); });
    }
    return QApplication::exec();
}
