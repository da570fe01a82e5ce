#pragma once
// The run menu of the Inspect and Try pages: the project's finished AAPE runs (not a comparison's
// baselines), newest first, each named with its accuracy, epochs and finishing time. It follows
// the newest run: when a run finishes, the menu moves to it, unless the user had chosen an older
// run on purpose.
// GUI thread only.

#include "aape/store/Records.h"

#include <QComboBox>

#include <cstdint>
#include <vector>

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// "run 5 · 87.0 % · 200 epochs · 3 Dec 14:32" (accuracy of the evaluated epoch; H for base-to-new).
QString runMenuLabel(const store::RunRecord& run);

class RunMenu final : public QComboBox {
    Q_OBJECT
public:
    explicit RunMenu(QWidget* parent = nullptr);

    // Re-reads the finished runs without emitting currentIndexChanged; returns true when the
    // chosen run changed (the caller reloads what it shows).
    bool refresh(store::Project* project);
    std::int64_t runId() const; // 0: none
    // Chooses a run as the user would (it is then kept when newer runs finish).
    void chooseRun(std::int64_t runId);

private:
    bool m_followNewest = true;
};

} // namespace aape::ui
