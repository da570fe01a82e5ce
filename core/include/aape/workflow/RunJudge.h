#pragma once
// The newest finished AAPE run as the judge of which unlabelled images to label next: its
// prompt generator (the run exported as a bundle) applied to the cached embeddings, so the
// ranking follows the uncertainty of the model the user actually trained. Call from one thread
// with that thread's Project.

#include "aape/explore/Collection.h"
#include "aape/explore/LabelQuality.h"
#include "aape/store/Project.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aape::workflow {

struct RunJudge {
    std::int64_t runId = 0;
    std::string runName;
};

// Fills options.runProbabilities and options.runClassIds from the newest finished AAPE run
// (baselines are passed over); nothing when the project has no such run, and the options are
// left as they are. `collection` must outlive the options' use.
Result<std::optional<RunJudge>> judgeByNewestRun(store::Project& project, const explore::EmbeddedCollection& collection,
                                                 explore::SuggestOptions& options);

} // namespace aape::workflow
