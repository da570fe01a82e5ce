#pragma once
// One class's descriptions as an editable table (text, source, weight in the latest run with
// its flags). Edits made in a view become undoable commands on the given QUndoStack. GUI
// thread only.

#include "aape/store/Records.h"
#include "aape/workflow/DescriptionFlags.h"

#include <QAbstractTableModel>

#include <map>
#include <optional>
#include <string>
#include <vector>

class QUndoStack;

namespace aape::ui {

class ProjectSession;

class DescriptionModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TextColumn = 0, SourceColumn, WeightColumn, ColumnCount };
    // FlaggedRole: bool; RankRole: int, 0 when the description has no rank (not in the run).
    enum Role { DescriptionIdRole = Qt::UserRole + 1, FlaggedRole, RankRole };

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

    // The ranking and flags of a run (workflow::describeFlags), matched to rows by class and
    // text, so that they survive an undo that re-creates a description. Empty: none shown.
    void setFlags(const workflow::DescriptionFlagsReport& report);
    void clearFlags();
    const workflow::DescriptionFlag* flagAt(int row) const;
    // Every flagged description of every class in the report, by class id.
    std::map<qint64, QStringList> flaggedTexts() const;
    // "Ignored by the aggregator: …" and "Closer to …'s images …", one sentence per flag.
    static QString flagReasons(const workflow::DescriptionFlag& flag, int descriptionCount, double threshold);

    // "typed", "CuPL file x.json", ... for people rather than machines.
    static QString sourceDisplayName(const QString& source);

private:
    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    qint64 m_classId = 0;
    std::vector<store::DescriptionRecord> m_rows;
    std::optional<workflow::DescriptionFlagsReport> m_report;
    std::map<std::pair<qint64, std::string>, const workflow::DescriptionFlag*> m_flagOf;
    std::map<qint64, int> m_descriptionCount; // per class, in the report
};

} // namespace aape::ui
