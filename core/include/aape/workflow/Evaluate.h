#pragma once
// Evaluating a run on the project's test (or validation) images from the cache; stores the
// predictions, attention and the run's summary. Call from one thread with that thread's Project.

#include "aape/aape/Evaluator.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"
#include "aape/workflow/Encode.h"
#include "aape/workflow/Train.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace aape::workflow {

struct EvaluateOptions {
    int topK = 5;
    OodScoreKind oodScore = kDefaultOodScore;
    std::optional<EpochChoice> epoch; // empty: the run's own choice (best unless trained with "last")
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct EvaluateSummary {
    std::int64_t runId = 0;
    int images = 0;
    double accuracy = 0.0; // all evaluated images (base and new pooled for base-to-new)
    double zeroShotAccuracy = 0.0;
    std::optional<double> baseAccuracy, newAccuracy, harmonicMean; // base-to-new runs
    int evaluatedEpoch = 0;                                        // 0-based epoch of the checkpoint evaluated
    EpochChoice epochChoice = EpochChoice::Last;                   // why that one: the best by validation, or the last
    OodScoreKind oodScore = kDefaultOodScore;                      // the score the stored predictions hold
    // Base-to-new runs: how well each OOD score tells the new classes' test images from the
    // base classes' (AUROC, all scored against the base classes); empty otherwise.
    std::vector<OodSeparation> oodSeparation;
    nlohmann::json summary; // what was stored with the run
};

// Evaluates the run's chosen checkpoint (see EvaluateOptions::epoch) on the test images (the validation images when there
// is no test split) from the cache, and stores predictions, attention over descriptions and
// the run's summary (merged into what training recorded there). Base-to-new runs evaluate base images among the base classes and new
// images among the new classes (CoOp's protocol) and report the harmonic mean; they also
// measure the OOD scores' separation of new-class images from base-class ones.
Result<EvaluateSummary> evaluateRun(store::Project& project, std::int64_t runId, const EvaluateOptions& options = {});

} // namespace aape::workflow
