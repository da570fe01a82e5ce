#include "TryPage.h"

#include "ExportActions.h"
#include "JobRunner.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "StudioSettings.h"

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/Workflow.h"

#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMimeData>
#include <QPushButton>
#include <QShortcut>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

namespace aape::ui {

namespace {

// The job's name is what the status bar shows while it runs.
QString jobName()
{
    return TryPage::tr("Classifying");
}
const QString kPostResults = QStringLiteral("try-results");

} // namespace

Result<std::vector<TryResult>> predictImages(const QString& projectPath, std::int64_t runId, const QStringList& images,
                                             const QStringList& extraClasses, const StopTokenPtr& stop)
{
    auto project = store::Project::open(projectPath.toStdString(), store::OpenMode::ReadOnly);
    if (!project)
        return project.error();
    auto bundle = loadRunBundle(project.value(), runId);
    if (!bundle)
        return bundle.error();
    auto model = project->model();
    if (!model)
        return model.error();
    if (!model.value())
        return makeError(ErrorCode::InvalidArgument,
                         "the project has no CLIP model; choose one with File ▸ Choose CLIP Model");
    auto engine = clip::ClipEngine::open(model.value()->path);
    if (!engine)
        return engine.error();

    std::vector<std::string> paths;
    for (const auto& image : images)
        paths.push_back(image.toStdString());
    std::vector<std::string> extra;
    for (const auto& name : extraClasses)
        extra.push_back(name.toStdString());
    if (stopRequested(stop))
        return makeError(ErrorCode::Cancelled, "stopped");
    auto predictions = workflow::predictImages(bundle.value(), engine.value(), paths, extra, 5);
    if (!predictions)
        return predictions.error();
    std::vector<TryResult> results;
    for (const auto& p : predictions.value()) {
        TryResult result;
        result.path = QString::fromStdString(p.path);
        result.error = QString::fromStdString(p.error);
        for (const auto& [name, probability] : p.top) {
            result.classes << QString::fromStdString(name);
            result.probabilities.push_back(probability);
        }
        result.oodScore = p.oodScore;
        result.oodScoreKind = QString::fromLatin1(oodScoreName(p.oodScoreKind));
        results.push_back(result);
    }
    return results;
}

QString oodScoreToolTip(const QString& kind)
{
    if (kind == QLatin1String("prototype"))
        return TryPage::tr("OOD score (our addition): 1 − the similarity to the nearest class prototype, the mean of "
                           "a class's training images. High means the image looks like none of the run's training "
                           "images.");
    if (kind == QLatin1String("mahalanobis"))
        return TryPage::tr("OOD score (our addition): the Mahalanobis distance to the nearest class of the run's "
                           "training images. High means the image looks like none of them.");
    if (kind == QLatin1String("energy"))
        return TryPage::tr("OOD score (our addition): the energy, −log Σ exp(logit). High means the image fits none "
                           "of the classes well.");
    if (kind == QLatin1String("max_cosine"))
        return TryPage::tr("OOD score (our addition): 1 − the cosine similarity to the closest adapted class prompt. "
                           "High means the image fits none of the classes well.");
    return TryPage::tr("OOD score (our addition): 1 − the top probability. High means the image fits none of the "
                       "classes well.");
}

TryPage::TryPage(ProjectSession* session, JobRunner* jobs, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_results(new QStandardItemModel(0, 5, this))
{
    setAcceptDrops(true);
    m_results->setHorizontalHeaderLabels(
        {tr("Image"), tr("Prediction"), tr("Probability"), tr("OOD score"), tr("Next candidates")});
    m_results->horizontalHeaderItem(3)->setToolTip(
        oodScoreToolTip(QString::fromLatin1(oodScoreName(kDefaultOodScore))));

    m_runs = new RunMenu;
    m_runs->setObjectName(QStringLiteral("tryRun"));
    m_runs->setToolTip(tr("The finished run whose prompt generator classifies the images."));
    m_extra = new QLineEdit;
    m_extra->setObjectName(QStringLiteral("extraClasses"));
    m_extra->setPlaceholderText(tr("Other class names to score, separated by commas"));
    m_extra->setToolTip(tr("Extra classes by name only, separated by commas. AAPE needs no images or descriptions "
                           "for them: their prompts come from the class name."));
    m_add = new QPushButton(tr("&Add images…"));
    m_add->setToolTip(tr("Choose images to classify, or drop them anywhere on this page (Ctrl+Shift+I)."));
    m_predict = new QPushButton(tr("&Predict"));
    m_predict->setToolTip(tr("Classify the images again with the chosen run and classes (F5)."));
    auto* clear = new QPushButton(tr("C&lear"));
    clear->setToolTip(tr("Remove all images from this page (the project is not changed)."));
    connect(m_add, &QPushButton::clicked, this, &TryPage::chooseImages);
    connect(m_predict, &QPushButton::clicked, this, &TryPage::predict);
    connect(clear, &QPushButton::clicked, this, &TryPage::clearImages);
    connect(m_extra, &QLineEdit::editingFinished, this, [this] {
        if (!m_images.isEmpty())
            predict();
    });
    connect(m_runs, qOverload<int>(&QComboBox::activated), this, [this] {
        if (!m_images.isEmpty())
            predict();
    });
    // Not Ctrl+I: that is File ▸ Import Folder in the whole window, and two owners of one
    // shortcut make Qt ignore it.
    auto* addShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this);
    addShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(addShortcut, &QShortcut::activated, this, &TryPage::chooseImages);
    auto* predictShortcut = new QShortcut(QKeySequence(Qt::Key_F5), this);
    predictShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(predictShortcut, &QShortcut::activated, this, &TryPage::predict);

    auto* runLabel = new QLabel(tr("&Run:"));
    runLabel->setBuddy(m_runs);
    auto* extraLabel = new QLabel(tr("E&xtra classes:"));
    extraLabel->setBuddy(m_extra);
    auto* top = new QHBoxLayout;
    top->addWidget(runLabel);
    top->addWidget(m_runs);
    top->addWidget(extraLabel);
    top->addWidget(m_extra, 1);
    top->addWidget(m_add);
    top->addWidget(m_predict);
    top->addWidget(clear);

    m_hint = new QLabel(tr("Drop images here or press Add images… to see what a trained run makes of them."));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_table = new QTableView;
    m_table->setModel(m_results);
    m_table->setIconSize(QSize(64, 64));
    m_table->verticalHeader()->setDefaultSectionSize(70);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_hint);
    layout->addWidget(m_table, 1);

