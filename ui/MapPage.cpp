#include "MapPage.h"

#include "JobRunner.h"
#include "MapView.h"
#include "ProjectSession.h"
#include "StudioSettings.h"
#include "ThumbnailCache.h"
#include "TrainingJob.h"

#include "aape/clip/ClipEngine.h"
#include "aape/explore/Projection.h"
#include "aape/explore/Similarity.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

namespace aape::ui {

// What the map shows, computed on the worker: the collection, its projection and the latest
// run's predictions per image (collection order). Read-only once posted.
struct MapData {
    explore::EmbeddedCollection collection;
    explore::Projection2D projection;
    std::vector<float> tsne;                // the t-SNE map kept in the project for this collection, or empty
    std::string digest;                     // explore::collectionDigest of the collection
    std::map<std::int64_t, int> classIndex; // class id -> palette index (label order)
    std::vector<std::int64_t> predicted;    // -1: no prediction
    std::vector<float> ood;                 // NaN: no prediction
    std::vector<float> confidence;          // NaN: no prediction
    QString runName;
    double seconds = 0.0;
};

} // namespace aape::ui

Q_DECLARE_METATYPE(std::shared_ptr<const aape::ui::MapData>)

namespace aape::ui {

namespace {

const QString kPostMap = QStringLiteral("map.data");
const QString kPostMapProblem = QStringLiteral("map.problem");
const QString kPostProbe = QStringLiteral("map.probe");
const QString kPostTsne = QStringLiteral("map.tsne");
constexpr int kProbeNeighbours = 20;

QString loadJobName()
{
    return QCoreApplication::translate("aape::ui::MapPage", "Drawing the map");
}

QString tsneJobName()
{
    return QCoreApplication::translate("aape::ui::MapPage", "Computing the t-SNE map");
}

QString probeJobName()
{
    return QCoreApplication::translate("aape::ui::MapPage", "Placing a phrase on the map");
}

QColor classColour(int index)
{
    // Golden-ratio hues: neighbouring label indices get distant colours.
    const double hue = std::fmod(0.07 + index * 0.618033988749895, 1.0);
    return QColor::fromHsvF(static_cast<float>(hue), 0.70f, index % 2 == 0 ? 0.85f : 0.65f);
}

const QColor kNone(175, 175, 175);

QRgb lerp(const QColor& low, const QColor& high, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return qRgb(static_cast<int>(low.red() + (high.red() - low.red()) * t),
                static_cast<int>(low.green() + (high.green() - low.green()) * t),
                static_cast<int>(low.blue() + (high.blue() - low.blue()) * t));
}

Status loadMap(JobContext& context, const std::string& projectPath)
{
    const auto started = std::chrono::steady_clock::now();
    context.progress(loadJobName(), 0, 0);
    auto project = store::Project::open(projectPath, store::OpenMode::ReadOnly);
    if (!project)
        return project.error();
    auto collection = explore::loadCollection(project.value());
    if (!collection) {
        context.post(kPostMapProblem, QString::fromStdString(collection.error().message));
        return {};
    }
    if (context.stopRequested())
        return makeError(ErrorCode::Cancelled, "Stopped.");
    auto projection = explore::pcaProjection(collection.value());
    if (!projection) {
        context.post(kPostMapProblem, QString::fromStdString(projection.error().message));
        return {};
    }
    auto data = std::make_shared<MapData>();
    if (auto cached = explore::cachedTsne(project.value(), collection.value()))
        data->tsne = std::move(*cached);
    data->digest = explore::collectionDigest(collection.value());
    data->collection = std::move(collection.value());
    data->projection = std::move(projection.value());
    for (std::size_t c = 0; c < data->collection.classes.size(); ++c)
        data->classIndex[data->collection.classes[c].id] = static_cast<int>(c);
    const std::size_t n = data->collection.size();
    data->predicted.assign(n, -1);
    data->ood.assign(n, std::numeric_limits<float>::quiet_NaN());
    data->confidence.assign(n, std::numeric_limits<float>::quiet_NaN());
    // The newest run that has predictions stored.
    if (auto runs = project->runs()) {
        for (const auto& run : runs.value()) {
            auto predictions = project->predictions(run.id);
            if (!predictions || predictions->empty())
                continue;
            std::map<std::int64_t, std::size_t> indexOfId;
            for (std::size_t i = 0; i < n; ++i)
                indexOfId[data->collection.images[i].id] = i;
            for (const auto& p : predictions.value()) {
                const auto found = indexOfId.find(p.imageId);
                if (found == indexOfId.end())
                    continue;
                data->predicted[found->second] = p.predictedClassId;
                data->ood[found->second] = static_cast<float>(p.oodScore);
                data->confidence[found->second] = static_cast<float>(p.probability);
            }
            data->runName = QString::fromStdString(run.name);
            break;
        }
    }
    data->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    context.post(kPostMap, QVariant::fromValue(std::shared_ptr<const MapData>(std::move(data))));
    return {};
}

// t-SNE of the project's collection, kept in the project; posts the map with the digest of the
// collection it belongs to.
Status computeTsne(JobContext& context, const std::string& projectPath)
{
    auto project = store::Project::open(projectPath);
    if (!project)
        return project.error();
    auto collection = explore::loadCollection(project.value());
    if (!collection)
        return collection.error();
    explore::TsneOptions options;
    options.stop = context.stopToken();
    options.progress = [&context](const std::string& stage, std::size_t done, std::size_t total) {
        const QString text = stage == "neighbours"
                                 ? QCoreApplication::translate("aape::ui::MapPage", "t-SNE: finding neighbours")
                                 : QCoreApplication::translate("aape::ui::MapPage", "t-SNE: arranging the map");
        context.progress(text, static_cast<qint64>(done), static_cast<qint64>(total));
    };
    const auto started = std::chrono::steady_clock::now();
    auto projection = explore::tsneProjection(collection.value(), options);
    if (!projection)
        return projection.error();
    // A map that cannot be kept is still shown; it is computed again next time.
    const bool kept = explore::storeTsne(project.value(), collection.value(), projection.value()).ok();
    QVariantList xy;
    xy.reserve(static_cast<qsizetype>(projection->xy.size()));
    for (float v : projection->xy)
        xy << v;
    context.post(
        kPostTsne,
        QVariantMap{{QStringLiteral("digest"), QString::fromStdString(explore::collectionDigest(collection.value()))},
                    {QStringLiteral("xy"), xy},
                    {QStringLiteral("kept"), kept},
                    {QStringLiteral("seconds"),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
    return {};
}

} // namespace

MapPage::MapPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
{
    qRegisterMetaType<std::shared_ptr<const MapData>>();
    m_thumbnails = new ThumbnailCache(QSize(112, 112), 300, this);

    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_colouring = new QComboBox(this);
    m_colouring->setObjectName(QStringLiteral("mapColouring"));
    m_colouring->addItem(tr("Class"), static_cast<int>(Colouring::Class));
    m_colouring->addItem(tr("Split"), static_cast<int>(Colouring::Split));
    m_colouring->addItem(tr("Prediction"), static_cast<int>(Colouring::Prediction));
    m_colouring->addItem(tr("Right or wrong"), static_cast<int>(Colouring::Correctness));
    m_colouring->addItem(tr("OOD score"), static_cast<int>(Colouring::OodScore));
    m_colouring->addItem(tr("Confidence"), static_cast<int>(Colouring::Confidence));
    m_colouring->setToolTip(tr("What the dots' colours show; predictions, right or wrong, OOD score and confidence "
                               "come from the newest run with stored predictions"));
    m_layout = new QComboBox(this);
    m_layout->setObjectName(QStringLiteral("mapLayout"));
    m_layout->addItem(tr("PCA"), static_cast<int>(Layout::Pca));
    m_layout->addItem(tr("t-SNE"), static_cast<int>(Layout::Tsne));
    m_layout->setToolTip(tr("How the dots are placed. PCA: the two directions of largest variance, at once; it "
                            "keeps distances between far groups. t-SNE: neighbours stay neighbours, so clusters "
                            "separate clearly; computed once in the background and kept in the project until the "
                            "embeddings change."));
    m_probe = new QLineEdit(this);
    m_probe->setObjectName(QStringLiteral("mapProbe"));
    m_probe->setPlaceholderText(tr("Find images by a phrase, e.g. “a harbour with boats”"));
    m_probe->setClearButtonEnabled(true);
    m_probeButton = new QPushButton(tr("Find"), this);
    bar->addWidget(new QLabel(tr("Layout:"), this));
    bar->addWidget(m_layout);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Colour by:"), this));
    bar->addWidget(m_colouring);
    bar->addSpacing(12);
    bar->addWidget(m_probe, 1);
    bar->addWidget(m_probeButton);
    layout->addLayout(bar);

    m_view = new MapView(this);
    m_view->setObjectName(QStringLiteral("mapView"));
    layout->addWidget(m_view, 1);
    auto* hint = new QLabel(tr("Drag a rectangle to select images (the Data page and the Inspect list then show "
                               "them; a click on empty space clears it). Wheel zooms, right-drag pans, double-click "
                               "resets the view."),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(hint);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("mapStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_hoverCard = new QLabel(this);
    m_hoverCard->setObjectName(QStringLiteral("mapHoverCard"));
    m_hoverCard->setFrameShape(QFrame::StyledPanel);
    m_hoverCard->setAutoFillBackground(true);
    m_hoverCard->setAlignment(Qt::AlignCenter);
    m_hoverCard->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_hoverCard->hide();

    connect(m_colouring, &QComboBox::currentIndexChanged, this, &MapPage::applyColouring);
    m_layout->setCurrentIndex(std::max(
        0, m_layout->findData(StudioSettings::choice(QStringLiteral("map/layout"), static_cast<int>(Layout::Pca)))));
    connect(m_layout, &QComboBox::currentIndexChanged, this, [this] {
        StudioSettings::setChoice(QStringLiteral("map/layout"), m_layout->currentData());
        applyLayout();
    });
    connect(m_view, &MapView::selectionMade, this, &MapPage::imagesSelected);
    connect(m_view, &MapView::hovered, this, &MapPage::showHover);
    connect(m_view, &MapView::activated, this, [this] { m_view->resetView(); });
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, [this](qint64 id) {
        if (id == m_hoverId && m_hoverCard->isVisible())
            showHover(id, m_hoverCard->property("hoverPoint").toPoint());
    });
    const auto probe = [this] { probeText(m_probe->text()); };
    connect(m_probe, &QLineEdit::returnPressed, this, probe);
    connect(m_probeButton, &QPushButton::clicked, this, probe);
    connect(m_jobs, &JobRunner::posted, this, &MapPage::onPosted);
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if ((name == probeJobName() || name == tsneJobName()) && !ok)
            m_status->setText(error);
        if (name == loadJobName() && m_pendingTsne) {
            m_pendingTsne = false;
            if (mapLayout() == Layout::Tsne && !m_tsneShown)
                startTsne();
        }
        if (m_pendingReload && isVisible()) {
            m_pendingReload = false;
            reload();
        }
    });
    const auto stale = [this] {
        m_stale = true;
        if (isVisible())
            reload();
    };
    connect(m_session, &ProjectSession::opened, this, stale);
    connect(m_session, &ProjectSession::datasetChanged, this, stale);
    connect(m_session, &ProjectSession::runsChanged, this, stale);
    connect(m_session, &ProjectSession::modelChanged, this, stale);
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_data.reset();
        m_view->setPoints({}, {});
        m_status->clear();
        m_stale = true;
    });
}

MapPage::~MapPage() = default;

void MapPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void MapPage::reload()
{
    if (!m_session->isOpen())
        return;
    const std::string path = m_session->path().toStdString();
    if (!m_jobs->start(loadJobName(), [path](JobContext& context) { return loadMap(context, path); })) {
        if (m_jobs->currentJob() != loadJobName()) {
            m_pendingReload = true;
            m_status->setText(
                tr("The map is drawn when the current task (%1) has finished.").arg(m_jobs->currentJob()));
        }
        return;
    }
    m_stale = false;
    m_status->setText(tr("Drawing the map…"));
}

void MapPage::onPosted(const QString& kind, const QVariant& payload)
{
    if (kind == kPostMapProblem) {
        m_data.reset();
        m_view->setPoints({}, {});
        m_status->setText(payload.toString());
        return;
    }
    if (kind == kPostProbe) {
        if (!m_data)
            return;
        const QVariantList values = payload.toList();
        std::vector<float> query;
        for (const auto& v : values)
            query.push_back(v.toFloat());
        const auto nearest = explore::nearestImages(m_data->collection, query, kProbeNeighbours);
        QSet<qint64> ids;
        QPointF centre;
        for (const auto& n : nearest) {
            ids.insert(m_data->collection.images[n.index].id);
            centre += positionOf(n.index);
        }
        if (nearest.empty())
            return;
        // CLIP's text and image embeddings lie in different regions of the space, so the
        // phrase is drawn amid the images it is nearest to rather than at its own projection.
        centre /= static_cast<double>(nearest.size());
        m_view->setMarker(centre, m_pendingProbe);
        m_view->setHighlighted(ids);
        m_status->setText(tr("The %n images nearest to “%1” are outlined (cosine %2 to %3).", nullptr,
                             static_cast<int>(nearest.size()))
                              .arg(m_pendingProbe)
                              .arg(nearest.front().cosine, 0, 'f', 3)
                              .arg(nearest.back().cosine, 0, 'f', 3));
        return;
    }
    if (kind == kPostTsne) {
        const QVariantMap result = payload.toMap();
        if (!m_data || result.value(QStringLiteral("digest")).toString().toStdString() != m_data->digest)
            return; // the collection changed while it was computed; the next reload starts again
        const QVariantList xy = result.value(QStringLiteral("xy")).toList();
        m_tsne.clear();
        m_tsne.reserve(static_cast<std::size_t>(xy.size()));
        for (const auto& v : xy)
            m_tsne.push_back(v.toFloat());
        m_tsneSeconds = result.value(QStringLiteral("seconds")).toDouble();
        if (mapLayout() == Layout::Tsne)
            applyLayout();
        return;
    }
    if (kind != kPostMap)
        return;
    m_data = payload.value<std::shared_ptr<const MapData>>();
    m_projectionSeconds = m_data->seconds;
    m_tsne = m_data->tsne;
    m_tsneSeconds = -1.0; // kept in the project
    m_view->setMarker(std::nullopt);
    applyLayout();
    Q_EMIT loaded();
}

MapPage::Layout MapPage::mapLayout() const
{
    return static_cast<Layout>(m_layout->currentData().toInt());
}

void MapPage::setMapLayout(Layout layout)
{
    m_layout->setCurrentIndex(m_layout->findData(static_cast<int>(layout)));
}

bool MapPage::showsChosenLayout() const
{
    return m_data && (mapLayout() == Layout::Pca || m_tsneShown);
}

QPointF MapPage::positionOf(std::size_t index) const
{
    if (m_tsneShown)
        return QPointF(m_tsne[index * 2], m_tsne[index * 2 + 1]);
    return QPointF(m_data->projection.xy[index * 2], m_data->projection.xy[index * 2 + 1]);
}

void MapPage::applyLayout()
{
    if (!m_data)
        return;
    const std::size_t n = m_data->collection.size();
    const bool wantTsne = mapLayout() == Layout::Tsne;
    m_tsneShown = wantTsne && m_tsne.size() == 2 * n;
    std::vector<QPointF> positions(n);
    std::vector<qint64> ids(n);
    for (std::size_t i = 0; i < n; ++i) {
        positions[i] = positionOf(i);
        ids[i] = m_data->collection.images[i].id;
    }
    const QSet<qint64> highlighted = m_view->highlighted();
    m_view->setPoints(std::move(positions), std::move(ids));
    m_view->setHighlighted(highlighted);
    m_view->setMarker(std::nullopt);
    applyColouring();
    QString status;
    if (m_tsneShown) {
        status = tr("%n images, placed by t-SNE of their CLIP embeddings (perplexity 30): neighbours on the map are "
                    "neighbours in CLIP's space; distances between far groups mean little.",
                    nullptr, static_cast<int>(n));
        if (m_tsneSeconds >= 0.0)
            status += QLatin1Char(' ') + tr("Computed in %1 s and kept in the project.").arg(m_tsneSeconds, 0, 'f', 1);
    } else {
        status = tr("%n images, placed by the first two principal components of their CLIP embeddings", nullptr,
                    static_cast<int>(n));
        status += tr(" (%1 % of the variance; computed in %2 s).")
                      .arg(100.0 * m_data->projection.explainedVariance, 0, 'f', 0)
                      .arg(m_data->seconds, 0, 'f', 2);
        if (wantTsne)
            status += QLatin1Char(' ') + startTsne();
    }
    if (m_data->collection.notEncoded > 0)
        status += QLatin1Char(' ')
                  + tr("%n image(s) are not encoded yet and not shown; train or encode the project to add them.",
                       nullptr, m_data->collection.notEncoded);
    m_status->setText(status);
}

QString MapPage::startTsne()
{
    if (m_jobs->currentJob() == tsneJobName())
        return tr("The t-SNE map is being computed; the PCA map is shown meanwhile.");
    if (m_jobs->currentJob() == loadJobName()) {
        m_pendingTsne = true; // when the map's own job has finished
        return tr("The t-SNE map is being computed; the PCA map is shown meanwhile.");
    }
    const std::string path = m_session->path().toStdString();
    if (!m_jobs->start(tsneJobName(), [path](JobContext& context) { return computeTsne(context, path); }))
        return tr("The t-SNE map is computed when the current task (%1) has finished; choose t-SNE again then.")
            .arg(m_jobs->currentJob());
    return tr("The t-SNE map is being computed (progress below; Stop ends it); the PCA map is shown meanwhile.");
}

void MapPage::setColouring(Colouring colouring)
{
    m_colouring->setCurrentIndex(m_colouring->findData(static_cast<int>(colouring)));
}

void MapPage::applyColouring()
{
    if (!m_data)
        return;
    const auto colouring = static_cast<Colouring>(m_colouring->currentData().toInt());
    const auto& images = m_data->collection.images;
    const std::size_t n = images.size();
    std::vector<QRgb> colours(n, kNone.rgb());
    QList<MapView::LegendEntry> legend;
    const auto classLegend = [&] {
        for (const auto& cls : m_data->collection.classes)
            legend.append({classColour(m_data->classIndex.at(cls.id)), QString::fromStdString(cls.name)});
    };
    switch (colouring) {
    case Colouring::Class:
        for (std::size_t i = 0; i < n; ++i)
            if (images[i].classId && m_data->classIndex.count(*images[i].classId))
                colours[i] = classColour(m_data->classIndex.at(*images[i].classId)).rgb();
        classLegend();
        legend.append({kNone, tr("Unlabelled")});
        break;
    case Colouring::Split: {
        const QColor train(52, 101, 164), val(245, 121, 0), test(78, 154, 6);
        for (std::size_t i = 0; i < n; ++i)
            colours[i] = (images[i].split == store::Split::Train ? train
                          : images[i].split == store::Split::Val ? val
                                                                 : test)
                             .rgb();
        legend = {{train, tr("Train")}, {val, tr("Validation")}, {test, tr("Test")}};
        break;
    }
    case Colouring::Prediction:
        for (std::size_t i = 0; i < n; ++i)
            if (m_data->predicted[i] >= 0 && m_data->classIndex.count(m_data->predicted[i]))
                colours[i] = classColour(m_data->classIndex.at(m_data->predicted[i])).rgb();
        classLegend();
        legend.append({kNone, tr("No prediction")});
        break;
    case Colouring::Correctness: {
        const QColor right(78, 154, 6), wrong(204, 0, 0);
        for (std::size_t i = 0; i < n; ++i)
            if (m_data->predicted[i] >= 0 && images[i].classId)
                colours[i] = (*images[i].classId == m_data->predicted[i] ? right : wrong).rgb();
        legend = {{right, tr("Right")}, {wrong, tr("Wrong")}, {kNone, tr("No prediction or no label")}};
        break;
    }
    case Colouring::OodScore:
    case Colouring::Confidence: {
        const auto& values = colouring == Colouring::OodScore ? m_data->ood : m_data->confidence;
        double low = std::numeric_limits<double>::infinity(), high = -low;
        for (float v : values)
            if (!std::isnan(v)) {
                low = std::min(low, static_cast<double>(v));
                high = std::max(high, static_cast<double>(v));
            }
        MapView::LegendScale scale;
        scale.title = colouring == Colouring::OodScore ? tr("OOD score (grey: none)") : tr("Confidence (grey: none)");
        scale.lowColour = QColor(49, 54, 149);
        scale.highColour = QColor(215, 48, 39);
        scale.low = std::isfinite(low) ? low : 0.0;
        scale.high = std::isfinite(high) ? high : 1.0;
        const double span = scale.high > scale.low ? scale.high - scale.low : 1.0;
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(values[i]))
                colours[i] = lerp(scale.lowColour, scale.highColour, (values[i] - scale.low) / span);
        m_view->setColours(std::move(colours), scale);
        return;
    }
    }
    m_view->setColours(std::move(colours), legend);
}

