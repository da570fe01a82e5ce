#include "ScenePage.h"

#include "ExportActions.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "SceneImportDialog.h"
#include "StudioSettings.h"
#include "TrainingJob.h"
#include "TryPage.h"

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/geo/ClassMap.h"
#include "aape/geo/Scene.h"
#include "aape/store/Project.h"
#include "aape/workflow/ScenePredict.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

Q_DECLARE_METATYPE(std::shared_ptr<const aape::workflow::ScenePrediction>)

namespace aape::ui {

namespace {

QString jobName()
{
    return ScenePage::tr("Predicting a scene map");
}
const QString kPostSceneMap = QStringLiteral("scene-map");
const QString kPostSceneProgress = QStringLiteral("scene-progress");

// The picture of a whole scene is read at most this many pixels a side: enough for a full-screen
// view, and through GDAL's overviews a large scene is not decoded at full resolution.
constexpr int kPictureSide = 2048;

struct Picture {
    QImage image;
    QString error;
};

Picture readPicture(const std::string& path, const nlohmann::json& renderingJson)
{
    Picture picture;
    auto reader = geo::SceneReader::open(path);
    if (!reader) {
        picture.error = QString::fromStdString(reader.error().toString());
        return picture;
    }
    auto rendering = geo::renderingFromJson(renderingJson);
    if (!rendering) {
        picture.error = QString::fromStdString(rendering.error().toString());
        return picture;
    }
    const auto& info = reader->info();
    const double scale = std::min(1.0, double(kPictureSide) / std::max(info.width, info.height));
    const int width = std::max(1, int(std::lround(info.width * scale)));
    const int height = std::max(1, int(std::lround(info.height * scale)));
    auto rgb = reader->readRgb8({0, 0, info.width, info.height}, rendering.value(), width, height);
    if (!rgb) {
        picture.error = QString::fromStdString(rgb.error().toString());
        return picture;
    }
    const cv::Mat& mat = rgb.value();
    picture.image =
        QImage(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step), QImage::Format_RGB888).copy();
    return picture;
}

QColor classColourOf(int classIndex)
{
    const auto rgb = geo::classColour(classIndex);
    return QColor(rgb[0], rgb[1], rgb[2]);
}

QIcon swatch(const QColor& colour)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(colour);
    QPainter painter(&pixmap);
    painter.setPen(QColor(0, 0, 0, 90));
    painter.drawRect(0, 0, 13, 13);
    return QIcon(pixmap);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SceneCanvas

SceneCanvas::SceneCanvas(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(320, 240);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Wheel: zoom · drag: pan · double-click: whole scene · click a tile to open it in Inspect"));
}

void SceneCanvas::setPicture(const QImage& picture, QSize scenePixels)
{
    m_picture = picture;
    m_scenePixels = scenePixels;
    m_hoverTile = -1;
    fitView();
}

void SceneCanvas::clear()
{
    m_picture = QImage();
    m_scenePixels = QSize();
    clearClassMap();
}

void SceneCanvas::setClassMap(const QImage& map, int tileSize, int stride)
{
    m_map = map;
    m_tileSize = tileSize;
    m_stride = stride > 0 ? stride : tileSize;
    m_hoverTile = -1;
    m_highlightTile = -1;
    update();
}

void SceneCanvas::clearClassMap()
{
    m_map = QImage();
    m_tileSize = m_stride = 0;
    m_hoverTile = m_highlightTile = -1;
    update();
}

void SceneCanvas::setOpacity(double opacity)
{
    m_opacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

void SceneCanvas::setHighlightedTile(int tile)
{
    m_highlightTile = tile;
    update();
}

void SceneCanvas::fitView()
{
    m_fitted = true;
    if (m_scenePixels.isEmpty()) {
        m_scale = 1.0;
        m_origin = {};
    } else {
        m_scale = std::min(double(width()) / m_scenePixels.width(), double(height()) / m_scenePixels.height());
        m_origin = QPointF((width() - m_scenePixels.width() * m_scale) / 2.0,
                           (height() - m_scenePixels.height() * m_scale) / 2.0);
    }
    update();
}

QPointF SceneCanvas::toWidget(QPointF scenePixel) const
{
    return m_origin + scenePixel * m_scale;
}

QPointF SceneCanvas::toScene(QPointF widget) const
{
    return (widget - m_origin) / m_scale;
}

int SceneCanvas::tileAt(QPointF position) const
{
    if (m_map.isNull() || m_stride <= 0)
        return -1;
    const QPointF scene = toScene(position);
    const double column = std::floor((scene.x() - mapOffset()) / m_stride);
    const double row = std::floor((scene.y() - mapOffset()) / m_stride);
    if (column < 0 || row < 0 || column >= m_map.width() || row >= m_map.height())
        return -1;
    return int(row) * m_map.width() + int(column);
}

QRectF SceneCanvas::tileRect(int tile) const
{
    if (m_map.isNull() || tile < 0 || tile >= m_map.width() * m_map.height())
        return {};
    const int column = tile % m_map.width();
    const int row = tile / m_map.width();
    const QPointF topLeft = toWidget(QPointF(mapOffset() + column * m_stride, mapOffset() + row * m_stride));
    return QRectF(topLeft, QSizeF(m_stride * m_scale, m_stride * m_scale));
}

void SceneCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Dark));
    if (m_scenePixels.isEmpty())
        return;
    const QRectF sceneRect(toWidget({0, 0}), QSizeF(m_scenePixels) * m_scale);
    if (!m_picture.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, m_scale < 1.0);
        painter.drawImage(sceneRect, m_picture);
    }
    if (!m_map.isNull()) {
        // Nearest neighbour: each tile is one flat colour, as in the GeoTIFF.
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.setOpacity(m_opacity);
        const QRectF mapRect(toWidget({mapOffset(), mapOffset()}),
                             QSizeF(m_map.width() * m_stride * m_scale, m_map.height() * m_stride * m_scale));
        painter.drawImage(mapRect, m_map);
        painter.setOpacity(1.0);
    }
    for (int tile : {m_highlightTile, m_hoverTile}) {
        const QRectF r = tileRect(tile);
        if (r.isEmpty())
            continue;
        painter.setPen(QPen(Qt::black, 3));
        painter.drawRect(r);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.drawRect(r);
    }
}

