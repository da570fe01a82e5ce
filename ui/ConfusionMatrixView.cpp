#include "ConfusionMatrixView.h"

#include <QAction>
#include <QHeaderView>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace aape::ui {

namespace {

class ShadedCellDelegate final : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        auto* model = qobject_cast<const ConfusionMatrixModel*>(index.model());
        const int count = index.data(ConfusionMatrixModel::CountRole).toInt();
        const int maxCount = model ? qMax(1, model->maxCount()) : 1;
        const double strength = count == 0 ? 0.0 : 0.15 + 0.85 * double(count) / maxCount;
        QColor fill = option.palette.color(QPalette::Highlight);
        fill.setAlphaF(strength);
        painter->save();
        painter->fillRect(option.rect, option.palette.base());
        painter->fillRect(option.rect, fill);
        // Frames only where there is room for them: at a few pixels a cell is all frame.
        const bool roomy = option.rect.width() >= 8;
        if (index.row() == index.column() && roomy) {
            // The diagonal (correct predictions) gets a frame so it reads without colour.
            painter->setPen(QPen(option.palette.color(QPalette::Mid), 1));
            painter->drawRect(option.rect.adjusted(0, 0, -1, -1));
        }
        if (option.state & QStyle::State_HasFocus && roomy) {
            painter->setPen(QPen(option.palette.color(QPalette::WindowText), 2));
            painter->drawRect(option.rect.adjusted(1, 1, -1, -1));
        }
        const QString text = QString::number(count);
        const QFontMetrics metrics(option.font);
        if (count > 0 && option.rect.width() >= metrics.horizontalAdvance(text) + 2
            && option.rect.height() >= metrics.height() - 2) {
            painter->setPen(option.palette.color(strength > 0.55 ? QPalette::HighlightedText : QPalette::Text));
            painter->drawText(option.rect, Qt::AlignCenter, text);
        }
        painter->restore();
    }
};

// Class names along an axis: horizontal ones rotated to read bottom to top, both elided to
// the header's extent (full names are the model's tooltips), none when a section is too small
// to hold a line of text.
class ClassNameHeader final : public QHeaderView {
public:
    explicit ClassNameHeader(Qt::Orientation orientation, QWidget* parent)
        : QHeaderView(orientation, parent)
    {
        setSectionResizeMode(QHeaderView::Fixed);
        setSectionsClickable(false);
        setHighlightSections(true);
        setMinimumSectionSize(ConfusionMatrixView::kMinCellSize);
    }

    void setExtent(int extent, bool showNames)
    {
        m_extent = extent;
        m_showNames = showNames;
        updateGeometry();
        viewport()->update();
    }
    bool showsNames() const { return m_showNames; }

    QSize sizeHint() const override
    {
        return orientation() == Qt::Horizontal ? QSize(length(), m_extent) : QSize(m_extent, length());
    }

protected:
    void paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const override
    {
        if (!rect.isValid())
            return;
        // The style's own look, highlight of the current cell's row and column included, with
        // the name drawn below instead of the style's unrotated text.
        QStyleOptionHeader option;
        initStyleOptionForIndex(&option, logicalIndex);
        option.rect = rect;
        option.text.clear();
        style()->drawControl(QStyle::CE_Header, &option, painter, this);
        if (!m_showNames || !model())
            return;
        const QString name = model()->headerData(logicalIndex, orientation(), Qt::DisplayRole).toString();
        const QFontMetrics metrics(font());
        constexpr int pad = 4;
        painter->save();
        // The style may leave a clip of its own behind; the name belongs to its section.
        painter->setClipRect(rect);
        painter->setPen(palette().color(QPalette::WindowText));
        if (orientation() == Qt::Horizontal) {
            // After the rotation x runs up the section from its bottom edge, y across it.
            painter->translate(rect.left(), rect.bottom() + 1);
            painter->rotate(-90);
            const QRect text(pad, 0, rect.height() - 2 * pad, rect.width());
            painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                              metrics.elidedText(name, Qt::ElideRight, text.width()));
        } else {
            const QRect text = rect.adjusted(pad, 0, -pad, 0);
            painter->drawText(text, Qt::AlignRight | Qt::AlignVCenter,
                              metrics.elidedText(name, Qt::ElideRight, text.width()));
        }
        painter->restore();
    }

