#include "MainWindow.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AAPE Studio"));
    QApplication::setApplicationName(QStringLiteral("aape-studio"));
    aape::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
