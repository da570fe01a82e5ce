#pragma once
// One class's descriptions as an editable table (text, source). Edits made in a view become
// undoable commands on the given QUndoStack. GUI thread only.

#include "aape/store/Records.h"

#include <QAbstractTableModel>

#include <vector>

class QUndoStack;

namespace aape::ui {

class ProjectSession;

class DescriptionModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TextColumn = 0, SourceColumn, ColumnCount };
    enum Role { DescriptionIdRole = Qt::UserRole + 1 };

    DescriptionModel(ProjectSession* session, QUndoStack* undoStack, QObject* parent = nullptr);

    // The class whose descriptions are shown; 0 or a missing class shows none.
    void setClassId(qint64 classId);
    qint64 classId() const { return m_classId; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    void reload();
    QString textAt(int row) const;

    // "typed", "CuPL file x.json", ... for people rather than machines.
    static QString sourceDisplayName(const QString& source);

private:
    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    qint64 m_classId = 0;
    std::vector<store::DescriptionRecord> m_rows;
};

} // namespace aape::ui
