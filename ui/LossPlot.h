#pragma once
// Live training curves of one run (losses above, accuracies below) on QCustomPlot, with
// replots coalesced to at most 10 a second. GUI thread only.

#include "aape/aape/EpochMetrics.h"

#include <QColor>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCPLegend;

namespace aape::ui {

// Data colours (Okabe-Ito): distinguishable for colour-blind readers and on light and dark
// backgrounds alike.
QColor curveColour(int index);
// Axes, grid and text follow the widget's palette (light or dark theme).
void applyPaletteToPlot(QCustomPlot* plot, const QPalette& palette);
// Epoch axes tick at whole numbers only (1, 2, 5, 10, ... as the range grows).
void useEpochTicks(QCustomPlot* plot);

class LossPlot final : public QWidget {
    Q_OBJECT
public:
    enum Curve {
        TotalLoss,
        TaskLoss,
        DistillLoss,
        AggReward,
        TrainAccuracy,
        ValAccuracy,
        ZeroShotValidation,
        CurveCount
    };

    explicit LossPlot(QWidget* parent = nullptr);

    void clear();
    // One epoch (metrics.epoch is 0-based, plotted 1-based); replot is scheduled, not immediate.
    void addEpoch(const EpochMetrics& metrics);
    // A flat reference line: zero-shot CLIP's accuracy on the validation images (a fraction);
    // the validation curve should stay above it. Empty hides it.
    void setZeroShotValidation(std::optional<double> accuracy);

    int pointCount(Curve curve) const;
    // Points of the total-loss curve at the last replot: what the user actually sees.
    int plottedPointCount() const { return m_plottedPoints; }
    QCustomPlot* plot() const { return m_plot; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void scheduleReplot();
    void replotNow();

    QCustomPlot* m_plot;
    QCPAxisRect* m_lossRect = nullptr;
    QCPAxisRect* m_accRect = nullptr;
    QCPLegend* m_accLegend = nullptr;
    std::vector<QCPGraph*> m_graphs;
    QTimer m_replotTimer;
    int m_plottedPoints = 0;
    bool m_sparse = true;
    std::optional<double> m_zeroShot;
    static constexpr int kMaxPointsWithDiscs = 150;
};

} // namespace aape::ui
