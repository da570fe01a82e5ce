#pragma once
// The Data page: the project's images as a thumbnail grid, filtered by class (list on the
// left, with counts) and split; labels, splits and exclusion are changed by context menu,
// keys (1-9, 0, Ctrl+M, Delete) or by dragging thumbnails onto a class, all undoable.
// GUI thread only.

#include "aape/store/Records.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QStackedWidget;
class QTreeView;
class QUndoStack;

namespace aape::ui {

class ClassListModel;
class DatasetFilterModel;
class DatasetModel;
class ProjectSession;
class ThumbnailCache;

class DataPage final : public QWidget {
    Q_OBJECT
public:
    DataPage(ProjectSession* session, QUndoStack* undoStack, QWidget* parent = nullptr);

    DatasetModel* datasetModel() const { return m_model; }
    DatasetFilterModel* filterModel() const { return m_filter; }
    ClassListModel* classModel() const { return m_classModel; }
    QListView* grid() const { return m_grid; }
    QTreeView* classView() const { return m_classView; }

    // Image ids of the selected thumbnails, in view order.
    QList<qint64> selectedImageIds() const;
    // Undoable edits of the given images (the actions and drops end here).
    void setLabel(const QList<qint64>& imageIds, std::optional<qint64> classId);
    void setSplit(const QList<qint64>& imageIds, store::Split split);
    void toggleExcluded(const QList<qint64>& imageIds);

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildActions();
    void showContextMenu(const QPoint& position);
    void setLabelByPosition(int position);
    void moveToClassDialog();
    void updateCounts();
    void onClassSelected();

    ProjectSession* m_session;
    QUndoStack* m_undoStack;
    ThumbnailCache* m_thumbnails = nullptr;
    DatasetModel* m_model = nullptr;
    DatasetFilterModel* m_filter = nullptr;
    ClassListModel* m_classModel = nullptr;
    QTreeView* m_classView = nullptr;
    QListView* m_grid = nullptr;
    QComboBox* m_splitCombo = nullptr;
    QCheckBox* m_showExcluded = nullptr;
    QLabel* m_countLabel = nullptr;
    QStackedWidget* m_gridStack = nullptr;
};

} // namespace aape::ui
