#pragma once
// The studio's runs page: every run in a sortable table, curves of the selected runs
// overlaid, mean ± std per multi-seed group, method comparisons (Compare Methods…, and those
// made with `aape compare`), and exports (bundle, predictions CSV, plots).
// GUI thread only; exports run as JobRunner jobs.

#include <QWidget>

#include <cstdint>
#include <vector>

class QAction;
class QCustomPlot;
class QCPAxisRect;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTableWidget;
class QToolButton;

namespace aape::ui {

class CompareDialog;
class ComparisonPanel;
class JobRunner;
class MessageBanner;
class ProjectSession;
class RunsModel;

class RunsPage final : public QWidget {
    Q_OBJECT
public:
    RunsPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~RunsPage() override;

    RunsModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QCustomPlot* plot() const { return m_plot; }
    QTableWidget* groups() const { return m_groups; }
    ComparisonPanel* comparisonPanel() const { return m_comparison; }
    QTabWidget* views() const { return m_views; }
    QPushButton* compareButton() const { return m_compare; }
    // The Compare Methods dialog, made on first use (null before).
    CompareDialog* compareDialog() const { return m_compareDialog; }
    std::vector<std::int64_t> selectedRunIds() const;
    void selectRuns(const std::vector<std::int64_t>& runIds);
    // Renames a run; false (with a message) when the name is empty or the project refused it.
    bool renameRun(std::int64_t runId, const QString& name);
    // Deletes runs, after asking when `confirm`; a run training now is refused. Returns how many.
    int deleteRuns(const std::vector<std::int64_t>& runIds, bool confirm);

public Q_SLOTS:
    void refresh();
    void exportBundle();
    void exportPredictions();
    void exportPlotImage();
    // Opens the Compare Methods dialog (modeless); returns it.
    CompareDialog* openCompareDialog();

protected:
    void changeEvent(QEvent* event) override;

private:
    void updatePlot();
    void updateGroups();
    void showMessage(const QString& message, bool error);
    bool startExport(const QString& what, std::int64_t runId, const QString& path, bool bundle);
    void renameRunInteractively(std::int64_t runId);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    RunsModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QCustomPlot* m_plot = nullptr;
    QCPAxisRect* m_accRect = nullptr;
    QCPAxisRect* m_lossRect = nullptr;
    QTableWidget* m_groups = nullptr;
    QLabel* m_noGroups = nullptr;
    MessageBanner* m_banner = nullptr;
    QToolButton* m_export = nullptr;
    QPushButton* m_compare = nullptr;
    CompareDialog* m_compareDialog = nullptr;
    ComparisonPanel* m_comparison = nullptr;
    QTabWidget* m_views = nullptr;
    QAction* m_renameAction = nullptr;
    QAction* m_deleteAction = nullptr;
};

} // namespace aape::ui
