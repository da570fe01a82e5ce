#include "LossPlot.h"

#include "ExportActions.h"

#include <QEvent>
#include <QVBoxLayout>

#include <qcustomplot.h>

namespace aape::ui {

QColor curveColour(int index)
{
    static const QColor colours[] = {QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9), QColor(0x00, 0x9E, 0x73),
                                     QColor(0xCC, 0x79, 0xA7), QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00),
                                     QColor(0xF0, 0xE4, 0x42), QColor(0x99, 0x99, 0x99)};
    return colours[index % 8];
}

void applyPaletteToPlot(QCustomPlot* plot, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(110);
    plot->setBackground(palette.brush(QPalette::Base));
    for (auto* rect : plot->axisRects()) {
        for (auto* axis : rect->axes()) {
            axis->setBasePen(QPen(text));
            axis->setTickPen(QPen(text));
            axis->setSubTickPen(QPen(text));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
        }
    }
    for (auto* rect : plot->axisRects()) {
        for (auto* element : rect->insetLayout()->elements(false)) {
            if (auto* legend = qobject_cast<QCPLegend*>(element)) {
                legend->setBrush(palette.brush(QPalette::Base));
                legend->setTextColor(text);
                legend->setBorderPen(QPen(grid));
            }
        }
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(text);
}

void useEpochTicks(QCustomPlot* plot)
{
    for (auto* rect : plot->axisRects()) {
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
    }
}

LossPlot::LossPlot(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(320, 260);

    m_plot->plotLayout()->clear();
    m_lossRect = new QCPAxisRect(m_plot);
    m_accRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, m_lossRect);
    m_plot->plotLayout()->addElement(1, 0, m_accRect);
    // Both rects share the epoch axis range and the left margin, so epochs line up.
    auto* margins = new QCPMarginGroup(m_plot);
    m_lossRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_accRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    connect(m_lossRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged),
            m_accRect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::setRange));
    // The reward is a different quantity from the losses (a cosine, up to 1): its own axis.
    m_lossRect->axis(QCPAxis::atLeft)->setLabel(tr("Loss"));
    m_lossRect->axis(QCPAxis::atRight)->setVisible(true);
    m_lossRect->axis(QCPAxis::atRight)->setLabel(tr("Reward"));
    m_lossRect->axis(QCPAxis::atRight)->setRange(0, 1);
    m_accRect->axis(QCPAxis::atLeft)->setLabel(tr("Accuracy (%)"));
    m_accRect->axis(QCPAxis::atBottom)->setLabel(tr("Epoch"));
    m_accRect->axis(QCPAxis::atLeft)->setRange(0, 100);
    m_accRect->axis(QCPAxis::atRight)->setVisible(true);
    m_accRect->axis(QCPAxis::atRight)->setTickLabels(false);

    // Legends above each plot, outside the curves, in columns.
    m_plot->legend = new QCPLegend;
    auto* accLegend = m_accLegend = new QCPLegend;
    for (QCPLegend* legend : {m_plot->legend, accLegend}) {
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        legend->setWrap(4);
        legend->setLayer(QStringLiteral("legend"));
        legend->setVisible(true);
        legend->setMargins(QMargins(2, 2, 2, 2));
    }
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->insertRow(2);
    m_plot->plotLayout()->addElement(2, 0, accLegend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowStretchFactor(2, 0.001);

    const QString names[] = {tr("Total loss"),
                             tr("Task loss (cross-entropy)"),
                             tr("Distillation loss"),
                             tr("Aggregator reward"),
                             tr("Train accuracy"),
                             tr("Validation accuracy"),
                             tr("Zero-shot CLIP (validation)")};
    for (int c = 0; c < CurveCount; ++c) {
        auto* rect = c < TrainAccuracy ? m_lossRect : m_accRect;
        auto* valueAxis = rect->axis(c == AggReward ? QCPAxis::atRight : QCPAxis::atLeft);
        auto* graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), valueAxis);
        graph->setName(names[c]);
        QPen pen(curveColour(c), 2);
        if (c == AggReward || c == ZeroShotValidation)
            pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(
            QCPScatterStyle(c == ZeroShotValidation ? QCPScatterStyle::ssNone : QCPScatterStyle::ssDisc, 4));
        if (c >= TrainAccuracy) {
            // By its plottable: with wrapping, the legend's last cell need not be the last item.
            graph->removeFromLegend(m_plot->legend);
            accLegend->addItem(new QCPPlottableLegendItem(accLegend, graph));
        }
        m_graphs.push_back(graph);
    }
    m_graphs[ZeroShotValidation]->removeFromLegend(accLegend);
    applyPaletteToPlot(m_plot, palette());
    useEpochTicks(m_plot);
    addSavePlotAction(m_plot);

    m_replotTimer.setSingleShot(true);
    m_replotTimer.setInterval(100);
    connect(&m_replotTimer, &QTimer::timeout, this, &LossPlot::replotNow);
}

