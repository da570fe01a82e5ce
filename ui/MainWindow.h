#pragma once
// The studio's main window: the welcome page or the open project (navigation on the left,
// pages on the right), menus, the message banner, the job line in the status bar, and
// drag-and-drop import. Owns the ProjectSession, the JobRunner and the QUndoStack that the
// pages share. GUI thread only.

#include "ImportJob.h"
#include "JobRunner.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>

#include <functional>

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QUndoStack;

namespace aape::ui {

class DataPage;
class DescribePage;
class MapPage;
class ReviewPage;
class ScenePage;
class MessageBanner;
class ProjectSession;
class WelcomePage;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    enum Page {
        DataPageIndex = 0,
        DescribePageIndex,
        TrainPageIndex,
        InspectPageIndex,
        TryPageIndex,
        RunsPageIndex,
        MapPageIndex,
        ReviewPageIndex,
        ScenePageIndex,
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ProjectSession* session() const { return m_session; }
    JobRunner* jobs() const { return m_jobs; }
    QUndoStack* undoStack() const { return m_undoStack; }
    MessageBanner* banner() const { return m_banner; }
    WelcomePage* welcomePage() const { return m_welcome; }
    DataPage* dataPage() const { return m_dataPage; }
    DescribePage* describePage() const { return m_describePage; }
    MapPage* mapPage() const { return m_mapPage; }
    ReviewPage* reviewPage() const { return m_reviewPage; }
    ScenePage* scenePage() const { return m_scenePage; }
    QLabel* countsLabel() const { return m_countsLabel; }
    int currentPage() const;

    // Where the demo project lives: AppLocalDataLocation/demo.
    static QString demoFolder();

public Q_SLOTS:
    bool openProject(const QString& path);
    bool createProject(const QString& path);
    void closeProject();
    // Imports files and folders (as dropped) in a job; without an open project, asks for one.
    void importPaths(const QStringList& paths);
    void importItems(const QList<ImportItem>& items);
    // Opens the demo, writing it first (in a job, with progress) when it is not there yet.
    void openDemo();
    void showPage(int page);
    void newProject();
    void openProjectDialog();
    void chooseModel();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    using Completion = std::function<void(bool ok, bool cancelled, const QString& error)>;

    void buildMenus();
    void buildStatusBar();
    QWidget* buildProjectView();
    void updateProjectState();
    void updateCounts();
    void rebuildRecentMenu();
    void importDialog(ImportKind kind);
    bool startJob(const QString& name, JobRunner::Job job, Completion completion);
    void onJobProgress(const QString& stage, qint64 done, qint64 total);
    void onJobFinished(const QString& name, bool ok, bool cancelled, const QString& error);
    void applyModelFromSettings();
    // Geometry, dock/toolbar state, splitters and table headers into StudioSettings.
    void saveWindowLayout();

    ProjectSession* m_session = nullptr;
    JobRunner* m_jobs = nullptr;
    QUndoStack* m_undoStack = nullptr;
    MessageBanner* m_banner = nullptr;
    QStackedWidget* m_mainStack = nullptr;
    WelcomePage* m_welcome = nullptr;
    QWidget* m_projectView = nullptr;
    QListWidget* m_nav = nullptr;
    QStackedWidget* m_pages = nullptr;
    DataPage* m_dataPage = nullptr;
    DescribePage* m_describePage = nullptr;
    MapPage* m_mapPage = nullptr;
    ReviewPage* m_reviewPage = nullptr;
    ScenePage* m_scenePage = nullptr;

    QLabel* m_projectLabel = nullptr;
    QLabel* m_countsLabel = nullptr;
    QLabel* m_jobLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_stopButton = nullptr;
    QElapsedTimer m_stageTimer;
    QString m_stage;

    QMenu* m_recentMenu = nullptr;
    QList<QAction*> m_projectActions; // enabled only with an open project
    QList<ImportItem> m_pendingImport;
    Completion m_completion;
};

} // namespace aape::ui
