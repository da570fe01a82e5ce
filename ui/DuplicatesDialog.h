#pragma once
// Edit ▸ Find Near-Duplicates…: every pair of images whose CLIP embeddings (the cached centre
// views) are at least as similar as a threshold, most similar first, with both thumbnails, their
// splits and labels. Pairs across splits are flagged: a test image that is a copy of a training
// image inflates test accuracy. One click excludes one side of a pair, or the validation/test
// side of every crossing pair at once; each is one step on the undo stack. The search runs as a
// JobRunner job. GUI thread only.

#include <QDialog>
#include <QList>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QUndoStack;

namespace aape::ui {

class JobRunner;
class ProjectSession;
class ThumbnailCache;

class DuplicatesDialog final : public QDialog {
    Q_OBJECT
public:
    DuplicatesDialog(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent = nullptr);
    ~DuplicatesDialog() override;

    QDoubleSpinBox* threshold() const { return m_threshold; }
    QStandardItemModel* pairs() const { return m_pairs; }
    QTableView* table() const { return m_table; }
    QLabel* summary() const { return m_summary; }
    QPushButton* excludeCrossingButton() const { return m_excludeCrossing; }

    // The image ids of a row: first, second, and the one excludeCrossing would drop (0: none).
    qint64 firstImage(int row) const;
    qint64 secondImage(int row) const;
    qint64 copyToExclude(int row) const;

public Q_SLOTS:
    bool find();
    // Excludes one side of the selected pairs (0: the first image, 1: the second).
    void excludeSide(int side);
    // Excludes the validation or test copy of every pair that crosses splits.
    void excludeCrossing();

Q_SIGNALS:
    void searchFinished(bool ok);

private:
    void showPairs(const QVariant& payload);
    void refreshExcluded();
    void exclude(const QList<qint64>& imageIds);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    QUndoStack* m_undoStack;
    ThumbnailCache* m_thumbnails = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QPushButton* m_find = nullptr;
    QPushButton* m_excludeFirst = nullptr;
    QPushButton* m_excludeSecond = nullptr;
    QPushButton* m_excludeCrossing = nullptr;
    QStandardItemModel* m_pairs = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_summary = nullptr;
    bool m_ownJob = false;
};

} // namespace aape::ui
