#pragma once
// The Map page: every encoded image as a dot at its PCA position, coloured by class, split,
// the latest run's prediction, right/wrong, OOD score or confidence (with a legend); hovering
// shows the thumbnail, a dragged rectangle selects images for the Data page's grid (and the
// grid's selection is highlighted here), a typed phrase is placed among its nearest images.
// The collection and its projection are computed on the JobRunner. GUI thread only.

#include <QList>
#include <QPointF>
#include <QSet>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace aape::ui {

class JobRunner;
class MapView;
class ProjectSession;
class ThumbnailCache;
struct MapData;

class MapPage final : public QWidget {
    Q_OBJECT
public:
    enum class Colouring { Class, Split, Prediction, Correctness, OodScore, Confidence };
    enum class Layout { Pca, Tsne };

    MapPage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~MapPage() override;

    MapView* view() const { return m_view; }
    QComboBox* colouringCombo() const { return m_colouring; }
    QComboBox* layoutCombo() const { return m_layout; }
    // t-SNE: computed in a job the first time (then kept in the project until the embeddings
    // change); the PCA map is shown meanwhile.
    void setMapLayout(Layout layout);
    Layout mapLayout() const;
    // True when the dots are placed by the chosen layout (false while t-SNE is being computed).
    bool showsChosenLayout() const;
    QLineEdit* probeEdit() const { return m_probe; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* hoverCard() const { return m_hoverCard; }
    void setColouring(Colouring colouring);
    bool isLoaded() const { return m_data != nullptr; }
    // Seconds the last projection took (reading the cache and PCA), for the benchmark.
    double projectionSeconds() const { return m_projectionSeconds; }

public Q_SLOTS:
    // Recomputes the map in a job (when the project changed or the page is first shown).
    void reload();
    // Outlines these images (the Data page's selection).
    void highlightImages(const QList<qint64>& imageIds);
    // Embeds the phrase with the project's CLIP (in a job) and marks its nearest images.
    void probeText(const QString& phrase);

Q_SIGNALS:
    // A rectangle was dragged over the map: the images inside (empty: cleared).
    void imagesSelected(const QList<qint64>& imageIds);
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onPosted(const QString& kind, const QVariant& payload);
    void applyColouring();
    void applyLayout();
    QString startTsne(); // what the status line says about it
    QPointF positionOf(std::size_t index) const;
    void showHover(qint64 imageId, QPoint position);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    ThumbnailCache* m_thumbnails = nullptr;
    MapView* m_view = nullptr;
    QComboBox* m_colouring = nullptr;
    QComboBox* m_layout = nullptr;
    std::vector<float> m_tsne; // [N, 2] for the collection of m_data, or empty
    bool m_tsneShown = false;
    bool m_pendingTsne = false;
    double m_tsneSeconds = -1.0; // how long this session computed it; -1: read from the project
    QLineEdit* m_probe = nullptr;
    QPushButton* m_probeButton = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_hoverCard = nullptr;
    std::shared_ptr<const MapData> m_data;
    bool m_stale = true;
    bool m_pendingReload = false;
    double m_projectionSeconds = 0.0;
    qint64 m_hoverId = -1;
    QString m_pendingProbe;
};

} // namespace aape::ui
