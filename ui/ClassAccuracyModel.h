#pragma once
// Per-class results of one run as a table model (class, evaluated images, accuracy,
// zero-shot accuracy, the change, and the class its images are most often mistaken for), for
// the Inspect page's sortable class table; sorting and searching happen in
// ClassAccuracyProxy. GUI thread only.

#include "aape/store/Records.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <cstdint>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// The split a run's predictions were made on (its summary's "evaluated_split"; test when the
// summary predates it) and its name in sentences ("test", "validation").
store::Split evaluatedSplit(const store::RunRecord& run);
QString splitNoun(store::Split split);

class ClassAccuracyModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    // What a user compares first comes first: at 1,280 pixels the last columns scroll.
    enum Column { Name, Accuracy, ZeroShot, ConfusedWith, ConfusedCount, Images, Change, ColumnCount };
    enum Role {
        ClassIdRole = Qt::UserRole + 1,
        ConfusedClassIdRole, // -1 when the class has no misclassified image
        SortRole,            // numbers as numbers, names case-folded
    };

    explicit ClassAccuracyModel(QObject* parent = nullptr);

    // Classes with evaluated images, in the project's class order; runId <= 0 empties it.
    void refresh(store::Project* project, std::int64_t runId);
    store::Split split() const { return m_split; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOfClass(std::int64_t classId) const;

private:
    struct Row {
        std::int64_t classId = 0;
        QString name;
        int total = 0;
        int correct = 0;
        int zeroShotCorrect = 0;
        std::int64_t confusedWith = -1;
        QString confusedName;
        int confusedCount = 0;
    };
    std::vector<Row> m_rows;
    store::Split m_split = store::Split::Test;
};

// Sorts by ClassAccuracyModel::SortRole and keeps the classes whose name contains the
// search text (case-insensitive).
class ClassAccuracyProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ClassAccuracyProxy(QObject* parent = nullptr);
};

} // namespace aape::ui
