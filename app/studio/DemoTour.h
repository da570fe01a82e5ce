#pragma once
// The headless demo: writes the demo project, encodes, trains (base-to-new), evaluates and
// exports it with the same workflow the studio uses, then opens it in a MainWindow and saves
// a screenshot of every page. For machines without a display (README's first command).
// GUI thread only; blocks until done.

#include <QString>

namespace aape::ui {

// Returns the process exit code; prints what it wrote to standard output.
int runDemoTour(const QString& outputFolder, int epochs);

} // namespace aape::ui
