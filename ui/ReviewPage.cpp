#include "ReviewPage.h"

#include "JobRunner.h"
#include "ProjectSession.h"
#include "ThumbnailCache.h"
#include "UndoCommands.h"

#include "aape/explore/LabelQuality.h"
#include "aape/workflow/RunJudge.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QUndoStack>
#include <QVBoxLayout>

namespace aape::ui {

namespace {

const QString kPostQueue = QStringLiteral("review.queue");
constexpr int kMistakesShown = 200;
constexpr int kSuggestions = 50;
constexpr int kPreviewSide = 384;

QString jobName()
{
    return QCoreApplication::translate("aape::ui::ReviewPage", "Preparing the review queue");
}

Status findQueueJob(JobContext& context, const std::string& projectPath, ReviewPage::Queue queue)
{
    context.progress(jobName(), 0, 0);
    auto project = store::Project::open(projectPath, store::OpenMode::ReadOnly);
    if (!project)
        return project.error();
    auto collection = explore::loadCollection(project.value());
    if (!collection)
        return collection.error();
    QVariantList rows;
    QString judgeName; // the run whose uncertainty ranks the label-next queue; empty: the embedding model
    const auto row = [&](std::size_t index) {
        const auto& image = collection->images[index];
        return QVariantMap{{QStringLiteral("id"), QVariant::fromValue(image.id)},
                           {QStringLiteral("path"), QString::fromStdString(image.path)},
                           {QStringLiteral("class"), image.classId ? QVariant::fromValue(*image.classId) : QVariant()}};
    };
    if (queue == ReviewPage::Queue::Mistakes) {
        explore::LabelReviewOptions options;
        options.stop = context.stopToken();
        options.progress = [&](std::size_t done, std::size_t total) {
            context.progress(jobName(), static_cast<qint64>(done), static_cast<qint64>(total));
        };
        auto ranked = explore::rankLabelMistakes(collection.value(), options);
        if (!ranked)
            return ranked.error();
        for (std::size_t i = 0; i < std::min<std::size_t>(ranked->size(), kMistakesShown); ++i) {
            const auto& m = ranked.value()[i];
            QVariantMap entry = row(m.index);
            entry.insert(QStringLiteral("suggested"), QVariant::fromValue(m.suggestedClassId));
            entry.insert(QStringLiteral("pLabel"), m.givenProbability);
            entry.insert(QStringLiteral("pSuggested"), m.suggestedProbability);
            entry.insert(QStringLiteral("likely"), m.likelyError);
            rows << entry;
        }
    } else {
        explore::SuggestOptions options;
        options.count = kSuggestions;
        options.stop = context.stopToken();
        // The uncertainty of the newest trained run, else of a model fitted on the embeddings.
        auto judge = workflow::judgeByNewestRun(project.value(), collection.value(), options);
        if (!judge)
            return judge.error();
        if (judge.value())
            judgeName = QString::fromStdString(judge.value()->runName);
        auto report = explore::suggestImagesToLabel(collection.value(), options);
        if (!report)
            return report.error();
        for (const auto& s : report->suggestions) {
            QVariantMap entry = row(s.index);
            entry.insert(QStringLiteral("suggested"), QVariant::fromValue(s.predictedClassId));
            entry.insert(QStringLiteral("pSuggested"), s.probability);
            entry.insert(QStringLiteral("uncertainty"), s.uncertainty);
            rows << entry;
        }
    }
    context.post(kPostQueue, QVariantMap{{QStringLiteral("queue"), static_cast<int>(queue)},
                                         {QStringLiteral("rows"), rows},
                                         {QStringLiteral("judge"), judgeName}});
    return {};
}

} // namespace

ReviewPage::ReviewPage(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_undoStack(undoStack)
{
    m_thumbnails = new ThumbnailCache(QSize(64, 64), 600, this);
    m_previews = new ThumbnailCache(QSize(kPreviewSide, kPreviewSide), 40, this);
    setFocusPolicy(Qt::StrongFocus);

    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    m_queueCombo = new QComboBox(this);
    m_queueCombo->setObjectName(QStringLiteral("reviewQueue"));
    m_queueCombo->addItem(tr("Likely label mistakes"), static_cast<int>(Queue::Mistakes));
    m_queueCombo->addItem(tr("What to label next"), static_cast<int>(Queue::LabelNext));
    m_queueCombo->setToolTip(
        tr("Label mistakes: labelled images whose label a model that never saw them finds least believable. "
           "Label next: unlabelled images the model is least sure of, spread over the collection."));
    m_find = new QPushButton(tr("Find"), this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setWordWrap(true);
    bar->addWidget(m_queueCombo);
    bar->addWidget(m_find);
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    m_retrainBar = new QWidget(this);
    m_retrainBar->setObjectName(QStringLiteral("retrainBar"));
    auto* retrainLayout = new QHBoxLayout(m_retrainBar);
    retrainLayout->setContentsMargins(0, 0, 0, 0);
    m_retrainLabel = new QLabel(m_retrainBar);
    auto* retrain = new QPushButton(tr("Retrain…"), m_retrainBar);
    retrain->setObjectName(QStringLiteral("retrainButton"));
    retrainLayout->addWidget(m_retrainLabel, 1);
    retrainLayout->addWidget(retrain);
    m_retrainBar->hide();
    layout->addWidget(m_retrainBar);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_list = new QListWidget(splitter);
    m_list->setObjectName(QStringLiteral("reviewList"));
    m_list->setIconSize(QSize(48, 48));
    m_list->setUniformItemSizes(true);
    m_list->setFocusPolicy(Qt::NoFocus);
    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    m_preview = new QLabel(right);
    m_preview->setObjectName(QStringLiteral("reviewPreview"));
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumSize(kPreviewSide / 2, kPreviewSide / 2);
    m_details = new QLabel(right);
    m_details->setObjectName(QStringLiteral("reviewDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    auto* buttons = new QHBoxLayout;
    auto* keepButton = new QPushButton(tr("Keep (K)"), right);
    auto* excludeButton = new QPushButton(tr("Exclude (X)"), right);
    auto* previousButton = new QPushButton(tr("Previous (P)"), right);
    auto* nextButton = new QPushButton(tr("Next (N)"), right);
    for (auto* button : {keepButton, excludeButton, previousButton, nextButton}) {
        button->setFocusPolicy(Qt::NoFocus);
        buttons->addWidget(button);
    }
    auto* keys = new QLabel(tr("Keys: K keep the label · 1–9 give the class at that place in the class list · "
                               "X exclude from training · N next · P previous"),
                            right);
    keys->setWordWrap(true);
    keys->setForegroundRole(QPalette::PlaceholderText);
    rightLayout->addWidget(m_preview, 1);
    rightLayout->addWidget(m_details);
    rightLayout->addLayout(buttons);
    rightLayout->addWidget(keys);
    splitter->addWidget(m_list);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({fontMetrics().averageCharWidth() * 48, 700});
    layout->addWidget(splitter, 1);

    connect(m_find, &QPushButton::clicked, this,
            [this] { findQueue(static_cast<Queue>(m_queueCombo->currentData().toInt())); });
    connect(keepButton, &QPushButton::clicked, this, &ReviewPage::keep);
    connect(excludeButton, &QPushButton::clicked, this, &ReviewPage::exclude);
    connect(previousButton, &QPushButton::clicked, this, &ReviewPage::previous);
    connect(nextButton, &QPushButton::clicked, this, &ReviewPage::next);
    connect(retrain, &QPushButton::clicked, this, &ReviewPage::retrainRequested);
    connect(m_list, &QListWidget::currentRowChanged, this, &ReviewPage::showEntry);
    connect(m_jobs, &JobRunner::posted, this, &ReviewPage::onPosted);
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (name != jobName())
            return;
        m_find->setEnabled(true);
        if (!ok)
            m_status->setText(error);
    });
    const auto refreshIcon = [this](qint64 id) {
        for (int row = 0; row < m_entries.size(); ++row)
            if (m_entries[row].imageId == id)
                refreshRow(row);
    };
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, refreshIcon);
    connect(m_previews, &ThumbnailCache::thumbnailReady, this, [this](qint64 id) {
        if (id == currentImageId())
            showEntry(m_list->currentRow());
    });
    connect(m_session, &ProjectSession::closed, this, [this] {
        m_entries.clear();
        m_list->clear();
        m_preview->clear();
        m_details->clear();
        m_status->clear();
        m_retrainBar->hide();
        m_labelsGiven = 0;
    });
}

ReviewPage::~ReviewPage() = default;

qint64 ReviewPage::currentImageId() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_entries.size() ? m_entries[row].imageId : -1;
}

void ReviewPage::findQueue(Queue queue)
{
    if (!m_session->isOpen())
        return;
    m_queueCombo->setCurrentIndex(m_queueCombo->findData(static_cast<int>(queue)));
    const std::string path = m_session->path().toStdString();
    if (!m_jobs->start(jobName(), [path, queue](JobContext& context) { return findQueueJob(context, path, queue); })) {
        m_status->setText(
            tr("Another task (%1) is running; press Find when it has finished.").arg(m_jobs->currentJob()));
        return;
    }
    m_find->setEnabled(false);
    m_status->setText(queue == Queue::Mistakes ? tr("Judging every label with a model that never saw it…")
                                               : tr("Choosing images to label…"));
}

QString ReviewPage::className(qint64 classId) const
{
    if (!m_session->isOpen())
        return {};
    if (auto classes = m_session->project()->classes())
        for (const auto& cls : classes.value())
            if (cls.id == classId)
                return QString::fromStdString(cls.name);
    return {};
}

void ReviewPage::onPosted(const QString& kind, const QVariant& payload)
{
    if (kind != kPostQueue)
        return;
    const QVariantMap map = payload.toMap();
    m_queue = static_cast<Queue>(map.value(QStringLiteral("queue")).toInt());
    m_entries.clear();
    m_list->clear();
    m_labelsGiven = 0;
    m_retrainBar->hide();
    int likely = 0;
    for (const auto& value : map.value(QStringLiteral("rows")).toList()) {
        const QVariantMap row = value.toMap();
        Entry entry;
        entry.imageId = row.value(QStringLiteral("id")).toLongLong();
        entry.path = row.value(QStringLiteral("path")).toString();
        if (row.value(QStringLiteral("class")).isValid())
            entry.classId = row.value(QStringLiteral("class")).toLongLong();
        entry.suggestedClassId = row.value(QStringLiteral("suggested")).toLongLong();
        entry.labelProbability = row.value(QStringLiteral("pLabel")).toDouble();
        entry.suggestedProbability = row.value(QStringLiteral("pSuggested")).toDouble();
        entry.uncertainty = row.value(QStringLiteral("uncertainty")).toDouble();
        entry.likelyError = row.value(QStringLiteral("likely")).toBool();
        likely += entry.likelyError;
        m_entries.append(entry);
        m_list->addItem(QString());
        refreshRow(m_entries.size() - 1);
    }
    if (m_queue == Queue::Mistakes)
        m_status->setText(tr("%n labelled image(s) to review, least believable label first; %1 look like mistakes.",
                             nullptr, static_cast<int>(m_entries.size()))
                              .arg(likely));
    else {
        const QString judge = map.value(QStringLiteral("judge")).toString();
        m_status->setText(tr("%n image(s) to label, in the order that teaches the model most.", nullptr,
                             static_cast<int>(m_entries.size()))
                          + QLatin1Char(' ')
                          + (judge.isEmpty()
                                 ? tr("No run is trained yet, so a linear model fitted on the labelled "
                                      "embeddings judges how sure the guesses are.")
                                 : tr("How sure each guess is comes from %1, the newest trained run.").arg(judge)));
    }
    if (!m_entries.isEmpty())
        m_list->setCurrentRow(0);
    setFocus(Qt::OtherFocusReason);
    Q_EMIT queueReady(static_cast<int>(m_entries.size()));
}

void ReviewPage::refreshRow(int row)
{
    const Entry& entry = m_entries[row];
    QListWidgetItem* item = m_list->item(row);
    if (!item)
        return;
    const QString label = entry.classId ? className(*entry.classId) : tr("unlabelled");
    QString text = m_queue == Queue::Mistakes ? tr("%1 → %2 (%3 %)")
                                                    .arg(label, className(entry.suggestedClassId))
                                                    .arg(100.0 * entry.labelProbability, 0, 'f', 0)
                                              : tr("guess %1 · unsure %2 %")
                                                    .arg(className(entry.suggestedClassId))
                                                    .arg(100.0 * entry.uncertainty, 0, 'f', 0);
    if (!entry.state.isEmpty())
        text = QStringLiteral("✓ ") + entry.state + QStringLiteral(" — ") + text;
    item->setText(text);
    item->setToolTip(entry.path);
    const QPixmap thumbnail = m_thumbnails->thumbnail(entry.imageId, entry.path);
    if (!thumbnail.isNull())
        item->setIcon(thumbnail);
    if (!entry.state.isEmpty())
        item->setForeground(palette().color(QPalette::PlaceholderText));
}

void ReviewPage::showEntry(int row)
{
    if (row < 0 || row >= m_entries.size()) {
        m_preview->clear();
        m_details->clear();
        return;
    }
    const Entry& entry = m_entries[row];
    const QPixmap preview = m_previews->thumbnail(entry.imageId, entry.path);
    if (!preview.isNull())
        m_preview->setPixmap(preview);
    else
        m_preview->setText(tr("Loading…"));
    const QString file = QFileInfo(entry.path).fileName().toHtmlEscaped();
    const QString label = entry.classId ? className(*entry.classId).toHtmlEscaped() : tr("unlabelled");
    const QString suggested = className(entry.suggestedClassId).toHtmlEscaped();
    QString details;
    if (m_queue == Queue::Mistakes)
        details = tr("<b>%1</b> is labelled <b>%2</b>. A model that never saw it gives that label %3 % and "
                     "<b>%4</b> %5 %.")
                      .arg(file, label)
                      .arg(100.0 * entry.labelProbability, 0, 'f', 1)
                      .arg(suggested)
                      .arg(100.0 * entry.suggestedProbability, 0, 'f', 1);
    else
        details = tr("<b>%1</b> has no label. The model's best guess is <b>%2</b> (%3 %), and it is %4 % unsure.")
                      .arg(file, suggested)
                      .arg(100.0 * entry.suggestedProbability, 0, 'f', 1)
                      .arg(100.0 * entry.uncertainty, 0, 'f', 0);
    if (!entry.state.isEmpty())
        details += QStringLiteral("<br>") + tr("Done: %1.").arg(entry.state.toHtmlEscaped());
    m_details->setText(details);
}

void ReviewPage::advance()
{
    const int row = m_list->currentRow();
    refreshRow(row);
    if (row + 1 < m_entries.size())
        m_list->setCurrentRow(row + 1);
    else
        showEntry(row);
}

void ReviewPage::keep()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_entries.size())
        return;
    m_entries[row].state = tr("kept");
    advance();
}