void SceneCanvas::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_fitted)
        fitView();
}

void SceneCanvas::wheelEvent(QWheelEvent* event)
{
    if (m_scenePixels.isEmpty())
        return;
    const double steps = event->angleDelta().y() / 120.0;
    const double factor = std::pow(1.25, steps);
    const double fit = std::min(double(width()) / m_scenePixels.width(), double(height()) / m_scenePixels.height());
    // From a quarter of the fitted size to 32 screen pixels per scene pixel.
    const double scale = std::clamp(m_scale * factor, fit / 4.0, 32.0);
    const QPointF cursor = event->position();
    const QPointF anchor = toScene(cursor);
    m_scale = scale;
    m_origin = cursor - anchor * m_scale;
    m_fitted = false;
    update();
    event->accept();
}

void SceneCanvas::mousePressEvent(QMouseEvent* event)
{
    m_pressed = true;
    m_dragging = false;
    m_pressPosition = m_lastDrag = event->position().toPoint();
}

void SceneCanvas::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint position = event->position().toPoint();
    if (m_pressed && (m_dragging || (position - m_pressPosition).manhattanLength() > 4)) {
        m_dragging = true;
        m_origin += position - m_lastDrag;
        m_lastDrag = position;
        m_fitted = false;
        setCursor(Qt::ClosedHandCursor);
        update();
        return;
    }
    const int tile = tileAt(event->position());
    if (tile != m_hoverTile) {
        m_hoverTile = tile;
        update();
        Q_EMIT tileHovered(tile, event->globalPosition().toPoint());
    }
}

void SceneCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    const bool click = m_pressed && !m_dragging && event->button() == Qt::LeftButton;
    m_pressed = m_dragging = false;
    unsetCursor();
    if (click) {
        const int tile = tileAt(event->position());
        if (tile >= 0)
            Q_EMIT tileClicked(tile);
    }
}

