#include "PredictionsModel.h"

#include "aape/store/Project.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageReader>

#include <algorithm>

namespace aape::ui {

namespace {
constexpr int kThumbnail = 40;
}

PredictionsModel::PredictionsModel(QObject* parent) : QAbstractTableModel(parent) {}

void PredictionsModel::refresh(store::Project* project, std::int64_t runId)
{
    beginResetModel();
    m_rows.clear();
    m_classNames.clear();
    m_paths.clear();
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
                m_paths[image.id] = QString::fromStdString(image.path);
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
    const auto it = m_paths.find(imageId);
    return it == m_paths.end() ? QString() : it->second;
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
    case SortRole:
        switch (column) {
        case Probability: return p.probability;
        case OodScore: return p.oodScore;
        case CosTemplate: return p.cosTemplate;
        case CosAape: return p.cosAape;
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (column) {
        case Image: {
            // Folder-per-class datasets reuse file names, so show the folder too.
            const QFileInfo info(imagePath(p.imageId));
            return info.dir().dirName() + QLatin1Char('/') + info.fileName();
        }
        case TrueClass: return p.trueClassId ? className(*p.trueClassId) : tr("(unlabelled)");
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
    case Qt::ToolTipRole:
        if (column == Image)
            return imagePath(p.imageId);
        if (column == Predicted && p.trueClassId && *p.trueClassId != p.predictedClassId)
            return tr("Misclassified: the image is labelled %1.").arg(className(*p.trueClassId));
        return {};
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
        case CosTemplate: return tr("Cosine similarity of the image to the predicted class's plain template prompt.");
        case CosAape: return tr("Cosine similarity of the image to the predicted class's adapted (AAPE) prompt.");
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

PredictionsFilterProxy::PredictionsFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
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

bool PredictionsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    auto* model = qobject_cast<const PredictionsModel*>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const auto& p = model->prediction(sourceRow);
    const std::int64_t truth = p.trueClassId.value_or(-1);
    if (m_cell && (truth != m_cell->first || p.predictedClassId != m_cell->second))
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
