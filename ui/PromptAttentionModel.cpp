#include "PromptAttentionModel.h"

#include "aape/store/Project.h"

#include <map>

namespace aape::ui {

PromptAttentionModel::PromptAttentionModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void PromptAttentionModel::clear()
{
    refresh(nullptr, 0, 0, 0);
}

void PromptAttentionModel::refresh(store::Project* project, std::int64_t runId, std::int64_t imageId,
                                   std::int64_t classId)
{
    beginResetModel();
    m_rows.clear();
    m_classId = classId;
    m_className.clear();
    m_hasWeights = false;
    if (project && runId > 0 && imageId > 0 && classId > 0) {
        std::map<std::int64_t, double> weights;
        if (auto attention = project->attention(runId, imageId, classId))
            for (const auto& w : attention.value())
                weights[w.descriptionId] = w.weight;
        m_hasWeights = !weights.empty();
        if (auto descriptions = project->descriptions(classId)) {
            for (const auto& d : descriptions.value()) {
                const auto it = weights.find(d.id);
                m_rows.push_back({d.id, QString::fromStdString(d.text), it == weights.end() ? 0.0 : it->second});
            }
        }
        if (auto classes = project->classes())
            for (const auto& cls : classes.value())
                if (cls.id == classId)
                    m_className = QString::fromStdString(cls.name);
    }
    endResetModel();
}

int PromptAttentionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PromptAttentionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PromptAttentionModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case WeightRole: return row.weight;
    case DescriptionIdRole: return QVariant::fromValue<qint64>(row.descriptionId);
    case Qt::DisplayRole:
        return index.column() == Weight ? QVariant(QStringLiteral("%1%").arg(row.weight * 100.0, 0, 'f', 1))
                                        : QVariant(row.text);
    case Qt::ToolTipRole: return row.text;
    case Qt::TextAlignmentRole:
        return index.column() == Weight ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default: return {};
    }
}

QVariant PromptAttentionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Weight ? tr("Attention") : tr("Description");
}

} // namespace aape::ui
