#pragma once
// The aggregator's attention of one run over one class's descriptions for one image, as a
// table model (weight, description text): either the aggregator's own weights (the default, as
// in the paper's Figure 7) or those weights blended with how well each description matches the
// image under CLIP. GUI thread only.

#include <QAbstractTableModel>

#include <cstdint>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

class PromptAttentionModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Weight, Description, ColumnCount };
    enum Role { WeightRole = Qt::UserRole + 1, DescriptionIdRole };
    enum class Weighting { Aggregator, Blended };

    explicit PromptAttentionModel(QObject* parent = nullptr);

    // Rows are the class's descriptions in their order; descriptions the store has no weight
    // for get 0. A null project or ids <= 0 empty the model.
    void refresh(store::Project* project, std::int64_t runId, std::int64_t imageId, std::int64_t classId);
    void clear();
    // Which weights WeightRole and the Weight column show.
    void setWeighting(Weighting weighting);
    Weighting weighting() const { return m_weighting; }

    std::int64_t classId() const { return m_classId; }
    QString className() const { return m_className; }
    // Whether the store has weights of the current weighting for this image and class (the
    // aggregator's own weights are missing from evaluations made before they were stored).
    bool hasWeights() const { return m_weighting == Weighting::Aggregator ? m_hasOwnWeights : m_hasWeights; }
    bool ownWeightsMissing() const { return m_weighting == Weighting::Aggregator && m_hasWeights && !m_hasOwnWeights; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        std::int64_t descriptionId = 0;
        QString text;
        double weight = 0.0;
        double ownWeight = 0.0;
    };
    double shown(const Row& row) const { return m_weighting == Weighting::Aggregator ? row.ownWeight : row.weight; }

    std::vector<Row> m_rows;
    std::int64_t m_classId = 0;
    QString m_className;
    bool m_hasWeights = false;
    bool m_hasOwnWeights = false;
    Weighting m_weighting = Weighting::Aggregator;
};

} // namespace aape::ui