void MapPage::highlightImages(const QList<qint64>& imageIds)
{
    m_view->setHighlighted(QSet<qint64>(imageIds.begin(), imageIds.end()));
}

void MapPage::probeText(const QString& phrase)
{
    const QString text = phrase.trimmed();
    if (text.isEmpty() || !m_data || !m_session->isOpen())
        return;
    auto model = m_session->project()->model();
    if (!model || !model.value()) {
        m_status->setText(tr("The project has no CLIP model to read the phrase with; choose one first."));
        return;
    }
    const std::string modelPath = model.value()->path;
    const std::string fingerprint = m_data->collection.modelFingerprint;
    const std::string precisionText = model.value()->precision();
    const std::string phraseText = text.toStdString();
    const bool started = m_jobs->start(probeJobName(), [=](JobContext& context) -> Status {
        context.progress(probeJobName(), 0, 0);
        // In the precision the images were encoded in (one phrase is quick on the CPU).
        auto engine = openEngineForCache(modelPath, precisionText);
        if (!engine)
            return engine.error();
        if (engine->info().fingerprint != fingerprint)
            return makeError(ErrorCode::InvalidArgument,
                             "The project's CLIP file has changed since the images were encoded; encode them again "
                             "before searching by a phrase.",
                             modelPath);
        auto embedded = explore::embedText(engine.value(), phraseText);
        if (!embedded)
            return embedded.error();
        QVariantList values;
        for (float v : embedded.value())
            values << v;
        context.post(kPostProbe, values);
        return {};
    });
    if (!started) {
        m_status->setText(
            tr("Another task (%1) is running; search again when it has finished.").arg(m_jobs->currentJob()));
        return;
    }
    m_pendingProbe = text;
    m_status->setText(tr("Reading “%1” with CLIP…").arg(text));
}

