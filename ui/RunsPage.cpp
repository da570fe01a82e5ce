#include "RunsPage.h"

#include "CompareDialog.h"
#include "ComparisonPanel.h"
#include "ExportActions.h"
#include "JobRunner.h"
#include "LayoutMemory.h"
#include "LossPlot.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "RunsModel.h"
#include "StudioSettings.h"

#include "aape/store/Project.h"

#include <QAction>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <iterator>

namespace aape::ui {

namespace {

// The job's name is what the status bar shows while it runs.
QString exportJobName()
{
    return RunsPage::tr("Exporting");
}

// Percentages, as the runs table shows accuracies.
QString meanStdText(const std::optional<MeanStd>& value)
{
    if (!value)
        return QStringLiteral("—");
    return QStringLiteral("%1 ± %2").arg(value->mean * 100.0, 0, 'f', 2).arg(value->std * 100.0, 0, 'f', 2);
}

} // namespace

RunsPage::RunsPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_model(new RunsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunsModel::SortRole);

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsModel::Id, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Select several runs (Ctrl or Shift + click) to compare their curves."));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::updatePlot);
    // Rename (F2) and delete (Del) from the keyboard or the table's context menu.
    m_renameAction = new QAction(tr("&Rename Run…"), this);
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    connect(m_renameAction, &QAction::triggered, this, [this] {
        const auto ids = selectedRunIds();
        if (ids.size() == 1)
            renameRunInteractively(ids.front());
    });
    m_deleteAction = new QAction(tr("&Delete Runs…"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    connect(m_deleteAction, &QAction::triggered, this, [this] { deleteRuns(selectedRunIds(), true); });
    for (QAction* action : {m_renameAction, m_deleteAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_table->addAction(action);
    }
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& position) {
        const auto ids = selectedRunIds();
        if (ids.empty())
            return;
        QMenu menu;
        m_renameAction->setEnabled(ids.size() == 1);
        menu.addAction(m_renameAction);
        menu.addAction(m_deleteAction);
        menu.exec(m_table->viewport()->mapToGlobal(position));
    });

    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("runsPlot"));
    m_plot->setMinimumHeight(260);
    m_plot->plotLayout()->clear();
    m_accRect = new QCPAxisRect(m_plot);
    m_lossRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_accRect);
    m_plot->plotLayout()->addElement(1, 0, m_lossRect);
    auto* margins = new QCPMarginGroup(m_plot);
    m_accRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_lossRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_accRect->axis(QCPAxis::atLeft)->setLabel(tr("Validation accuracy (%)"));
    m_lossRect->axis(QCPAxis::atLeft)->setLabel(tr("Total loss"));
    m_lossRect->axis(QCPAxis::atBottom)->setLabel(tr("Epoch"));
    m_plot->legend = new QCPLegend;
    m_accRect->insetLayout()->addElement(m_plot->legend, Qt::AlignBottom | Qt::AlignRight);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    m_plot->legend->setVisible(true);
    applyPaletteToPlot(m_plot, palette());
    useEpochTicks(m_plot);
    addSavePlotAction(m_plot);

    m_groups = new QTableWidget(0, 7);
    m_groups->setObjectName(QStringLiteral("groupsTable"));
    m_groups->setHorizontalHeaderLabels({tr("Run set"), tr("Finished runs"), tr("Accuracy (%)"), tr("Zero-shot (%)"),
                                         tr("Base (%)"), tr("New (%)"), tr("H (%)")});
    m_groups->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_groups->verticalHeader()->hide();
    // Numbers stay next to their neighbours rather than at the far edge of a stretched column.
    m_groups->horizontalHeader()->setStretchLastSection(false);
    m_groups->setMaximumHeight(130);
    m_groups->setToolTip(tr("Runs started together with several seeds: mean ± standard deviation over the "
                            "finished ones (at least two are needed for a spread)."));

    m_export = new QToolButton;
    m_export->setText(tr("&Export"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    m_export->setToolTip(tr("Save the selected run's prompt generator, its predictions or the plot."));
    auto* menu = new QMenu(m_export);
    auto* bundle = menu->addAction(tr("Prompt generator bundle…"), this, &RunsPage::exportBundle);
    bundle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    bundle->setToolTip(tr("A .aape.safetensors file that classifies images with CLIP, without this app."));
    menu->addAction(tr("Predictions as CSV…"), this, &RunsPage::exportPredictions);
    menu->addAction(tr("Plot as PNG or PDF…"), this, &RunsPage::exportPlotImage);
    m_export->setMenu(menu);
    addActions(menu->actions());
    for (auto* action : menu->actions())
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    m_compare = new QPushButton(tr("Compare &Methods…"));
    m_compare->setObjectName(QStringLiteral("compareMethods"));
    m_compare->setToolTip(tr("Is AAPE worth it on your data? Train zero-shot CLIP, CuPL, a linear probe, the "
                             "Tip-Adapters and AAPE on the same few-shot images and seeds, and compare them (%1).")
                              .arg(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M).toString(QKeySequence::NativeText)));
    connect(m_compare, &QPushButton::clicked, this, &RunsPage::openCompareDialog);
    auto* compareAction = new QAction(tr("Compare Methods…"), this);
    compareAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    compareAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(compareAction, &QAction::triggered, this, &RunsPage::openCompareDialog);
    addAction(compareAction);

    m_comparison = new ComparisonPanel(m_session, m_jobs);
    m_comparison->setObjectName(QStringLiteral("comparisonPanel"));

    m_banner = new MessageBanner;
    m_banner->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("All runs of this project. Select runs to compare them.")), 1);
    top->addWidget(m_compare);
    top->addWidget(m_export);

    // Curves of the selected runs, and (when the project holds comparisons) the method comparison.
    m_views = new QTabWidget;
    m_views->setObjectName(QStringLiteral("runsViews"));
    m_views->addTab(m_plot, tr("&Curves"));
    m_views->addTab(m_comparison, tr("Method c&omparison"));
    m_views->setTabVisible(1, false);
    connect(m_comparison, &ComparisonPanel::comparisonsChanged, this,
            [this](bool any) { m_views->setTabVisible(1, any); });

    auto* split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("runsSplitter"));
    split->addWidget(m_table);
    split->addWidget(m_views);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
    layout->addWidget(new QLabel(tr("Run sets (one training, several seeds): mean ± standard deviation")));
    m_noGroups = new QLabel(tr("No run sets yet. Enter several seeds on the Train page (e.g. “1, 2, 3”) to train "
                               "one run per seed and compare their mean and spread here."));
    m_noGroups->setObjectName(QStringLiteral("noRunSets"));
    m_noGroups->setWordWrap(true);
    m_noGroups->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_noGroups);
    layout->addWidget(m_groups);

    connect(m_session, &ProjectSession::opened, this, &RunsPage::refresh);
    connect(m_session, &ProjectSession::closed, this, &RunsPage::refresh);
    connect(m_session, &ProjectSession::runsChanged, this, &RunsPage::refresh);
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (name != exportJobName())
            return;
        showMessage(ok ? tr("Export finished.") : error, !ok);
    });
    refresh();
}

