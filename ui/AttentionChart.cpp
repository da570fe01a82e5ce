#include "AttentionChart.h"

#include "LossPlot.h"
#include "PromptAttentionModel.h"

#include <QPainter>

#include <algorithm>

namespace aape::ui {

namespace {
constexpr int kBarWidth = 150;
constexpr int kPercentWidth = 52;
constexpr int kGap = 8;
constexpr int kRowSpacing = 4;
} // namespace

AttentionChart::AttentionChart(QWidget* parent)
    : QWidget(parent)
{
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setToolTip(tr("How much the description aggregator relied on each description of the class. Longer bars: "
                  "descriptions that shaped the learned prompt more."));
}

void AttentionChart::setSections(const std::vector<std::pair<QString, PromptAttentionModel*>>& sections)
{
    for (auto& [title, model] : m_models)
        if (model)
            disconnect(model, nullptr, this, nullptr);
    m_models.clear();
    for (const auto& [title, model] : sections) {
        m_models.emplace_back(title, model);
        connect(model, &QAbstractItemModel::modelReset, this, &AttentionChart::reload);
    }
    reload();
}

void AttentionChart::reload()
{
    m_sections.clear();
    for (const auto& [title, model] : m_models) {
        if (!model)
            continue;
        Section section;
        section.title = title;
        section.hasWeights = model->hasWeights();
        section.ownWeightsMissing = model->ownWeightsMissing();
        for (int row = 0; row < model->rowCount(); ++row) {
            const auto weight = model->index(row, PromptAttentionModel::Weight);
            const auto text = model->index(row, PromptAttentionModel::Description);
            section.bars.push_back({weight.data(PromptAttentionModel::WeightRole).toDouble(), text.data().toString()});
        }
        std::stable_sort(section.bars.begin(), section.bars.end(),
                         [](const Bar& a, const Bar& b) { return a.weight > b.weight; });
        m_sections.push_back(std::move(section));
    }
    updateGeometry();
    update();
}

QStringList AttentionChart::sectionTitles() const
{
    QStringList titles;
    for (const auto& section : m_sections)
        titles.append(section.title);
    return titles;
}

std::vector<std::pair<QString, double>> AttentionChart::bars(int section) const
{
    std::vector<std::pair<QString, double>> result;
    if (section < 0 || section >= int(m_sections.size()))
        return result;
    for (const auto& bar : m_sections[std::size_t(section)].bars)
        result.emplace_back(bar.text, bar.weight);
    return result;
}

int AttentionChart::layoutHeight(int width, QPainter* painter) const
{
    const QFontMetrics metrics(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const int textWidth = qMax(80, width - kBarWidth - kPercentWidth - 2 * kGap);
    const QColor bar = curveColour(4);
    int y = 0;
    for (const auto& section : m_sections) {
        if (painter) {
            painter->setFont(bold);
            painter->setPen(palette().color(QPalette::WindowText));
            painter->drawText(QRect(0, y, width, boldMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                              section.title);
        }
        y += boldMetrics.height() + kRowSpacing;
        if (!section.hasWeights) {
            const QString note = section.bars.empty() ? tr("This class has no descriptions.")
                                 : section.ownWeightsMissing
                                     ? tr("This run was evaluated before the aggregator's own weights were stored: "
                                          "evaluate it again (aape eval), or show the blended weights.")
                                     : tr("No attention was recorded for this image and class.");
            const QRect noteRect =
                metrics.boundingRect(QRect(0, 0, width, 10 * metrics.height()), Qt::TextWordWrap, note);
            if (painter) {
                painter->setFont(font());
                painter->setPen(palette().color(QPalette::PlaceholderText));
                painter->drawText(QRect(0, y, width, noteRect.height()), Qt::AlignLeft | Qt::TextWordWrap, note);
            }
            y += noteRect.height() + 2 * kRowSpacing;
            continue;
        }
        double maxWeight = 0.0;
        for (const auto& b : section.bars)
            maxWeight = std::max(maxWeight, b.weight);
        for (const auto& b : section.bars) {
            const QRect textRect = metrics.boundingRect(QRect(0, 0, textWidth, 10000), Qt::TextWordWrap, b.text);
            const int rowHeight = qMax(metrics.height(), textRect.height());
            if (painter) {
                const int barHeight = metrics.height() - 4;
                const QRect track(0, y + 2, kBarWidth, barHeight);
                QColor trackColour = palette().color(QPalette::Mid);
                trackColour.setAlpha(60);
                painter->fillRect(track, trackColour);
                const int length = maxWeight > 0 ? qRound(kBarWidth * b.weight / maxWeight) : 0;
                painter->fillRect(QRect(0, y + 2, length, barHeight), bar);
                painter->setFont(font());
                painter->setPen(palette().color(QPalette::WindowText));
                painter->drawText(QRect(kBarWidth + kGap / 2, y, kPercentWidth, metrics.height()),
                                  Qt::AlignRight | Qt::AlignVCenter,
                                  QStringLiteral("%1%").arg(b.weight * 100.0, 0, 'f', 1));
                painter->drawText(QRect(kBarWidth + kPercentWidth + 2 * kGap, y, textWidth, rowHeight),
                                  Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, b.text);
            }
            y += rowHeight + kRowSpacing;
        }
        y += kRowSpacing * 2;
    }
    return y;
}

int AttentionChart::heightForWidth(int width) const
{
    return layoutHeight(width, nullptr);
}

QSize AttentionChart::sizeHint() const
{
    return {420, qMax(60, heightForWidth(420))};
}

QSize AttentionChart::minimumSizeHint() const
{
    return {kBarWidth + kPercentWidth + 120, 40};
}

void AttentionChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    layoutHeight(width(), &painter);
}

} // namespace aape::ui