void SceneCanvas::mouseDoubleClickEvent(QMouseEvent*)
{
    fitView();
}

void SceneCanvas::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (m_hoverTile >= 0) {
        m_hoverTile = -1;
        update();
        Q_EMIT tileHovered(-1, {});
    }
}

// ---------------------------------------------------------------------------------------------
// Worker side

Result<workflow::ScenePrediction> predictSceneForRun(
    const QString& projectPath, std::int64_t runId, std::int64_t sceneId,
    const std::function<void(std::size_t, std::size_t, double)>& progress, const StopTokenPtr& stop)
{
    auto project = store::Project::open(projectPath.toStdString(), store::OpenMode::ReadOnly);
    if (!project)
        return project.error();
    auto scenes = project->scenes();
    if (!scenes)
        return scenes.error();
    const auto scene = std::find_if(scenes->begin(), scenes->end(),
                                    [sceneId](const store::SceneRecord& s) { return s.id == sceneId; });
    if (scene == scenes->end())
        return makeError(ErrorCode::InvalidArgument, "the scene is no longer in the project; choose another one");
    auto bundle = loadRunBundle(project.value(), runId);
    if (!bundle)
        return bundle.error();
    if (stopRequested(stop))
        return makeError(ErrorCode::Cancelled, "stopped");
    std::string precisionNote;
    auto engine = openJobEngine(project.value(), "auto", "auto", precisionNote);
    if (!engine)
        return engine.error();
    workflow::ScenePredictOptions options;
    // The tiling the scene was imported with, so that every predicted tile is a project tile.
    options.tileSize = scene->tileSize;
    options.stride = scene->stride;
    options.progress = progress;
    options.stop = stop;
    return workflow::predictScene(bundle.value(), engine.value(), scene->path, options);
}

// ---------------------------------------------------------------------------------------------
// ScenePage

