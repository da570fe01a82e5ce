#include "MapView.h"

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace aape::ui {

namespace {

constexpr int kDotRadius = 1;      // dots are (2r+1)² pixels
constexpr double kMargin = 24.0;   // pixels between the outermost dots and the edge after a reset
constexpr double kMaxZoom = 1.0e6; // relative to the reset view

QRgb blend(QRgb over, QRgb under)
{
    const int a = qAlpha(over);
    const auto mixChannel = [a](int o, int u) { return (o * a + u * (255 - a)) / 255; };
    return qRgba(mixChannel(qRed(over), qRed(under)), mixChannel(qGreen(over), qGreen(under)),
                 mixChannel(qBlue(over), qBlue(under)), 255);
}

} // namespace

MapView::MapView(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 200);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MapView::setPoints(std::vector<QPointF> positions, std::vector<qint64> imageIds)
{
    m_positions = std::move(positions);
    m_imageIds = std::move(imageIds);
    m_colours.assign(m_positions.size(), qRgb(90, 90, 90));
    m_highlighted.clear();
    m_hovered = -1;
    m_bounds = QRectF();
    if (!m_positions.empty()) {
        double x0 = m_positions.front().x(), x1 = x0, y0 = m_positions.front().y(), y1 = y0;
        for (const auto& p : m_positions) {
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
        m_bounds = QRectF(QPointF(x0, y0), QPointF(x1, y1));
    }
    resetView();
}

void MapView::setColours(std::vector<QRgb> colours, QList<LegendEntry> legend)
{
    if (colours.size() == m_positions.size())
        m_colours = std::move(colours);
    m_legend = std::move(legend);
    m_scale.reset();
    m_dotsDirty = true;
    update();
}

void MapView::setColours(std::vector<QRgb> colours, const LegendScale& scale)
{
    if (colours.size() == m_positions.size())
        m_colours = std::move(colours);
    m_legend.clear();
    m_scale = scale;
    m_dotsDirty = true;
    update();
}

void MapView::setHighlighted(const QSet<qint64>& imageIds)
{
    m_highlighted = imageIds;
    update();
}

void MapView::setMarker(std::optional<QPointF> position, const QString& label)
{
    m_marker = position;
    m_markerLabel = label;
    update();
}

void MapView::resetView()
{
    const double w = std::max(1.0, width() - 2 * kMargin), h = std::max(1.0, height() - 2 * kMargin);
    if (m_bounds.isNull() && m_positions.empty()) {
        m_centre = QPointF();
        m_pixelsPerUnit = 1.0;
    } else {
        m_centre = m_bounds.center();
        const double spanX = std::max(m_bounds.width(), 1e-9), spanY = std::max(m_bounds.height(), 1e-9);
        m_pixelsPerUnit = std::min(w / spanX, h / spanY);
    }
    m_dotsDirty = true;
    update();
}

QPointF MapView::toScreen(QPointF map) const
{
    // Map y grows upwards, screen y downwards.
    return QPointF(width() / 2.0 + (map.x() - m_centre.x()) * m_pixelsPerUnit,
                   height() / 2.0 - (map.y() - m_centre.y()) * m_pixelsPerUnit);
}

QPointF MapView::toMap(QPointF screen) const
{
    return QPointF(m_centre.x() + (screen.x() - width() / 2.0) / m_pixelsPerUnit,
                   m_centre.y() - (screen.y() - height() / 2.0) / m_pixelsPerUnit);
}

int MapView::pointAt(QPointF screen, double radius) const
{
    int best = -1;
    double bestDistance = radius * radius;
    for (std::size_t i = 0; i < m_positions.size(); ++i) {
        const QPointF s = toScreen(m_positions[i]);
        const double dx = s.x() - screen.x(), dy = s.y() - screen.y();
        const double distance = dx * dx + dy * dy;
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(i);
        }
    }
    return best;
}

QList<qint64> MapView::imagesIn(const QRectF& screenRect) const
{
    QList<qint64> ids;
    const QRectF rect = screenRect.normalized();
    for (std::size_t i = 0; i < m_positions.size(); ++i)
        if (rect.contains(toScreen(m_positions[i])))
            ids.append(m_imageIds[i]);
    return ids;
}

void MapView::renderDots()
{
    const qreal dpr = devicePixelRatioF();
    const QSize size = (QSizeF(this->size()) * dpr).toSize();
    if (m_dots.size() != size)
        m_dots = QImage(size, QImage::Format_RGB32);
    m_dots.setDevicePixelRatio(dpr);
    const QRgb background = palette().color(QPalette::Base).rgb();
    m_dots.fill(background);
    const int w = m_dots.width(), h = m_dots.height();
    const int r = std::max(1, static_cast<int>(std::lround(kDotRadius * dpr)));
    for (std::size_t i = 0; i < m_positions.size(); ++i) {
        const QPointF s = toScreen(m_positions[i]) * dpr;
        const int cx = static_cast<int>(std::lround(s.x())), cy = static_cast<int>(std::lround(s.y()));
        if (cx < -r || cy < -r || cx >= w + r || cy >= h + r)
            continue;
        const QRgb colour = m_colours[i];
        for (int y = std::max(0, cy - r); y <= std::min(h - 1, cy + r); ++y) {
            auto* line = reinterpret_cast<QRgb*>(m_dots.scanLine(y));
            for (int x = std::max(0, cx - r); x <= std::min(w - 1, cx + r); ++x)
                line[x] = qAlpha(colour) == 255 ? colour : blend(colour, line[x]);
        }
    }
    m_dotsDirty = false;
}

void MapView::paintEvent(QPaintEvent*)
{
    QElapsedTimer timer;
    timer.start();
    if (m_dotsDirty || m_dots.size() != (QSizeF(size()) * devicePixelRatioF()).toSize())
        renderDots();
    QPainter painter(this);
    painter.drawImage(QPointF(0, 0), m_dots);
    painter.setRenderHint(QPainter::Antialiasing);

    if (!m_highlighted.isEmpty()) {
        painter.setPen(QPen(palette().color(QPalette::Text), 1.2));
        for (std::size_t i = 0; i < m_positions.size(); ++i) {
            if (!m_highlighted.contains(m_imageIds[i]))
                continue;
            painter.setBrush(QColor::fromRgba(m_colours[i]));
            painter.drawEllipse(toScreen(m_positions[i]), 4.0, 4.0);
        }
    }
    if (m_hovered >= 0) {
        for (std::size_t i = 0; i < m_positions.size(); ++i)
            if (m_imageIds[i] == m_hovered) {
                painter.setPen(QPen(palette().color(QPalette::Highlight), 2.0));
                painter.setBrush(Qt::NoBrush);
                painter.drawEllipse(toScreen(m_positions[i]), 6.0, 6.0);
                break;
            }
    }
    if (m_marker) {
        const QPointF s = toScreen(*m_marker);
        painter.setPen(QPen(palette().color(QPalette::Text), 2.0));
        painter.setBrush(QColor(255, 215, 0));
        QPainterPath star;
        for (int k = 0; k < 10; ++k) {
            const double angle = -M_PI / 2 + k * M_PI / 5;
            const double radius = k % 2 == 0 ? 10.0 : 4.5;
            const QPointF p = s + QPointF(std::cos(angle) * radius, std::sin(angle) * radius);
            k == 0 ? star.moveTo(p) : star.lineTo(p);
        }
        star.closeSubpath();
        painter.drawPath(star);
        if (!m_markerLabel.isEmpty()) {
            painter.setPen(palette().color(QPalette::Text));
            painter.drawText(s + QPointF(12, 4), m_markerLabel);
        }
    }
    if (m_drag == Drag::Select) {
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(40);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1.0, Qt::DashLine));
        painter.setBrush(fill);
        painter.drawRect(QRectF(m_dragStart, m_dragNow).normalized());
    }
    drawLegend(painter);
    m_lastPaintMs = static_cast<double>(timer.nsecsElapsed()) / 1.0e6;
}

