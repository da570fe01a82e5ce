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

void PromptAttentionModel::setWeighting(Weighting weighting)
{
    if (weighting == m_weighting)
        return;
    beginResetModel();
    m_weighting = weighting;
    endResetModel();
}

void PromptAttentionModel::refresh(store::Project* project, std::int64_t runId, std::int64_t imageId,
                                   std::int64_t classId)
{
    beginResetModel();
    m_rows.clear();
    m_classId = classId;
    m_className.clear();
    m_hasWeights = false;
    m_hasOwnWeights = false;
    if (project && runId > 0 && imageId > 0 && classId > 0) {
        std::map<std::int64_t, store::AttentionWeight> weights;
        if (auto attention = project->attention(runId, imageId, classId))
            for (const auto& w : attention.value()) {
                weights[w.descriptionId] = w;
                m_hasOwnWeights = m_hasOwnWeights || w.ownWeight.has_value();
            }
        m_hasWeights = !weights.empty();
        if (auto descriptions = project->descriptions(classId)) {
            for (const auto& d : descriptions.value()) {
                const auto it = weights.find(d.id);
                Row row{d.id, QString::fromStdString(d.text), 0.0, 0.0};
                if (it != weights.end()) {
                    row.weight = it->second.weight;
                    row.ownWeight = it->second.ownWeight.value_or(0.0);
                }
                m_rows.push_back(row);
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
    case WeightRole: return shown(row);
    case DescriptionIdRole: return QVariant::fromValue<qint64>(row.descriptionId);
    case Qt::DisplayRole:
        return index.column() == Weight ? QVariant(QStringLiteral("%1%").arg(shown(row) * 100.0, 0, 'f', 1))
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
    if (section != Weight)
        return tr("Description");
    return m_weighting == Weighting::Aggregator ? tr("Attention") : tr("Blended");
}

} // namespace aape::ui
