#include "ClassListModel.h"

#include "DatasetModel.h"
#include "ProjectSession.h"

#include <QApplication>
#include <QMimeData>
#include <QStyle>

#include <map>

namespace aape::ui {

ClassListModel::ClassListModel(ProjectSession* session, bool withFilterRows, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
    , m_withFilterRows(withFilterRows)
{
    connect(m_session, &ProjectSession::opened, this, &ClassListModel::reload);
    connect(m_session, &ProjectSession::closed, this, &ClassListModel::reload);
    connect(m_session, &ProjectSession::datasetChanged, this, &ClassListModel::reload);
    connect(m_session, &ProjectSession::descriptionsChanged, this, &ClassListModel::reload);
    reload();
}

int ClassListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ClassListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 ClassListModel::classIdAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return 0;
    return m_rows[static_cast<std::size_t>(row)].classId;
}

int ClassListModel::rowOfClass(qint64 classId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].classId == classId)
            return static_cast<int>(i);
    }
    return -1;
}

QVariant ClassListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const bool isClass = row.classId >= 0;
    const bool fewDescriptions = !m_withFilterRows && isClass && row.descriptions < kFewDescriptions;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return row.name;
        case ImagesColumn: return row.images;
        case DescriptionsColumn: return isClass ? QVariant(row.descriptions) : QVariant();
        default: return {};
        }
    case Qt::EditRole: return index.column() == NameColumn ? QVariant(row.name) : data(index, Qt::DisplayRole);
    case Qt::DecorationRole:
        if (index.column() == NameColumn && fewDescriptions)
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        return {};
    case Qt::ToolTipRole:
        if (fewDescriptions)
            return tr("%1 has %n description(s). Add at least %2 so that the model can learn which "
                      "details matter for this class.",
                      nullptr, row.descriptions)
                .arg(row.name)
                .arg(kFewDescriptions);
        if (row.classId == kAllImages)
            return tr("Show every image in the project");
        if (row.classId == kUnlabelled)
            return tr("Images without a class. Drop thumbnails here to remove their class.");
        // The whole name first: the list may show it elided.
        if (m_withFilterRows)
            return QStringLiteral("<b>%1</b><br>").arg(row.name.toHtmlEscaped())
                   + tr("%n image(s). Drop thumbnails here to move them to this class; keys 1–9 set the class of the "
                        "selected images; F2 renames the class.",
                        nullptr, row.images);
        return QStringLiteral("<b>%1</b><br>").arg(row.name.toHtmlEscaped()) + tr("%n image(s)", nullptr, row.images);
    case Qt::TextAlignmentRole:
        if (index.column() != NameColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ClassIdRole: return QVariant::fromValue<qint64>(row.classId);
    case ImageCountRole: return row.images;
    case DescriptionCountRole: return row.descriptions;
    case PositionRole: return row.position;
    default: return {};
    }
}

QVariant ClassListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Class");
    case ImagesColumn: return tr("Images");
    case DescriptionsColumn: return tr("Descriptions");
    default: return {};
    }
}

Qt::ItemFlags ClassListModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (m_withFilterRows && classIdAt(index.row()) != kAllImages)
        flags |= Qt::ItemIsDropEnabled;
    if (m_renamable && index.column() == NameColumn && classIdAt(index.row()) >= 0)
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool ClassListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const QString name = value.toString().trimmed();
    if (name == row.name)
        return false;
    Q_EMIT renameRequested(row.classId, name);
    // The page renames through an undoable command, and the reload shows the new name.
    return false;
}

QStringList ClassListModel::mimeTypes() const
{
    return {QString::fromLatin1(kImageIdsMimeType)};
}

bool ClassListModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                     const QModelIndex& parent) const
{
    Q_UNUSED(action)
    Q_UNUSED(row)
    Q_UNUSED(column)
    return m_withFilterRows && parent.isValid() && classIdAt(parent.row()) != kAllImages && data
           && data->hasFormat(QString::fromLatin1(kImageIdsMimeType));
}

bool ClassListModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                                  const QModelIndex& parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const QList<qint64> ids = DatasetModel::decodeImageIds(data);
    if (ids.isEmpty())
        return false;
    Q_EMIT imagesDropped(ids, classIdAt(parent.row()));
    // The label change is applied by the page; returning false keeps the view from removing
    // the dragged rows itself.
    return false;
}

void ClassListModel::reload()
{
    std::vector<Row> rows;
    if (m_session->isOpen()) {
        store::Project* project = m_session->project();
        auto classes = project->classes();
        auto counts = project->countsPerClassAndSplit();
        auto descriptions = project->descriptions();
        std::map<qint64, int> imageCounts;
        std::map<qint64, int> descriptionCounts;
        int total = 0;
        int unlabelled = 0;
        if (counts) {
            for (const store::ClassSplitCounts& c : counts.value()) {
                const int n = c.train + c.val + c.test + c.excluded;
                total += n;
                if (c.classId)
                    imageCounts[*c.classId] += n;
                else
                    unlabelled += n;
            }
        }
        if (descriptions) {
            for (const store::DescriptionRecord& d : descriptions.value())
                ++descriptionCounts[d.classId];
        }
        if (m_withFilterRows) {
            rows.push_back({kAllImages, tr("All images"), -1, total, 0});
            rows.push_back({kUnlabelled, tr("Unlabelled"), -1, unlabelled, 0});
        }
        if (classes) {
            for (const store::ClassRecord& c : classes.value())
                rows.push_back(
                    {c.id, QString::fromStdString(c.name), c.position, imageCounts[c.id], descriptionCounts[c.id]});
        }
    }

    bool sameRows = rows.size() == m_rows.size();
    for (std::size_t i = 0; sameRows && i < rows.size(); ++i)
        sameRows = rows[i].classId == m_rows[i].classId;
    if (!sameRows) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace aape::ui

namespace aape::ui {

ClassFilterModel::ClassFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{}

QString ClassFilterModel::foldForSearch(const QString& text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString folded;
    folded.reserve(decomposed.size());
    bool space = true; // no leading space
    for (const QChar c : decomposed) {
        if (c.isMark())
            continue;
        if (c.isLetterOrNumber()) {
            folded.append(c);
            space = false;
        } else if (!space) {
            folded.append(QLatin1Char(' '));
            space = true;
        }
    }
    return folded.trimmed().toCaseFolded();
}

void ClassFilterModel::setFilterText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = foldForSearch(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

int ClassFilterModel::matchingClassCount() const
{
    int count = 0;
    for (int row = 0; row < rowCount(); ++row)
        count += index(row, 0).data(ClassListModel::ClassIdRole).toLongLong() >= 0 ? 1 : 0;
    return count;
}

bool ClassFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex name = sourceModel()->index(sourceRow, ClassListModel::NameColumn, sourceParent);
    if (m_words.isEmpty() || name.data(ClassListModel::ClassIdRole).toLongLong() < 0)
        return true;
    const QString folded = foldForSearch(name.data(Qt::DisplayRole).toString());
    for (const QString& word : m_words) {
        if (!folded.contains(word))
            return false;
    }
    return true;
}

} // namespace aape::ui
