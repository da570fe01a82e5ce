#pragma once
// The project's classes with their image and description counts, for the Data page (as a
// filter and a drop target for thumbnails, renamable in place) and the Describe page (with a
// warning when a class has too few descriptions), and the proxy that finds classes by a typed
// text. GUI thread only.

#include "aape/store/Records.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <vector>

namespace aape::ui {

class ProjectSession;

class ClassListModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn = 0, ImagesColumn, DescriptionsColumn, ColumnCount };
    enum Role {
        ClassIdRole = Qt::UserRole + 1, // qint64: a class id, or kAllImages / kUnlabelled
        ImageCountRole,                 // int
        DescriptionCountRole,           // int
        PositionRole,                   // int: the class's label index; -1 for the extra rows
    };
    static constexpr qint64 kAllImages = -1;
    static constexpr qint64 kUnlabelled = -2;
    // Fewer descriptions than this get a warning: the aggregator has little to choose from.
    static constexpr int kFewDescriptions = 3;

    // withFilterRows: "All images" and "Unlabelled" rows first (the Data page's filter);
    // otherwise only real classes, with the description warning (the Describe page).
    ClassListModel(ProjectSession* session, bool withFilterRows, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction | Qt::CopyAction; }
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    void reload();
    int rowOfClass(qint64 classId) const;
    qint64 classIdAt(int row) const;
    // Class names become editable in views (F2); an edit is asked for with renameRequested.
    void setRenamable(bool renamable) { m_renamable = renamable; }

Q_SIGNALS:
    // Thumbnails were dropped on a class row (kUnlabelled: remove their label). The page
    // turns this into an undoable command.
    void imagesDropped(const QList<qint64>& imageIds, qint64 classId);
    // A name was edited in a view; the page checks it and makes the undoable command.
    void renameRequested(qint64 classId, const QString& name);

private:
    struct Row {
        qint64 classId = 0;
        QString name;
        int position = -1;
        int images = 0;
        int descriptions = 0;
    };

    ProjectSession* m_session;
    bool m_withFilterRows;
    bool m_renamable = false;
    std::vector<Row> m_rows;
};

// Classes whose name holds every word typed, ignoring case, accents and punctuation: "bmw
// 2012" finds "2012 BMW M3 Coupe", "coupe" finds "Coupé". The "All images" and "Unlabelled"
// rows always stay.
class ClassFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ClassFilterModel(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }
    // Rows of real classes that pass the filter.
    int matchingClassCount() const;

    // Case-folded, accents dropped, anything but letters and digits a single space.
    static QString foldForSearch(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
};

} // namespace aape::ui