ScenePage::ScenePage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
{
    m_scenes = new QComboBox;
    m_scenes->setObjectName(QStringLiteral("sceneMenu"));
    m_scenes->setToolTip(tr("The scene imported as tiles that this page shows."));
    m_scenes->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_runs = new RunMenu;
    m_runs->setObjectName(QStringLiteral("sceneRun"));
    m_runs->setToolTip(tr("The finished run whose prompt generator classifies the scene's tiles."));
    m_predict = new QPushButton(tr("&Predict Map"));
    m_predict->setObjectName(QStringLiteral("predictMap"));
    m_predict->setToolTip(tr("Classify every tile of the scene with the chosen run (F5)."));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setToolTip(tr("Stop the prediction; nothing is saved from a stopped map."));
    m_stop->hide();
    m_save = new QPushButton(tr("&Save Map…"));
    m_save->setToolTip(tr("Write the map as a GeoTIFF in the scene's coordinates (opens in QGIS with its "
                          "legend), or as a GeoPackage, GeoJSON or Shapefile with one polygon per tile."));
    m_opacity = new QSlider(Qt::Horizontal);
    m_opacity->setObjectName(QStringLiteral("mapOpacity"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(60);
    m_opacity->setMaximumWidth(160);
    m_opacity->setToolTip(tr("How opaque the class map is over the scene"));

    auto* sceneLabel = new QLabel(tr("S&cene:"));
    sceneLabel->setBuddy(m_scenes);
    auto* runLabel = new QLabel(tr("&Run:"));
    runLabel->setBuddy(m_runs);
    auto* opacityLabel = new QLabel(tr("&Opacity:"));
    opacityLabel->setBuddy(m_opacity);
    auto* top = new QHBoxLayout;
    top->addWidget(sceneLabel);
    top->addWidget(m_scenes);
    top->addWidget(runLabel);
    top->addWidget(m_runs);
    top->addWidget(m_predict);
    top->addWidget(m_stop);
    top->addWidget(m_save);
    top->addStretch(1);
    top->addWidget(opacityLabel);
    top->addWidget(m_opacity);

    m_progress = new QProgressBar;
    m_progress->hide();
    m_timeLeft = new QLabel;
    m_timeLeft->hide();
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("sceneStatus"));
    m_status->setWordWrap(true);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_timeLeft);

    m_canvas = new SceneCanvas;
    m_legend = new QListWidget;
    m_legend->setObjectName(QStringLiteral("sceneLegend"));
    m_legend->setSelectionMode(QAbstractItemView::NoSelection);
    m_legend->setFocusPolicy(Qt::NoFocus);
    m_legend->setToolTip(tr("The classes of the map, with how many tiles each takes"));
    m_tileCard = new QLabel;
    m_tileCard->setObjectName(QStringLiteral("tileCard"));
    m_tileCard->setWordWrap(true);
    m_tileCard->setTextFormat(Qt::PlainText);
    m_tileCard->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_sceneInfo = new QLabel;
    m_sceneInfo->setWordWrap(true);
    m_sceneInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sceneInfo->setForegroundRole(QPalette::PlaceholderText);
    auto* side = new QWidget;
    // Wide enough for a legend line ("cropland — 120 tiles, 30.0 %") and the tile card.
    side->setMinimumWidth(std::max(240, fontMetrics().horizontalAdvance(QStringLiteral("permanent cropland — 1234 "
                                                                                       "tiles, 100.0 %"))
                                            + 48));
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    auto* legendTitle = new QLabel(tr("Legend"));
    legendTitle->setStyleSheet(QStringLiteral("font-weight: bold"));
    sideLayout->addWidget(legendTitle);
    sideLayout->addWidget(m_legend, 2);
    sideLayout->addWidget(m_tileCard, 1);
    sideLayout->addWidget(m_sceneInfo);
    auto* splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("sceneSplitter"));
    splitter->addWidget(m_canvas);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setCollapsible(0, false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(statusRow);
    layout->addWidget(splitter, 1);

    connect(m_scenes, qOverload<int>(&QComboBox::currentIndexChanged), this, &ScenePage::onSceneChosen);
    connect(m_runs, qOverload<int>(&QComboBox::currentIndexChanged), this, &ScenePage::showPrediction);
    connect(m_predict, &QPushButton::clicked, this, &ScenePage::predictMap);
    connect(m_stop, &QPushButton::clicked, this, &ScenePage::stop);
    connect(m_save, &QPushButton::clicked, this, &ScenePage::chooseMapFile);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int value) { m_canvas->setOpacity(value / 100.0); });
    connect(m_canvas, &SceneCanvas::tileHovered, this, &ScenePage::onHover);
    connect(m_canvas, &SceneCanvas::tileClicked, this, &ScenePage::onClick);
    auto* predictShortcut = new QShortcut(QKeySequence(Qt::Key_F5), this);
    predictShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(predictShortcut, &QShortcut::activated, this, &ScenePage::predictMap);

    connect(m_jobs, &JobRunner::posted, this, &ScenePage::onPosted);
    connect(m_jobs, &JobRunner::finished, this,
            [this](const QString& name, bool ok, bool cancelled, const QString& error) {
                if (!m_ownJob || name != jobName())
                    return;
                m_ownJob = false;
                m_progress->hide();
                m_timeLeft->hide();
                m_stop->hide();
                const QString summary = m_status->text(); // the finished map's, posted before
                updateState();
                if (cancelled)
                    m_status->setText(tr("Stopped: no map was made. Press Predict Map to start again."));
                else if (!ok)
                    m_status->setText(tr("The map could not be made: %1").arg(error));
                else
                    m_status->setText(summary);
                Q_EMIT mapFinished(ok && !cancelled);
            });
    connect(m_session, &ProjectSession::opened, this, [this] {
        m_maps.clear();
        m_stale = true;
        if (isVisible())
            refreshScenes();
    });
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_maps.clear();
        m_prediction.reset();
        m_scenes->clear();
        m_canvas->clear();
        m_stale = true;
    });
    connect(m_session, &ProjectSession::datasetChanged, this, [this] {
        // New scenes, or tiles relabelled (the hover card shows labels): read again when seen.
        m_stale = true;
        if (isVisible())
            refreshScenes();
    });
    connect(m_session, &ProjectSession::runsChanged, this, [this] {
        m_runs->refresh(m_session->isOpen() ? m_session->project() : nullptr);
        showPrediction();
    });
    updateState();
}

