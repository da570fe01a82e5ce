#pragma once
// Undoable edits of the open project (labels, splits, exclusion, class names, descriptions), pushed on the
// main window's QUndoStack. Each command writes through the session's GUI-thread project and
// then tells the views (notifyDatasetChanged / notifyDescriptionsChanged). GUI thread only.
//
// Descriptions are identified by (class, text), not by id: undoing a deletion re-creates the
// row with a new id, and later commands on the stack must still find it.

#include "aape/store/Records.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>
#include <QUndoCommand>

#include <optional>
#include <vector>

namespace aape::ui {

class ProjectSession;

class SetImageLabelsCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::SetImageLabelsCommand)

public:
    // classId empty: the images become unlabelled.
    SetImageLabelsCommand(ProjectSession* session, QList<qint64> imageIds, std::optional<qint64> classId,
                          const QString& className);
    void redo() override;
    void undo() override;

private:
    ProjectSession* m_session;
    QList<qint64> m_imageIds;
    std::optional<qint64> m_classId;
    std::vector<std::optional<std::int64_t>> m_previous;
};

class SetImageSplitsCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::SetImageSplitsCommand)

public:
    SetImageSplitsCommand(ProjectSession* session, QList<qint64> imageIds, store::Split split);
    void redo() override;
    void undo() override;

private:
    ProjectSession* m_session;
    QList<qint64> m_imageIds;
    store::Split m_split;
    std::vector<store::Split> m_previous;
};

class SetImagesExcludedCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::SetImagesExcludedCommand)

public:
    SetImagesExcludedCommand(ProjectSession* session, QList<qint64> imageIds, bool excluded);
    void redo() override;
    void undo() override;

private:
    ProjectSession* m_session;
    QList<qint64> m_imageIds;
    bool m_excluded;
    std::vector<bool> m_previous;
};

// The class's new name is its template ("a photo of a {name}.") from the next encoding on;
// runs keep their results, shown under the new name.
class RenameClassCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::RenameClassCommand)

public:
    RenameClassCommand(ProjectSession* session, qint64 classId, const QString& oldName, const QString& newName);
    void redo() override;
    void undo() override;

private:
    bool rename(const QString& name);
    ProjectSession* m_session;
    qint64 m_classId;
    QString m_oldName;
    QString m_newName;
};

class AddDescriptionsCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::AddDescriptionsCommand)

public:
    // Texts are trimmed; blank ones and ones the class already has (now, when the command is
    // made) are left out.
    AddDescriptionsCommand(ProjectSession* session, qint64 classId, const QStringList& texts,
                           const QString& source = QStringLiteral("typed"));
    void redo() override;
    void undo() override;
    // How many descriptions redo() adds; 0: nothing to do, do not push it.
    int addedCount() const { return static_cast<int>(m_added.size()); }

private:
    ProjectSession* m_session;
    qint64 m_classId;
    QString m_source;
    std::vector<std::string> m_added;
};

class EditDescriptionCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::EditDescriptionCommand)

public:
    EditDescriptionCommand(ProjectSession* session, qint64 classId, const QString& oldText, const QString& newText);
    void redo() override;
    void undo() override;

private:
    bool replace(const QString& from, const QString& to);
    ProjectSession* m_session;
    qint64 m_classId;
    QString m_oldText;
    QString m_newText;
};

class RemoveDescriptionsCommand final : public QUndoCommand {
    Q_DECLARE_TR_FUNCTIONS(aape::ui::RemoveDescriptionsCommand)

public:
    RemoveDescriptionsCommand(ProjectSession* session, qint64 classId, const QStringList& texts);
    void redo() override;
    void undo() override;

private:
    ProjectSession* m_session;
    qint64 m_classId;
    QStringList m_texts;
    std::vector<store::DescriptionRecord> m_removed; // text and source, to restore
};

} // namespace aape::ui
