#pragma once
// Helpers the workflow files share: progress reports, cached text rows and a run's stored
// context (record, checkpoint, classes, model facts). Private to core/workflow.

#include "aape/aape/TrainState.h"
#include "aape/workflow/Workflow.h"

#include <chrono>

namespace aape::workflow::detail {

double secondsSince(std::chrono::steady_clock::time_point start);
void report(const ProgressCallback& progress, const std::string& stage, std::size_t done, std::size_t total);
Error cancelled();

// Embeddings of `texts` from the cache, [N, d]; an error naming the first text without one.
Result<std::vector<float>> textRows(store::Project& project, const std::string& fingerprint,
                                    const std::vector<std::string>& texts);

struct RunContext {
    store::RunRecord run;
    EpochChoice requestedChoice = EpochChoice::Best;
    EpochChoice choice = EpochChoice::Last; // what was loaded: Last when the run has no best epoch kept
    int epoch = 0;                          // 0-based epoch of the loaded checkpoint
    TrainState state;
    std::vector<store::ClassRecord> allClasses;
    std::vector<std::int64_t> trainingClassIds;
    float logitScale = 100.0f;
    nlohmann::json modelInfo;
};

// A run as stored: its record, the checkpoint of the chosen epoch (the run's own choice when
// none is given), classes and the model facts.
Result<RunContext> loadRunContext(store::Project& project, std::int64_t runId,
                                  std::optional<EpochChoice> choice = std::nullopt);

// What the embedding-based OOD scores compare images with: the run's training images (its
// few-shot set, unaugmented view) summarised per trained class, in trainingClassIds order.
// Empty for a run without a recorded few-shot set (older projects) or without cached views.
Result<OodReference> oodReferenceFor(store::Project& project, const RunContext& context);

// Templates and descriptions of `classIds`, from the cache.
Status fillClassEmbeddings(store::Project& project, const std::string& fingerprint,
                           const std::vector<store::ClassRecord>& classes, EvalInput& input,
                           std::vector<std::vector<std::int64_t>>& descriptionIds);

} // namespace aape::workflow::detail