RunsPage::~RunsPage() = default;

bool RunsPage::renameRun(std::int64_t runId, const QString& name)
{
    const QString trimmed = name.trimmed();
    if (!m_session->isOpen() || trimmed.isEmpty())
        return false;
    if (auto status = m_session->project()->renameRun(runId, trimmed.toStdString()); !status) {
        showMessage(QString::fromStdString(status.error().message), true);
        return false;
    }
    m_session->notifyRunsChanged();
    return true;
}

void RunsPage::renameRunInteractively(std::int64_t runId)
{
    const int row = m_model->rowOf(runId);
    if (row < 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Run"), tr("New name of run %1:").arg(runId),
                                               QLineEdit::Normal, QString::fromStdString(m_model->run(row).name), &ok);
    if (ok)
        renameRun(runId, name);
}

int RunsPage::deleteRuns(const std::vector<std::int64_t>& runIds, bool confirm)
{
    if (!m_session->isOpen() || runIds.empty())
        return 0;
    QStringList names;
    std::vector<std::int64_t> deletable;
    for (auto id : runIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const auto& run = m_model->run(row);
        if (run.status == store::RunStatus::Running && !run.resumable) {
            showMessage(tr("Run %1 is training now; stop it on the Train page before deleting it.").arg(id), true);
            return 0;
        }
        deletable.push_back(id);
        names << QString::fromStdString(run.name);
    }
    if (deletable.empty())
        return 0;
    if (confirm) {
        const auto answer = QMessageBox::question(
            this, tr("Delete Runs"),
            tr("Delete %n run(s) (%1) with their curves, checkpoints and predictions? This cannot be undone.", nullptr,
               int(deletable.size()))
                .arg(names.join(QStringLiteral(", "))),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return 0;
    }
    int deleted = 0;
    for (auto id : deletable) {
        if (auto status = m_session->project()->removeRun(id); !status) {
            showMessage(QString::fromStdString(status.error().message), true);
            break;
        }
        ++deleted;
    }
    m_session->notifyRunsChanged();
    showMessage(tr("Deleted %n run(s).", nullptr, deleted), false);
    return deleted;
}

void RunsPage::refresh()
{
    auto selected = selectedRunIds();
    m_model->refresh(m_session->isOpen() ? m_session->project() : nullptr);
    sizeColumnsOnce(m_table);
    // With nothing chosen yet, the run at the top of the table shows its curves.
    if (selected.empty() && m_proxy->rowCount() > 0)
        selected.push_back(m_proxy->index(0, 0).data(RunsModel::RunIdRole).toLongLong());
    selectRuns(selected);
    updateGroups();
    updatePlot();
    m_comparison->refresh();
}

CompareDialog* RunsPage::openCompareDialog()
{
    if (!m_compareDialog) {
        m_compareDialog = new CompareDialog(m_session, m_jobs, this);
        connect(m_compareDialog, &CompareDialog::comparisonFinished, this, [this](bool, bool) {
            refresh();
            m_comparison->showNewest();
            if (m_comparison->hasComparisons())
                m_views->setCurrentWidget(m_comparison);
        });
    } else {
        m_compareDialog->loadTrainSettings();
    }
    m_compareDialog->show();
    m_compareDialog->raise();
    m_compareDialog->activateWindow();
    return m_compareDialog;
}

std::vector<std::int64_t> RunsPage::selectedRunIds() const
{
    std::vector<std::int64_t> ids;
    for (const auto& index : m_table->selectionModel()->selectedRows())
        ids.push_back(index.data(RunsModel::RunIdRole).toLongLong());
    return ids;
}

void RunsPage::selectRuns(const std::vector<std::int64_t>& runIds)
{
    QItemSelection selection;
    for (auto id : runIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const auto index = m_proxy->mapFromSource(m_model->index(row, 0));
        selection.select(index, index.siblingAtColumn(RunsModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RunsPage::updatePlot()
{
    m_plot->clearGraphs();
    int colour = 0;
    double maxEpoch = 1.0;
    double minLoss = 0.0, maxLoss = 1.0;
    bool anyLoss = false;
    for (auto id : selectedRunIds()) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const auto& run = m_model->run(row);
        const QColor c = curveColour(colour++);
        auto* acc = m_plot->addGraph(m_accRect->axis(QCPAxis::atBottom), m_accRect->axis(QCPAxis::atLeft));
        auto* loss = m_plot->addGraph(m_lossRect->axis(QCPAxis::atBottom), m_lossRect->axis(QCPAxis::atLeft));
        acc->setName(tr("%1 (seed %2)").arg(QString::fromStdString(run.name)).arg(run.seed));
        // Long runs get 1-pixel lines: a 2-pixel stroke costs ~20 us a point (see LossPlot).
        const qreal width = m_model->epochs(row).size() > 150 ? 1.0 : 2.0;
        acc->setPen(QPen(c, width));
        loss->setPen(QPen(c, width));
        // Short runs get dots, so that a run of one or a few epochs is visible at all.
        if (m_model->epochs(row).size() <= 30) {
            acc->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
            loss->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
        }
        m_plot->legend->removeItem(m_plot->legend->itemCount() - 1);
        for (const auto& e : m_model->epochs(row)) {
            const double x = e.epoch + 1;
            if (e.valAccuracy)
                acc->addData(x, *e.valAccuracy * 100.0);
            else
                acc->addData(x, e.trainAccuracy * 100.0);
            loss->addData(x, e.totalLoss);
            maxEpoch = qMax(maxEpoch, x);
            minLoss = anyLoss ? qMin(minLoss, e.totalLoss) : e.totalLoss;
            maxLoss = anyLoss ? qMax(maxLoss, e.totalLoss) : e.totalLoss;
            anyLoss = true;
        }
    }
    m_accRect->axis(QCPAxis::atBottom)->setRange(1, maxEpoch);
    m_lossRect->axis(QCPAxis::atBottom)->setRange(1, maxEpoch);
    m_accRect->axis(QCPAxis::atLeft)->setRange(0, 100);
    const double pad = qMax(0.05, (maxLoss - minLoss) * 0.08);
    m_lossRect->axis(QCPAxis::atLeft)->setRange(minLoss - pad, maxLoss + pad);
    applyPaletteToPlot(m_plot, palette());
    m_plot->replot();
}

void RunsPage::updateGroups()
{
    m_groups->setRowCount(0);
    for (const RunSetSummary& set : summariseRunSets(*m_model)) {
        const int r = m_groups->rowCount();
        m_groups->insertRow(r);
        const QString cells[] = {set.group,
                                 tr("%1 of %2").arg(set.finished).arg(set.runs),
                                 meanStdText(set.accuracy),
                                 meanStdText(set.zeroShot),
                                 meanStdText(set.base),
                                 meanStdText(set.novel),
                                 meanStdText(set.harmonic)};
        for (int c = 0; c < int(std::size(cells)); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (set.finished < 2)
                item->setToolTip(
                    tr("Mean ± standard deviation appear when at least two runs of this set have finished."));
            m_groups->setItem(r, c, item);
        }
    }
    m_groups->resizeColumnsToContents();
    m_groups->setVisible(m_groups->rowCount() > 0);
    m_noGroups->setVisible(m_groups->rowCount() == 0);
}

void RunsPage::showMessage(const QString& message, bool error)
{
    m_banner->showMessage(error ? MessageBanner::Error : MessageBanner::Success, message);
    if (auto* main = qobject_cast<QMainWindow*>(window()))
        main->statusBar()->showMessage(error ? tr("Export failed.") : message, 8000);
}

bool RunsPage::startExport(const QString& what, std::int64_t runId, const QString& path, bool bundle)
{
    const QString project = m_session->path();
    const bool started = m_jobs->start(exportJobName(), [project, runId, path, bundle](JobContext&) -> Status {
        auto opened = store::Project::open(project.toStdString());
        if (!opened)
            return opened.error();
        return bundle ? exportRunBundleFile(opened.value(), runId, path)
                      : exportPredictionsCsv(opened.value(), runId, path);
    });
    if (!started)
        showMessage(
            tr("Another task (%1) is still running; export %2 when it has finished.").arg(m_jobs->currentJob(), what),
            true);
    return started;
}

void RunsPage::exportBundle()
{
    const auto ids = selectedRunIds();
    if (ids.size() != 1) {
        showMessage(tr("Select exactly one run to export its prompt generator."), true);
        return;
    }
    const auto& run = m_model->run(m_model->rowOf(ids.front()));
    const QString suggested =
        (StudioSettings::lastFolder().isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                                                : StudioSettings::lastFolder())
        + QLatin1Char('/') + QString::fromStdString(run.name).replace(QLatin1Char(' '), QLatin1Char('-'))
        + QStringLiteral(".aape.safetensors");
    QString path = QFileDialog::getSaveFileName(this, tr("Export prompt generator"), suggested,
                                                tr("AAPE prompt generator (*.aape.safetensors)"));
    if (path.isEmpty())
        return;
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    if (!path.endsWith(QStringLiteral(".aape.safetensors")))
        path += QStringLiteral(".aape.safetensors");
    startExport(tr("the bundle"), run.id, path, true);
}

void RunsPage::exportPredictions()
{
    const auto ids = selectedRunIds();
    if (ids.size() != 1) {
        showMessage(tr("Select exactly one run to export its predictions."), true);
        return;
    }
    QString path =
        QFileDialog::getSaveFileName(this, tr("Export predictions"), StudioSettings::lastFolder(), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".csv");
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    startExport(tr("the predictions"), ids.front(), path, false);
}

void RunsPage::exportPlotImage()
{
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Save plot"), StudioSettings::lastFolder(),
                                                tr("PNG image (*.png);;PDF document (*.pdf)"), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QLatin1String("*.pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".png");
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    const auto status = exportPlot(m_plot, path);
    showMessage(status ? tr("Plot saved to %1.").arg(path) : QString::fromStdString(status.error().message), !status);
}

void RunsPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPaletteToPlot(m_plot, palette());
        m_plot->replot();
    }
    QWidget::changeEvent(event);
}

} // namespace aape::ui
