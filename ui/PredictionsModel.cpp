#include "PredictionsModel.h"

#include "aape/store/Project.h"

#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QImageReader>
#include <QPalette>

#include <algorithm>

namespace aape::ui {

namespace {
constexpr int kThumbnail = 40;
} // namespace

PredictionsModel::PredictionsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

void PredictionsModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_rows.clear();
    m_classNames.clear();
    m_images.clear();
    m_thumbnails.clear();
    m_oodThreshold = 0.0;
    m_runId = runId;
    if (project && runId > 0) {
        if (auto rows = project->predictions(runId))
            m_rows = std::move(rows).value();
        if (auto classes = project->classes())
            for (const auto& cls : classes.value())
                m_classNames[cls.id] = QString::fromStdString(cls.name);
        if (auto images = project->images())
            for (const auto& image : images.value())
                m_images[image.id] = {QString::fromStdString(image.path), image.classId, image.excluded};
        if (!m_rows.empty()) {
            std::vector<double> scores;
            scores.reserve(m_rows.size());
            for (const auto& row : m_rows)
                scores.push_back(row.oodScore);
            const auto nth = scores.begin() + static_cast<std::ptrdiff_t>(scores.size() * 9 / 10);
            std::nth_element(scores.begin(), nth, scores.end());
            m_oodThreshold = *nth;
        }
    }
    endResetModel();
}

int PredictionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PredictionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PredictionsModel::className(std::int64_t classId) const
{
    const auto it = m_classNames.find(classId);
    return it == m_classNames.end() ? tr("(class %1)").arg(classId) : it->second;
}

QString PredictionsModel::imagePath(std::int64_t imageId) const
{
    const ImageState* image = state(imageId);
    return image ? image->path : QString();
}

