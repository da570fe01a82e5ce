#pragma once
// Table view of a ConfusionMatrixModel whose cells are shaded by count in the palette's
// highlight colour; clicking a cell reports its (true, predicted) class pair. GUI thread only.

#include <QTableView>

#include <cstdint>

namespace aape::ui {

class ConfusionMatrixView final : public QTableView {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

Q_SIGNALS:
    void cellChosen(std::int64_t trueClassId, std::int64_t predictedClassId);
};

} // namespace aape::ui
