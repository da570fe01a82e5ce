#pragma once
// A method comparison as bars with error bars (mean ± standard deviation over the seeds, in %)
// on QCustomPlot: one bar per method, or under base-to-new a group of base / new / H bars per
// method. A method that cannot answer a statistic gets no bar and a "—". GUI thread only.

#include "aape/workflow/Compare.h"

#include <QWidget>

class QCustomPlot;
class QCPItemText;

namespace aape::ui {

class ComparisonChart final : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonChart(QWidget* parent = nullptr);

    void setReport(const workflow::ComparisonReport& report);
    QCustomPlot* plot() const { return m_plot; }
    // The "—" labels of statistics a method cannot answer, as drawn.
    std::vector<QCPItemText*> missingLabels() const { return m_missing; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();

    QCustomPlot* m_plot;
    workflow::ComparisonReport m_report;
    std::vector<QCPItemText*> m_missing;
    bool m_legendShown = false;
};

} // namespace aape::ui
