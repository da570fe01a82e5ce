#pragma once
// Undoable label and exclusion edits of images, for the pages that show images one way or
// another (Inspect's predictions and inspector): the Data page's keys (1–9: the first nine
// classes in label order, 0: unlabelled, Ctrl+M: choose a class, Delete: exclude or include)
// and a context menu with the same actions. Edits are the UndoCommands on the main window's
// stack, which tell the session (notifyDatasetChanged). GUI thread only.

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

class QMenu;
class QUndoStack;
class QWidget;

namespace aape::ui {

class ProjectSession;

class LabelEditor final : public QObject {
    Q_OBJECT
public:
    using Selection = std::function<QList<qint64>()>;
    // A class to offer first in the menu, with why (e.g. "predicted, 62 %").
    struct Suggestion {
        qint64 classId = 0;
        QString reason;
    };

    LabelEditor(ProjectSession* session, QUndoStack* undoStack, QObject* parent = nullptr);

    // The keys act on `widget` and its children, on the images `selection` returns.
    void addKeyActions(QWidget* widget, Selection selection);
    // Adds the label and exclusion actions for `imageIds` to `menu`; `dialogParent` parents
    // the class chooser.
    void fillMenu(QMenu* menu, const QList<qint64>& imageIds, const std::vector<Suggestion>& suggestions,
                  QWidget* dialogParent);

    void setLabel(const QList<qint64>& imageIds, std::optional<qint64> classId);
    // key 1..9: the class at that place in label order; 0: unlabelled.
    void setLabelByKey(const QList<qint64>& imageIds, int key);
    // All excluded: includes them; otherwise excludes them all.
    void toggleExcluded(const QList<qint64>& imageIds);
    void chooseClass(const QList<qint64>& imageIds, QWidget* dialogParent);

    // The project's classes in label order: (id, name).
    std::vector<std::pair<qint64, QString>> classes() const;

private:
    QString className(qint64 classId) const;
    bool allExcluded(const QList<qint64>& imageIds) const;

    ProjectSession* m_session;
    QUndoStack* m_undoStack;
};

} // namespace aape::ui
