#pragma once
// Exports of a run for use outside the studio: the prompt-generator bundle, predictions as
// CSV, plots as PNG/PDF. Bundle and CSV functions touch only the given Project and may run
// on a worker thread with its own connection; exportPlot is GUI thread only.

#include "aape/util/Error.h"

#include <QString>

#include <cstdint>

class QCustomPlot;

namespace aape {
struct Bundle;
} // namespace aape

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// Writes the run's *.aape.safetensors (h, g, its training classes' template embeddings and
// the manifest) from its last checkpoint.
Status exportRunBundleFile(store::Project& project, std::int64_t runId, const QString& path);

// The run's bundle as predictions use it, exported to a temporary file and loaded back (what
// the Try and Scene pages predict with, exactly as `aape predict` would).
Result<Bundle> loadRunBundle(store::Project& project, std::int64_t runId);

// CSV with a header: path,true,predicted,probability,ood,cos_template,cos_aape,zero_shot
// (class names; empty where unknown). Quotes fields as RFC 4180 does.
Status exportPredictionsCsv(store::Project& project, std::int64_t runId, const QString& path);

// By the file's suffix: .pdf vector, anything else PNG at twice the widget's resolution.
Status exportPlot(QCustomPlot* plot, const QString& path);

// Gives the plot a context-menu action "Save Plot as PNG or PDF…" that asks for a file and
// reports the outcome in the main window's banner and status bar. GUI thread only.
void addSavePlotAction(QCustomPlot* plot);

} // namespace aape::ui
