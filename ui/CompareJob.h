#pragma once
// Worker-side code of the Compare Methods dialog: workflow::compareMethods (every method with
// every seed on the same few-shot sets, each run evaluated) inside a JobRunner job, with its
// own Project connection and ClipEngine. Progress counts runs; each finished run is posted.

#include "JobRunner.h"

#include "aape/workflow/Compare.h"

#include <QString>

namespace aape::ui {

// Posted after each run of a comparison (payload: the run's id as qlonglong), so that the Runs
// page shows it at once.
inline const QString kPostCompareRunEnd = QStringLiteral("compare-run-end");

struct CompareJobRequest {
    QString projectPath;
    workflow::CompareRequest compare;
    QString precision = QStringLiteral("auto"); // of the CLIP towers while encoding
};

// The progress the job reports: stage "<method>, seed S (run k of N)", done and total in
// thousandths of a run, so that the bar moves within a run as its epochs finish.
inline constexpr qint64 kCompareProgressPerRun = 1000;

Status runCompareJob(JobContext& context, const CompareJobRequest& request);

} // namespace aape::ui