const PredictionsModel::ImageState* PredictionsModel::state(std::int64_t imageId) const
{
    const auto it = m_images.find(imageId);
    return it == m_images.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> PredictionsModel::currentClassId(int row) const
{
    const auto& p = prediction(row);
    const ImageState* image = state(p.imageId);
    return image ? image->classId : p.trueClassId;
}

bool PredictionsModel::isExcluded(int row) const
{
    const ImageState* image = state(prediction(row).imageId);
    return image && image->excluded;
}

bool PredictionsModel::isRelabelled(int row) const
{
    return currentClassId(row) != prediction(row).trueClassId;
}

void PredictionsModel::refreshImageStates(store::Project* project)
{
    if (!project || m_rows.empty())
        return;
    auto images = project->images();
    auto classes = project->classes();
    if (!images || !classes)
        return;
    std::map<std::int64_t, QString> names;
    for (const auto& cls : classes.value())
        names[cls.id] = QString::fromStdString(cls.name);
    const bool renamed = names != m_classNames;
    m_classNames = std::move(names);
    std::map<std::int64_t, ImageState> fresh;
    for (const auto& image : images.value())
        fresh[image.id] = {QString::fromStdString(image.path), image.classId, image.excluded};
    std::swap(fresh, m_images);
    if (renamed) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    // Only the rows whose image changed, so that the filter proxy re-checks a few rows, not all.
    for (int row = 0; row < rowCount(); ++row) {
        const std::int64_t id = m_rows[static_cast<std::size_t>(row)].imageId;
        const auto before = fresh.find(id);
        const ImageState* now = state(id);
        const bool same =
            (before == fresh.end()) == (now == nullptr)
            && (!now || (before->second.classId == now->classId && before->second.excluded == now->excluded));
        if (!same)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

QVariant PredictionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& p = m_rows[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    switch (role) {
    case ImageIdRole: return QVariant::fromValue<qint64>(p.imageId);
    case PathRole: return imagePath(p.imageId);
    case TrueClassIdRole: return QVariant::fromValue<qint64>(p.trueClassId.value_or(-1));
    case PredictedClassIdRole: return QVariant::fromValue<qint64>(p.predictedClassId);
    case ZeroShotClassIdRole: return QVariant::fromValue<qint64>(p.zeroShotClassId.value_or(-1));
    case CurrentClassIdRole: return QVariant::fromValue<qint64>(currentClassId(index.row()).value_or(-1));
    case RelabelledRole: return isRelabelled(index.row());
    case ExcludedRole: return isExcluded(index.row());
    case SortRole:
        switch (column) {
        case Probability: return p.probability;
        case OodScore: return p.oodScore;
        case CosTemplate: return p.cosTemplate;
        case CosAape: return p.cosAape;
        case TrueClass: {
            const auto current = currentClassId(index.row());
            return current ? className(*current) : tr("(unlabelled)");
        }
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (column) {
        case Image: {
            // Folder-per-class datasets reuse file names, so show the folder too.
            const QFileInfo info(imagePath(p.imageId));
            const QString name = info.dir().dirName() + QLatin1Char('/') + info.fileName();
            return isExcluded(index.row()) ? tr("[excluded] %1").arg(name) : name;
        }
        case TrueClass: {
            const auto current = currentClassId(index.row());
            const QString now = current ? className(*current) : tr("(unlabelled)");
            // Marked, so that a relabel made here shows in its row at a glance.
            return isRelabelled(index.row()) ? QStringLiteral("✎ ") + now : now;
        }
        case Predicted: return className(p.predictedClassId);
        case Probability: return QString::number(p.probability, 'f', 3);
        case OodScore: return QString::number(p.oodScore, 'f', 3);
        case CosTemplate: return QString::number(p.cosTemplate, 'f', 3);
        case CosAape: return QString::number(p.cosAape, 'f', 3);
        case ZeroShot: return p.zeroShotClassId ? className(*p.zeroShotClassId) : QString();
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (column >= Probability && column <= CosAape)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (column == TrueClass && isRelabelled(index.row())) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (isExcluded(index.row()))
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::ToolTipRole:
        // Class names are long (car models): every class cell shows its name in full here.
        switch (column) {
        case Image:
            if (isExcluded(index.row()))
                return tr("%1\nExcluded: it takes no part in training or evaluation from now on. This run was "
                          "evaluated before.")
                    .arg(imagePath(p.imageId));
            return imagePath(p.imageId);
        case TrueClass: {
            const auto current = currentClassId(index.row());
            const QString now = current ? className(*current) : tr("(unlabelled)");
            if (isRelabelled(index.row()))
                return tr("Labelled %1 now; this run was evaluated when it was labelled %2. Train again to use the "
                          "new label.")
                    .arg(now, p.trueClassId ? className(*p.trueClassId) : tr("(unlabelled)"));
            return now;
        }
        case Predicted:
            if (p.trueClassId && *p.trueClassId != p.predictedClassId)
                return tr("%1. Misclassified: the image was labelled %2.")
                    .arg(className(p.predictedClassId), className(*p.trueClassId));
            return className(p.predictedClassId);
        case ZeroShot: return p.zeroShotClassId ? className(*p.zeroShotClassId) : QString();
        default: return {};
        }
    case Qt::DecorationRole: {
        if (column != Image)
            return {};
        if (auto* cached = m_thumbnails.object(p.imageId))
            return *cached;
        // Only visible rows ask, so thumbnails load lazily as the user scrolls.
        QImageReader reader(imagePath(p.imageId));
        reader.setAutoTransform(true);
        // Device pixels on a HiDPI screen, so that the thumbnail is sharp there.
        const qreal dpr = qGuiApp ? qGuiApp->devicePixelRatio() : 1.0;
        const QSize size = reader.size();
        if (size.isValid())
            reader.setScaledSize(size.scaled(qRound(kThumbnail * dpr), qRound(kThumbnail * dpr), Qt::KeepAspectRatio));
        const QImage image = reader.read();
        auto* pixmap = new QPixmap(image.isNull() ? QPixmap() : QPixmap::fromImage(image));
        pixmap->setDevicePixelRatio(dpr);
        m_thumbnails.insert(p.imageId, pixmap);
        return *pixmap;
    }
    default: return {};
    }
}

QVariant PredictionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Probability: return tr("How sure the adapted model is of its prediction (softmax probability).");
        case OodScore:
            return tr("OOD score (our addition, not in the paper): higher means the image looks less like any class "
                      "seen in training.");
        case CosTemplate: return templateSimilarityExplanation();
        case CosAape: return aapeSimilarityExplanation();
        case ZeroShot: return tr("What CLIP predicts with the plain templates alone, before adaptation.");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Image: return tr("Image");
    case TrueClass: return tr("True class");
    case Predicted: return tr("Predicted");
    case Probability: return tr("Probability");
    case OodScore: return tr("OOD score");
    case CosTemplate: return tr("cos template");
    case CosAape: return tr("cos AAPE");
    case ZeroShot: return tr("Zero-shot");
    default: return {};
    }
}

QString PredictionsModel::templateSimilarityExplanation()
{
    return tr("Similarity to the template prompt: how well the image matches the plain sentence “a photo of a "
              "<class>.” for the predicted class, as CLIP sees it without any adaptation. 1 would be a perfect "
              "match and 0 no relation; CLIP's image–text similarities are small (often 0.2 to 0.35), so compare "
              "values between images instead of reading them as percentages.");
}

QString PredictionsModel::aapeSimilarityExplanation()
{
    return tr("Similarity to the AAPE prompt: how well the image matches the predicted class as the adapted model "
              "sees it for this very image: the class name combined with the prompt AAPE generated from the image, "
              "which carries what the class descriptions taught it. The model predicts the class with the highest "
              "such similarity. 1 would be a perfect match; compare it between images, and with the similarity to "
              "the template prompt: higher means adaptation brought the class closer to this image.");
}

PredictionsFilterProxy::PredictionsFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(PredictionsModel::SortRole);
}

void PredictionsFilterProxy::setFilter(Filter filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateFilter();
}

void PredictionsFilterProxy::setCell(std::optional<std::pair<std::int64_t, std::int64_t>> cell)
{
    if (cell == m_cell)
        return;
    m_cell = cell;
    invalidateFilter();
}

void PredictionsFilterProxy::setTrueClass(std::optional<std::int64_t> classId)
{
    if (classId == m_trueClass)
        return;
    m_trueClass = classId;
    invalidateFilter();
}

void PredictionsFilterProxy::setImages(std::optional<QSet<qint64>> imageIds)
{
    if (!m_images && !imageIds)
        return;
    m_images = std::move(imageIds);
    invalidateRowsFilter();
}

bool PredictionsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    auto* model = qobject_cast<const PredictionsModel*>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const auto& p = model->prediction(sourceRow);
    if (m_images && !m_images->contains(p.imageId))
        return false;
    const std::int64_t truth = p.trueClassId.value_or(-1);
    if (m_cell && (truth != m_cell->first || p.predictedClassId != m_cell->second))
        return false;
    if (m_trueClass && truth != *m_trueClass)
        return false;
    const bool labelled = p.trueClassId.has_value();
    const bool right = labelled && truth == p.predictedClassId;
    const bool zeroShotRight = labelled && p.zeroShotClassId && *p.zeroShotClassId == truth;
    switch (m_filter) {
    case Filter::All: return true;
    case Filter::Misclassified: return labelled && !right;
    case Filter::LowConfidence: return p.probability < kLowConfidence;
    case Filter::HighOod: return p.oodScore >= model->highOodThreshold();
    case Filter::FixedByAdaptation: return right && p.zeroShotClassId && !zeroShotRight;
    case Filter::BrokenByAdaptation: return labelled && !right && zeroShotRight;
    }
    return true;
}

} // namespace aape::ui
