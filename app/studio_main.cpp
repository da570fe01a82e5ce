#include "MainWindow.h"
#include "StudioSettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
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
    parser.process(app);

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
