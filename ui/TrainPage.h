#pragma once
// The studio's train page: training settings with the paper's defaults, start/stop, live
// curves of the current run, and interrupted runs to resume. GUI thread only; the training
// itself runs as a JobRunner job (TrainingJob).

#include "TrainingJob.h"

#include "aape/aape/Trainer.h"

#include <QElapsedTimer>
#include <QVariant>
#include <QWidget>

#include <cstdint>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace aape::ui {

class JobRunner;
class LossPlot;
class MessageBanner;
class ProjectSession;

class TrainPage final : public QWidget {
    Q_OBJECT
public:
    TrainPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~TrainPage() override;

    TrainConfig config() const;
    void setConfig(const TrainConfig& config);
    QString seedsText() const;
    void setSeedsText(const QString& seeds);

    LossPlot* lossPlot() const { return m_plot; }
    bool isTraining() const { return m_ownJob; }
    MessageBanner* banner() const { return m_banner; }
    // What the page shows when a run of its job ends: the warning of a run that ended below
    // zero-shot CLIP, and its result in the stage line when the job finishes.
    void showRunEnd(const RunEndReport& end);

public Q_SLOTS:
    // Returns false (and says why in the page) when nothing could be started.
    bool startTraining();
    bool resumeSelected();
    void stopTraining();
    void restoreDefaults();

Q_SIGNALS:
    void trainingFinished(bool ok, bool cancelled);

private:
    void buildUi();
    // The settings panel to and from StudioSettings.
    void saveSettings() const;
    void loadSettings();
    void refreshResumable();
    // Classes that will train without descriptions or without images, said before training.
    void refreshReadiness();
    void updateEnabled();
    void showError(const QString& message);
    void showStatus(const QString& message);
    void onProgress(const QString& stage, qint64 done, qint64 total);
    void onPosted(const QString& kind, const QVariant& payload);
    void onFinished(const QString& name, bool ok, bool cancelled, const QString& error);
    void loadHistory(std::int64_t runId);
    // The curves of the newest run with at least one finished epoch, so that a reopened
    // project shows where its training stands.
    void showLatestRun();

    ProjectSession* m_session;
    JobRunner* m_jobs;
    bool m_ownJob = false;
    bool m_stopping = false;

    QSpinBox* m_shots = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batch = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QDoubleSpinBox* m_distillWeight = nullptr;
    QDoubleSpinBox* m_rewardScale = nullptr;
    QSpinBox* m_views = nullptr;
    QLineEdit* m_seeds = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_precision = nullptr;
    QCheckBox* m_baseToNew = nullptr;
    QComboBox* m_keep = nullptr;
    QLabel* m_readiness = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_defaults = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_stage = nullptr;
    MessageBanner* m_banner = nullptr;
    QLabel* m_runTitle = nullptr;
    QListWidget* m_resumable = nullptr;
    QPushButton* m_resume = nullptr;
    QPlainTextEdit* m_log = nullptr;
    LossPlot* m_plot = nullptr;

    QString m_currentStage;
    QString m_lastResult;     // the last evaluated run of the current job, for the stage line
    int m_previousShots = 16; // what the shots were when the epochs last followed them
    QElapsedTimer m_stageClock;
    qint64 m_stageStartDone = 0;
};

} // namespace aape::ui