void ReviewPage::exclude()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_entries.size() || !m_session->isOpen())
        return;
    m_undoStack->push(new SetImagesExcludedCommand(m_session, {m_entries[row].imageId}, true));
    m_entries[row].state = tr("excluded");
    advance();
}

void ReviewPage::next()
{
    const int row = m_list->currentRow();
    if (row + 1 < m_entries.size())
        m_list->setCurrentRow(row + 1);
}

void ReviewPage::previous()
{
    const int row = m_list->currentRow();
    if (row > 0)
        m_list->setCurrentRow(row - 1);
}

void ReviewPage::relabelByPosition(int position)
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_entries.size() || !m_session->isOpen())
        return;
    auto classes = m_session->project()->classes();
    if (!classes || position < 0 || position >= static_cast<int>(classes->size())) {
        m_status->setText(
            tr("There is no class %1. Keys 1–9 pick the first nine classes in the list.").arg(position + 1));
        return;
    }
    const auto& cls = classes.value()[static_cast<std::size_t>(position)];
    Entry& entry = m_entries[row];
    const bool wasUnlabelled = !entry.classId;
    m_undoStack->push(new SetImageLabelsCommand(m_session, {entry.imageId}, cls.id, QString::fromStdString(cls.name)));
    entry.state = tr("labelled %1").arg(QString::fromStdString(cls.name));
    entry.classId = cls.id;
    if (wasUnlabelled && m_queue == Queue::LabelNext) {
        ++m_labelsGiven;
        if (m_labelsGiven >= kRetrainAfter) {
            m_retrainLabel->setText(
                tr("You have labelled %n image(s). Retrain so that the model learns from them, then find the next "
                   "ones.",
                   nullptr, m_labelsGiven));
            m_retrainBar->show();
        }
    }
    advance();
}

void ReviewPage::keyPressEvent(QKeyEvent* event)
{
    const int key = event->key();
    if (key >= Qt::Key_1 && key <= Qt::Key_9 && event->modifiers() == Qt::NoModifier) {
        relabelByPosition(key - Qt::Key_1);
        return;
    }
    switch (key) {
    case Qt::Key_K: keep(); return;
    case Qt::Key_X:
    case Qt::Key_Delete: exclude(); return;
    case Qt::Key_N:
    case Qt::Key_Right:
    case Qt::Key_Down: next(); return;
    case Qt::Key_P:
    case Qt::Key_Left:
    case Qt::Key_Up: previous(); return;
    default: QWidget::keyPressEvent(event);
    }
}

} // namespace aape::ui