ScenePage::~ScenePage() = default;

std::int64_t ScenePage::sceneId() const
{
    return m_scenes->currentIndex() >= 0 ? m_scenes->currentData().toLongLong() : 0;
}

void ScenePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refreshScenes();
}

void ScenePage::refreshScenes()
{
    m_stale = false;
    store::Project* project = m_session->isOpen() ? m_session->project() : nullptr;
    m_runs->refresh(project);
    const std::int64_t before = sceneId();
    std::vector<store::SceneRecord> scenes;
    if (project) {
        auto read = project->scenes();
        if (read)
            scenes = std::move(read.value());
        else
            m_status->setText(QString::fromStdString(read.error().toString()));
    }
    {
        const QSignalBlocker blocker(m_scenes);
        m_scenes->clear();
        for (const auto& scene : scenes) {
            const QFileInfo file(QString::fromStdString(scene.path));
            m_scenes->addItem(file.fileName(), QVariant::fromValue<qint64>(scene.id));
            m_scenes->setItemData(m_scenes->count() - 1, QDir::toNativeSeparators(file.filePath()), Qt::ToolTipRole);
        }
        const int keep = m_scenes->findData(QVariant::fromValue<qint64>(before));
        m_scenes->setCurrentIndex(keep >= 0 ? keep : (m_scenes->count() > 0 ? 0 : -1));
    }
    onSceneChosen();
}

void ScenePage::onSceneChosen()
{
    m_pictureLoaded = false;
    m_canvas->clear();
    m_sceneInfo->clear();
    if (sceneId() != 0)
        loadPicture();
    showPrediction();
}

void ScenePage::loadPicture()
{
    store::Project* project = m_session->project();
    auto scenes = project->scenes();
    if (!scenes)
        return;
    const std::int64_t id = sceneId();
    const auto scene =
        std::find_if(scenes->begin(), scenes->end(), [id](const store::SceneRecord& s) { return s.id == id; });
    if (scene == scenes->end())
        return;
    const int bands = scene->bandCount;
    const QString crs =
        scene->crsName.empty() ? tr("no CRS") : crsAndPixelText(scene->crsName, scene->crsWkt, scene->geoTransform);
    m_sceneInfo->setText(tr("%1 × %2 pixels · %n band(s) · %3 · tiles of %4 pixels every %5", nullptr, bands)
                             .arg(scene->width)
                             .arg(scene->height)
                             .arg(crs)
                             .arg(scene->tileSize)
                             .arg(scene->stride > 0 ? scene->stride : scene->tileSize));
    const int generation = ++m_pictureGeneration;
    const QSize pixels(scene->width, scene->height);
    auto* watcher = new QFutureWatcher<Picture>(this);
    connect(watcher, &QFutureWatcher<Picture>::finished, this, [this, watcher, generation, pixels] {
        watcher->deleteLater();
        if (generation != m_pictureGeneration)
            return;
        const Picture picture = watcher->result();
        if (!picture.error.isEmpty()) {
            m_status->setText(tr("The scene cannot be shown: %1").arg(picture.error));
            Q_EMIT pictureLoaded(false);
            return;
        }
        m_canvas->setPicture(picture.image, pixels);
        m_pictureLoaded = true;
        showPrediction();
        Q_EMIT pictureLoaded(true);
    });
    watcher->setFuture(QtConcurrent::run(readPicture, scene->path, scene->rendering));
}

