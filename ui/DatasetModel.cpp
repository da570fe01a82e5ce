#include "DatasetModel.h"

#include "MessageBanner.h"
#include "ProjectSession.h"
#include "ThumbnailCache.h"

#include <QApplication>
#include <QDataStream>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIODevice>
#include <QListView>
#include <QMimeData>
#include <QPainter>
#include <QPalette>
#include <QStyle>

namespace aape::ui {

namespace {

QString splitDisplayName(store::Split split)
{
    switch (split) {
    case store::Split::Train: return DatasetModel::tr("train");
    case store::Split::Val: return DatasetModel::tr("val");
    case store::Split::Test: return DatasetModel::tr("test");
    }
    return {};
}

bool sameRecord(const store::ImageRecord& a, const store::ImageRecord& b)
{
    return a.classId == b.classId && a.split == b.split && a.excluded == b.excluded && a.path == b.path;
}

} // namespace

DatasetModel::DatasetModel(ProjectSession* session, ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractListModel(parent)
    , m_session(session)
    , m_thumbnails(thumbnails)
{
    connect(m_session, &ProjectSession::opened, this, [this] {
        m_thumbnails->clear();
        reload();
    });
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_thumbnails->clear();
        reload();
    });
    connect(m_session, &ProjectSession::datasetChanged, this, &DatasetModel::reload);
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, [this](qint64 imageId) {
        const int row = rowOfImage(imageId);
        if (row < 0)
            return;
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailLoadedRole});
    });
    reload();
}

int DatasetModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_images.size());
}

const store::ImageRecord* DatasetModel::record(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_images.size()))
        return nullptr;
    return &m_images[static_cast<std::size_t>(row)];
}

QString DatasetModel::className(std::optional<std::int64_t> classId) const
{
    if (!classId)
        return {};
    return m_classNames.value(*classId);
}

QVariant DatasetModel::data(const QModelIndex& index, int role) const
{
    const store::ImageRecord* image = index.isValid() ? record(index.row()) : nullptr;
    if (!image)
        return {};
    switch (role) {
    case Qt::DisplayRole: {
        const QString label = image->classId ? className(image->classId) : tr("unlabelled");
        return tr("%1 · %2").arg(label, splitDisplayName(image->split));
    }
    case Qt::ToolTipRole: {
        const QString path = QString::fromStdString(image->path);
        QString tip =
            QStringLiteral("<b>%1</b><br>%2<br>").arg(QFileInfo(path).fileName().toHtmlEscaped(), path.toHtmlEscaped());
        tip += tr("Class: %1").arg(image->classId ? className(image->classId).toHtmlEscaped() : tr("unlabelled"));
        tip += QStringLiteral("<br>") + tr("Split: %1").arg(splitDisplayName(image->split));
        if (image->width > 0)
            tip += QStringLiteral("<br>") + tr("%1 × %2 pixels").arg(image->width).arg(image->height);
        if (image->excluded)
            tip += QStringLiteral("<br><i>") + tr("Excluded from training and evaluation (Delete to include)")
                   + QStringLiteral("</i>");
        return tip;
    }
    case Qt::DecorationRole: {
        QPixmap pixmap = m_thumbnails->thumbnail(image->id, QString::fromStdString(image->path));
        if (pixmap.isNull())
            return placeholder(m_thumbnails->failed(image->id));
        if (image->excluded) {
            // Dimmed: drawn at low opacity over nothing so that it follows the palette.
            QPixmap dimmed(pixmap.size());
            dimmed.setDevicePixelRatio(pixmap.devicePixelRatio());
            dimmed.fill(Qt::transparent);
            QPainter painter(&dimmed);
            painter.setOpacity(0.3);
            painter.drawPixmap(0, 0, pixmap);
            return dimmed;
        }
        return pixmap;
    }
    case Qt::ForegroundRole:
        if (image->excluded)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case ImageIdRole: return QVariant::fromValue<qint64>(image->id);
    case ClassIdRole: return QVariant::fromValue<qint64>(image->classId ? *image->classId : -1);
    case ClassNameRole: return className(image->classId);
    case SplitRole: return static_cast<int>(image->split);
    case ExcludedRole: return image->excluded;
    case PathRole: return QString::fromStdString(image->path);
    case ThumbnailLoadedRole: return m_thumbnails->contains(image->id);
    case CaptionPartsRole:
        return QStringList{image->classId ? className(image->classId) : tr("unlabelled"),
                           splitDisplayName(image->split)};
    default: return {};
    }
}

Qt::ItemFlags DatasetModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList DatasetModel::mimeTypes() const
{
    return {QString::fromLatin1(kImageIdsMimeType)};
}

QMimeData* DatasetModel::mimeData(const QModelIndexList& indexes) const
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    QList<qint64> ids;
    for (const QModelIndex& index : indexes) {
        if (const store::ImageRecord* image = record(index.row()))
            ids.append(image->id);
    }
    stream << ids;
    auto* data = new QMimeData;
    data->setData(QString::fromLatin1(kImageIdsMimeType), bytes);
    return data;
}

