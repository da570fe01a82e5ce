#pragma once
// Table model of one run's predictions (image, true and predicted class, probability, OOD
// score, similarities, zero-shot prediction) and the proxy that filters it for the inspect
// page. GUI thread only.

#include "aape/store/Records.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QPixmap>
#include <QSortFilterProxyModel>

#include <map>
#include <optional>
#include <vector>

namespace aape::store {
class Project;
}

namespace aape::ui {

class PredictionsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Image, TrueClass, Predicted, Probability, OodScore, CosTemplate, CosAape, ZeroShot, ColumnCount };
    enum Role {
        ImageIdRole = Qt::UserRole + 1,
        PathRole,
        TrueClassIdRole,   // -1 when unlabelled
        PredictedClassIdRole,
        ZeroShotClassIdRole,  // -1 when unknown
        SortRole,
    };

    explicit PredictionsModel(QObject* parent = nullptr);

    // Loads the run's predictions; runId <= 0 or a null project empties the model.
    void refresh(store::Project* project, std::int64_t runId);
    std::int64_t runId() const { return m_runId; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const store::PredictionRecord& prediction(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    QString className(std::int64_t classId) const;
    QString imagePath(std::int64_t imageId) const;
    const std::map<std::int64_t, QString>& classNames() const { return m_classNames; }
    // Score above which an image counts as "high OOD": the 90th percentile of this run.
    double highOodThreshold() const { return m_oodThreshold; }

private:
    std::int64_t m_runId = 0;
    std::vector<store::PredictionRecord> m_rows;
    std::map<std::int64_t, QString> m_classNames;
    std::map<std::int64_t, QString> m_paths;
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
    // Restricts to one confusion-matrix cell; nullopt clears it.
    void setCell(std::optional<std::pair<std::int64_t, std::int64_t>> cell);
    std::optional<std::pair<std::int64_t, std::int64_t>> cell() const { return m_cell; }
    static constexpr double kLowConfidence = 0.5;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Filter m_filter = Filter::All;
    std::optional<std::pair<std::int64_t, std::int64_t>> m_cell;
};

} // namespace aape::ui