private:
    int m_extent = 8;
    bool m_showNames = false;
};

ClassNameHeader* nameHeader(QHeaderView* header)
{
    return static_cast<ClassNameHeader*>(header);
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent)
    : QTableView(parent)
{
    setHorizontalHeader(new ClassNameHeader(Qt::Horizontal, this));
    setVerticalHeader(new ClassNameHeader(Qt::Vertical, this));
    setItemDelegate(new ShadedCellDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setShowGrid(false);
    setWordWrap(false);
    // Pixel scrolling: zooming keeps the cell under the mouse where it was.
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed sizes set by the zoom: ResizeToContents asks every cell of every row for its size
    // hint, and with 1,000 classes (a million cells) opening Inspect froze the window for 8 s.
    setToolTip(tr("Rows: true class. Columns: predicted class. Darker cells hold more images; click a cell to "
                  "list its images. Ctrl+wheel zooms."));
    auto* zoomInAction = new QAction(this);
    zoomInAction->setShortcuts(QKeySequence::ZoomIn);
    zoomInAction->setShortcutContext(Qt::WidgetShortcut);
    connect(zoomInAction, &QAction::triggered, this, &ConfusionMatrixView::zoomIn);
    addAction(zoomInAction);
    auto* zoomOutAction = new QAction(this);
    zoomOutAction->setShortcuts(QKeySequence::ZoomOut);
    zoomOutAction->setShortcutContext(Qt::WidgetShortcut);
    connect(zoomOutAction, &QAction::triggered, this, &ConfusionMatrixView::zoomOut);
    addAction(zoomOutAction);
    connect(this, &QTableView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT cellChosen(index.data(ConfusionMatrixModel::TrueClassIdRole).toLongLong(),
                          index.data(ConfusionMatrixModel::PredictedClassIdRole).toLongLong());
    });
    applyCellSize(textCellSize() + 8);
}

void ConfusionMatrixView::setModel(QAbstractItemModel* model)
{
    disconnect(m_resetConnection);
    QTableView::setModel(model);
    if (!model)
        return;
    // After the headers' own reset handling, which forgets moved sections.
    m_resetConnection = connect(model, &QAbstractItemModel::modelReset, this, [this] {
        applyOrder();
        applyCellSize(m_fit ? fitCellSize() : m_cellSize);
    });
    applyOrder();
    applyCellSize(m_fit ? fitCellSize() : m_cellSize);
}

int ConfusionMatrixView::textCellSize() const
{
    return fontMetrics().height();
}

int ConfusionMatrixView::headerExtent(Qt::Orientation orientation, int cellSize) const
{
    if (cellSize < textCellSize())
        return 6;
    int longest = 0;
    if (auto* m = model())
        for (int section = 0; section < m->rowCount(); ++section)
            longest =
                std::max(longest, fontMetrics().horizontalAdvance(m->headerData(section, orientation).toString()));
    // Long names are elided: the matrix, not its labels, should get the room.
    const int cap = fontMetrics().averageCharWidth() * (orientation == Qt::Horizontal ? 15 : 28);
    return std::clamp(longest + 10, fontMetrics().averageCharWidth() * 4, cap);
}

int ConfusionMatrixView::fitCellSize() const
{
    const int n = model() ? model()->rowCount() : 0;
    const int readable = textCellSize() + 8;
    if (n == 0)
        return readable;
    const QSize area = contentsRect().size() - QSize(2, 2);
    const auto fit = [&](int named) {
        return std::min((area.width() - headerExtent(Qt::Vertical, named)) / n,
                        (area.height() - headerExtent(Qt::Horizontal, named)) / n);
    };
    const int withNames = fit(textCellSize());
    if (withNames >= textCellSize())
        return std::min(withNames, readable);
    return std::clamp(fit(0), int(kMinCellSize), textCellSize() - 1);
}