bool ScenePage::predictMap()
{
    if (!m_session->isOpen() || sceneId() == 0 || m_runs->runId() == 0) {
        updateState();
        return false;
    }
    if (m_ownJob)
        return false;
    const QString project = m_session->path();
    const std::int64_t runId = m_runs->runId();
    const std::int64_t scene = sceneId();
    const bool started = m_jobs->start(jobName(), [project, runId, scene](JobContext& context) -> Status {
        const QString stage = QCoreApplication::translate("aape::ui::ScenePage", "Classifying the scene's tiles");
        context.progress(stage, 0, 0);
        auto prediction = predictSceneForRun(
            project, runId, scene,
            [&context, &stage](std::size_t done, std::size_t total, double secondsLeft) {
                context.progress(stage, qint64(done), qint64(total));
                context.post(kPostSceneProgress, QVariantList{qint64(done), qint64(total), secondsLeft});
            },
            context.stopToken());
        if (!prediction)
            return prediction.error();
        auto shared = std::make_shared<const workflow::ScenePrediction>(std::move(prediction.value()));
        context.post(kPostSceneMap, QVariantList{QVariant::fromValue<qint64>(scene), QVariant::fromValue<qint64>(runId),
                                                 QVariant::fromValue(shared)});
        return Status();
    });
    if (!started) {
        m_status->setText(
            tr("Another task (%1) is running; press Predict Map when it has finished.").arg(m_jobs->currentJob()));
        return false;
    }
    m_ownJob = true;
    m_jobScene = scene;
    m_jobRun = runId;
    m_progress->setRange(0, 0);
    m_progress->show();
    m_stop->show();
    m_stop->setEnabled(true);
    m_status->setText(tr("Exporting the run and opening CLIP…"));
    updateState();
    return true;
}

void ScenePage::stop()
{
    if (!m_ownJob)
        return;
    m_stop->setEnabled(false);
    m_status->setText(tr("Stopping…"));
    m_jobs->requestStop();
}

