#pragma once
// The studio's try page: drop images, pick a finished run, and see its predictions and OOD
// scores at once, optionally against extra classes typed by name only. GUI thread only;
// the prediction runs as a JobRunner job.

#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <QStringList>
#include <QVariant>
#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace aape::ui {

class JobRunner;
class ProjectSession;
class RunMenu;

// One image's result as the worker posts it.
struct TryResult {
    QString path;
    QString error;                     // non-empty: the image could not be read
    QStringList classes;               // best first (up to 5)
    std::vector<double> probabilities; // same order
    double oodScore = 0.0;             // our addition: higher means less like the run's training images
    QString oodScoreKind;              // its name as the bundle manifest gives it, e.g. "prototype"
};

// The OOD column's tooltip: what the score of that kind is and how to read it.
QString oodScoreToolTip(const QString& kind);

// Worker side: bundle of the run (exported to a temporary file), CLIP image embeddings of
// the decoded images, template embeddings of the extra class names, then predict.
Result<std::vector<TryResult>> predictImages(const QString& projectPath, std::int64_t runId, const QStringList& images,
                                             const QStringList& extraClasses, const StopTokenPtr& stop);

class TryPage final : public QWidget {
    Q_OBJECT
public:
    TryPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~TryPage() override;

    void addImages(const QStringList& paths);
    void setExtraClasses(const QString& commaSeparated);
    void setRun(std::int64_t runId);
    QStandardItemModel* results() const { return m_results; }

public Q_SLOTS:
    bool predict();
    void chooseImages();
    void clearImages();

Q_SIGNALS:
    void predictionFinished(bool ok);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void refreshRuns();
    void showResults(const QVariant& payload);
    QStringList extraClasses() const;

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QStringList m_images;
    bool m_ownJob = false;
    bool m_pending = false;
    RunMenu* m_runs = nullptr;
    QLineEdit* m_extra = nullptr;
    QPushButton* m_add = nullptr;
    QPushButton* m_predict = nullptr;
    QLabel* m_hint = nullptr;
    QStandardItemModel* m_results = nullptr;
    QTableView* m_table = nullptr;
};

} // namespace aape::ui