void ConfusionMatrixView::applyCellSize(int pixels)
{
    const int size = std::clamp(pixels, int(kMinCellSize), int(kMaxCellSize));
    const bool changed = size != m_cellSize;
    m_cellSize = size;
    for (QHeaderView* header : {horizontalHeader(), verticalHeader()}) {
        header->setDefaultSectionSize(size);
        // setDefaultSectionSize leaves sections alone that were ever resized on their own.
        if (header->count() > 0 && header->sectionSize(header->logicalIndex(0)) != size)
            for (int i = 0; i < header->count(); ++i)
                header->resizeSection(i, size);
    }
    const bool names = size >= textCellSize();
    nameHeader(horizontalHeader())->setExtent(headerExtent(Qt::Horizontal, size), names);
    nameHeader(verticalHeader())->setExtent(headerExtent(Qt::Vertical, size), names);
    updateGeometries();
    viewport()->update();
    if (changed)
        Q_EMIT zoomChanged(size);
}

void ConfusionMatrixView::setCellSize(int pixels)
{
    m_fit = false;
    applyCellSize(pixels);
}

void ConfusionMatrixView::fitToView()
{
    m_fit = true;
    applyCellSize(fitCellSize());
}

void ConfusionMatrixView::zoomIn()
{
    setCellSize(std::max(m_cellSize + 1, int(std::lround(m_cellSize * 1.25))));
}

void ConfusionMatrixView::zoomOut()
{
    setCellSize(std::min(m_cellSize - 1, int(std::lround(m_cellSize / 1.25))));
}

void ConfusionMatrixView::setOrder(ConfusionMatrixModel::Order order)
{
    m_order = order;
    applyOrder();
}

void ConfusionMatrixView::applyOrder()
{
    auto* matrix = qobject_cast<ConfusionMatrixModel*>(model());
    if (!matrix)
        return;
    const std::vector<int> order = matrix->ordering(m_order);
    for (QHeaderView* header : {horizontalHeader(), verticalHeader()}) {
        const QSignalBlocker blocker(header);
        for (int visual = 0; visual < static_cast<int>(order.size()); ++visual) {
            const int from = header->visualIndex(order[static_cast<std::size_t>(visual)]);
            if (from != visual)
                header->moveSection(from, visual);
        }
    }
    // The headers' signals were blocked while they moved: lay out and paint once.
    updateGeometries();
    viewport()->update();
}

std::vector<int> ConfusionMatrixView::shownOrder() const
{
    std::vector<int> order;
    const QHeaderView* header = verticalHeader();
    for (int visual = 0; visual < header->count(); ++visual)
        order.push_back(header->logicalIndex(visual));
    return order;
}

void ConfusionMatrixView::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier) || event->angleDelta().y() == 0) {
        QTableView::wheelEvent(event);
        return;
    }
    // Keep the point under the mouse where it is while the cells grow or shrink.
    const QPointF at = event->position();
    const double before = m_cellSize;
    if (event->angleDelta().y() > 0)
        zoomIn();
    else
        zoomOut();
    const double ratio = m_cellSize / before;
    horizontalScrollBar()->setValue(int(std::lround((horizontalScrollBar()->value() + at.x()) * ratio - at.x())));
    verticalScrollBar()->setValue(int(std::lround((verticalScrollBar()->value() + at.y()) * ratio - at.y())));
    event->accept();
}

void ConfusionMatrixView::resizeEvent(QResizeEvent* event)
{
    QTableView::resizeEvent(event);
    if (m_fit)
        applyCellSize(fitCellSize());
}

} // namespace aape::ui
