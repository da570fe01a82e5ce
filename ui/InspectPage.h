#pragma once
// The studio's inspect page: a finished run's predictions with filters, its confusion
// matrix and per-class accuracy, and the ImageInspector for the selected image.
// GUI thread only.

#include <QWidget>

#include <cstdint>

class QButtonGroup;
class QComboBox;
class QCustomPlot;
class QLabel;
class QTableView;
class QToolButton;

namespace aape::ui {

class ConfusionMatrixModel;
class ConfusionMatrixView;
class ImageInspector;
class JobRunner;
class PredictionsFilterProxy;
class PredictionsModel;
class ProjectSession;
class RunMenu;

class InspectPage final : public QWidget {
    Q_OBJECT
public:
    InspectPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~InspectPage() override;

    // Shows a run (it must have predictions to show anything); <= 0 shows none.
    void setRun(std::int64_t runId);
    std::int64_t runId() const;

    PredictionsModel* predictions() const { return m_predictions; }
    PredictionsFilterProxy* proxy() const { return m_proxy; }
    QTableView* table() const { return m_table; }
    ConfusionMatrixModel* confusion() const { return m_confusion; }
    ConfusionMatrixView* confusionView() const { return m_confusionView; }
    ImageInspector* inspector() const { return m_inspector; }

public Q_SLOTS:
    void nextImage();
    void previousImage();

protected:
    void changeEvent(QEvent* event) override;

private:
    void refreshRuns();
    void loadRun();
    void refreshPerClass();
    void showCurrent();
    void moveBy(int delta);
    void setCell(std::int64_t trueClassId, std::int64_t predictedClassId);
    void clearCell();

    ProjectSession* m_session;
    JobRunner* m_jobs;
    RunMenu* m_runs = nullptr;
    QButtonGroup* m_filters = nullptr;
    QLabel* m_cellLabel = nullptr;
    QToolButton* m_clearCell = nullptr;
    QLabel* m_summary = nullptr;
    PredictionsModel* m_predictions = nullptr;
    PredictionsFilterProxy* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    ConfusionMatrixModel* m_confusion = nullptr;
    ConfusionMatrixView* m_confusionView = nullptr;
    QCustomPlot* m_perClass = nullptr;
    ImageInspector* m_inspector = nullptr;
};

} // namespace aape::ui
