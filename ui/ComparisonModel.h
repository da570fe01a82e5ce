#pragma once
// Method comparisons of a project ("Is AAPE worth it on my data?"): the comparisons made by
// `aape compare` or the studio, found among the runs, and a table of which method wins on
// which class, from the per-image predictions each run stored. GUI thread only.

#include "aape/aape/Baselines.h"
#include "aape/store/Records.h"
#include "aape/workflow/Compare.h"

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// The name a user knows a method by: "Zero-shot CLIP", "CuPL", "Linear probe", "Tip-Adapter",
// "Tip-Adapter-F", "AAPE".
QString methodDisplayName(Method method);

// One comparison: the run groups compareMethods made together, one per method, named
// "compare · <method> · <shots> shots · <date>" (the part after the method is shared).
struct ComparisonChoice {
    QString key;                     // "<shots> shots · <date>"
    QString label;                   // what the chooser shows
    std::vector<std::string> groups; // in the order of allMethods()
    bool baseToNew = false;
    int shots = 0;
};
// Newest first. Groups count only when their runs' config names the method their name does.
std::vector<ComparisonChoice> findComparisons(const std::vector<store::RunRecord>& runs);

// Per class and method: accuracy on the class's evaluated images, the mean over the method's
// runs that stored per-image predictions (a run evaluated before baselines kept them has none).
struct ClassWinners {
    std::vector<Method> methods;
    struct Row {
        std::int64_t classId = 0;
        QString name;
        std::vector<std::optional<double>> accuracy; // per method, 0..1; empty: no prediction of this class
        std::vector<bool> wins;                      // per method: highest accuracy of the row (ties all win)
    };
    std::vector<Row> rows; // in class order
    std::vector<std::int64_t> runsWithoutPredictions;
};
Result<ClassWinners> classWinners(const store::Project& project, const workflow::ComparisonReport& report,
                                  const std::vector<store::RunRecord>& runs);

// Rows: classes; columns: the class, the best method (next to it, so that it stays in view
// beside many methods), then one per method. Sorting is left to a QSortFilterProxyModel on SortRole.
class ClassWinnersModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1, WinnerRole, ClassIdRole };

    explicit ClassWinnersModel(QObject* parent = nullptr);

    void setWinners(ClassWinners winners);
    const ClassWinners& winners() const { return m_winners; }
    static constexpr int kClassColumn = 0;
    static constexpr int kBestColumn = 1;
    int bestColumn() const { return kBestColumn; }
    // The column of a method, or -1.
    int methodColumn(Method method) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString bestText(const ClassWinners::Row& row) const;
    ClassWinners m_winners;
};

} // namespace aape::ui