QList<qint64> DatasetModel::decodeImageIds(const QMimeData* data)
{
    QList<qint64> ids;
    if (!data || !data->hasFormat(QString::fromLatin1(kImageIdsMimeType)))
        return ids;
    QDataStream stream(data->data(QString::fromLatin1(kImageIdsMimeType)));
    stream >> ids;
    return ids;
}

void DatasetModel::reloadClasses()
{
    m_classNames.clear();
    if (!m_session->isOpen())
        return;
    auto classes = m_session->project()->classes();
    if (!classes)
        return;
    for (const store::ClassRecord& record : classes.value())
        m_classNames.insert(record.id, QString::fromStdString(record.name));
}

void DatasetModel::reload()
{
    const auto oldNames = m_classNames;
    reloadClasses();
    std::vector<store::ImageRecord> images;
    if (m_session->isOpen()) {
        auto loaded = m_session->project()->images();
        if (loaded)
            images = std::move(loaded).value();
        else
            m_session->showMessage(2, QString::fromStdString(loaded.error().message), loggedDetails(loaded.error()));
    }

    bool sameRows = images.size() == m_images.size();
    for (std::size_t i = 0; sameRows && i < images.size(); ++i)
        sameRows = images[i].id == m_images[i].id;

    if (!sameRows) {
        beginResetModel();
        m_images = std::move(images);
        m_rowOfId.clear();
        m_rowOfId.reserve(static_cast<qsizetype>(m_images.size()));
        for (std::size_t i = 0; i < m_images.size(); ++i)
            m_rowOfId.insert(m_images[i].id, static_cast<int>(i));
        endResetModel();
        return;
    }

    // Same rows: report contiguous runs of changed rows.
    const bool namesChanged = oldNames != m_classNames;
    int first = -1;
    for (std::size_t i = 0; i <= images.size(); ++i) {
        const bool changed = i < images.size() && (namesChanged || !sameRecord(images[i], m_images[i]));
        if (i < images.size())
            m_images[i] = images[i];
        if (changed && first < 0)
            first = static_cast<int>(i);
        if (!changed && first >= 0) {
            Q_EMIT dataChanged(index(first), index(static_cast<int>(i) - 1));
            first = -1;
        }
    }
}

void DatasetModel::paletteChanged()
{
    m_placeholder = QPixmap();
    m_brokenPlaceholder = QPixmap();
    if (!m_images.empty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {Qt::DecorationRole, Qt::ForegroundRole});
}

QPixmap DatasetModel::placeholder(bool broken) const
{
    QPixmap& cached = broken ? m_brokenPlaceholder : m_placeholder;
    if (!cached.isNull())
        return cached;
    const qreal dpr = qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
    const QSize size = m_thumbnails->thumbnailSize();
    cached = QPixmap(size * dpr);
    cached.setDevicePixelRatio(dpr);
    cached.fill(Qt::transparent);
    QPainter painter(&cached);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette palette = QGuiApplication::palette();
    const QRectF box(QPointF(6, 6), QSizeF(size) - QSizeF(12, 12));
    painter.setPen(QPen(palette.color(QPalette::Mid), 1, broken ? Qt::SolidLine : Qt::DashLine));
    painter.setBrush(palette.color(QPalette::AlternateBase));
    painter.drawRoundedRect(box, 6, 6);
    if (broken) {
        painter.setPen(QPen(palette.color(QPalette::Mid), 2));
        painter.drawLine(box.center() - QPointF(12, 12), box.center() + QPointF(12, 12));
        painter.drawLine(box.center() + QPointF(-12, 12), box.center() + QPointF(12, -12));
    }
    return cached;
}

DatasetFilterModel::DatasetFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void DatasetFilterModel::setClassFilter(qint64 classFilter)
{
    if (m_class == classFilter)
        return;
    m_class = classFilter;
    invalidateRowsFilter();
}

void DatasetFilterModel::setSplitFilter(int split)
{
    if (m_split == split)
        return;
    m_split = split;
    invalidateRowsFilter();
}

void DatasetFilterModel::setShowExcluded(bool show)
{
    if (m_showExcluded == show)
        return;
    m_showExcluded = show;
    invalidateRowsFilter();
}

void DatasetFilterModel::setImageFilter(const QList<qint64>& imageIds, const QHash<qint64, double>& scores)
{
    m_imageFilter = QSet<qint64>(imageIds.begin(), imageIds.end());
    m_scores = scores;
    invalidateRowsFilter();
    // Source order (-1 column: unsorted) unless there are scores to order by.
    sort(m_scores.isEmpty() ? -1 : 0, Qt::AscendingOrder);
}

void DatasetFilterModel::clearImageFilter()
{
    if (!m_imageFilter)
        return;
    m_imageFilter.reset();
    m_scores.clear();
    invalidateRowsFilter();
    sort(-1);
}

