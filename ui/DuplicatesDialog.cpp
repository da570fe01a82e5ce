#include "DuplicatesDialog.h"

#include "JobRunner.h"
#include "ProjectSession.h"
#include "ThumbnailCache.h"
#include "UndoCommands.h"

#include "aape/explore/Collection.h"
#include "aape/explore/Similarity.h"
#include "aape/store/Project.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QStandardItemModel>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <set>

namespace aape::ui {

namespace {

QString jobName()
{
    return DuplicatesDialog::tr("Finding near-duplicates");
}
const QString kPostPairs = QStringLiteral("duplicates.pairs");
// More pairs than a person reviews; the summary says how many there were.
constexpr int kPairsShown = 2000;
constexpr int kThumbnailSide = 72;

enum Column { FirstColumn, SecondColumn, CosineColumn, SplitsColumn, LabelsColumn, ColumnCount };
enum Role { FirstIdRole = Qt::UserRole + 1, SecondIdRole, DropIdRole, CrossesRole };

QString splitText(store::Split split)
{
    switch (split) {
    case store::Split::Train: return DuplicatesDialog::tr("train");
    case store::Split::Val: return DuplicatesDialog::tr("validation");
    case store::Split::Test: return DuplicatesDialog::tr("test");
    }
    return {};
}

Status findPairsJob(JobContext& context, const std::string& projectPath, float threshold)
{
    context.progress(jobName(), 0, 0);
    auto project = store::Project::open(projectPath, store::OpenMode::ReadOnly);
    if (!project)
        return project.error();
    auto collection = explore::loadCollection(project.value());
    if (!collection)
        return collection.error();
    auto pairs = explore::findNearDuplicates(
        collection.value(), threshold,
        [&context](std::size_t done, std::size_t total) {
            context.progress(jobName(), static_cast<qint64>(done), static_cast<qint64>(total));
        },
        context.stopToken());
    if (!pairs)
        return pairs.error();
    QVariantList rows;
    int crossing = 0;
    for (const auto& pair : pairs.value()) {
        crossing += pair.crossesSplit ? 1 : 0;
        if (rows.size() >= kPairsShown)
            continue;
        const auto& a = collection->images[pair.first];
        const auto& b = collection->images[pair.second];
        const auto drop = pair.crossesSplit ? collection->images[explore::copyToExclude(collection.value(), pair)].id
                                            : std::int64_t(0);
        rows << QVariantMap{{QStringLiteral("a"), QVariant::fromValue<qint64>(a.id)},
                            {QStringLiteral("b"), QVariant::fromValue<qint64>(b.id)},
                            {QStringLiteral("pathA"), QString::fromStdString(a.path)},
                            {QStringLiteral("pathB"), QString::fromStdString(b.path)},
                            {QStringLiteral("splitA"), splitText(a.split)},
                            {QStringLiteral("splitB"), splitText(b.split)},
                            {QStringLiteral("labelA"), QString::fromStdString(collection->className(a.classId))},
                            {QStringLiteral("labelB"), QString::fromStdString(collection->className(b.classId))},
                            {QStringLiteral("cosine"), pair.cosine},
                            {QStringLiteral("crosses"), pair.crossesSplit},
                            {QStringLiteral("drop"), QVariant::fromValue<qint64>(drop)}};
    }
    context.post(kPostPairs, QVariantMap{{QStringLiteral("rows"), rows},
                                         {QStringLiteral("total"), static_cast<int>(pairs->size())},
                                         {QStringLiteral("crossing"), crossing},
                                         {QStringLiteral("images"), static_cast<int>(collection->size())},
                                         {QStringLiteral("notEncoded"), collection->notEncoded},
                                         {QStringLiteral("threshold"), threshold}});
    return Status();
}

} // namespace

DuplicatesDialog::DuplicatesDialog(ProjectSession* session, JobRunner* jobs, QUndoStack* undoStack, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_jobs(jobs)
    , m_undoStack(undoStack)
    , m_thumbnails(new ThumbnailCache(QSize(kThumbnailSide, kThumbnailSide), 2000, this))
    , m_pairs(new QStandardItemModel(0, ColumnCount, this))
{
    setWindowTitle(tr("Near-Duplicates"));
    m_threshold = new QDoubleSpinBox;
    m_threshold->setObjectName(QStringLiteral("duplicateThreshold"));
    m_threshold->setRange(0.80, 1.0);
    m_threshold->setDecimals(3);
    m_threshold->setSingleStep(0.005);
    m_threshold->setValue(explore::kDefaultDuplicateThreshold);
    m_threshold->setToolTip(tr("Pairs whose CLIP embeddings have at least this cosine similarity. 1 is identical; "
                               "0.97 finds resized, recompressed or slightly cropped copies."));
    m_find = new QPushButton(tr("&Find"));
    m_find->setDefault(true);
    auto* thresholdLabel = new QLabel(tr("&Cosine at least:"));
    thresholdLabel->setBuddy(m_threshold);
    auto* top = new QHBoxLayout;
    top->addWidget(thresholdLabel);
    top->addWidget(m_threshold);
    top->addWidget(m_find);
    top->addStretch(1);

    m_pairs->setHorizontalHeaderLabels({tr("Image"), tr("Near-duplicate"), tr("Cosine"), tr("Splits"), tr("Labels")});
    m_pairs->horizontalHeaderItem(SplitsColumn)
        ->setToolTip(tr("⚠ marks a pair across splits: the validation or test copy of a training image makes the "
                        "accuracy measured on it look better than it is."));
    m_table = new QTableView;
    m_table->setModel(m_pairs);
    m_table->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
    m_table->verticalHeader()->setDefaultSectionSize(kThumbnailSide + 6);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_summary = new QLabel(tr("Press Find to list pairs of near-identical images."));
    m_summary->setObjectName(QStringLiteral("duplicatesSummary"));
    m_summary->setWordWrap(true);

    m_excludeFirst = new QPushButton(tr("Exclude &Image"));
    m_excludeFirst->setToolTip(tr("Exclude the left image of the selected pairs from training and evaluation (A)."));
    m_excludeSecond = new QPushButton(tr("Exclude &Near-Duplicate"));
    m_excludeSecond->setToolTip(tr("Exclude the right image of the selected pairs (B)."));
    m_excludeCrossing = new QPushButton(tr("Exclude &Copies Across Splits"));
    m_excludeCrossing->setToolTip(tr("For every pair across splits, exclude the validation or test copy (the "
                                     "training copy stays): one step, undone with Ctrl+Z."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_excludeFirst, QDialogButtonBox::ActionRole);
    buttons->addButton(m_excludeSecond, QDialogButtonBox::ActionRole);
    buttons->addButton(m_excludeCrossing, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    connect(m_find, &QPushButton::clicked, this, &DuplicatesDialog::find);
    connect(m_excludeFirst, &QPushButton::clicked, this, [this] { excludeSide(0); });
    connect(m_excludeSecond, &QPushButton::clicked, this, [this] { excludeSide(1); });
    connect(m_excludeCrossing, &QPushButton::clicked, this, &DuplicatesDialog::excludeCrossing);
    auto* keyA = new QShortcut(QKeySequence(Qt::Key_A), this);
    connect(keyA, &QShortcut::activated, this, [this] { excludeSide(0); });
    auto* keyB = new QShortcut(QKeySequence(Qt::Key_B), this);
    connect(keyB, &QShortcut::activated, this, [this] { excludeSide(1); });

    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, [this](qint64 imageId) {
        for (int row = 0; row < m_pairs->rowCount(); ++row)
            for (int column : {FirstColumn, SecondColumn}) {
                QStandardItem* item = m_pairs->item(row, column);
                const int role = column == FirstColumn ? FirstIdRole : SecondIdRole;
                if (item->data(role).toLongLong() == imageId)
                    item->setIcon(m_thumbnails->thumbnail(imageId, item->toolTip()));
            }
    });
    connect(m_jobs, &JobRunner::posted, this, [this](const QString& kind, const QVariant& payload) {
        if (m_ownJob && kind == kPostPairs)
            showPairs(payload);
    });
    connect(m_jobs, &JobRunner::finished, this, [this](const QString& name, bool ok, bool, const QString& error) {
        if (!m_ownJob || name != jobName())
            return;
        m_ownJob = false;
        m_find->setEnabled(true);
        if (!ok)
            m_summary->setText(error);
        Q_EMIT searchFinished(ok);
    });
    connect(m_session, &ProjectSession::datasetChanged, this, &DuplicatesDialog::refreshExcluded);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const bool any = m_table->selectionModel()->hasSelection();
        m_excludeFirst->setEnabled(any);
        m_excludeSecond->setEnabled(any);
    });
    m_excludeFirst->setEnabled(false);
    m_excludeSecond->setEnabled(false);
    m_excludeCrossing->setEnabled(false);
    resize(900, 640);
}

DuplicatesDialog::~DuplicatesDialog() = default;

qint64 DuplicatesDialog::firstImage(int row) const
{
    return m_pairs->item(row, FirstColumn)->data(FirstIdRole).toLongLong();
}

qint64 DuplicatesDialog::secondImage(int row) const
{
    return m_pairs->item(row, SecondColumn)->data(SecondIdRole).toLongLong();
}

qint64 DuplicatesDialog::copyToExclude(int row) const
{
    return m_pairs->item(row, SplitsColumn)->data(DropIdRole).toLongLong();
}

bool DuplicatesDialog::find()
{
    if (!m_session->isOpen() || m_ownJob)
        return false;
    const std::string path = m_session->path().toStdString();
    const float threshold = static_cast<float>(m_threshold->value());
    if (!m_jobs->start(jobName(),
                       [path, threshold](JobContext& context) { return findPairsJob(context, path, threshold); })) {
        m_summary->setText(
            tr("Another task (%1) is running; press Find when it has finished.").arg(m_jobs->currentJob()));
        return false;
    }
    m_ownJob = true;
    m_find->setEnabled(false);
    m_summary->setText(tr("Comparing every image with every other…"));
    return true;
}

void DuplicatesDialog::showPairs(const QVariant& payload)
{
    const QVariantMap result = payload.toMap();
    m_pairs->removeRows(0, m_pairs->rowCount());
    for (const auto& value : result.value(QStringLiteral("rows")).toList()) {
        const QVariantMap row = value.toMap();
        const QString pathA = row.value(QStringLiteral("pathA")).toString();
        const QString pathB = row.value(QStringLiteral("pathB")).toString();
        const qint64 a = row.value(QStringLiteral("a")).toLongLong();
        const qint64 b = row.value(QStringLiteral("b")).toLongLong();
        auto* first = new QStandardItem(QFileInfo(pathA).fileName());
        first->setToolTip(pathA);
        first->setData(a, FirstIdRole);
        first->setIcon(m_thumbnails->thumbnail(a, pathA));
        auto* second = new QStandardItem(QFileInfo(pathB).fileName());
        second->setToolTip(pathB);
        second->setData(b, SecondIdRole);
        second->setIcon(m_thumbnails->thumbnail(b, pathB));
        auto* cosine = new QStandardItem(QString::number(row.value(QStringLiteral("cosine")).toDouble(), 'f', 4));
        cosine->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        const bool crosses = row.value(QStringLiteral("crosses")).toBool();
        const QString splits = tr("%1 / %2").arg(row.value(QStringLiteral("splitA")).toString(),
                                                 row.value(QStringLiteral("splitB")).toString());
        auto* splitItem = new QStandardItem(crosses ? QStringLiteral("⚠ ") + splits : splits);
        splitItem->setData(crosses, CrossesRole);
        splitItem->setData(row.value(QStringLiteral("drop")).toLongLong(), DropIdRole);
        if (crosses) {
            splitItem->setToolTip(tr("Across splits: the %1 copy inflates the accuracy measured on it.")
                                      .arg(row.value(QStringLiteral("splitA")).toString() == tr("train")
                                               ? row.value(QStringLiteral("splitB")).toString()
                                               : row.value(QStringLiteral("splitA")).toString()));
            QFont bold = splitItem->font();
            bold.setBold(true);
            splitItem->setFont(bold);
        }
        const QString labelA = row.value(QStringLiteral("labelA")).toString();
        const QString labelB = row.value(QStringLiteral("labelB")).toString();
        auto* labels = new QStandardItem(labelA == labelB ? labelA : tr("%1 / %2").arg(labelA, labelB));
        if (labelA != labelB)
            labels->setToolTip(tr("The two copies carry different labels: at least one is wrong."));
        m_pairs->appendRow({first, second, cosine, splitItem, labels});
    }
    m_table->resizeColumnsToContents();
    const int total = result.value(QStringLiteral("total")).toInt();
    const int crossing = result.value(QStringLiteral("crossing")).toInt();
    QString text = tr("%n pair(s) at cosine ≥ %1 among %2 images", nullptr, total)
                       .arg(result.value(QStringLiteral("threshold")).toDouble(), 0, 'f', 3)
                       .arg(result.value(QStringLiteral("images")).toInt());
    if (crossing > 0)
        text +=
            QStringLiteral("; ") + tr("%n across splits (they inflate validation or test accuracy)", nullptr, crossing);
    text += QLatin1Char('.');
    if (total > kPairsShown)
        text +=
            QLatin1Char(' ') + tr("The %1 most similar are listed; raise the threshold to see fewer.").arg(kPairsShown);
    const int notEncoded = result.value(QStringLiteral("notEncoded")).toInt();
    if (notEncoded > 0)
        text += QLatin1Char(' ')
                + tr("%n image(s) are not encoded yet and were not compared (training or the Map page encodes them).",
                     nullptr, notEncoded);
    m_summary->setText(text);
    refreshExcluded();
}

void DuplicatesDialog::refreshExcluded()
{
    std::set<qint64> excluded;
    if (m_session->isOpen())
        if (auto images = m_session->project()->images(); images)
            for (const auto& image : images.value())
                if (image.excluded)
                    excluded.insert(image.id);
    bool crossingLeft = false;
    for (int row = 0; row < m_pairs->rowCount(); ++row) {
        for (int column : {FirstColumn, SecondColumn}) {
            QStandardItem* item = m_pairs->item(row, column);
            const qint64 id = column == FirstColumn ? firstImage(row) : secondImage(row);
            QFont font = item->font();
            font.setStrikeOut(excluded.count(id) > 0);
            item->setFont(font);
        }
        const qint64 drop = copyToExclude(row);
        crossingLeft = crossingLeft || (drop != 0 && excluded.count(drop) == 0);
    }
    m_excludeCrossing->setEnabled(crossingLeft);
}

void DuplicatesDialog::exclude(const QList<qint64>& imageIds)
{
    if (imageIds.isEmpty() || !m_session->isOpen())
        return;
    m_undoStack->push(new SetImagesExcludedCommand(m_session, imageIds, true));
}

void DuplicatesDialog::excludeSide(int side)
{
    QList<qint64> ids;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) {
        const qint64 id = side == 0 ? firstImage(index.row()) : secondImage(index.row());
        if (!ids.contains(id))
            ids << id;
    }
    exclude(ids);
}

void DuplicatesDialog::excludeCrossing()
{
    QList<qint64> ids;
    for (int row = 0; row < m_pairs->rowCount(); ++row) {
        const qint64 drop = copyToExclude(row);
        if (drop != 0 && !ids.contains(drop))
            ids << drop;
    }
    exclude(ids);
}

} // namespace aape::ui
