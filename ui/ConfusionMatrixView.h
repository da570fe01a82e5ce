#pragma once
// Table view of a ConfusionMatrixModel whose cells are shaded by count in the palette's
// highlight colour; class names on both axes (column names rotated), elided, in full as
// tooltips. Zooms (Ctrl+wheel, zoomIn/zoomOut, fit to the view) and shows the classes in an
// order chosen from the model's orderings. Clicking a cell reports its (true, predicted)
// class pair. GUI thread only.

#include "ConfusionMatrixModel.h"

#include <QTableView>

#include <cstdint>
#include <vector>

namespace aape::ui {

class ConfusionMatrixView final : public QTableView {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    void setModel(QAbstractItemModel* model) override;

    // Side of a cell in pixels; names show on the axes from textCellSize() up.
    int cellSize() const { return m_cellSize; }
    void setCellSize(int pixels);
    int textCellSize() const;
    static constexpr int kMinCellSize = 1;
    static constexpr int kMaxCellSize = 64;
    // Fit mode (the default): the cell size follows the view's size so that the whole matrix
    // shows, up to a readable size. Zooming leaves it.
    bool fitsToView() const { return m_fit; }
    void fitToView();
    void zoomIn();
    void zoomOut();

    void setOrder(ConfusionMatrixModel::Order order);
    ConfusionMatrixModel::Order order() const { return m_order; }
    // Model rows (= columns) from top to bottom as shown.
    std::vector<int> shownOrder() const;

Q_SIGNALS:
    void cellChosen(std::int64_t trueClassId, std::int64_t predictedClassId);
    void zoomChanged(int cellSize);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void applyOrder();
    void applyCellSize(int pixels);
    int fitCellSize() const;
    int headerExtent(Qt::Orientation orientation, int cellSize) const;

    QMetaObject::Connection m_resetConnection;
    int m_cellSize = 0;
    bool m_fit = true;
    ConfusionMatrixModel::Order m_order = ConfusionMatrixModel::Order::Classes;
};

} // namespace aape::ui