QVariant DatasetFilterModel::data(const QModelIndex& index, int role) const
{
    if (!m_scores.isEmpty() && (role == DatasetModel::CaptionPartsRole || role == Qt::ToolTipRole)) {
        const auto score = m_scores.constFind(index.data(DatasetModel::ImageIdRole).toLongLong());
        if (score != m_scores.constEnd()) {
            const QString text = tr("cosine %1").arg(*score, 0, 'f', 3);
            if (role == Qt::ToolTipRole)
                return QSortFilterProxyModel::data(index, role).toString() + QLatin1Char('\n') + text;
            QStringList parts = QSortFilterProxyModel::data(index, role).toStringList();
            if (parts.size() == 2)
                parts[1] += QStringLiteral(" · ") + text;
            return parts;
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

bool DatasetFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const double a = m_scores.value(left.data(DatasetModel::ImageIdRole).toLongLong(), -2.0);
    const double b = m_scores.value(right.data(DatasetModel::ImageIdRole).toLongLong(), -2.0);
    if (a != b)
        return a > b;
    return left.row() < right.row();
}

bool DatasetFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_imageFilter && !m_imageFilter->contains(index.data(DatasetModel::ImageIdRole).toLongLong()))
        return false;
    if (m_class == kUnlabelled && index.data(DatasetModel::ClassIdRole).toLongLong() != -1)
        return false;
    if (m_class >= 0 && index.data(DatasetModel::ClassIdRole).toLongLong() != m_class)
        return false;
    if (m_split != kAnySplit && index.data(DatasetModel::SplitRole).toInt() != m_split)
        return false;
    if (!m_showExcluded && index.data(DatasetModel::ExcludedRole).toBool())
        return false;
    return true;
}

QStringList ThumbnailCaptionDelegate::wrapCaption(const QString& name, const QString& suffix,
                                                  const QFontMetrics& metrics, int width, int maxLines)
{
    const auto fits = [&](const QString& text) { return metrics.horizontalAdvance(text) <= width; };
    const QStringList words = name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const QString tail = suffix.isEmpty() ? QString() : QStringLiteral("· ") + suffix;
    QStringList tokens = words;
    if (!tail.isEmpty())
        tokens.append(tail);

    // Greedy wrap; wordsUsed counts the name's words on each line.
    QStringList lines;
    QList<int> wordsUsed;
    QString line;
    int lineWords = 0;
    for (int i = 0; i < tokens.size(); ++i) {
        const QString candidate = line.isEmpty() ? tokens[i] : line + QLatin1Char(' ') + tokens[i];
        if (line.isEmpty() || fits(candidate)) {
            line = candidate;
        } else {
            lines.append(line);
            wordsUsed.append(lineWords);
            line = tokens[i];
            lineWords = 0;
        }
        lineWords += i < words.size() ? 1 : 0;
    }
    if (!line.isEmpty()) {
        lines.append(line);
        wordsUsed.append(lineWords);
    }
    const auto elideLong = [&](QStringList out) {
        for (QString& l : out) {
            if (!fits(l))
                l = metrics.elidedText(l, Qt::ElideMiddle, width);
        }
        return out;
    };
    if (lines.size() <= maxLines)
        return elideLong(lines);

    QStringList out = elideLong(lines.mid(0, maxLines - 1));
    int used = 0;
    for (int i = 0; i < maxLines - 1; ++i)
        used += wordsUsed[i];
    const QString ending = QStringLiteral("…") + (tail.isEmpty() ? QString() : QLatin1Char(' ') + tail);
    QString last;
    for (int i = used; i < words.size(); ++i) {
        const QString candidate = last.isEmpty() ? words[i] : last + QLatin1Char(' ') + words[i];
        if (!fits(candidate + ending))
            break;
        last = candidate;
    }
    if (last.isEmpty())
        last = metrics.elidedText(words.mid(used).join(QLatin1Char(' ')), Qt::ElideRight,
                                  qMax(0, width - metrics.horizontalAdvance(ending)))
               + (tail.isEmpty() ? QString() : QLatin1Char(' ') + tail);
    else
        last += ending;
    out.append(last);
    return out;
}

void ThumbnailCaptionDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QStringList parts = index.data(DatasetModel::CaptionPartsRole).toStringList();
    if (parts.size() != 2 || !option->rect.isValid())
        return;
    const QStyle* style = option->widget ? option->widget->style() : QApplication::style();
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, option->widget) + 1;
    const int width = option->rect.width() - 2 * margin;
    if (width <= 0)
        return;
    option->text = wrapCaption(parts[0], parts[1], option->fontMetrics, width).join(QChar::LineSeparator);
}

QSize ThumbnailCaptionDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    // Two lines for every item (the view makes all items as large as the first).
    QStyleOptionViewItem sized = option;
    QStyledItemDelegate::initStyleOption(&sized, index);
    sized.text = QStringLiteral("Xg") + QChar::LineSeparator + QStringLiteral("Xg");
    const QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    QSize size = style->sizeFromContents(QStyle::CT_ItemViewItem, &sized, QSize(), option.widget);
    if (const auto* list = qobject_cast<const QListView*>(option.widget); list && list->gridSize().isValid())
        size.setWidth(list->gridSize().width() - 2 * list->spacing());
    return size;
}

} // namespace aape::ui
