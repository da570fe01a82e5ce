#include "ConfusionMatrixModel.h"

#include "aape/store/Project.h"

#include <map>
#include <set>

namespace aape::ui {

ConfusionMatrixModel::ConfusionMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConfusionMatrixModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_classIds.clear();
    m_names.clear();
    m_counts.clear();
    m_rowTotals.clear();
    m_maxCount = 0;
    if (project && runId > 0) {
        auto cells = project->confusionMatrix(runId);
        auto classes = project->classes();
        if (cells && classes) {
            std::set<std::int64_t> present;
            for (const auto& cell : cells.value()) {
                present.insert(cell.trueClassId);
                present.insert(cell.predictedClassId);
            }
            std::map<std::int64_t, int> position;
            for (const auto& cls : classes.value()) {
                if (!present.count(cls.id))
                    continue;
                position[cls.id] = static_cast<int>(m_classIds.size());
                m_classIds.push_back(cls.id);
                m_names.push_back(QString::fromStdString(cls.name));
            }
            const std::size_t n = m_classIds.size();
            m_counts.assign(n * n, 0);
            m_rowTotals.assign(n, 0);
            for (const auto& cell : cells.value()) {
                const auto t = position.find(cell.trueClassId);
                const auto p = position.find(cell.predictedClassId);
                if (t == position.end() || p == position.end())
                    continue;
                int& value = m_counts[static_cast<std::size_t>(t->second) * n + static_cast<std::size_t>(p->second)];
                value += cell.count;
                m_rowTotals[static_cast<std::size_t>(t->second)] += cell.count;
                m_maxCount = qMax(m_maxCount, value);
            }
        }
    }
    endResetModel();
}

int ConfusionMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_classIds.size());
}

int ConfusionMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_classIds.size());
}

int ConfusionMatrixModel::count(int row, int column) const
{
    return m_counts[static_cast<std::size_t>(row) * m_classIds.size() + static_cast<std::size_t>(column)];
}

QVariant ConfusionMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int value = count(index.row(), index.column());
    const int total = m_rowTotals[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return value;
    case CountRole: return value;
    case RowFractionRole: return total > 0 ? double(value) / total : 0.0;
    case TrueClassIdRole: return QVariant::fromValue<qint64>(classId(index.row()));
    case PredictedClassIdRole: return QVariant::fromValue<qint64>(classId(index.column()));
    case Qt::TextAlignmentRole: return QVariant(Qt::AlignCenter);
    case Qt::ToolTipRole:
        return tr("%n image(s) of %1 predicted as %2. Click to list them.", nullptr, value)
            .arg(m_names[static_cast<std::size_t>(index.row())], m_names[static_cast<std::size_t>(index.column())]);
    default: return {};
    }
}

QVariant ConfusionMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (section < 0 || section >= static_cast<int>(m_names.size()))
        return {};
    // Columns carry numbers so that many classes fit; rows say which number is which class.
    if (role == Qt::DisplayRole)
        return orientation == Qt::Horizontal ? QString::number(section + 1)
                                             : QStringLiteral("%1  %2").arg(section + 1).arg(m_names[static_cast<std::size_t>(section)]);
    if (role == Qt::ToolTipRole)
        return orientation == Qt::Vertical ? tr("True class: %1").arg(m_names[static_cast<std::size_t>(section)])
                                           : tr("Predicted class: %1").arg(m_names[static_cast<std::size_t>(section)]);
    return {};
}

} // namespace aape::ui
