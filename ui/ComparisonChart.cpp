#include "ComparisonChart.h"

#include "ComparisonModel.h"
#include "ExportActions.h"
#include "LossPlot.h"

#include <QEvent>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>

namespace aape::ui {

namespace {

// Tick labels wrap at their first space or after "Tip-", so that six method names fit side by
// side ("Tip-Adapter" and "Tip-Adapter-F" would otherwise run into each other).
QString tickLabel(Method method)
{
    QString name = methodDisplayName(method);
    const int space = name.indexOf(QLatin1Char(' '));
    if (space > 0)
        name[space] = QLatin1Char('\n');
    else if (const int hyphen = name.indexOf(QLatin1Char('-')); hyphen > 0 && hyphen + 1 < name.size())
        name.insert(hyphen + 1, QLatin1Char('\n'));
    return name;
}

} // namespace

ComparisonChart::ComparisonChart(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    m_plot->setObjectName(QStringLiteral("comparisonPlot"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(360, 260);
    // Title, then the legend (base / new / H) in one row above the bars, never over them.
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, new QCPTextElement(m_plot, QString()));
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setMargins(QMargins(4, 2, 4, 2));
    m_plot->legend->setVisible(false);
    m_plot->yAxis->setLabel(tr("Accuracy (%)"));
    // Ticks up to 100 % only; the range goes higher to leave room for the labels.
    QSharedPointer<QCPAxisTickerText> percent(new QCPAxisTickerText);
    for (int tick = 0; tick <= 100; tick += 20)
        percent->addTick(tick, QString::number(tick));
    m_plot->yAxis->setTicker(percent);
    m_plot->xAxis->grid()->setVisible(false);
    addSavePlotAction(m_plot);
    rebuild();
}

void ComparisonChart::setReport(const workflow::ComparisonReport& report)
{
    m_report = report;
    rebuild();
}

void ComparisonChart::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_missing.clear();
    applyPaletteToPlot(m_plot, palette());
    const QColor text = palette().color(QPalette::WindowText);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);

    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int count = static_cast<int>(m_report.methods.size());
    for (int i = 0; i < count; ++i)
        ticker->addTick(i + 1, tickLabel(m_report.methods[static_cast<std::size_t>(i)].method));
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setRange(0.4, count + 0.6);
    // Room above 100 % for the error bar and its label (upright under base-to-new).
    m_plot->yAxis->setRange(0, m_report.baseToNew ? 122 : 112);

    std::size_t runs = 0;
    for (const auto& m : m_report.methods)
        runs = std::max(runs, m.runIds.size());
    if (auto* title = qobject_cast<QCPTextElement*>(m_plot->plotLayout()->element(0, 0))) {
        title->setText(count == 0           ? QString()
                       : m_report.baseToNew ? tr("Base, new and H: mean ± std over %n run(s)", nullptr, int(runs))
                                            : tr("Accuracy: mean ± std over %n run(s)", nullptr, int(runs)));
        title->setTextColor(text);
    }

    // The statistics drawn: one, or base / new / H side by side within each method's slot.
    using Statistic = std::optional<workflow::MeanStd> workflow::MethodComparison::*;
    struct Series {
        QString name;
        Statistic statistic;
        QColor colour;
    };
    std::vector<Series> series;
    if (m_report.baseToNew)
        series = {{tr("Base classes"), &workflow::MethodComparison::baseAccuracy, curveColour(4)},
                  {tr("New classes"), &workflow::MethodComparison::newAccuracy, curveColour(0)},
                  {tr("H (harmonic mean)"), &workflow::MethodComparison::harmonicMean, curveColour(2)}};
    const double width = m_report.baseToNew ? 0.26 : 0.6;
    const double step = 0.28;
    // Labels stand upright above the narrow bars of base / new / H, so that neighbours never overlap.
    const auto addLabel = [&](double x, double y, const QString& label, bool upright, const QFont& labelFont) {
        auto* item = new QCPItemText(m_plot);
        item->position->setCoords(x, y);
        if (upright) {
            item->setRotation(-90);
            item->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            item->setPadding(QMargins(4, 0, 0, 0));
        } else {
            item->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
            item->setPadding(QMargins(0, 0, 0, 3));
        }
        item->setText(label);
        item->setColor(text);
        item->setFont(labelFont);
        item->setClipToAxisRect(false);
        return item;
    };
    struct BarSet {
        QCPBars* bars;
        QCPErrorBars* errors;
    };
    const auto addBar = [&](const BarSet& set, double x, const workflow::MeanStd& value, bool withStd) {
        set.bars->addData(x, value.mean * 100.0);
        set.errors->addData(value.std * 100.0);
        const QString label =
            withStd ? QStringLiteral("%1\n± %2").arg(value.mean * 100.0, 0, 'f', 1).arg(value.std * 100.0, 0, 'f', 1)
                    : QStringLiteral("%1").arg(value.mean * 100.0, 0, 'f', 1);
        addLabel(x, (value.mean + value.std) * 100.0, label, !withStd, small);
    };
    const auto makeBars = [&](const QString& name, const QColor& colour) {
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(name);
        bars->setWidth(width);
        bars->setPen(QPen(colour.darker(130)));
        bars->setBrush(colour);
        auto* errors = new QCPErrorBars(m_plot->xAxis, m_plot->yAxis);
        errors->setDataPlottable(bars);
        errors->setPen(QPen(text, 1.5));
        errors->setWhiskerWidth(6);
        errors->removeFromLegend();
        return BarSet{bars, errors};
    };

    if (m_report.baseToNew) {
        for (std::size_t s = 0; s < series.size(); ++s) {
            const BarSet bars = makeBars(series[s].name, series[s].colour);
            for (int i = 0; i < count; ++i) {
                const auto& value = m_report.methods[static_cast<std::size_t>(i)].*(series[s].statistic);
                const double x = i + 1 + (static_cast<double>(s) - 1.0) * step;
                if (value)
                    addBar(bars, x, *value, false);
                else
                    m_missing.push_back(addLabel(x, 0.0, QStringLiteral("—"), false, font()));
            }
        }
    } else {
        for (int i = 0; i < count; ++i) {
            const auto& m = m_report.methods[static_cast<std::size_t>(i)];
            const BarSet bars = makeBars(methodDisplayName(m.method), curveColour(i));
            if (m.accuracy)
                addBar(bars, i + 1, *m.accuracy, true);
            else
                m_missing.push_back(addLabel(i + 1, 0.0, QStringLiteral("—"), false, font()));
        }
    }
    // Only base / new / H need a key: the methods are named under their bars.
    // The legend has its own row while it is shown: a hidden element would still narrow the plot.
    const bool legend = m_report.baseToNew && count > 0;
    if (legend != m_legendShown) {
        if (legend) {
            m_plot->plotLayout()->insertRow(1);
            m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
            m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
        } else {
            m_plot->plotLayout()->take(m_plot->legend);
            m_plot->plotLayout()->simplify();
        }
        m_legendShown = legend;
    }
    m_plot->legend->setVisible(legend);
    if (!legend)
        m_plot->legend->clearItems();
    applyPaletteToPlot(m_plot, palette());
    m_plot->legend->setBrush(palette().brush(QPalette::Base));
    m_plot->legend->setTextColor(text);
    m_plot->legend->setBorderPen(Qt::NoPen); // it spans the plot's width; a frame would touch the edges
    m_plot->replot();
}

void ComparisonChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuild();
    QWidget::changeEvent(event);
}

} // namespace aape::ui
