#pragma once
// Confusion matrix of one run as a table model: rows are true classes, columns predicted
// classes, cells counts; class names on both axes. Orderings that bring confused classes
// together are computed here and applied by the view (the same permutation on both axes, so
// that the diagonal stays the diagonal). GUI thread only.

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

class ConfusionMatrixModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        CountRole = Qt::UserRole + 1,
        RowFractionRole, // count / images of that true class, 0..1
        TrueClassIdRole,
        PredictedClassIdRole,
    };
    // How the view orders the classes (rows and columns alike).
    enum class Order {
        Classes,    // the project's class order
        MostErrors, // classes with the most misclassified images first
        Confusable, // classes that are confused with each other next to each other
    };

    explicit ConfusionMatrixModel(QObject* parent = nullptr);

    // Classes that occur in the run's predictions, in the project's class order.
    void refresh(store::Project* project, std::int64_t runId);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int maxCount() const { return m_maxCount; }
    int count(int row, int column) const;
    // Images of the row's class predicted as another class.
    int errors(int row) const;
    std::int64_t classId(int position) const { return m_classIds[static_cast<std::size_t>(position)]; }
    QString className(int position) const { return m_names[static_cast<std::size_t>(position)]; }
    // Position (row and column) of a class, -1 when it is not in the matrix.
    int positionOf(std::int64_t classId) const;
    // The model's positions in the order the view should show them.
    std::vector<int> ordering(Order order) const;

private:
    std::vector<std::int64_t> m_classIds;
    std::vector<QString> m_names;
    std::vector<int> m_counts; // [C, C] row = true, column = predicted
    std::vector<int> m_rowTotals;
    int m_maxCount = 0;
};

} // namespace aape::ui
