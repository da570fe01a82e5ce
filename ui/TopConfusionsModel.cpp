#include "TopConfusionsModel.h"

#include "aape/store/Project.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace aape::ui {

TopConfusionsModel::TopConfusionsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void TopConfusionsModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_rows.clear();
    if (project && runId > 0) {
        auto cells = project->confusionMatrix(runId);
        auto classes = project->classes();
        if (cells && classes) {
            std::map<std::int64_t, std::pair<QString, int>> classOf; // name, position
            for (const auto& cls : classes.value())
                classOf[cls.id] = {QString::fromStdString(cls.name), cls.position};
            const auto name = [&](std::int64_t id) {
                const auto it = classOf.find(id);
                return it != classOf.end() ? it->second.first : tr("(class %1)").arg(id);
            };
            std::map<std::int64_t, int> totals;
            for (const auto& cell : cells.value())
                totals[cell.trueClassId] += cell.count;
            for (const auto& cell : cells.value()) {
                if (cell.trueClassId == cell.predictedClassId || cell.count <= 0)
                    continue;
                m_rows.push_back({cell.trueClassId, cell.predictedClassId, name(cell.trueClassId),
                                  name(cell.predictedClassId), cell.count, totals[cell.trueClassId]});
            }
            const auto position = [&](std::int64_t id) {
                const auto it = classOf.find(id);
                return it != classOf.end() ? it->second.second : 0;
            };
            std::sort(m_rows.begin(), m_rows.end(), [&](const Row& a, const Row& b) {
                return std::make_tuple(-a.count, position(a.trueClassId), position(a.predictedClassId))
                       < std::make_tuple(-b.count, position(b.trueClassId), position(b.predictedClassId));
            });
        }
    }
    endResetModel();
}

int TopConfusionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TopConfusionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopConfusionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const double share = row.classTotal > 0 ? 100.0 * row.count / row.classTotal : 0.0;
    switch (role) {
    case TrueClassIdRole: return QVariant::fromValue<qint64>(row.trueClassId);
    case PredictedClassIdRole: return QVariant::fromValue<qint64>(row.predictedClassId);
    case SortRole:
        switch (index.column()) {
        case TrueClass: return row.trueName.toCaseFolded();
        case Predicted: return row.predictedName.toCaseFolded();
        case Count: return row.count;
        case Share: return share;
        default: return {};
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case TrueClass: return row.trueName;
        case Predicted: return row.predictedName;
        case Count: return row.count;
        case Share: return QStringLiteral("%1%").arg(share, 0, 'f', 1);
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Count || index.column() == Share)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        return tr("%n image(s) of %1 predicted as %2 (%3 of its images). Click to list them.", nullptr, row.count)
            .arg(row.trueName, row.predictedName, QStringLiteral("%1%").arg(share, 0, 'f', 1));
    default: return {};
    }
}

QVariant TopConfusionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TrueClass: return tr("The class the images are labelled with.");
        case Predicted: return tr("The class the adapted model predicted for them.");
        case Count: return tr("How many images were confused this way.");
        case Share: return tr("The share of the true class's evaluated images confused this way.");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TrueClass: return tr("True class");
    case Predicted: return tr("Predicted as");
    case Count: return tr("Images");
    case Share: return tr("Share");
    default: return {};
    }
}

} // namespace aape::ui
