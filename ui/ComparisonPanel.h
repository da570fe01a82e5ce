#pragma once
// The Runs page's method comparison: a chooser of the project's comparisons (made in the studio
// or with `aape compare`), their mean ± std as bars, and per class which method wins. Reads
// the project through the session; GUI thread only.

#include "aape/workflow/Compare.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace aape::ui {

class ClassWinnersModel;
class ComparisonChart;
class JobRunner;
class ProjectSession;
struct ComparisonChoice;

class ComparisonPanel final : public QWidget {
    Q_OBJECT
public:
    ComparisonPanel(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~ComparisonPanel() override;

    // Re-reads the runs; keeps the chosen comparison when it is still there.
    void refresh();
    bool hasComparisons() const;
    // Chooses the newest comparison.
    void showNewest();

    QComboBox* chooser() const { return m_chooser; }
    ComparisonChart* chart() const { return m_chart; }
    ClassWinnersModel* winnersModel() const { return m_winners; }
    QTableView* winnersTable() const { return m_table; }
    QLabel* noteLabel() const { return m_note; }
    QPushButton* reevaluateButton() const { return m_reevaluate; }
    const workflow::ComparisonReport& report() const { return m_report; }

Q_SIGNALS:
    void comparisonsChanged(bool any);

public Q_SLOTS:
    // Evaluates again the comparison's runs that have no per-image results, as a job.
    bool reevaluate();

private:
    void showChoice(int index);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QComboBox* m_chooser = nullptr;
    QLabel* m_summary = nullptr;
    ComparisonChart* m_chart = nullptr;
    ClassWinnersModel* m_winners = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_note = nullptr;
    QPushButton* m_reevaluate = nullptr;
    std::vector<std::int64_t> m_withoutPredictions;
    std::vector<ComparisonChoice> m_choices;
    workflow::ComparisonReport m_report;
};

} // namespace aape::ui
