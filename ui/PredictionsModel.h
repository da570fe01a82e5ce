#pragma once
// Table model of one run's predictions (image, true and predicted class, probability, OOD
// score, similarities, zero-shot prediction) and the proxy that filters it for the inspect
// page. Predictions are what the run's evaluation saw; the True class column and the
// excluded mark show the image as it is now, so that a relabel or exclusion made after the
// evaluation shows in its row. GUI thread only.

#include "aape/store/Records.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QPixmap>
#include <QSet>
#include <QSortFilterProxyModel>

#include <map>
#include <optional>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

class PredictionsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Image, TrueClass, Predicted, Probability, OodScore, CosTemplate, CosAape, ZeroShot, ColumnCount };
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        PathRole,
        TrueClassIdRole, // -1 when unlabelled
        PredictedClassIdRole,
        ZeroShotClassIdRole, // -1 when unknown
        SortRole,
        CurrentClassIdRole, // the image's label now; -1 when unlabelled
        RelabelledRole,     // bool: the label now differs from the one the run was evaluated with
        ExcludedRole,       // bool: the image is excluded now
    };

    explicit PredictionsModel(QObject* parent = nullptr);

    // Loads the run's predictions; runId <= 0 or a null project empties the model.
    void refresh(store::Project* project, std::int64_t runId);
    std::int64_t runId() const { return m_runId; }
    // Re-reads the images' labels and exclusion and the class names after an edit, without a
    // reset (selection and scroll position stay); rows that changed report dataChanged.
    void refreshImageStates(store::Project* project);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const store::PredictionRecord& prediction(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    QString className(std::int64_t classId) const;
    QString imagePath(std::int64_t imageId) const;
    // The image's label now (empty: unlabelled) and whether it is excluded now.
    std::optional<std::int64_t> currentClassId(int row) const;
    bool isExcluded(int row) const;
    bool isRelabelled(int row) const;
    const std::map<std::int64_t, QString>& classNames() const { return m_classNames; }
    // What the similarity columns mean, in plain language (tooltips and What's This here and
    // in the ImageInspector).
    static QString templateSimilarityExplanation();
    static QString aapeSimilarityExplanation();
    // Thumbnails decoded and kept (each one read an image file).
    int thumbnailsLoaded() const { return m_thumbnails.count(); }
    // Score above which an image counts as "high OOD": the 90th percentile of this run.
    double highOodThreshold() const { return m_oodThreshold; }

private:
    std::int64_t m_runId = 0;
    std::vector<store::PredictionRecord> m_rows;
    std::map<std::int64_t, QString> m_classNames;
    struct ImageState {
        QString path;
        std::optional<std::int64_t> classId;
        bool excluded = false;
    };
    const ImageState* state(std::int64_t imageId) const;
    std::map<std::int64_t, ImageState> m_images;
    double m_oodThreshold = 0.0;
    mutable QCache<qint64, QPixmap> m_thumbnails{400};
};

class PredictionsFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Filter { All, Misclassified, LowConfidence, HighOod, FixedByAdaptation, BrokenByAdaptation };

    explicit PredictionsFilterProxy(QObject* parent = nullptr);

    void setFilter(Filter filter);
    Filter filter() const { return m_filter; }
    // Filters and restrictions use the labels the run was evaluated with, so that a row stays
    // where it is when the user relabels its image.
    // Restricts to one confusion-matrix cell; nullopt clears it.
    void setCell(std::optional<std::pair<std::int64_t, std::int64_t>> cell);
    std::optional<std::pair<std::int64_t, std::int64_t>> cell() const { return m_cell; }
    // Restricts to the images of one class (as labelled when the run was evaluated); nullopt clears it.
    void setTrueClass(std::optional<std::int64_t> classId);
    std::optional<std::int64_t> trueClass() const { return m_trueClass; }
    // Restricts to these images (e.g. selected on the map); nullopt clears it.
    void setImages(std::optional<QSet<qint64>> imageIds);
    bool restrictedToImages() const { return m_images.has_value(); }
    static constexpr double kLowConfidence = 0.5;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Filter m_filter = Filter::All;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_cell;
    std::optional<std::int64_t> m_trueClass;
    std::optional<QSet<qint64>> m_images;
};

} // namespace aape::ui
