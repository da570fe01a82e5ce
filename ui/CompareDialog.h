#pragma once
// "Compare Methods…": which methods, shots, seeds, base-to-new and AAPE's epochs, then
// workflow::compareMethods as a JobRunner job with progress and Stop. The other settings
// (views, device, precision, AAPE's recipe) are the Train page's. Modeless: closing it leaves
// the job running. GUI thread only.

#include "aape/aape/Baselines.h"
#include "aape/workflow/Compare.h"

#include <QDialog>
#include <QString>

#include <map>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace aape::ui {

class JobRunner;
class ProjectSession;

class CompareDialog final : public QDialog {
    Q_OBJECT
public:
    CompareDialog(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);

    // Takes the Train page's saved settings (views, device, precision, AAPE's recipe). The
    // dialog's own fields start from them the first time, then keep what the user chose.
    void loadTrainSettings();
    // What Run would start; empty seeds when the seeds field does not parse.
    workflow::CompareRequest request() const;
    QString precision() const { return m_precision; }
    bool isRunning() const { return m_ownJob; }

    QCheckBox* methodBox(Method method) const { return m_methods.at(method); }
    QSpinBox* shotsBox() const { return m_shots; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QLineEdit* seedsEdit() const { return m_seeds; }
    QCheckBox* baseToNewBox() const { return m_baseToNew; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* stopButton() const { return m_stop; }
    QLabel* stageLabel() const { return m_stage; }

public Q_SLOTS:
    bool startComparison();
    void stopComparison();

Q_SIGNALS:
    void comparisonFinished(bool ok, bool cancelled);

private:
    void onProgress(const QString& stage, qint64 done, qint64 total);
    void onFinished(const QString& name, bool ok, bool cancelled, const QString& error);
    void updateEnabled();

    ProjectSession* m_session;
    JobRunner* m_jobs;
    std::map<Method, QCheckBox*> m_methods;
    QSpinBox* m_shots = nullptr;
    QSpinBox* m_epochs = nullptr;
    QLineEdit* m_seeds = nullptr;
    QCheckBox* m_baseToNew = nullptr;
    QLabel* m_settings = nullptr;
    QLabel* m_stage = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_stop = nullptr;
    TrainConfig m_base; // the Train page's settings
    QString m_precision = QStringLiteral("auto");
    int m_previousShots = 0;
    bool m_fieldsSet = false;
    bool m_ownJob = false;
    bool m_stopping = false;
};

} // namespace aape::ui
