#pragma once
// The Describe page: the classes with their image and description counts (warning when a
// class has fewer than three), and the selected class's descriptions, editable in place;
// add one, paste many (one per line), delete, import CuPL JSON. All edits are undoable.
// GUI thread only.

#include <QWidget>

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

Q_SIGNALS:
    // The user asked to import a CuPL JSON file (MainWindow runs it as a job).
    void importDescriptionsRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onClassChanged();
    void addFromLineEdit();

    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    ClassListModel* m_classModel = nullptr;
    DescriptionModel* m_descriptionModel = nullptr;
    QTreeView* m_classView = nullptr;
    QTableView* m_descriptionView = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_hint = nullptr;
    QLineEdit* m_newDescription = nullptr;
};

} // namespace aape::ui