    connect(m_jobs, &JobRunner::posted, this, [this](const QString& kind, const QVariant& payload) {
        if (m_ownJob && kind == kPostResults)
            showResults(payload);
    });
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (!m_ownJob || name != jobName())
            return;
        m_ownJob = false;
        m_predict->setEnabled(true);
        m_hint->setText(ok ? tr("%n image(s) classified.", nullptr, static_cast<int>(m_images.size())) : error);
        if (auto* main = qobject_cast<QMainWindow*>(window()))
            main->statusBar()->showMessage(ok ? tr("Prediction finished.") : tr("Prediction failed."), 8000);
        Q_EMIT predictionFinished(ok);
        if (m_pending) {
            m_pending = false;
            predict();
        }
    });
    connect(m_session, &ProjectSession::opened, this, &TryPage::refreshRuns);
    connect(m_session, &ProjectSession::closed, this, &TryPage::refreshRuns);
    connect(m_session, &ProjectSession::runsChanged, this, &TryPage::refreshRuns);
    refreshRuns();
}

TryPage::~TryPage() = default;

void TryPage::refreshRuns()
{
    m_runs->refresh(m_session->isOpen() ? m_session->project() : nullptr);
}

void TryPage::setRun(std::int64_t runId)
{
    m_runs->chooseRun(runId);
}

void TryPage::setExtraClasses(const QString& commaSeparated)
{
    m_extra->setText(commaSeparated);
}

