#include "DescriptionModel.h"

#include "ProjectSession.h"
#include "UndoCommands.h"

#include <QApplication>
#include <QStyle>
#include <QUndoStack>

namespace aape::ui {

DescriptionModel::DescriptionModel(ProjectSession* session, QUndoStack* undoStack, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_undoStack(undoStack)
{
    connect(m_session, &ProjectSession::descriptionsChanged, this, &DescriptionModel::reload);
    connect(m_session, &ProjectSession::datasetChanged, this, &DescriptionModel::reload);
    connect(m_session, &ProjectSession::opened, this, [this] {
        clearFlags();
        setClassId(0);
    });
    connect(m_session, &ProjectSession::closed, this, [this] {
        clearFlags();
        setClassId(0);
    });
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

void DescriptionModel::setFlags(const workflow::DescriptionFlagsReport& report)
{
    m_report = report;
    m_flagOf.clear();
    m_descriptionCount.clear();
    for (const auto& cls : m_report->classes) {
        m_descriptionCount[cls.classId] = static_cast<int>(cls.descriptions.size());
        for (const auto& flag : cls.descriptions)
            m_flagOf[{cls.classId, flag.text}] = &flag;
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void DescriptionModel::clearFlags()
{
    m_report.reset();
    m_flagOf.clear();
    m_descriptionCount.clear();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const workflow::DescriptionFlag* DescriptionModel::flagAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const auto found = m_flagOf.find({m_classId, m_rows[static_cast<std::size_t>(row)].text});
    return found == m_flagOf.end() ? nullptr : found->second;
}

std::map<qint64, QStringList> DescriptionModel::flaggedTexts() const
{
    std::map<qint64, QStringList> out;
    if (!m_report)
        return out;
    for (const auto& cls : m_report->classes)
        for (const auto& flag : cls.descriptions)
            if (flag.flagged())
                out[cls.classId].append(QString::fromStdString(flag.text));
    return out;
}

QString DescriptionModel::flagReasons(const workflow::DescriptionFlag& flag, int descriptionCount, double threshold)
{
    QStringList reasons;
    const double uniform = descriptionCount > 0 ? 1.0 / descriptionCount : 0.0;
    if (flag.ignored)
        reasons.append(tr("Ignored: over the class's training images the aggregator gives it a mean weight of %1, "
                          "under %2 (half the even share 1/%3).")
                           .arg(flag.meanImageWeight, 0, 'f', 3)
                           .arg(threshold * uniform, 0, 'f', 3)
                           .arg(descriptionCount));
    if (flag.matchesOtherClass)
        reasons.append(tr("Matches another class: closer to the training images of “%1” (cosine %2) than to its "
                          "own class's (%3).")
                           .arg(QString::fromStdString(flag.otherClass))
                           .arg(flag.otherCosine, 0, 'f', 3)
                           .arg(flag.ownCosine, 0, 'f', 3));
    return reasons.join(QLatin1Char('\n'));
}

QVariant DescriptionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const store::DescriptionRecord& row = m_rows[static_cast<std::size_t>(index.row())];
    const QString source = QString::fromStdString(row.source);
    const workflow::DescriptionFlag* flag = flagAt(index.row());
    const auto numbers = [&] {
        const int n = m_descriptionCount.count(m_classId) ? m_descriptionCount.at(m_classId) : 0;
        QString text = tr("Rank %1 of %2 in run %3: mean weight %4 over the class's training images, the "
                          "aggregator's own weight %5 (even share %6).")
                           .arg(flag->rank)
                           .arg(n)
                           .arg(m_report->runId)
                           .arg(flag->meanImageWeight, 0, 'f', 3)
                           .arg(flag->ownWeight, 0, 'f', 3)
                           .arg(n > 0 ? 1.0 / n : 0.0, 0, 'f', 3);
        text += QLatin1Char('\n') + tr("Cosine to its class's training images %1").arg(flag->ownCosine, 0, 'f', 3);
        if (!flag->otherClass.empty())
            text +=
                tr("; to “%1”'s %2").arg(QString::fromStdString(flag->otherClass)).arg(flag->otherCosine, 0, 'f', 3);
        text += QLatin1Char('.');
        if (flag->flagged())
            text += QLatin1Char('\n') + flagReasons(*flag, n, m_report->ignoredThreshold);
        return text;
    };
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == TextColumn)
            return QString::fromStdString(row.text);
        if (index.column() == SourceColumn)
            return sourceDisplayName(source);
        if (index.column() == WeightColumn && flag && role == Qt::DisplayRole)
            return tr("#%1 · %2").arg(flag->rank).arg(flag->meanImageWeight, 0, 'f', 2);
        return {};
    case Qt::DecorationRole:
        if (index.column() == TextColumn && flag && flag->flagged())
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TextColumn) {
            const QString edit = tr("Double-click or press F2 to edit. Source: %1").arg(sourceDisplayName(source));
            return flag && flag->flagged() ? numbers() + QLatin1Char('\n') + edit : edit;
        }
        if (index.column() == WeightColumn)
            return flag ? numbers()
                        : tr("No rank yet: train a run (and encode new descriptions) to see how much the aggregator "
                             "uses this description");
        return tr("Where this description came from");
    case DescriptionIdRole: return QVariant::fromValue<qint64>(row.id);
    case FlaggedRole: return flag && flag->flagged();
    case RankRole: return flag ? flag->rank : 0;
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
    if (section == WeightColumn)
        return tr("Rank · weight");
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
