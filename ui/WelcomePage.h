#pragma once
// The first page: new, open, recent projects, the demo, and the CLIP model in use.
// GUI thread only; it only asks, MainWindow acts.

#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace aape::ui {

class WelcomePage final : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    // Re-reads the recent projects and the model line from StudioSettings.
    void refresh();
    QListWidget* recentList() const { return m_recent; }

Q_SIGNALS:
    void newProjectRequested();
    void openProjectRequested();
    void openDemoRequested();
    void recentProjectActivated(const QString& path);
    void chooseModelRequested();

private:
    QListWidget* m_recent = nullptr;
    QLabel* m_modelLine = nullptr;
    QLabel* m_recentEmpty = nullptr;
};

} // namespace aape::ui
