#pragma once
// The Scene page: a scene imported as tiles, drawn stretched as the model sees it, with a run's
// class map over it (opacity slider, legend with each class's share of the tiles); hovering a
// tile shows its top classes and OOD score, clicking opens it in Inspect, and the map is saved
// as a GeoTIFF or a vector file for QGIS. The scene's picture is read decimated (from GDAL's
// overviews when the file has them) on a worker thread, never at full resolution on the GUI
// thread; the prediction runs as a JobRunner job with progress, the time left and Stop.
// GUI thread only, apart from predictSceneForRun.

#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <QHash>
#include <QImage>
#include <QPair>
#include <QPointF>
#include <QRectF>
#include <QWidget>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;

namespace aape::workflow {
struct ScenePrediction;
} // namespace aape::workflow

namespace aape::ui {

class JobRunner;
class ProjectSession;
class RunMenu;

// The scene's picture scaled to fit, the class map over it, one map pixel per tile. The wheel
// zooms about the cursor, a drag pans, a double click fits the scene again; hovering and
// clicking report the tile under the cursor.
class SceneCanvas final : public QWidget {
    Q_OBJECT
public:
    explicit SceneCanvas(QWidget* parent = nullptr);

    // The scene's picture (any resolution; it is drawn over the whole scene) and the scene's
    // size in pixels. Fits the view.
    void setPicture(const QImage& picture, QSize scenePixels);
    void clear();
    // One pixel per tile (columns x rows, ARGB; transparent where nothing was predicted). A map
    // pixel covers the stride x stride square at its tile's centre, as in the written GeoTIFF.
    void setClassMap(const QImage& map, int tileSize, int stride);
    void clearClassMap();
    const QImage& classMap() const { return m_map; }
    void setOpacity(double opacity); // 0..1
    double opacity() const { return m_opacity; }
    void setHighlightedTile(int tile); // outlined; -1: none

    // The tile (row * columns + column) under a position in widget pixels, or -1.
    int tileAt(QPointF position) const;
    // Where a tile's map pixel is drawn, in widget pixels.
    QRectF tileRect(int tile) const;
    QPointF toWidget(QPointF scenePixel) const;
    void fitView();

Q_SIGNALS:
    void tileHovered(int tile, QPoint globalPosition); // -1 when the cursor leaves the map
    void tileClicked(int tile);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    QPointF toScene(QPointF widget) const;
    double mapOffset() const { return (m_tileSize - m_stride) / 2.0; }

    QImage m_picture;
    QSize m_scenePixels;
    QImage m_map;
    int m_tileSize = 0;
    int m_stride = 0;
    double m_opacity = 0.6;
    double m_scale = 1.0; // widget pixels per scene pixel
    QPointF m_origin;     // widget position of scene pixel (0, 0)
    bool m_fitted = true; // refit on resize until the user zooms or pans
    QPoint m_pressPosition;
    QPoint m_lastDrag;
    bool m_dragging = false;
    bool m_pressed = false;
    int m_hoverTile = -1;
    int m_highlightTile = -1;
};

// Worker side: the run's bundle (exported to a temporary file), the project's CLIP in the
// precision of its cache, then every tile of the scene with the tiling it was imported with.
// `progress` gets tiles done, tiles in all and the estimated seconds left.
Result<workflow::ScenePrediction> predictSceneForRun(
    const QString& projectPath, std::int64_t runId, std::int64_t sceneId,
    const std::function<void(std::size_t, std::size_t, double)>& progress, const StopTokenPtr& stop);

class ScenePage final : public QWidget {
    Q_OBJECT
public:
    ScenePage(ProjectSession* session, JobRunner* jobs, QWidget* parent = nullptr);
    ~ScenePage() override;

    SceneCanvas* canvas() const { return m_canvas; }
    QComboBox* sceneMenu() const { return m_scenes; }
    RunMenu* runMenu() const { return m_runs; }
    QSlider* opacitySlider() const { return m_opacity; }
    QListWidget* legend() const { return m_legend; }
    QPushButton* predictButton() const { return m_predict; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* saveButton() const { return m_save; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* tileCard() const { return m_tileCard; }

    std::int64_t sceneId() const; // 0: none
    bool isPictureLoaded() const { return m_pictureLoaded; }
    // The map on show, or null when the scene has none for the chosen run yet.
    const workflow::ScenePrediction* prediction() const { return m_prediction.get(); }
    // What hovering the tile shows: its window, its label in the project, top classes, OOD score.
    QString tileText(int tile) const;
    // The project image the tile is (0 when the predicted tile is not one of the project's).
    std::int64_t imageOfTile(int tile) const;

public Q_SLOTS:
    void refreshScenes();
    bool predictMap();
    void stop();
    // Writes the map shown: .tif a GeoTIFF (with its QGIS style beside it); .gpkg, .geojson or
    // .shp one polygon per tile. Says in the status line what was written or what went wrong.
    bool saveMap(const QString& path);
    void chooseMapFile();

Q_SIGNALS:
    void pictureLoaded(bool ok);
    void mapFinished(bool ok);
    // A tile was clicked: the run whose map it is and the project image the tile is.
    void inspectRequested(std::int64_t runId, std::int64_t imageId);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onSceneChosen();
    void loadPicture();
    void showPrediction();
    void updateState();
    void onPosted(const QString& kind, const QVariant& payload);
    void onHover(int tile, QPoint globalPosition);
    void onClick(int tile);

    ProjectSession* m_session;
    JobRunner* m_jobs;
    SceneCanvas* m_canvas = nullptr;
    QComboBox* m_scenes = nullptr;
    RunMenu* m_runs = nullptr;
    QSlider* m_opacity = nullptr;
    QListWidget* m_legend = nullptr;
    QPushButton* m_predict = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_save = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_timeLeft = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_tileCard = nullptr;
    QLabel* m_sceneInfo = nullptr;

    bool m_ownJob = false;
    bool m_pictureLoaded = false;
    bool m_stale = true;
    int m_pictureGeneration = 0; // a picture that arrives for an earlier choice is dropped
    std::int64_t m_jobScene = 0;
    std::int64_t m_jobRun = 0;
    // Maps made this session, per (scene, run).
    QHash<QPair<qint64, qint64>, std::shared_ptr<const workflow::ScenePrediction>> m_maps;
    std::shared_ptr<const workflow::ScenePrediction> m_prediction;
    std::int64_t m_predictionRun = 0;
    std::vector<std::int64_t> m_tileImages; // per predicted tile: the project image, 0 if none
    std::vector<QString> m_tileLabels;      // per predicted tile: its label in the project
};

} // namespace aape::ui