void MapView::drawLegend(QPainter& painter)
{
    const QFontMetrics metrics(font());
    const int line = metrics.height();
    const int pad = 8;
    if (m_scale) {
        const int barWidth = 140;
        const QRect box(width() - barWidth - 3 * pad, pad, barWidth + 2 * pad, 2 * line + 3 * pad + 10);
        QColor back = palette().color(QPalette::Window);
        back.setAlpha(220);
        painter.setPen(palette().color(QPalette::Mid));
        painter.setBrush(back);
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(box.left() + pad, box.top() + pad + metrics.ascent(), m_scale->title);
        QLinearGradient gradient(box.left() + pad, 0, box.left() + pad + barWidth, 0);
        gradient.setColorAt(0, m_scale->lowColour);
        gradient.setColorAt(1, m_scale->highColour);
        const QRect bar(box.left() + pad, box.top() + 2 * pad + line - 4, barWidth, 10);
        painter.fillRect(bar, gradient);
        painter.drawText(bar.left(), bar.bottom() + 2 + metrics.ascent(), QString::number(m_scale->low, 'g', 3));
        const QString high = QString::number(m_scale->high, 'g', 3);
        painter.drawText(bar.right() - metrics.horizontalAdvance(high), bar.bottom() + 2 + metrics.ascent(), high);
        return;
    }
    if (m_legend.isEmpty())
        return;
    const int shown = std::min<int>(static_cast<int>(m_legend.size()), std::max(1, (height() - 4 * pad) / line - 1));
    int textWidth = 0;
    for (int i = 0; i < shown; ++i)
        textWidth = std::max(textWidth, metrics.horizontalAdvance(m_legend[i].text));
    textWidth = std::min(textWidth, width() / 3);
    const bool more = shown < m_legend.size();
    const int rows = shown + (more ? 1 : 0);
    const QRect box(width() - textWidth - 4 * pad - 10, pad, textWidth + 3 * pad + 10, rows * line + 2 * pad);
    QColor back = palette().color(QPalette::Window);
    back.setAlpha(220);
    painter.setPen(palette().color(QPalette::Mid));
    painter.setBrush(back);
    painter.drawRoundedRect(box, 4, 4);
    for (int i = 0; i < shown; ++i) {
        const int y = box.top() + pad + i * line;
        painter.setPen(Qt::NoPen);
        painter.setBrush(m_legend[i].colour);
        painter.drawEllipse(QPointF(box.left() + pad + 5, y + line / 2.0), 4.5, 4.5);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(box.left() + 2 * pad + 10, y, textWidth, line), Qt::AlignVCenter | Qt::AlignLeft,
                         metrics.elidedText(m_legend[i].text, Qt::ElideRight, textWidth));
    }
    if (more) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(box.left() + 2 * pad + 10, box.top() + pad + shown * line, textWidth, line),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         tr("… %n more", nullptr, static_cast<int>(m_legend.size()) - shown));
    }
}

void MapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_drag = Drag::Select;
        m_dragStart = m_dragNow = event->position();
    } else if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton) {
        m_drag = Drag::Pan;
        m_dragStart = event->position();
        m_panCentre = m_centre;
        setCursor(Qt::ClosedHandCursor);
    }
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Select) {
        m_dragNow = event->position();
        update();
        return;
    }
    if (m_drag == Drag::Pan) {
        const QPointF delta = event->position() - m_dragStart;
        m_centre = m_panCentre + QPointF(-delta.x() / m_pixelsPerUnit, delta.y() / m_pixelsPerUnit);
        m_dotsDirty = true;
        update();
        return;
    }
    const int index = pointAt(event->position());
    const qint64 id = index >= 0 ? m_imageIds[static_cast<std::size_t>(index)] : -1;
    if (id != m_hovered) {
        m_hovered = id;
        update();
    }
    Q_EMIT hovered(id, event->position().toPoint());
}

void MapView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Select && event->button() == Qt::LeftButton) {
        m_drag = Drag::None;
        m_dragNow = event->position();
        const QRectF rect = QRectF(m_dragStart, m_dragNow).normalized();
        QList<qint64> ids;
        if (rect.width() < 3 && rect.height() < 3) {
            const int index = pointAt(event->position());
            if (index >= 0)
                ids.append(m_imageIds[static_cast<std::size_t>(index)]);
        } else {
            ids = imagesIn(rect);
        }
        m_highlighted = QSet<qint64>(ids.begin(), ids.end());
        update();
        Q_EMIT selectionMade(ids);
        return;
    }
    if (m_drag == Drag::Pan) {
        m_drag = Drag::None;
        unsetCursor();
    }
}

void MapView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int index = pointAt(event->position());
    if (index >= 0)
        Q_EMIT activated(m_imageIds[static_cast<std::size_t>(index)]);
}

void MapView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0)
        return;
    const QPointF anchor = event->position();
    const QPointF before = toMap(anchor);
    const double factor = std::pow(1.25, steps);
    const double w = std::max(1.0, width() - 2 * kMargin), h = std::max(1.0, height() - 2 * kMargin);
    const double resetScale =
        m_bounds.isNull() ? 1.0 : std::min(w / std::max(m_bounds.width(), 1e-9), h / std::max(m_bounds.height(), 1e-9));
    m_pixelsPerUnit = std::clamp(m_pixelsPerUnit * factor, resetScale * 0.2, resetScale * kMaxZoom);
    // Keep the map point under the cursor where it was.
    const QPointF after = toMap(anchor);
    m_centre += before - after;
    m_dotsDirty = true;
    update();
    event->accept();
}

void MapView::leaveEvent(QEvent*)
{
    if (m_hovered != -1) {
        m_hovered = -1;
        update();
    }
    Q_EMIT hovered(-1, QPoint());
}

void MapView::resizeEvent(QResizeEvent*)
{
    m_dotsDirty = true;
}

} // namespace aape::ui
