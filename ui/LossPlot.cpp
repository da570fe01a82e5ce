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

LossPlot::LossPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
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
    m_lossRect->axis(QCPAxis::atLeft)->setLabel(tr("Loss / reward"));
    m_accRect->axis(QCPAxis::atLeft)->setLabel(tr("Accuracy (%)"));
    m_accRect->axis(QCPAxis::atBottom)->setLabel(tr("Epoch"));
    m_accRect->axis(QCPAxis::atLeft)->setRange(0, 100);

    m_plot->legend = new QCPLegend;
    m_lossRect->insetLayout()->addElement(m_plot->legend, Qt::AlignTop | Qt::AlignRight);
    m_plot->legend->setLayer(QStringLiteral("legend"));
    m_plot->legend->setVisible(true);
    auto* accLegend = new QCPLegend;
    m_accRect->insetLayout()->addElement(accLegend, Qt::AlignBottom | Qt::AlignRight);
    accLegend->setLayer(QStringLiteral("legend"));

    const QString names[] = {tr("Total loss"),          tr("Task loss (cross-entropy)"), tr("Distillation loss"),
                             tr("Aggregator reward"),   tr("Train accuracy"),            tr("Validation accuracy")};
    for (int c = 0; c < CurveCount; ++c) {
        auto* rect = c < TrainAccuracy ? m_lossRect : m_accRect;
        auto* graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        graph->setName(names[c]);
        QPen pen(curveColour(c), 2);
        if (c == AggReward)
            pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
        if (c >= TrainAccuracy) {
            m_plot->legend->removeItem(m_plot->legend->itemCount() - 1);
            accLegend->addItem(new QCPPlottableLegendItem(accLegend, graph));
        }
        m_graphs.push_back(graph);
    }
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
    scheduleReplot();
}

void LossPlot::setTitle(const QString& title)
{
    setToolTip(title);
}

void LossPlot::addEpoch(const QVariantMap& epoch)
{
    const double x = epoch.value(QStringLiteral("epoch")).toDouble();
    const char* keys[] = {"totalLoss", "taskLoss", "distillLoss", "aggReward", "trainAccuracy", "valAccuracy"};
    for (int c = 0; c < CurveCount; ++c) {
        const auto value = epoch.value(QString::fromLatin1(keys[c]));
        if (!value.isValid())
            continue;
        m_graphs[static_cast<std::size_t>(c)]->addData(x, c >= TrainAccuracy ? value.toDouble() * 100.0 : value.toDouble());
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
    ++m_replots;
    m_plottedPoints = pointCount(TotalLoss);
    // A disc per epoch and a 2-pixel line read well on a short run; on a long one the discs
    // merge into a smear, and stroking a wide line costs ~20 us a point (60 ms for six curves
    // of 3000 epochs, against 1 ms at one pixel), so long runs get thin lines without discs.
    const bool sparse = m_plottedPoints <= kMaxPointsWithDiscs;
    if (sparse != m_sparse) {
        m_sparse = sparse;
        for (auto* graph : m_graphs) {
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
