#pragma once
// The Review page: two queues over the cached CLIP embeddings, worked through with the
// keyboard. "Likely label mistakes" ranks labelled images by how little a model that never saw
// them believes their label (k-fold); "What to label next" picks unlabelled images the model
// is unsure of, spread over the collection. Keys: K keep, 1–9 give the class at that position,
// X exclude, N next, P previous; each answer moves on. Edits go on the shared undo stack. After
// a number of new labels the page offers to retrain. Queues are computed on the JobRunner.
// GUI thread only.

#include <QList>
#include <QWidget>

#include <cstdint>
#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QUndoStack;

namespace aape::ui {

class JobRunner;
class ProjectSession;
class ThumbnailCache;

class ReviewPage final : public QWidget {
    Q_OBJECT
public:
    enum class Queue { Mistakes, LabelNext };
    // Labels given in the "What to label next" queue after which retraining is offered.
    static constexpr int kRetrainAfter = 10;

    ReviewPage(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent = nullptr);
    ~ReviewPage() override;

    QComboBox* queueCombo() const { return m_queueCombo; }
    QListWidget* queueList() const { return m_list; }
    QLabel* detailsLabel() const { return m_details; }
    QLabel* statusLabel() const { return m_status; }
    QWidget* retrainBar() const { return m_retrainBar; }
    int labelsGiven() const { return m_labelsGiven; }
    // The image id of the current entry; -1 when the queue is empty.
    qint64 currentImageId() const;

public Q_SLOTS:
    // Computes the chosen queue in a job.
    void findQueue(Queue queue);
    void keep();
    void exclude();
    void next();
    void previous();
    // Gives the current image the class at this position of the class list (0-based).
    void relabelByPosition(int position);

Q_SIGNALS:
    void queueReady(int entries);
    void retrainRequested();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Entry {
        qint64 imageId = -1;
        QString path;
        std::optional<qint64> classId;
        qint64 suggestedClassId = -1;
        double labelProbability = 0.0;
        double suggestedProbability = 0.0;
        double uncertainty = 0.0;
        bool likelyError = false;
        QString state; // what was done: empty, "kept", "relabelled ...", "excluded"
    };
    void onPosted(const QString& kind, const QVariant& payload);
    void showEntry(int row);
    void refreshRow(int row);
    void advance();
    QString className(qint64 classId) const;

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QUndoStack* m_undoStack;
    ThumbnailCache* m_thumbnails = nullptr;
    ThumbnailCache* m_previews = nullptr;
    QComboBox* m_queueCombo = nullptr;
    QPushButton* m_find = nullptr;
    QLabel* m_status = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_preview = nullptr;
    QLabel* m_details = nullptr;
    QWidget* m_retrainBar = nullptr;
    QLabel* m_retrainLabel = nullptr;
    QList<Entry> m_entries;
    Queue m_queue = Queue::Mistakes;
    int m_labelsGiven = 0;
};

} // namespace aape::ui
