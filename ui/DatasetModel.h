#pragma once
// The project's images as an item model (one row per image, thumbnails from ThumbnailCache)
// and the proxy that filters them by class, split and exclusion for the Data page.
// GUI thread only; rows are read from the session's GUI-thread project connection.

#include "aape/store/Records.h"

#include <QAbstractListModel>
#include <QHash>
#include <QPixmap>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>

#include <optional>
#include <vector>

namespace aape::ui {

class ProjectSession;
class ThumbnailCache;

inline constexpr char kImageIdsMimeType[] = "application/x-aape-image-ids";

class DatasetModel final : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ImageIdRole = Qt::UserRole + 1, // qint64
        ClassIdRole,                    // qint64; -1 when unlabelled
        ClassNameRole,                  // QString; empty when unlabelled
        SplitRole,                      // int: store::Split
        ExcludedRole,                   // bool
        PathRole,                       // QString
        ThumbnailLoadedRole,            // bool: the decoration is the real thumbnail
        CaptionPartsRole,               // QStringList: class name (or "unlabelled"), split
    };

    DatasetModel(ProjectSession* session, ThumbnailCache* thumbnails, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction | Qt::CopyAction; }

    // Re-reads the images. When the set of images is unchanged only the rows whose label,
    // split or exclusion changed are reported (dataChanged), so views keep their selection and
    // scroll position; otherwise the model is reset.
    void reload();
    int rowOfImage(qint64 imageId) const { return m_rowOfId.value(imageId, -1); }
    const store::ImageRecord* record(int row) const;
    QString className(std::optional<std::int64_t> classId) const;

    static QList<qint64> decodeImageIds(const QMimeData* data);

    // Redraws the placeholders and the dimmed text in the current palette (light/dark switch).
    void paletteChanged();

private:
    void reloadClasses();
    QPixmap placeholder(bool broken) const;

    ProjectSession* m_session;
    ThumbnailCache* m_thumbnails;
    std::vector<store::ImageRecord> m_images;
    QHash<qint64, int> m_rowOfId;
    QHash<qint64, QString> m_classNames;
    mutable QPixmap m_placeholder;
    mutable QPixmap m_brokenPlaceholder;
};

// Draws a thumbnail's caption (class name · split) on two lines, broken and shortened at word
// boundaries, so that "2012 Rolls-Royce Phantom Drophead Coupe Convertible" reads "2012 Rolls-
// Royce Phantom / Drophead… · train" rather than being cut mid-word; the tooltip has it whole.
class ThumbnailCaptionDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kLines = 2;

    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // At most maxLines lines of whole words, each at most `width` pixels wide: the name's words,
    // then "· suffix" kept whole on the last line; when they do not fit, the last line ends in
    // "… · suffix" after its last whole word. A single word wider than a line is elided in its middle.
    static QStringList wrapCaption(const QString& name, const QString& suffix, const QFontMetrics& metrics, int width,
                                   int maxLines = kLines);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

// Filters DatasetModel rows. Class: any, unlabelled only, or one class id; split: any or one.
class DatasetFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    static constexpr qint64 kAnyClass = -1;
    static constexpr qint64 kUnlabelled = -2;
    static constexpr int kAnySplit = -1;

    explicit DatasetFilterModel(QObject* parent = nullptr);

    void setClassFilter(qint64 classFilter);
    qint64 classFilter() const { return m_class; }
    void setSplitFilter(int split);
    int splitFilter() const { return m_split; }
    void setShowExcluded(bool show);
    bool showExcluded() const { return m_showExcluded; }
    // Only these images (e.g. selected on the map). With scores (e.g. cosines of similar
    // images) the images are shown highest score first with the score in their caption.
    void setImageFilter(const QList<qint64>& imageIds, const QHash<qint64, double>& scores = {});
    void clearImageFilter();
    bool hasImageFilter() const { return m_imageFilter.has_value(); }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    std::optional<QSet<qint64>> m_imageFilter;
    QHash<qint64, double> m_scores;
    qint64 m_class = kAnyClass;
    int m_split = kAnySplit;
    bool m_showExcluded = true;
};

} // namespace aape::ui
