#pragma once
// Table model of the project's runs (id, name, status, seed, group, epochs, accuracy,
// base/new/H, training settings, created) read from the store; sorting is left to a QSortFilterProxyModel.
// GUI thread only.

#include "aape/store/Records.h"
#include "aape/workflow/Workflow.h"

#include <QAbstractTableModel>
#include <QString>

#include <optional>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// Final numbers of a run, taken from its summary JSON where the evaluation wrote them and
// otherwise from its last epoch.
struct RunNumbers {
    std::optional<double> accuracy; // 0..1
    std::optional<double> base;
    std::optional<double> novel;
    std::optional<double> harmonic;
    std::optional<double> zeroShot;    // zero-shot CLIP on the same images
    bool accuracyIsValidation = false; // not evaluated yet: accuracy is the last validation accuracy
    QString split;                     // the evaluated split ("test", "val"), empty before evaluation
    int evaluatedEpoch = 0;            // 1-based; 0 before evaluation
    bool bestEpoch = false;            // the evaluated epoch is the best on validation
    std::optional<double> finalLoss;
};
RunNumbers runNumbers(const store::RunRecord& run, const std::vector<store::EpochMetrics>& epochs);

// Mean and sample standard deviation (n − 1, as papers report over seeds) of one number.
using workflow::MeanStd;
using workflow::meanStd;

class RunsModel;

// One run set (the runs of one training started with several seeds, sharing a group name):
// statistics over its finished runs only. Metrics are empty when fewer than two finished runs
// have them, since one run has no spread.
struct RunSetSummary {
    QString group;
    int runs = 0;
    int finished = 0;
    std::optional<MeanStd> accuracy;
    std::optional<MeanStd> zeroShot;
    std::optional<MeanStd> base;
    std::optional<MeanStd> novel;
    std::optional<MeanStd> harmonic;
};
// In order of group name.
std::vector<RunSetSummary> summariseRunSets(const RunsModel& model);

class RunsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Name,
        Status,
        Seed,
        Group,
        Epochs,
        Accuracy,
        ZeroShot,
        Base,
        New,
        Harmonic,
        Settings,
        Created,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, SortRole, ResumableRole, GroupRole, StatusRole };

    explicit RunsModel(QObject* parent = nullptr);

    // Re-reads the runs; a null project empties the model.
    void refresh(store::Project* project);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const store::RunRecord& run(int row) const { return m_rows[static_cast<std::size_t>(row)].run; }
    const RunNumbers& numbers(int row) const { return m_rows[static_cast<std::size_t>(row)].numbers; }
    const std::vector<store::EpochMetrics>& epochs(int row) const
    {
        return m_rows[static_cast<std::size_t>(row)].epochs;
    }
    int rowOf(std::int64_t runId) const;

private:
    struct Row {
        store::RunRecord run;
        RunNumbers numbers;
        std::vector<store::EpochMetrics> epochs;
    };
    std::vector<Row> m_rows;
};

} // namespace aape::ui
