#pragma once
// Horizontal bar chart of the aggregator's attention over a class's descriptions, with each
// description's full text beside its bar; shows one or two PromptAttentionModels (predicted
// class, and true class when different). GUI thread only.

#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace aape::ui {

class PromptAttentionModel;

class AttentionChart final : public QWidget {
    Q_OBJECT
public:
    explicit AttentionChart(QWidget* parent = nullptr);

    // Sections are drawn in order under their titles; models must outlive the chart's use.
    void setSections(const std::vector<std::pair<QString, PromptAttentionModel*>>& sections);

    // What is drawn: section titles, and per section its (description, weight) bars, largest
    // weight first.
    QStringList sectionTitles() const;
    std::vector<std::pair<QString, double>> bars(int section) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Bar {
        double weight = 0.0;
        QString text;
    };
    struct Section {
        QString title;
        std::vector<Bar> bars; // by weight, largest first
        bool hasWeights = false;
        bool ownWeightsMissing = false;
    };
    void reload();
    int layoutHeight(int width, QPainter* painter) const;

    std::vector<std::pair<QString, QPointer<PromptAttentionModel>>> m_models;
    std::vector<Section> m_sections;
};

} // namespace aape::ui
