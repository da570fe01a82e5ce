#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>

namespace aape::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("AAPE Studio"));
    m_welcome = new QLabel(tr("AAPE Studio"), this);
    m_welcome->setAlignment(Qt::AlignCenter);
    setCentralWidget(m_welcome);
    statusBar()->showMessage(tr("Ready"));
    resize(1100, 720);
}

} // namespace aape::ui