void ScenePage::onPosted(const QString& kind, const QVariant& payload)
{
    if (!m_ownJob)
        return;
    if (kind == kPostSceneProgress) {
        const QVariantList values = payload.toList();
        const qint64 done = values.value(0).toLongLong();
        const qint64 total = values.value(1).toLongLong();
        const double secondsLeft = values.value(2).toDouble();
        if (total > 0) {
            m_progress->setRange(0, int(std::min<qint64>(total, 1'000'000'000)));
            m_progress->setValue(int(std::min(done, total)));
            m_progress->setFormat(QStringLiteral("%1 / %2").arg(done).arg(total));
        }
        m_status->setText(tr("Classifying tile %1 of %2…").arg(done).arg(total));
        if (done > 0 && done < total && secondsLeft > 0) {
            m_timeLeft->setText(tr("about %1 left").arg(roughDuration(secondsLeft)));
            m_timeLeft->show();
        }
    } else if (kind == kPostSceneMap) {
        const QVariantList values = payload.toList();
        const qint64 scene = values.value(0).toLongLong();
        const qint64 run = values.value(1).toLongLong();
        auto map = values.value(2).value<std::shared_ptr<const workflow::ScenePrediction>>();
        if (!map)
            return;
        m_maps.insert(qMakePair(scene, run), map);
        if (scene == sceneId() && run != m_runs->runId())
            m_runs->chooseRun(run);
        showPrediction();
        if (m_prediction) {
            const int classified = static_cast<int>(m_prediction->tiles.size());
            QString text = tr("%n tile(s) classified in %1. Hover a tile for its classes; click it to open it in "
                              "Inspect.",
                              nullptr, classified)
                               .arg(roughDuration(m_prediction->seconds));
            for (const auto& warning : m_prediction->warnings)
                text += QLatin1Char(' ') + QString::fromStdString(warning);
            m_status->setText(text);
        }
    }
}

void ScenePage::showPrediction()
{
    const auto found = m_maps.constFind(qMakePair<qint64, qint64>(sceneId(), m_runs->runId()));
    m_prediction = found != m_maps.cend() ? found.value() : nullptr;
    m_predictionRun = m_prediction ? m_runs->runId() : 0;
    m_tileImages.clear();
    m_tileLabels.clear();
    m_legend->clear();
    m_tileCard->clear();
    if (!m_prediction) {
        m_canvas->clearClassMap();
        updateState();
        return;
    }
    const auto& layout = m_prediction->layout;
    const auto& grid = layout.grid;
    QImage map(grid.columns, grid.rows, QImage::Format_ARGB32);
    map.fill(Qt::transparent);
    std::vector<int> counts(layout.classNames.size(), 0);
    int predicted = 0;
    for (int row = 0; row < grid.rows; ++row) {
        for (int column = 0; column < grid.columns; ++column) {
            const auto& tile = m_prediction->tiles[std::size_t(row) * std::size_t(grid.columns) + std::size_t(column)];
            if (tile.classIndex < 0 || tile.classIndex >= int(counts.size()))
                continue;
            ++counts[std::size_t(tile.classIndex)];
            ++predicted;
            map.setPixel(column, row, classColourOf(tile.classIndex).rgb());
        }
    }
    m_canvas->setClassMap(map, grid.tileSize, grid.effectiveStride());

    for (std::size_t i = 0; i < layout.classNames.size(); ++i) {
        const double share = predicted > 0 ? 100.0 * counts[i] / predicted : 0.0;
        const int count = counts[i];
        auto* item = new QListWidgetItem(swatch(classColourOf(int(i))),
                                         tr("%1 — %n tile(s), %2 %", nullptr, count)
                                             .arg(QString::fromStdString(layout.classNames[i]))
                                             .arg(QLocale().toString(share, 'f', 1)),
                                         m_legend);
        item->setData(Qt::UserRole, int(i));
        if (counts[i] == 0)
            item->setForeground(palette().brush(QPalette::PlaceholderText));
    }

    // Which project image each predicted tile is, and its label there.
    const auto windows = geo::tileWindows(grid);
    m_tileImages.assign(windows.size(), 0);
    m_tileLabels.assign(windows.size(), QString());
    store::Project* project = m_session->isOpen() ? m_session->project() : nullptr;
    auto tiles =
        project ? project->tiles(sceneId()) : Result<std::vector<store::TileRecord>>(std::vector<store::TileRecord>{});
    auto images =
        project ? project->images() : Result<std::vector<store::ImageRecord>>(std::vector<store::ImageRecord>{});
    auto classes =
        project ? project->classes() : Result<std::vector<store::ClassRecord>>(std::vector<store::ClassRecord>{});
    if (tiles && images && classes) {
        std::map<std::tuple<int, int, int, int>, std::int64_t> byWindow;
        for (const auto& t : tiles.value())
            byWindow[{t.x, t.y, t.width, t.height}] = t.imageId;
        std::map<std::int64_t, QString> classNames;
        for (const auto& c : classes.value())
            classNames[c.id] = QString::fromStdString(c.name);
        std::map<std::int64_t, QString> labels;
        for (const auto& image : images.value())
            labels[image.id] = image.classId ? classNames[*image.classId] : QString();
        for (std::size_t i = 0; i < windows.size(); ++i) {
            const auto& w = windows[i];
            const auto hit = byWindow.find({w.x, w.y, w.width, w.height});
            if (hit == byWindow.end())
                continue;
            m_tileImages[i] = hit->second;
            m_tileLabels[i] = labels[hit->second];
        }
    }
    updateState();
}

void ScenePage::updateState()
{
    const bool open = m_session->isOpen();
    const bool hasScene = sceneId() != 0;
    const bool hasRun = m_runs->runId() != 0;
    m_predict->setEnabled(open && hasScene && hasRun && !m_ownJob);
    m_save->setEnabled(m_prediction != nullptr && !m_ownJob);
    m_scenes->setEnabled(!m_ownJob);
    m_runs->setEnabled(!m_ownJob);
    if (m_ownJob)
        return;
    if (!open)
        m_status->clear();
    else if (!hasScene)
        m_status->setText(tr("No scene in this project yet: drop a GeoTIFF or JPEG2000 scene on the window, or use "
                             "File ▸ Import Scene as Tiles, to see it here with its class map."));
    else if (!hasRun)
        m_status->setText(tr("Train a run on the scene's tiles (Train page) to predict a map of it."));
    else if (!m_prediction)
        m_status->setText(tr("Press Predict Map to classify every tile of this scene with the chosen run."));
}

QString ScenePage::tileText(int tile) const
{
    if (!m_prediction || tile < 0 || tile >= int(m_prediction->tiles.size()))
        return {};
    const auto& grid = m_prediction->layout.grid;
    const auto& prediction = m_prediction->tiles[std::size_t(tile)];
    const int row = tile / grid.columns;
    const int column = tile % grid.columns;
    const int stride = grid.effectiveStride();
    QStringList lines;
    lines << tr("Tile at column %1, row %2 (pixels %3, %4, %5 × %5)")
                 .arg(column + 1)
                 .arg(row + 1)
                 .arg(column * stride)
                 .arg(row * stride)
                 .arg(grid.tileSize);
    if (tile < int(m_tileLabels.size())) {
        if (m_tileImages[std::size_t(tile)] == 0)
            lines << tr("Not a tile of the project");
        else if (m_tileLabels[std::size_t(tile)].isEmpty())
            lines << tr("Unlabelled in the project");
        else
            lines << tr("Labelled %1 in the project").arg(m_tileLabels[std::size_t(tile)]);
    }
    if (prediction.classIndex < 0) {
        lines << tr("Not predicted");
        return lines.join(QLatin1Char('\n'));
    }
    for (const auto& [index, probability] : m_prediction->top[std::size_t(tile)])
        lines << QStringLiteral("%1  %2 %")
                     .arg(QString::fromStdString(m_prediction->layout.classNames[std::size_t(index)]))
                     .arg(QLocale().toString(probability * 100.0, 'f', 1));
    lines << tr("OOD score %1 (%2)")
                 .arg(QLocale().toString(prediction.oodScore, 'f', 3))
                 .arg(QString::fromStdString(m_prediction->oodScoreName));
    return lines.join(QLatin1Char('\n'));
}

std::int64_t ScenePage::imageOfTile(int tile) const
{
    return tile >= 0 && tile < int(m_tileImages.size()) ? m_tileImages[std::size_t(tile)] : 0;
}

void ScenePage::onHover(int tile, QPoint globalPosition)
{
    const QString text = tileText(tile);
    m_tileCard->setText(text);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(globalPosition, text, m_canvas);
}

void ScenePage::onClick(int tile)
{
    if (!m_prediction)
        return;
    m_canvas->setHighlightedTile(tile);
    const std::int64_t image = imageOfTile(tile);
    if (image == 0) {
        m_status->setText(tr("This tile is not one of the project's images (the map covers the whole scene; the "
                             "project holds the tiles it imported)."));
        return;
    }
    Q_EMIT inspectRequested(m_predictionRun, image);
}

void ScenePage::chooseMapFile()
{
    if (!m_prediction)
        return;
    const QFileInfo scene(QString::fromStdString(m_prediction->layout.scene.path));
    const QString start =
        QDir(StudioSettings::lastFolder().isEmpty() ? scene.absolutePath() : StudioSettings::lastFolder())
            .filePath(scene.completeBaseName() + QStringLiteral("-map.tif"));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Map"), start,
        tr("GeoTIFF (*.tif);;GeoPackage (*.gpkg);;GeoJSON (*.geojson);;Shapefile (*.shp)"));
    if (path.isEmpty())
        return;
    StudioSettings::setLastFolder(QFileInfo(path).absolutePath());
    saveMap(path);
}

bool ScenePage::saveMap(const QString& path)
{
    if (!m_prediction)
        return false;
    const QString suffix = QFileInfo(path).suffix().toLower();
    const std::string file = path.toStdString();
    Status status;
    if (suffix == QLatin1String("tif") || suffix == QLatin1String("tiff"))
        status = geo::writeClassMap(file, m_prediction->layout, m_prediction->tiles, m_prediction->oodScoreName);
    else if (suffix == QLatin1String("gpkg") || suffix == QLatin1String("geojson") || suffix == QLatin1String("json")
             || suffix == QLatin1String("shp"))
        status = geo::writeTileVector(file, m_prediction->layout, m_prediction->tiles);
    else
        status = makeError(ErrorCode::InvalidArgument,
                           "choose a file ending in .tif (GeoTIFF), .gpkg, .geojson or .shp for the map", file);
    if (!status) {
        m_status->setText(tr("The map was not saved: %1").arg(QString::fromStdString(status.error().toString())));
        return false;
    }
    m_status->setText(tr("Map saved to %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

} // namespace aape::ui