QStringList TryPage::extraClasses() const
{
    QStringList names;
    for (const auto& part : m_extra->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            names << part.trimmed();
    return names;
}

void TryPage::addImages(const QStringList& paths)
{
    for (const auto& path : paths)
        if (!m_images.contains(path))
            m_images << path;
    predict();
}

void TryPage::clearImages()
{
    m_images.clear();
    m_results->removeRows(0, m_results->rowCount());
    m_hint->setText(tr("Drop images here or press Add images… to see what a trained run makes of them."));
}

void TryPage::chooseImages()
{
    const QStringList paths =
        QFileDialog::getOpenFileNames(this, tr("Images to classify"), StudioSettings::lastFolder(),
                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp)"));
    if (paths.isEmpty())
        return;
    StudioSettings::setLastFolder(QFileInfo(paths.front()).absolutePath());
    addImages(paths);
}

bool TryPage::predict()
{
    if (m_images.isEmpty())
        return false;
    if (!m_session->isOpen() || m_runs->currentIndex() < 0) {
        m_hint->setText(tr("Train a run first: predictions need a finished run."));
        return false;
    }
    if (m_ownJob) {
        m_pending = true; // the newest images and classes get their turn when this job ends
        return true;
    }
    const QString project = m_session->path();
    const qint64 runId = m_runs->currentData().toLongLong();
    const QStringList images = m_images;
    const QStringList extra = extraClasses();
    const bool started = m_jobs->start(jobName(), [project, runId, images, extra](JobContext& context) -> Status {
        context.progress(QCoreApplication::translate("aape::ui::TryPage", "Classifying images"), 0, images.size());
        auto results = predictImages(project, runId, images, extra, context.stopToken());
        if (!results)
            return results.error();
        QVariantList rows;
        for (const auto& r : results.value()) {
            QVariantList probabilities;
            for (double p : r.probabilities)
                probabilities << p;
            rows << QVariantMap{
                {QStringLiteral("path"), r.path},       {QStringLiteral("error"), r.error},
                {QStringLiteral("classes"), r.classes}, {QStringLiteral("probabilities"), probabilities},
                {QStringLiteral("ood"), r.oodScore},    {QStringLiteral("oodKind"), r.oodScoreKind}};
        }
        context.post(kPostResults, rows);
        return Status();
    });
    if (!started) {
        m_hint->setText(
            tr("Another task (%1) is running; press Predict when it has finished.").arg(m_jobs->currentJob()));
        return false;
    }
    m_ownJob = true;
    m_predict->setEnabled(false);
    m_hint->setText(tr("Classifying %n image(s)…", nullptr, static_cast<int>(m_images.size())));
    return true;
}

void TryPage::showResults(const QVariant& payload)
{
    m_results->removeRows(0, m_results->rowCount());
    for (const auto& value : payload.toList()) {
        const auto row = value.toMap();
        const QString path = row.value(QStringLiteral("path")).toString();
        // With its folder: images of a folder-per-class dataset often share file names.
        const QFileInfo file(path);
        auto* image = new QStandardItem(file.dir().dirName() + QLatin1Char('/') + file.fileName());
        image->setToolTip(path);
        QImageReader reader(path);
        reader.setAutoTransform(true);
        // Device pixels on a HiDPI screen, so that the thumbnail is sharp there.
        const qreal dpr = devicePixelRatioF();
        if (reader.size().isValid())
            reader.setScaledSize(reader.size().scaled(qRound(64 * dpr), qRound(64 * dpr), Qt::KeepAspectRatio));
        const QImage thumb = reader.read();
        if (!thumb.isNull()) {
            QPixmap pixmap = QPixmap::fromImage(thumb);
            pixmap.setDevicePixelRatio(dpr);
            image->setIcon(pixmap);
        }
        QList<QStandardItem*> items{image};
        const QString error = row.value(QStringLiteral("error")).toString();
        if (!error.isEmpty()) {
            items << new QStandardItem(error) << new QStandardItem << new QStandardItem << new QStandardItem;
        } else {
            const QStringList classes = row.value(QStringLiteral("classes")).toStringList();
            const QVariantList probs = row.value(QStringLiteral("probabilities")).toList();
            QStringList alternatives;
            for (int k = 1; k < classes.size() && k < probs.size(); ++k)
                alternatives << tr("%1 %2%").arg(classes[k]).arg(probs[k].toDouble() * 100.0, 0, 'f', 1);
            auto* predicted = new QStandardItem(classes.value(0));
            predicted->setToolTip(tr("Next: %1").arg(alternatives.join(QStringLiteral(", "))));
            auto* probability =
                new QStandardItem(QStringLiteral("%1%").arg(probs.value(0).toDouble() * 100.0, 0, 'f', 1));
            probability->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            auto* ood = new QStandardItem(QString::number(row.value(QStringLiteral("ood")).toDouble(), 'f', 3));
            ood->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            // Runs of older versions have no training-image summary and score by the probability.
            const QString kind = row.value(QStringLiteral("oodKind")).toString();
            ood->setToolTip(oodScoreToolTip(kind));
            m_results->horizontalHeaderItem(3)->setToolTip(oodScoreToolTip(kind));
            items << predicted << probability << ood << new QStandardItem(alternatives.join(QStringLiteral(", ")));
        }
        m_results->appendRow(items);
    }
    m_table->resizeColumnsToContents();
}

void TryPage::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void TryPage::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const auto& url : event->mimeData()->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        addImages(paths);
    }
}

} // namespace aape::ui
