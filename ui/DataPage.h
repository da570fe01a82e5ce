#pragma once
// The Data page: the project's images as a thumbnail grid, filtered by class (list on the
// left, with counts and a search box) and split; labels, splits and exclusion are changed by
// context menu, keys (1-9, 0, Ctrl+M, Delete) or by dragging thumbnails onto a class, classes
// are renamed in the list (F2), all undoable. GUI thread only.

#include "aape/store/Records.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QTreeView;
class QUndoStack;

namespace aape::ui {

class ClassFilterModel;
class ClassListModel;
class DatasetFilterModel;
class DatasetModel;
class JobRunner;
class ProjectSession;
class ThumbnailCache;

class DataPage final : public QWidget {
    Q_OBJECT
public:
    DataPage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent = nullptr);
    // With a job runner, a class renamed in an encoded project has its new template encoded
    // at once (so that earlier runs can be tried and exported under the new name), and no
    // class is renamed while a job runs (a training reads the names when it ends).
    void setJobRunner(JobRunner* jobs);

    DatasetModel* datasetModel() const { return m_model; }
    DatasetFilterModel* filterModel() const { return m_filter; }
    ClassListModel* classModel() const { return m_classModel; }
    // What the class list shows: classModel() filtered by the search box.
    ClassFilterModel* classFilterModel() const { return m_classFilter; }
    QLineEdit* classSearch() const { return m_classSearch; }
    QListView* grid() const { return m_grid; }
    QTreeView* classView() const { return m_classView; }
    // The class whose images are shown: a class id, ClassListModel::kAllImages or kUnlabelled.
    qint64 currentClassFilter() const;

    // Image ids of the selected thumbnails, in view order.
    QList<qint64> selectedImageIds() const;
    // Undoable edits of the given images (the actions and drops end here).
    void setLabel(const QList<qint64>& imageIds, std::optional<qint64> classId);
    void setSplit(const QList<qint64>& imageIds, store::Split split);
    void toggleExcluded(const QList<qint64>& imageIds);
    // Undoable; refuses (with a message in the banner) an empty name or one another class has,
    // also when it differs only in case or punctuation. Returns whether the class was renamed.
    bool renameClass(qint64 classId, const QString& name);

    // Shows only these images (e.g. selected on the map), with a bar that says why and a button
    // that shows all again; with scores, highest first and the score in each caption.
    void showOnlyImages(const QList<qint64>& imageIds, const QString& reason, const QHash<qint64, double>& scores = {});
    void clearImageFilter();
    QLabel* imageFilterLabel() const { return m_imageFilterLabel; }
    // The images most like this one by cosine of their cached CLIP embeddings (in a job), shown
    // best first with their cosines.
    void findSimilar(qint64 imageId);
    static constexpr int kSimilarCount = 48;

Q_SIGNALS:
    // The thumbnails selected in the grid changed (image ids, in view order).
    void imageSelectionChanged(const QList<qint64>& imageIds);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildActions();
    void showContextMenu(const QPoint& position);
    void showClassContextMenu(const QPoint& position);
    void updateClassSearchLabel();
    void encodeClassTemplate(const QString& oldName, const QString& newName);
    void setLabelByPosition(int position);
    void moveToClassDialog();
    void updateCounts();
    void onClassSelected();

    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    JobRunner* m_jobs = nullptr;
    ThumbnailCache* m_thumbnails = nullptr;
    DatasetModel* m_model = nullptr;
    DatasetFilterModel* m_filter = nullptr;
    ClassListModel* m_classModel = nullptr;
    ClassFilterModel* m_classFilter = nullptr;
    QLineEdit* m_classSearch = nullptr;
    QLabel* m_classSearchLabel = nullptr;
    QTreeView* m_classView = nullptr;
    QListView* m_grid = nullptr;
    QComboBox* m_splitCombo = nullptr;
    QCheckBox* m_showExcluded = nullptr;
    QLabel* m_countLabel = nullptr;
    QStackedWidget* m_gridStack = nullptr;
    QWidget* m_imageFilterBar = nullptr;
    QLabel* m_imageFilterLabel = nullptr;
};

} // namespace aape::ui
