#pragma once
// The studio's inspect page: a finished run's predictions with filters; per-class results as
// a sortable table, the top confusions and the confusion matrix (zoomable, reorderable), each
// of which restricts the predictions to a class or a cell; a bar chart per class where there
// are few classes; the ImageInspector for the selected image. Images are relabelled and
// excluded here as on the Data page (context menu, keys 1–9/0, Ctrl+M, Delete), undoably on
// the main window's stack. GUI thread only.

#include <QWidget>

#include <cstdint>
#include <optional>

class QButtonGroup;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QMenu;
class QScrollArea;
class QTabWidget;
class QTableView;
class QToolButton;
class QUndoStack;

namespace aape::ui {

class ClassAccuracyModel;
class ClassAccuracyProxy;
class ConfusionMatrixModel;
class ConfusionMatrixView;
class ElidedLabel;
class ImageInspector;
class JobRunner;
class LabelEditor;
class PredictionsFilterProxy;
class PredictionsModel;
class ProjectSession;
class RunMenu;
class TopConfusionsModel;

class InspectPage final : public QWidget {
    Q_OBJECT
public:
    // Edits go on `undoStack` (the main window's, shared with the Data page).
    InspectPage(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent = nullptr);
    // Edits go on a stack of the page's own (tools and tests without a main window).
    InspectPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~InspectPage() override;

    // Shows a run (it must have predictions to show anything); <= 0 shows none.
    void setRun(std::int64_t runId);
    std::int64_t runId() const;

    // Up to this many classes the page also draws per-class accuracy as bars.
    static constexpr int kChartMaxClasses = 16;
    // Class columns of the predictions table are as wide as the longest name up to this many
    // average characters; longer names are elided there and whole in the cell's tooltip.
    static constexpr int kClassColumnChars = 30;

    PredictionsModel* predictions() const { return m_predictions; }
    PredictionsFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    ConfusionMatrixModel* confusion() const { return m_confusion; }
    ConfusionMatrixView* confusionView() const { return m_confusionView; }
    ClassAccuracyModel* classAccuracy() const { return m_classAccuracy; }
    ClassAccuracyProxy* classAccuracyProxy() const { return m_classProxy; }
    QTableView* classTable() const { return m_classTable; }
    QLineEdit* classSearch() const { return m_classSearch; }
    TopConfusionsModel* topConfusions() const { return m_topConfusions; }
    QTableView* confusionsTable() const { return m_confusionsTable; }
    QTabWidget* analysisTabs() const { return m_tabs; }
    QCustomPlot* perClassPlot() const { return m_perClass; }
    bool showsPerClassChart() const;
    ImageInspector* inspector() const { return m_inspector; }
    ElidedLabel* restrictionLabel() const { return m_restrictionLabel; }
    QLabel* summaryLabel() const { return m_summary; }
    QButtonGroup* filterButtons() const { return m_filters; }
    LabelEditor* labelEditor() const { return m_editor; }
    QUndoStack* undoStack() const { return m_undoStack; }

    // Restricts the predictions to one class (as labelled at evaluation) or one confusion
    // cell; clearRestriction shows every class again.
    void restrictToClass(std::int64_t classId);
    void restrictToCell(std::int64_t trueClassId, std::int64_t predictedClassId);
    void clearRestriction();
    // Only these images' predictions (e.g. selected on the map); `reason` ends "Only %n images …".
    void restrictToImages(const QList<qint64>& imageIds, const QString& reason);

    // Image ids of the selected predictions (the current one when none is selected).
    QList<qint64> selectedImageIds() const;
    // The label and exclusion actions for the selected images (the table's and the
    // inspector's context menu).
    void fillContextMenu(QMenu* menu);

public Q_SLOTS:
    void nextImage();
    void previousImage();

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* buildAnalysis();
    void refreshRuns();
    void loadRun();
    void refreshPerClass();
    void refreshSummary();
    void sizeClassColumns();
    void chooseAnalysisTab();
    void showCurrent();
    void updateNote();
    void onDatasetChanged();
    void moveBy(int delta);
    void afterRestriction();
    void showContextMenu(QWidget* from, const QPoint& position);
    void styleLegend();

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QUndoStack* m_undoStack;
    LabelEditor* m_editor = nullptr;
    RunMenu* m_runs = nullptr;
    QButtonGroup* m_filters = nullptr;
    QWidget* m_restrictionRow = nullptr;
    ElidedLabel* m_restrictionLabel = nullptr;
    QToolButton* m_clearRestriction = nullptr;
    QLabel* m_summary = nullptr;
    PredictionsModel* m_predictions = nullptr;
    PredictionsFilterProxy* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QTabWidget* m_tabs = nullptr;
    ClassAccuracyModel* m_classAccuracy = nullptr;
    ClassAccuracyProxy* m_classProxy = nullptr;
    QTableView* m_classTable = nullptr;
    QLineEdit* m_classSearch = nullptr;
    TopConfusionsModel* m_topConfusions = nullptr;
    QTableView* m_confusionsTable = nullptr;
    ConfusionMatrixModel* m_confusion = nullptr;
    ConfusionMatrixView* m_confusionView = nullptr;
    QComboBox* m_matrixOrder = nullptr;
    QWidget* m_matrixPage = nullptr;
    QScrollArea* m_chartScroll = nullptr;
    QCustomPlot* m_perClass = nullptr;
    ImageInspector* m_inspector = nullptr;
};

} // namespace aape::ui
