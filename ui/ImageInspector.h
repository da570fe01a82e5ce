#pragma once
// One prediction in detail: the original image with the model's crop box, the model's view
// enlarged pixel for pixel, top-5 classes, OOD score, similarities (explained in their
// tooltips and What's This), the image's label state now, the descriptions of all classes it
// looks most like, and the aggregator's attention over the descriptions. GUI thread only.

#include "aape/store/Records.h"
#include "aape/workflow/DescriptionFlags.h"

#include <QWidget>

#include <map>

class QComboBox;
class QLabel;

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

class AttentionChart;
class PromptAttentionModel;

class ImageInspector final : public QWidget {
    Q_OBJECT
public:
    explicit ImageInspector(QWidget* parent = nullptr);

    void showPrediction(store::Project* project, std::int64_t runId, const store::PredictionRecord& prediction,
                        const QString& imagePath, const std::map<std::int64_t, QString>& classNames);
    void clear();
    // A line under the title about the image as it is now (relabelled, excluded) and how to
    // fix its label; plain text, empty hides it.
    void setNote(const QString& text);
    QString note() const;

    std::int64_t imageId() const { return m_imageId; }
    PromptAttentionModel* predictedAttention() const { return m_predictedAttention; }
    PromptAttentionModel* trueAttention() const { return m_trueAttention; }
    AttentionChart* chart() const { return m_chart; }
    QComboBox* attentionWeighting() const { return m_weighting; }
    QLabel* looksLike() const { return m_looksLike; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    int modelInputSize(store::Project* project);
    void showLooksLike(store::Project* project, std::int64_t runId, std::int64_t imageId);

    QLabel* m_title = nullptr;
    QLabel* m_original = nullptr;
    QLabel* m_modelView = nullptr;
    QLabel* m_scores = nullptr;
    QLabel* m_note = nullptr;
    QLabel* m_ood = nullptr;
    QLabel* m_cosTemplate = nullptr;
    QLabel* m_cosAape = nullptr;
    QLabel* m_zeroShot = nullptr;
    QLabel* m_looksLike = nullptr;
    // The project's descriptions under the run's cache key, read again when the key or the
    // descriptions change.
    workflow::DescriptionBank m_bank;
    std::string m_bankKey;
    std::vector<std::int64_t> m_bankDescriptionIds;
    AttentionChart* m_chart = nullptr;
    QComboBox* m_weighting = nullptr;
    PromptAttentionModel* m_predictedAttention = nullptr;
    PromptAttentionModel* m_trueAttention = nullptr;
    std::int64_t m_imageId = 0;
    QString m_sizeForModel;
    int m_inputSize = 224;
};

} // namespace aape::ui
