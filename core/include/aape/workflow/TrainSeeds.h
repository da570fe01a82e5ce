#pragma once
// The one training flow every front end runs (CLI `aape train`, the studio's Train page, the
// demo tour): encode what is missing, train one run per seed, evaluate each finished run.
// Call from one thread with that thread's Project and engine; callbacks come on that thread;
// any thread may request a stop through the token, which is polled between batches.

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/Evaluate.h"
#include "aape/workflow/Train.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

struct SeedsRequest {
    RunRequest run; // run.config.seed is replaced by each seed; augmentedViews sets the views encoded
    std::vector<std::uint64_t> seeds{1};
    // Run names: run.name, with " seed S" added when there are several seeds; "run N" when empty.
    // Group: run.group, or with several seeds "<name or 'seeds'> · <K> shots · <local date time>".
    bool evaluate = true; // evaluate each finished run (a stopped one is left to resume)
    int encodeBatchSize = 32;
};

struct SeedsCallbacks {
    ProgressCallback progress; // encoding ("images", "texts") and evaluation ("evaluating")
    std::function<void(const EncodeEstimate&)> onEncodeEstimate; // before the long part of encoding
    std::function<void(const EncodeReport&)> onEncoded;
    std::function<void(std::uint64_t seed, int index, int count)> onRunBegin;
    RunCallbacks run; // epochs, steps and log lines of each run
    // After each run: its outcome and, when it finished and was evaluated, the evaluation.
    std::function<void(const RunOutcome&, const EvaluateSummary*)> onRunEnd;
};

struct SeedsOutcome {
    EncodeReport encoded;
    std::string group;                        // empty for a single run without a group
    std::vector<RunOutcome> runs;             // in seed order; the last one may be stopped
    std::vector<EvaluateSummary> evaluations; // of the finished runs
    bool stopped = false;
};

Result<SeedsOutcome> trainSeeds(store::Project& project, const clip::ClipEngine& engine, const SeedsRequest& request,
                                const SeedsCallbacks& callbacks = {}, const StopTokenPtr& stop = {});

// Continues an interrupted run from its last committed epoch, then evaluates it (unless it
// was stopped again). The result holds that one run.
Result<SeedsOutcome> resumeAndEvaluate(store::Project& project, std::int64_t runId,
                                       const SeedsCallbacks& callbacks = {}, const StopTokenPtr& stop = {});

} // namespace aape::workflow
