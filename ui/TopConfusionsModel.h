#pragma once
// The confusions of one run, largest first: each (true class, predicted class) pair with
// misclassified images, its count and its share of the true class's images. Sorting happens
// in a QSortFilterProxyModel on SortRole. GUI thread only.

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

class TopConfusionsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TrueClass, Predicted, Count, Share, ColumnCount };
    enum Role {
        TrueClassIdRole = Qt::UserRole + 1,
        PredictedClassIdRole,
        SortRole,
    };

    explicit TopConfusionsModel(QObject* parent = nullptr);

    // Off-diagonal cells with images, by count (largest first), then by class order.
    void refresh(store::Project* project, std::int64_t runId);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        std::int64_t trueClassId = 0;
        std::int64_t predictedClassId = 0;
        QString trueName;
        QString predictedName;
        int count = 0;
        int classTotal = 0;
    };
    std::vector<Row> m_rows;
};

} // namespace aape::ui
