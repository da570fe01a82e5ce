#include "MainWindow.h"

#include "ClusterDialog.h"
#include "DataPage.h"
#include "DescribePage.h"
#include "DescriptionMatchDialog.h"
#include "DuplicatesDialog.h"
#include "InspectPage.h"
#include "LayoutMemory.h"
#include "MapPage.h"
#include "MessageBanner.h"
#include "ModelChooser.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "ReviewPage.h"
#include "RunsPage.h"
#include "SceneImportDialog.h"
#include "ScenePage.h"
#include "StudioSettings.h"
#include "TrainPage.h"
#include "TryPage.h"
#include "UserGuideViewer.h"
#include "WelcomePage.h"

#include "aape/clip/ClipModel.h"
#include "aape/demo/DemoWorld.h"
#include "aape/geo/Scene.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QUndoStack>
#include <QVBoxLayout>

#include <iterator>
#include <memory>

static void initStudioResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace aape::ui {

namespace {

QString fromStd(const std::string& text)
{
    return QString::fromStdString(text);
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 60)
        return MainWindow::tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return MainWindow::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return MainWindow::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

// Page names as StudioSettings stores them, in MainWindow::Page order.
const char* const kPageNames[] = {"data", "describe", "train", "inspect", "try", "runs", "map", "review", "scene"};

QStringList localPaths(const QMimeData* data)
{
    QStringList paths;
    if (!data || !data->hasUrls())
        return paths;
    for (const QUrl& url : data->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    initStudioResources();
    setWindowTitle(tr("AAPE Studio"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/aape-studio.svg")));
    setAcceptDrops(true);

    m_session = new ProjectSession(this);
    m_jobs = new JobRunner(this);
    m_undoStack = new QUndoStack(this);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new MessageBanner(central);
    auto* bannerHolder = new QHBoxLayout;
    bannerHolder->setContentsMargins(6, 6, 6, 0);
    bannerHolder->addWidget(m_banner);
    layout->addLayout(bannerHolder);
    m_mainStack = new QStackedWidget(central);
    layout->addWidget(m_mainStack, 1);
    setCentralWidget(central);

    m_welcome = new WelcomePage(m_mainStack);
    m_mainStack->addWidget(m_welcome);
    m_projectView = buildProjectView();
    m_mainStack->addWidget(m_projectView);

    buildMenus();
    buildStatusBar();

    connect(m_welcome, &WelcomePage::newProjectRequested, this, &MainWindow::newProject);
    connect(m_welcome, &WelcomePage::openProjectRequested, this, &MainWindow::openProjectDialog);
    connect(m_welcome, &WelcomePage::openDemoRequested, this, &MainWindow::openDemo);
    connect(m_welcome, &WelcomePage::recentProjectActivated, this, &MainWindow::openProject);
    connect(m_welcome, &WelcomePage::chooseModelRequested, this, &MainWindow::chooseModel);

    connect(m_session, &ProjectSession::opened, this, [this](const QString& path) {
        StudioSettings::addRecentProject(path);
        m_undoStack->clear();
        // Back to the page the user worked on last, in this project or another. Read first:
        // showing the project view may give the navigation a current row of its own.
        const QString last = StudioSettings::lastPage();
        updateProjectState();
        int page = DataPageIndex;
        for (int i = 0; i < int(std::size(kPageNames)); ++i)
            if (last == QLatin1String(kPageNames[i]))
                page = i;
        showPage(page);
    });
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_undoStack->clear();
        updateProjectState();
    });
    connect(m_session, &ProjectSession::datasetChanged, this, &MainWindow::updateCounts);
    connect(m_session, &ProjectSession::userMessage, this,
            [this](int level, const QString& text, const QString& details) {
                m_banner->showMessage(static_cast<MessageBanner::Level>(qBound(0, level, 3)), text, details);
            });

    connect(m_jobs, &JobRunner::started, this, [this](const QString& name) {
        m_stage = name;
        m_stageTimer.start();
        m_jobLabel->setText(name);
        m_progress->setRange(0, 0);
        m_jobLabel->show();
        m_progress->show();
        m_stopButton->setEnabled(true);
        m_stopButton->setText(tr("Stop"));
        m_stopButton->show();
    });
    connect(m_jobs, &JobRunner::progress, this, &MainWindow::onJobProgress);
    connect(m_jobs, &JobRunner::stopping, this, [this] {
        m_stopButton->setEnabled(false);
        m_stopButton->setText(tr("Stopping…"));
        m_jobLabel->setText(tr("Stopping…"));
    });
    connect(m_jobs, &JobRunner::finished, this, &MainWindow::onJobFinished);

    resize(1200, 800);
    restoreGeometry(StudioSettings::windowGeometry());
    restoreState(StudioSettings::windowState());
    restoreLayout(this);
    updateProjectState();
}

MainWindow::~MainWindow()
{
    m_jobs->requestStop();
    m_jobs->waitForFinished();
    saveWindowLayout();
    // The navigation list changes its current row while its items are deleted; that is not
    // the user's choice of page.
    disconnect(m_nav, nullptr, this, nullptr);
}

void MainWindow::saveWindowLayout()
{
    StudioSettings::setWindowGeometry(saveGeometry());
    StudioSettings::setWindowState(saveState());
    saveLayout(this);
}

QString MainWindow::demoFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo");
}

QWidget* MainWindow::buildProjectView()
{
    auto* view = new QWidget(m_mainStack);
    auto* layout = new QHBoxLayout(view);
    layout->setContentsMargins(6, 6, 6, 6);
    m_nav = new QListWidget(view);
    m_nav->setObjectName(QStringLiteral("pageNavigation"));
    m_nav->setIconSize(QSize(24, 24));
    m_nav->setSpacing(2);
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setBackgroundRole(QPalette::Window);
    m_pages = new QStackedWidget(view);

    m_dataPage = new DataPage(m_session, m_undoStack, m_pages);
    m_dataPage->setJobRunner(m_jobs);
    m_describePage = new DescribePage(m_session, m_undoStack, m_pages);
    connect(m_describePage, &DescribePage::importDescriptionsRequested, this,
            [this] { importDialog(ImportKind::CuplJson); });
    // "Remove Flagged and Retrain": the Train page's run with its current settings.
    connect(m_describePage, &DescribePage::retrainRequested, this, [this] {
        showPage(TrainPageIndex);
        if (auto* train = qobject_cast<TrainPage*>(m_pages->widget(TrainPageIndex)))
            train->startTraining();
    });
    auto* inspectPage = new InspectPage(m_session, m_jobs, m_undoStack, m_pages);
    m_mapPage = new MapPage(m_session, m_jobs, m_pages);
    // A rectangle on the map filters the Data page's grid and the Inspect list; the grid's
    // selection is outlined on the map.
    connect(m_mapPage, &MapPage::imagesSelected, this, [this, inspectPage](const QList<qint64>& ids) {
        if (ids.isEmpty()) {
            m_dataPage->clearImageFilter();
            inspectPage->clearRestriction();
        } else {
            m_dataPage->showOnlyImages(ids, tr("selected on the map"));
            inspectPage->restrictToImages(ids, tr("selected on the map"));
        }
    });
    connect(m_dataPage, &DataPage::imageSelectionChanged, m_mapPage, &MapPage::highlightImages);
    m_reviewPage = new ReviewPage(m_session, m_jobs, m_undoStack, m_pages);
    connect(m_reviewPage, &ReviewPage::retrainRequested, this, [this] { showPage(TrainPageIndex); });
    m_scenePage = new ScenePage(m_session, m_jobs, m_pages);
    // A tile clicked on the scene: Inspect shows it when the run evaluated it; a training or
    // unlabelled tile has no prediction there, so the Data page shows it instead.
    connect(m_scenePage, &ScenePage::inspectRequested, this,
            [this, inspectPage](std::int64_t runId, std::int64_t imageId) {
                inspectPage->setRun(runId);
                inspectPage->restrictToImages({imageId}, tr("clicked on the scene"));
                if (inspectPage->proxy()->rowCount() > 0) {
                    showPage(InspectPageIndex);
                    return;
                }
                inspectPage->clearRestriction();
                m_dataPage->showOnlyImages({imageId}, tr("clicked on the scene"));
                showPage(DataPageIndex);
                statusBar()->showMessage(tr("The run did not evaluate this tile (it trained on it, or it has no "
                                            "label): the Data page shows it."),
                                         8000);
            });

    struct Entry {
        QString text;
        QString tip;
        QString themeIcon;
        QStyle::StandardPixmap fallback;
        QWidget* page;
    };
    QStyle* s = style();
    const Entry entries[] = {
        {tr("Data"), tr("Your images: classes, splits, labels (Ctrl+1)"), QStringLiteral("folder-pictures"),
         QStyle::SP_DirIcon, m_dataPage},
        {tr("Describe"), tr("Sentences that describe each class (Ctrl+2)"), QStringLiteral("document-edit"),
         QStyle::SP_FileDialogDetailedView, m_describePage},
        {tr("Train"), tr("Train the prompt generator and watch the curves (Ctrl+3)"),
         QStringLiteral("media-playback-start"), QStyle::SP_MediaPlay, new TrainPage(m_session, m_jobs, m_pages)},
        {tr("Inspect"), tr("Which descriptions mattered, hard and unusual images (Ctrl+4)"),
         QStringLiteral("edit-find"), QStyle::SP_FileDialogContentsView, inspectPage},
        {tr("Try"), tr("Classify new images with a trained run (Ctrl+5)"), QStringLiteral("system-run"),
         QStyle::SP_DialogApplyButton, new TryPage(m_session, m_jobs, m_pages)},
        {tr("Runs"), tr("Compare runs and export the trained generator (Ctrl+6)"), QStringLiteral("view-list-details"),
         QStyle::SP_FileDialogListView, new RunsPage(m_session, m_jobs, m_pages)},
        {tr("Map"), tr("All images on a map of their CLIP embeddings; select some to see them (Ctrl+7)"),
         QStringLiteral("applications-graphics"), QStyle::SP_DesktopIcon, m_mapPage},
        {tr("Review"), tr("Likely label mistakes and what to label next, one key per image (Ctrl+8)"),
         QStringLiteral("dialog-question"), QStyle::SP_MessageBoxQuestion, m_reviewPage},
        {tr("Scene"), tr("A scene imported as tiles with a run's class map over it (Ctrl+9)"),
         QStringLiteral("image-x-generic"), QStyle::SP_DriveNetIcon, m_scenePage},
    };
    int width = 0;
    for (const Entry& entry : entries) {
        auto* item =
            new QListWidgetItem(QIcon::fromTheme(entry.themeIcon, s->standardIcon(entry.fallback)), entry.text, m_nav);
        item->setToolTip(entry.tip);
        item->setSizeHint(QSize(0, 36));
        m_pages->addWidget(entry.page);
        width = qMax(width, m_nav->fontMetrics().horizontalAdvance(entry.text));
    }
    m_nav->setFixedWidth(width + 24 + 48);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_nav, &QListWidget::currentRowChanged, this, [](int row) {
        if (row >= 0 && row < int(std::size(kPageNames)))
            StudioSettings::setLastPage(QLatin1String(kPageNames[row]));
    });
    layout->addWidget(m_nav);
    layout->addWidget(m_pages, 1);
    return view;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QStyle* s = style();
    QAction* newAction =
        file->addAction(s->standardIcon(QStyle::SP_FileIcon), tr("&New Project…"), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence::New);
    newAction->setStatusTip(tr("Create an empty project file"));
    QAction* openAction = file->addAction(s->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Project…"), this,
                                          &MainWindow::openProjectDialog);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setStatusTip(tr("Open an existing *.aapeproj file"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    QAction* demo = file->addAction(tr("Open &Demo"), this, &MainWindow::openDemo);
    demo->setStatusTip(tr("A small ready-made project of coloured shapes, created on first use"));
    file->addSeparator();
    QAction* model = file->addAction(tr("Choose CLIP &Model…"), this, &MainWindow::chooseModel);
    model->setStatusTip(tr("Pick the CLIP checkpoint the project adapts"));
    file->addSeparator();
    QAction* importFolder =
        file->addAction(tr("&Import Folder…"), this, [this] { importDialog(ImportKind::FolderPerClass); });
    importFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    importFolder->setStatusTip(tr("Import a folder whose sub-folders are the classes"));
    QAction* importCsv = file->addAction(tr("Import &CSV…"), this, [this] { importDialog(ImportKind::Csv); });
    importCsv->setStatusTip(tr("Import images listed in a path,label CSV file"));
    QAction* importCoop =
        file->addAction(tr("Import Co&Op Split…"), this, [this] { importDialog(ImportKind::CoopSplit); });
    importCoop->setStatusTip(tr("Import a dataset with its CoOp split_zhou_*.json (train/val/test as published)"));
    QAction* importCupl =
        file->addAction(tr("Import &Descriptions (CuPL JSON)…"), this, [this] { importDialog(ImportKind::CuplJson); });
    importCupl->setStatusTip(tr("Add class descriptions from a CuPL JSON file"));
    QAction* importScene = file->addAction(tr("Import &Scene as Tiles (GeoTIFF, JPEG2000)…"), this,
                                           [this] { importDialog(ImportKind::Scene); });
    importScene->setStatusTip(
        tr("Cut a satellite or aerial scene into tiles, optionally labelled from polygons of a vector file"));
    file->addSeparator();
    QAction* cluster = file->addAction(tr("Encode on a C&luster…"), this, [this] {
        auto* dialog = new ClusterDialog(m_session, m_jobs, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    cluster->setStatusTip(
        tr("Embed the project's images on a Slurm cluster and import the embeddings when the shards are done"));
    file->addSeparator();
    QAction* close = file->addAction(tr("&Close Project"), this, &MainWindow::closeProject);
    close->setShortcut(QKeySequence::Close);
    m_projectActions = {importFolder, importCsv, importCoop, importCupl, importScene, cluster, close};
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoStack->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_undoStack->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* duplicates = edit->addAction(tr("Find &Near-Duplicates…"), this, [this] {
        auto* dialog = new DuplicatesDialog(m_session, m_jobs, m_undoStack, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        dialog->find();
    });
    duplicates->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    duplicates->setStatusTip(tr("Pairs of near-identical images, flagged where a copy crosses train and test"));
    m_projectActions.append(duplicates);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_nav->count(); ++i) {
        QAction* page =
            view->addAction(m_nav->item(i)->icon(), m_nav->item(i)->text(), this, [this, i] { showPage(i); });
        page->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
        m_projectActions.append(page);
    }

    QMenu* language = menuBar()->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const Language current = StudioSettings::language();
    for (Language choice : {Language::System, Language::English, Language::ChineseSimplified}) {
        QAction* action = language->addAction(languageDisplayName(choice));
        action->setCheckable(true);
        action->setChecked(choice == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, choice] {
            StudioSettings::setLanguage(choice);
            m_banner->showMessage(
                MessageBanner::Info,
                tr("The language changes to %1 when you next start AAPE Studio.").arg(languageDisplayName(choice)));
        });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&User Guide"), this, [this] {
        QString lookedIn;
        if (!UserGuideViewer::showGuide(this, &lookedIn))
            m_banner->showMessage(MessageBanner::Warning,
                                  tr("The user guide is not installed. Reinstall AAPE Studio, or read "
                                     "docs/user-guide.md in its source."),
                                  tr("Looked for it in:") + QLatin1Char('\n') + lookedIn);
    });
    guide->setObjectName(QStringLiteral("userGuideAction"));
    guide->setShortcut(QKeySequence::HelpContents);
    guide->setStatusTip(tr("Read the user guide, offline"));
    QAction* about = help->addAction(tr("&About AAPE Studio"), this, [this] {
        QMessageBox::about(this, tr("About AAPE Studio"),
                           tr("<h3>AAPE Studio %1</h3><p>Adapt CLIP to your own images with Aggregate-and-Adapt "
                              "Prompt Embedding (Huang et al., NeurIPS 2024).</p><p>CLIP stays frozen; a small "
                              "prompt generator learns from your labels and descriptions and runs without them "
                              "afterwards.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::buildStatusBar()
{
    m_projectLabel = new QLabel(this);
    m_projectLabel->setObjectName(QStringLiteral("projectLabel"));
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    m_jobLabel = new QLabel(this);
    m_jobLabel->setObjectName(QStringLiteral("jobLabel"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("jobProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_stopButton = new QPushButton(tr("Stop"), this);
    m_stopButton->setObjectName(QStringLiteral("stopJobButton"));
    m_stopButton->setToolTip(tr("Stop the running job; finished work is kept"));
    connect(m_stopButton, &QPushButton::clicked, m_jobs, &JobRunner::requestStop);
    statusBar()->addPermanentWidget(m_jobLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_stopButton);
    statusBar()->addPermanentWidget(m_projectLabel);
    statusBar()->addPermanentWidget(m_countsLabel);
    m_jobLabel->hide();
    m_progress->hide();
    m_stopButton->hide();
}

int MainWindow::currentPage() const
{
    return m_pages->currentIndex();
}

void MainWindow::showPage(int page)
{
    if (!m_session->isOpen() || page < 0 || page >= m_pages->count())
        return;
    m_nav->setCurrentRow(page);
}

void MainWindow::updateProjectState()
{
    const bool open = m_session->isOpen();
    for (QAction* action : std::as_const(m_projectActions))
        action->setEnabled(open);
    m_mainStack->setCurrentWidget(open ? m_projectView : static_cast<QWidget*>(m_welcome));
    if (open) {
        const QFileInfo info(m_session->path());
        setWindowTitle(tr("%1 — AAPE Studio").arg(info.completeBaseName()));
        setWindowFilePath(m_session->path());
        m_projectLabel->setText(info.completeBaseName());
        m_projectLabel->setToolTip(QDir::toNativeSeparators(m_session->path()));
    } else {
        setWindowTitle(tr("AAPE Studio"));
        setWindowFilePath(QString());
        m_projectLabel->clear();
        m_welcome->refresh();
    }
    updateCounts();
}

void MainWindow::updateCounts()
{
    if (!m_session->isOpen()) {
        m_countsLabel->clear();
        return;
    }
    store::Project* project = m_session->project();
    const auto images = project->countImages();
    const auto classes = project->classes();
    const int imageCount = images ? images.value() : 0;
    const int classCount = classes ? static_cast<int>(classes->size()) : 0;
    m_countsLabel->setText(tr("%n image(s)", nullptr, imageCount) + QStringLiteral(" · ")
                           + tr("%n class(es)", nullptr, classCount));
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = StudioSettings::recentProjects();
    for (const QString& path : recent) {
        QAction* action =
            m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] { openProject(path); });
        if (!QFileInfo::exists(path)) {
            action->setEnabled(false);
            action->setToolTip(tr("This file no longer exists"));
        }
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
}

bool MainWindow::openProject(const QString& path)
{
    if (m_jobs->isBusy()) {
        m_banner->showMessage(
            MessageBanner::Warning,
            tr("Wait for “%1” to finish, or stop it, before opening another project.").arg(m_jobs->currentJob()));
        return false;
    }
    QString error;
    if (!m_session->open(path, &error)) {
        m_banner->showMessage(MessageBanner::Error,
                              tr("Could not open %1. Check that it is an AAPE project file and "
                                 "that you may read it.")
                                  .arg(QFileInfo(path).fileName()),
                              error);
        return false;
    }
    m_banner->dismiss();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::createProject(const QString& path)
{
    QString error;
    if (!m_session->create(path, &error)) {
        m_banner->showMessage(
            MessageBanner::Error,
            tr("Could not create %1. Choose a folder you may write to.").arg(QFileInfo(path).fileName()), error);
        return false;
    }
    m_banner->showMessage(MessageBanner::Info,
                          tr("Project created. Drop a folder of images on this window: its sub-folders become the "
                             "classes."));
    applyModelFromSettings();
    return true;
}

void MainWindow::applyModelFromSettings()
{
    const QString model = StudioSettings::lastModelPath();
    if (model.isEmpty() || !m_session->isOpen() || m_jobs->isBusy())
        return;
    auto reference = std::make_shared<store::ModelReference>();
    const QString projectPath = m_session->path();
    startJob(
        tr("Checking the CLIP model"),
        [projectPath, model, reference](JobContext&) -> Status {
            auto info = clip::inspectCheckpoint(model.toStdString());
            if (!info)
                return info.error();
            *reference = modelReferenceFor(info.value());
            auto project = store::Project::open(projectPath.toStdString());
            if (!project)
                return project.error();
            return project->setModel(*reference);
        },
        [this](bool ok, bool, const QString& error) {
            if (ok)
                m_session->notifyModelChanged();
            else
                m_banner->showMessage(MessageBanner::Warning,
                                      tr("The CLIP model chosen before cannot be used; choose one with File ▸ "
                                         "Choose CLIP Model."),
                                      error);
        });
}

void MainWindow::closeProject()
{
    m_session->close();
}

void MainWindow::newProject()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Project"),
                                                StudioSettings::lastFolder() + QStringLiteral("/untitled.aapeproj"),
                                                tr("AAPE projects (*.aapeproj)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".aapeproj")))
        path += QStringLiteral(".aapeproj");
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    if (QFileInfo::exists(path)) {
        // The save dialog asked whether to replace it.
        if (m_session->path() == path)
            m_session->close();
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(path + suffix);
    }
    if (!createProject(path))
        return;
    if (!m_pendingImport.isEmpty()) {
        const QList<ImportItem> pending = m_pendingImport;
        m_pendingImport.clear();
        importItems(pending);
    }
}

void MainWindow::openProjectDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), StudioSettings::lastFolder(),
                                                      tr("AAPE projects (*.aapeproj);;All files (*)"));
    if (path.isEmpty())
        return;
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    openProject(path);
}

void MainWindow::chooseModel()
{
    QString initial = StudioSettings::lastModelPath();
    if (m_session->isOpen()) {
        if (auto model = m_session->project()->model(); model && model.value())
            initial = fromStd(model.value()->path);
    }
    const auto reference = ModelChooser::choose(this, initial);
    m_welcome->refresh();
    if (!reference)
        return;
    if (m_session->isOpen()) {
        if (auto status = m_session->project()->setModel(*reference); !status) {
            m_banner->showMessage(MessageBanner::Error, fromStd(status.error().message), loggedDetails(status.error()));
            return;
        }
        m_session->notifyModelChanged();
    }
    m_banner->showMessage(
        MessageBanner::Success,
        tr("CLIP model set: %1.").arg(fromStd(reference->info.value("architecture", reference->path))));
}

void MainWindow::importDialog(ImportKind kind)
{
    QString path;
    const QString start = StudioSettings::lastFolder();
    switch (kind) {
    case ImportKind::FolderPerClass:
        path = QFileDialog::getExistingDirectory(this, tr("Import Folder (one sub-folder per class)"), start);
        break;
    case ImportKind::Csv:
        path = QFileDialog::getOpenFileName(this, tr("Import CSV"), start, tr("CSV files (*.csv);;All files (*)"));
        break;
    case ImportKind::CoopSplit:
        path = QFileDialog::getOpenFileName(this, tr("Import CoOp Split"), start,
                                            tr("CoOp split files (split_zhou_*.json);;JSON files (*.json)"));
        break;
    case ImportKind::CuplJson:
        path = QFileDialog::getOpenFileName(this, tr("Import Descriptions"), start,
                                            tr("CuPL JSON files (*.json);;All files (*)"));
        break;
    case ImportKind::Scene:
        path = QFileDialog::getOpenFileName(this, tr("Import Scene as Tiles"), start,
                                            tr("Rasters (*.tif *.tiff *.jp2 *.vrt *.img);;All files (*)"));
        break;
    case ImportKind::Unsupported: return;
    }
    if (path.isEmpty())
        return;
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    importItems({{path, kind, false, {}, std::nullopt}});
}

void MainWindow::importPaths(const QStringList& paths)
{
    importItems(classifyImportPaths(paths));
}

void MainWindow::importItems(const QList<ImportItem>& items)
{
    if (items.isEmpty())
        return;
    if (!m_session->isOpen()) {
        m_pendingImport = items;
        m_banner->showMessage(MessageBanner::Warning,
                              tr("Open or create a project first: the images and descriptions go into a project "
                                 "file."),
                              {}, tr("New Project…"), [this] { newProject(); });
        return;
    }
    if (m_jobs->isBusy()) {
        m_banner->showMessage(MessageBanner::Warning,
                              tr("Wait for “%1” to finish, or stop it, then import again.").arg(m_jobs->currentJob()));
        return;
    }
    // A scene waits for its tile size, bands and labels: one dialog per scene, then the import
    // goes on with the choice (or without the scene when the user cancels).
    for (int i = 0; i < items.size(); ++i) {
        if (items[i].kind != ImportKind::Scene || items[i].scene)
            continue;
        auto reader = geo::SceneReader::open(items[i].path.toStdString());
        QList<ImportItem> rest = items;
        if (!reader) {
            m_banner->showMessage(MessageBanner::Error, fromStd(reader.error().message), loggedDetails(reader.error()));
            rest.removeAt(i);
            importItems(rest);
            return;
        }
        auto* dialog = new SceneImportDialog(reader->info(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::finished, this, [this, dialog, rest, i](int result) mutable {
            if (result == QDialog::Accepted)
                rest[i].scene = dialog->choice();
            else
                rest.removeAt(i);
            importItems(rest);
        });
        dialog->open();
        return;
    }
    auto summary = std::make_shared<ImportSummary>();
    const QString projectPath = m_session->path();
    startJob(
        tr("Importing"),
        [projectPath, items, summary](JobContext& context) {
            return runImports(projectPath, items, context, *summary);
        },
        [this, summary](bool ok, bool cancelled, const QString& error) {
            if (summary->touchedDataset)
                m_session->notifyDatasetChanged();
            if (summary->touchedDescriptions)
                m_session->notifyDescriptionsChanged();
            if (cancelled) {
                m_banner->showMessage(MessageBanner::Info,
                                      tr("Import stopped. Sources imported before the stop are kept; the one "
                                         "being imported was left unchanged."));
                return;
            }
            if (!ok) {
                m_banner->showMessage(MessageBanner::Error, tr("The import failed."), error);
                return;
            }
            // Description files whose keys match loosely or not at all wait for the user.
            reviewDescriptionMatches(this, m_session, summary->pendingDescriptions,
                                     [this](const QList<ImportItem>& confirmed) { importItems(confirmed); });
            if (summary->onlyAwaitsReview())
                return;
            MessageBanner::Level level = MessageBanner::Success;
            if (!summary->skipped.isEmpty() || !summary->unmatchedClasses.isEmpty())
                level = MessageBanner::Warning;
            if (!summary->failures.isEmpty())
                level = MessageBanner::Error;
            m_banner->showMessage(level, importSummaryText(*summary), importSummaryDetails(*summary));
            if (summary->touchedDataset)
                showPage(DataPageIndex);
            else if (summary->touchedDescriptions)
                showPage(DescribePageIndex);
        });
}

void MainWindow::openDemo()
{
    const QString folder = demoFolder();
    const QString projectPath = folder + QStringLiteral("/demo.aapeproj");
    if (QFileInfo::exists(projectPath)) {
        openProject(projectPath);
        return;
    }
    if (m_jobs->isBusy()) {
        m_banner->showMessage(MessageBanner::Warning,
                              tr("Wait for “%1” to finish, or stop it, then open the demo.").arg(m_jobs->currentJob()));
        return;
    }
    // A folder without the project is left over from an interrupted first attempt; it is ours.
    QDir(folder).removeRecursively();
    startJob(
        tr("Creating the demo"),
        [folder](JobContext& context) -> Status {
            data::DemoOptions options;
            options.progress = [&context](const std::string& stage, std::size_t done, std::size_t total) {
                context.progress(MainWindow::tr("Creating the demo: %1").arg(fromStd(stage)), static_cast<qint64>(done),
                                 static_cast<qint64>(total));
            };
            // Without a shipped demo CLIP one is trained first (minutes): let Stop reach it.
            options.pretraining.progress = options.progress;
            options.pretraining.stop = context.stopToken();
            auto demo = data::writeDemoProject(folder.toStdString(), options);
            if (!demo)
                return demo.error();
            if (context.stopRequested())
                return makeError(ErrorCode::Cancelled, "the demo was not created");
            return {};
        },
        [this, projectPath, folder](bool ok, bool cancelled, const QString& error) {
            if (cancelled) {
                QDir(folder).removeRecursively();
                m_banner->showMessage(MessageBanner::Info, tr("The demo was not created."));
                return;
            }
            if (!ok) {
                QDir(folder).removeRecursively();
                m_banner->showMessage(MessageBanner::Error,
                                      tr("The demo could not be created. Check that there is free disk space "
                                         "in %1.")
                                          .arg(QDir::toNativeSeparators(folder)),
                                      error);
                return;
            }
            if (openProject(projectPath))
                m_banner->showMessage(MessageBanner::Info,
                                      tr("This is the demo: 8 classes of coloured shapes with descriptions and a "
                                         "small untrained CLIP. Try each page from Data to Runs."));
        });
}

bool MainWindow::startJob(const QString& name, JobRunner::Job job, Completion completion)
{
    if (!m_jobs->start(name, std::move(job))) {
        m_banner->showMessage(MessageBanner::Warning,
                              tr("Wait for “%1” to finish, or stop it.").arg(m_jobs->currentJob()));
        return false;
    }
    m_completion = std::move(completion);
    return true;
}

void MainWindow::onJobProgress(const QString& stage, qint64 done, qint64 total)
{
    if (stage != m_stage) {
        m_stage = stage;
        m_stageTimer.restart();
    }
    if (total <= 0) {
        m_progress->setRange(0, 0);
        m_jobLabel->setText(stage);
        return;
    }
    // QProgressBar takes int: scale large totals down.
    const double fraction = double(done) / double(total);
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(fraction * 1000));
    m_progress->setFormat(QStringLiteral("%1 / %2").arg(done).arg(total));
    QString text = stage;
    const qint64 elapsed = m_stageTimer.elapsed();
    if (done > 0 && done < total && elapsed > 1500) {
        const qint64 remaining = static_cast<qint64>(elapsed * (1.0 - fraction) / fraction / 1000.0);
        text += QStringLiteral(" — ") + tr("about %1 left").arg(formatDuration(remaining));
    }
    m_jobLabel->setText(text);
}

void MainWindow::onJobFinished(const QString& name, bool ok, bool cancelled, const QString& error)
{
    m_jobLabel->hide();
    m_progress->hide();
    m_stopButton->hide();
    if (cancelled)
        statusBar()->showMessage(tr("%1: stopped").arg(name), 5000);
    else if (ok)
        statusBar()->showMessage(tr("%1: done").arg(name), 5000);
    else
        statusBar()->showMessage(tr("%1: failed").arg(name), 5000);
    // Jobs of other pages have their own handlers; only ours carry a completion.
    Completion completion = std::move(m_completion);
    m_completion = nullptr;
    if (completion)
        completion(ok, cancelled, error);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveWindowLayout();
    if (m_jobs->isBusy()) {
        m_jobs->requestStop();
        m_jobs->waitForFinished();
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QMainWindow::dragEnterEvent(event);
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
    else
        QMainWindow::dragMoveEvent(event);
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty()) {
        QMainWindow::dropEvent(event);
        return;
    }
    event->acceptProposedAction();
    // Queued: the drag source (a file manager) should not wait for the import to start.
    QMetaObject::invokeMethod(
        this, [this, paths] { importPaths(paths); }, Qt::QueuedConnection);
}

} // namespace aape::ui
