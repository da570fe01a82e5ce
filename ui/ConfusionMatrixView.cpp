#include "ConfusionMatrixView.h"

#include "ConfusionMatrixModel.h"

#include <QHeaderView>
#include <QPainter>
#include <QStyledItemDelegate>

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
        if (index.row() == index.column()) {
            // The diagonal (correct predictions) gets a frame so it reads without colour.
            painter->setPen(QPen(option.palette.color(QPalette::Mid), 1));
            painter->drawRect(option.rect.adjusted(0, 0, -1, -1));
        }
        if (option.state & QStyle::State_HasFocus) {
            painter->setPen(QPen(option.palette.color(QPalette::WindowText), 2));
            painter->drawRect(option.rect.adjusted(1, 1, -1, -1));
        }
        painter->setPen(option.palette.color(strength > 0.55 ? QPalette::HighlightedText : QPalette::Text));
        if (count > 0)
            painter->drawText(option.rect, Qt::AlignCenter, QString::number(count));
        painter->restore();
    }
};

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QTableView(parent)
{
    setItemDelegate(new ShadedCellDelegate(this));
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setShowGrid(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setMinimumSectionSize(28);
    horizontalHeader()->setDefaultSectionSize(fontMetrics().horizontalAdvance(QStringLiteral("0000")) + 8);
    // Fixed row heights: ResizeToContents asks every cell of every row for its size hint, and
    // with 1,000 classes (a million cells) opening Inspect froze the window for 8 s.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    setToolTip(tr("Rows: true class. Columns: predicted class. Darker cells hold more images; click a cell to "
                  "list its images."));
    connect(this, &QTableView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT cellChosen(index.data(ConfusionMatrixModel::TrueClassIdRole).toLongLong(),
                          index.data(ConfusionMatrixModel::PredictedClassIdRole).toLongLong());
    });
}

} // namespace aape::ui
