#include "DescriptionModel.h"

#include "ProjectSession.h"
#include "UndoCommands.h"

#include <QUndoStack>

namespace aape::ui {

DescriptionModel::DescriptionModel(ProjectSession* session, QUndoStack* undoStack, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_undoStack(undoStack)
{
    connect(m_session, &ProjectSession::descriptionsChanged, this, &DescriptionModel::reload);
    connect(m_session, &ProjectSession::datasetChanged, this, &DescriptionModel::reload);
    connect(m_session, &ProjectSession::opened, this, [this] { setClassId(0); });
    connect(m_session, &ProjectSession::closed, this, [this] { setClassId(0); });
}

void DescriptionModel::setClassId(qint64 classId)
{
    m_classId = classId;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    reload();
}

int DescriptionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DescriptionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DescriptionModel::textAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return QString::fromStdString(m_rows[static_cast<std::size_t>(row)].text);
}

QString DescriptionModel::sourceDisplayName(const QString& source)
{
    if (source.isEmpty() || source == QLatin1String("typed"))
        return tr("typed");
    if (source.startsWith(QLatin1String("cupl:")))
        return tr("CuPL file %1").arg(source.mid(5));
    if (source.startsWith(QLatin1String("text:")))
        return tr("text file %1").arg(source.mid(5));
    if (source == QLatin1String("pasted"))
        return tr("pasted");
    return source;
}

QVariant DescriptionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const store::DescriptionRecord& row = m_rows[static_cast<std::size_t>(index.row())];
    const QString source = QString::fromStdString(row.source);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == TextColumn)
            return QString::fromStdString(row.text);
        if (index.column() == SourceColumn)
            return sourceDisplayName(source);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TextColumn)
            return tr("Double-click or press F2 to edit. Source: %1").arg(sourceDisplayName(source));
        return tr("Where this description came from");
    case DescriptionIdRole: return QVariant::fromValue<qint64>(row.id);
    default: return {};
    }
}

bool DescriptionModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.column() != TextColumn || index.row() >= rowCount())
        return false;
    const QString oldText = textAt(index.row());
    const QString newText = value.toString().trimmed();
    if (newText.isEmpty() || newText == oldText)
        return false;
    for (const store::DescriptionRecord& row : m_rows) {
        if (QString::fromStdString(row.text) == newText) {
            m_session->showMessage(1, tr("This class already has that description."));
            return false;
        }
    }
    m_undoStack->push(new EditDescriptionCommand(m_session, m_classId, oldText, newText));
    return true;
}

QVariant DescriptionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == TextColumn)
        return tr("Description");
    if (section == SourceColumn)
        return tr("Source");
    return {};
}

Qt::ItemFlags DescriptionModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == TextColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

void DescriptionModel::reload()
{
    std::vector<store::DescriptionRecord> rows;
    if (m_session->isOpen() && m_classId > 0) {
        auto loaded = m_session->project()->descriptions(m_classId);
        if (loaded)
            rows = std::move(loaded).value();
    }
    bool sameRows = rows.size() == m_rows.size();
    for (std::size_t i = 0; sameRows && i < rows.size(); ++i)
        sameRows = rows[i].id == m_rows[i].id;
    if (!sameRows) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const bool changed = rows[i].text != m_rows[i].text || rows[i].source != m_rows[i].source;
        m_rows[i] = rows[i];
        if (changed)
            Q_EMIT dataChanged(index(static_cast<int>(i), 0), index(static_cast<int>(i), ColumnCount - 1));
    }
}

} // namespace aape::ui
