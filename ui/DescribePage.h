#pragma once
// The Describe page: the classes with their image and description counts (warning when a
// class has fewer than three), and the selected class's descriptions, editable in place;
// add one, paste many (one per line), delete, import CuPL JSON. All edits are undoable.
// Each description's rank and weight in the latest AAPE run, with flags for the ones the
// aggregator ignores or that match another class, computed on a worker thread after every
// run; "Remove Flagged and Retrain" is one undo step. GUI thread only.

#include "aape/util/Error.h"
#include "aape/workflow/DescriptionFlags.h"

#include <QFutureWatcher>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTreeView;
class QUndoStack;

namespace aape::ui {

class ClassListModel;
class DescriptionModel;
class ProjectSession;

class DescribePage final : public QWidget {
    Q_OBJECT
public:
    DescribePage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent = nullptr);
    ~DescribePage() override;

    ClassListModel* classModel() const { return m_classModel; }
    DescriptionModel* descriptionModel() const { return m_descriptionModel; }
    QTreeView* classView() const { return m_classView; }
    QTableView* descriptionView() const { return m_descriptionView; }

    void selectClass(qint64 classId);
    qint64 currentClassId() const;
    // One undoable command for all lines (blank lines and duplicates dropped); returns how
    // many were added.
    int addDescriptions(const QStringList& texts, const QString& source = QStringLiteral("typed"));
    int pasteLines(const QString& text);
    // What Ctrl+V in the description field does: text of several lines becomes one description
    // per line (returns true); a single line is left to the field.
    bool pasteIntoNewDescription(const QString& text);
    QLineEdit* newDescriptionEdit() const { return m_newDescription; }
    void removeSelected();

    // Ranks and flags the descriptions by the project's latest AAPE run on a worker thread;
    // flagsUpdated() when done. A request while one runs is served when it ends.
    void refreshFlags();
    bool isComputingFlags() const { return m_flagsWatcher.isRunning(); }
    QLabel* flagsStatus() const { return m_flagsStatus; }
    QAction* removeFlaggedAction() const { return m_removeFlagged; }
    // Removes every flagged description (all classes) as one undo step, then asks for
    // training; returns how many were removed.
    int removeFlaggedAndRetrain();

Q_SIGNALS:
    // The user asked to import a CuPL JSON file (MainWindow runs it as a job).
    void importDescriptionsRequested();
    // Flagged descriptions were removed: train again (MainWindow starts the Train page's run).
    void retrainRequested();
    void flagsUpdated();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onClassChanged();
    void addFromLineEdit();
    void showFlags();
    void updateFlagActions();

    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    ClassListModel* m_classModel = nullptr;
    DescriptionModel* m_descriptionModel = nullptr;
    QTreeView* m_classView = nullptr;
    QTableView* m_descriptionView = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_hint = nullptr;
    QLineEdit* m_newDescription = nullptr;
    QLabel* m_flagsStatus = nullptr;
    QAction* m_removeFlagged = nullptr;
    QFutureWatcher<Result<workflow::DescriptionFlagsReport>> m_flagsWatcher;
    bool m_refreshAgain = false;
};

} // namespace aape::ui
