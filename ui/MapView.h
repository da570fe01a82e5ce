#pragma once
// The embedding map: one dot per image at its 2-D projection, coloured by whatever the page
// chooses, with a legend; wheel zooms about the cursor, right- or middle-drag pans, left-drag
// selects a rectangle, hovering reports the image under the cursor. Dots are drawn straight
// into an image buffer, so 50,000 of them repaint in a few milliseconds. GUI thread only.

#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSet>
#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

namespace aape::ui {

class MapView final : public QWidget {
    Q_OBJECT
public:
    struct LegendEntry {
        QColor colour;
        QString text;
    };
    // A continuous colouring: the legend shows a bar from `low` to `high` in these colours.
    struct LegendScale {
        QString title;
        QColor lowColour, highColour;
        double low = 0.0, high = 1.0;
    };

    explicit MapView(QWidget* parent = nullptr);

    // Positions in map units (e.g. PCA coordinates) and the image id of each; resets the view
    // to show them all and clears the highlight.
    void setPoints(std::vector<QPointF> positions, std::vector<qint64> imageIds);
    int pointCount() const { return static_cast<int>(m_positions.size()); }
    QPointF position(int index) const { return m_positions.at(static_cast<std::size_t>(index)); }
    // One colour per point (same order as setPoints) with the legend that explains them.
    void setColours(std::vector<QRgb> colours, QList<LegendEntry> legend);
    void setColours(std::vector<QRgb> colours, const LegendScale& scale);
    QList<LegendEntry> legend() const { return m_legend; }
    QRgb colourOf(int index) const { return m_colours.at(static_cast<std::size_t>(index)); }

    // Images drawn larger and outlined (a selection elsewhere, or the last rectangle).
    void setHighlighted(const QSet<qint64>& imageIds);
    const QSet<qint64>& highlighted() const { return m_highlighted; }
    // A marker drawn at a point in map units (a text probe), with its label; nullopt hides it.
    void setMarker(std::optional<QPointF> position, const QString& label = {});

    void resetView();
    QPointF toScreen(QPointF map) const;
    QPointF toMap(QPointF screen) const;
    // Index of the point nearest `screen` within `radius` pixels, or -1.
    int pointAt(QPointF screen, double radius = 6.0) const;
    // The ids of the points inside a screen rectangle.
    QList<qint64> imagesIn(const QRectF& screenRect) const;
    qint64 imageIdAt(int index) const { return m_imageIds.at(static_cast<std::size_t>(index)); }
    QPointF screenPosition(int index) const { return toScreen(m_positions.at(static_cast<std::size_t>(index))); }
    double lastPaintMilliseconds() const { return m_lastPaintMs; }

Q_SIGNALS:
    // A rectangle was dragged: the images inside it (empty: a click on empty space clears).
    void selectionMade(const QList<qint64>& imageIds);
    // The image under the cursor changed (-1: none) and where the cursor is, in widget pixels.
    void hovered(qint64 imageId, QPoint position);
    void activated(qint64 imageId); // double-click on a dot

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void renderDots();
    void drawLegend(QPainter& painter);

    std::vector<QPointF> m_positions;
    std::vector<qint64> m_imageIds;
    std::vector<QRgb> m_colours;
    QList<LegendEntry> m_legend;
    std::optional<LegendScale> m_scale;
    QSet<qint64> m_highlighted;
    std::optional<QPointF> m_marker;
    QString m_markerLabel;

    QRectF m_bounds;  // of the points, map units
    QPointF m_centre; // map point at the widget's centre
    double m_pixelsPerUnit = 1.0;
    QImage m_dots; // the dots as last rendered, widget-sized
    bool m_dotsDirty = true;

    enum class Drag { None, Select, Pan } m_drag = Drag::None;
    QPointF m_dragStart, m_dragNow;
    QPointF m_panCentre;
    qint64 m_hovered = -1;
    double m_lastPaintMs = 0.0;
};

} // namespace aape::ui