void MapPage::showHover(qint64 imageId, QPoint position)
{
    m_hoverId = imageId;
    if (imageId < 0 || !m_data) {
        m_hoverCard->hide();
        return;
    }
    const auto index = m_data->collection.indexOfId(imageId);
    if (index < 0) {
        m_hoverCard->hide();
        return;
    }
    const auto& image = m_data->collection.images[static_cast<std::size_t>(index)];
    const QString path = QString::fromStdString(image.path);
    const QPixmap thumbnail = m_thumbnails->thumbnail(imageId, path);
    const QString label =
        image.classId ? QString::fromStdString(m_data->collection.className(image.classId)) : tr("unlabelled");
    QString caption = QStringLiteral("<b>%1</b> · %2<br>%3")
                          .arg(label.toHtmlEscaped(), QString::fromLatin1(store::splitName(image.split)),
                               QFileInfo(path).fileName().toHtmlEscaped());
    const std::int64_t predicted = m_data->predicted[static_cast<std::size_t>(index)];
    if (predicted >= 0)
        caption += QStringLiteral("<br>")
                   + tr("predicted %1 (%2 %)")
                         .arg(QString::fromStdString(m_data->collection.className(predicted)).toHtmlEscaped())
                         .arg(100.0 * m_data->confidence[static_cast<std::size_t>(index)], 0, 'f', 0);
    // A QLabel shows a pixmap or text, not both: the thumbnail and its caption are painted into one pixmap.
    if (!thumbnail.isNull()) {
        m_hoverCard->setText(QString());
        const QSize side = thumbnail.deviceIndependentSize().toSize();
        QTextDocument doc;
        doc.setDefaultFont(font());
        doc.setHtml(caption);
        doc.setTextWidth(std::max(side.width(), 160));
        const int cardWidth = static_cast<int>(doc.textWidth()) + 16;
        QPixmap card(cardWidth, side.height() + static_cast<int>(doc.size().height()) + 20);
        card.fill(palette().color(QPalette::ToolTipBase));
        QPainter painter(&card);
        painter.drawPixmap((cardWidth - side.width()) / 2, 8, thumbnail);
        painter.translate(8, side.height() + 12);
        doc.drawContents(&painter);
        painter.end();
        m_hoverCard->setPixmap(card);
    } else {
        m_hoverCard->setText(caption);
    }
    m_hoverCard->adjustSize();
    m_hoverCard->setProperty("hoverPoint", position);
    QPoint at = m_view->mapTo(this, position) + QPoint(16, 16);
    if (at.x() + m_hoverCard->width() > width())
        at.setX(at.x() - m_hoverCard->width() - 32);
    if (at.y() + m_hoverCard->height() > height())
        at.setY(at.y() - m_hoverCard->height() - 32);
    m_hoverCard->move(at);
    m_hoverCard->show();
    m_hoverCard->raise();
}

} // namespace aape::ui