void LossPlot::clear()
{
    for (auto* graph : m_graphs)
        graph->data()->clear();
    setZeroShotValidation(std::nullopt);
    scheduleReplot();
}

void LossPlot::setZeroShotValidation(std::optional<double> accuracy)
{
    m_zeroShot = accuracy;
    auto* graph = m_graphs[ZeroShotValidation];
    if (accuracy && !m_accLegend->hasItemWithPlottable(graph))
        m_accLegend->addItem(new QCPPlottableLegendItem(m_accLegend, graph));
    else if (!accuracy)
        graph->removeFromLegend(m_accLegend);
    scheduleReplot();
}

void LossPlot::addEpoch(const EpochMetrics& metrics)
{
    const double x = metrics.epoch + 1;
    const std::optional<double> values[] = {metrics.totalLoss, metrics.taskLoss,      metrics.distillLoss,
                                            metrics.aggReward, metrics.trainAccuracy, metrics.valAccuracy};
    for (int c = 0; c < CurveCount; ++c) {
        if (!values[c])
            continue;
        m_graphs[static_cast<std::size_t>(c)]->addData(x, c >= TrainAccuracy ? *values[c] * 100.0 : *values[c]);
    }
    scheduleReplot();
}

int LossPlot::pointCount(Curve curve) const
{
    return m_graphs[static_cast<std::size_t>(curve)]->dataCount();
}

void LossPlot::scheduleReplot()
{
    if (!m_replotTimer.isActive())
        m_replotTimer.start();
}

void LossPlot::replotNow()
{
    bool found = false;
    QCPRange keys;
    QCPRange losses;
    for (int c = 0; c < TrainAccuracy; ++c) {
        if (c == AggReward)
            continue; // on its own axis
        bool ok = false;
        const auto range = m_graphs[static_cast<std::size_t>(c)]->getValueRange(ok);
        if (ok)
            losses = found ? QCPRange(qMin(losses.lower, range.lower), qMax(losses.upper, range.upper)) : range;
        found = found || ok;
    }
    bool keysOk = false;
    keys = m_graphs.front()->getKeyRange(keysOk);
    if (keysOk)
        m_lossRect->axis(QCPAxis::atBottom)->setRange(qMin(1.0, keys.lower), qMax(keys.upper, 2.0));
    if (found) {
        const double pad = qMax(0.05, (losses.upper - losses.lower) * 0.08);
        m_lossRect->axis(QCPAxis::atLeft)->setRange(losses.lower - pad, losses.upper + pad);
    }
    m_accRect->axis(QCPAxis::atLeft)->setRange(0, 100);
    // The zero-shot reference spans the epochs drawn so far.
    m_graphs[ZeroShotValidation]->data()->clear();
    if (m_zeroShot && keysOk)
        m_graphs[ZeroShotValidation]->setData({qMin(1.0, keys.lower), qMax(keys.upper, 2.0)},
                                              {*m_zeroShot * 100.0, *m_zeroShot * 100.0});
    m_plottedPoints = pointCount(TotalLoss);
    // A disc per epoch and a 2-pixel line read well on a short run; on a long one the discs
    // merge into a smear, and stroking a wide line costs ~20 us a point (60 ms for six curves
    // of 3000 epochs, against 1 ms at one pixel), so long runs get thin lines without discs.
    const bool sparse = m_plottedPoints <= kMaxPointsWithDiscs;
    if (sparse != m_sparse) {
        m_sparse = sparse;
        for (auto* graph : m_graphs) {
            if (graph == m_graphs[ZeroShotValidation])
                continue;
            QPen pen = graph->pen();
            pen.setWidthF(sparse ? 2.0 : 1.0);
            graph->setPen(pen);
            graph->setScatterStyle(QCPScatterStyle(sparse ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssNone, 4));
        }
    }
    // Already coalesced by m_replotTimer, so draw now rather than queue another event.
    m_plot->replot();
}

void LossPlot::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyPaletteToPlot(m_plot, palette());
        m_plot->replot();
    }
    QWidget::changeEvent(event);
}

} // namespace aape::ui
