#pragma once
// Training runs on a project's cached embeddings: one run per request, its few-shot set drawn
// from the data as it is when the run starts, committed per epoch, resumable. Call from one
// thread with that thread's Project; callbacks come on that thread.

#include "aape/aape/Baselines.h"
#include "aape/aape/Trainer.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace aape::workflow {

// Which of a run's epochs evaluation and export use: the one with the best validation
// accuracy (the default; the last epoch when there is no validation split), or the last one
// (the paper's protocol).
enum class EpochChoice { Best, Last };
const char* epochChoiceName(EpochChoice choice); // "best", "last"
std::optional<EpochChoice> parseEpochChoice(std::string_view name);

struct RunRequest {
    TrainConfig config;
    std::string name;                     // empty: "run N"
    std::string group;                    // runs of one multi-seed set share it
    bool baseToNew = false;               // train on base classes only, evaluate base and new
    EpochChoice keep = EpochChoice::Best; // recorded with the run: what evaluation uses by default
    // AAPE, or a method it is compared with on the same few-shot set (Baselines.h): a baseline
    // run is fitted at once and stored as one epoch with its parameters as the checkpoint.
    Method method = Method::Aape;
};

// What a run is about to train on, reported before its first epoch.
struct RunPlan {
    int classes = 0;
    int images = 0;                            // few-shot set
    int validationImages = 0;                  // 0: no validation split (the last epoch is kept)
    std::optional<double> zeroShotValAccuracy; // zero-shot CLIP on the validation images
    int firstEpoch = 0;                        // 0-based; above 0 when resuming
    int epochs = 0;
};

struct RunCallbacks {
    std::function<void(std::int64_t runId, const RunPlan&)> onStart;
    std::function<void(std::int64_t runId, const EpochMetrics&)> onEpoch; // after the epoch is committed
    std::function<void(int step, int totalSteps)> onStep;
    std::function<void(const std::string&)> onLog;
};

struct RunOutcome {
    std::int64_t runId = 0;
    bool stopped = false;
    int epochsCompleted = 0;
    int trainingClasses = 0;
    int trainingImages = 0; // the few-shot set's images (each with its cached views)
    long long learnedParameters = 0;
    // Validation accuracy (fractions) of the best and the last epoch, and of zero-shot CLIP
    // (template alone) on the same images; absent without a validation split.
    std::optional<int> bestEpoch; // 0-based
    std::optional<double> bestValAccuracy, lastValAccuracy, zeroShotValAccuracy;
    // One or two sentences when the run ended below zero-shot CLIP on validation: what
    // happened, which epoch is kept and what to try. Empty otherwise.
    std::string warning;
};

// RunOutcome::warning for these numbers: empty unless the last epoch's validation accuracy is
// below zero-shot CLIP's on the same images.
std::string belowZeroShotWarning(const RunOutcome& outcome);

// Creates a run, draws its few-shot set from the eligible images of now (labelled, not
// excluded, train split, in a training class), records the set with the run, trains on cached
// embeddings and commits each epoch. Call encodeProject first; missing embeddings are an error
// that says so.
Result<RunOutcome> trainRun(store::Project& project, const RunRequest& request, const RunCallbacks& callbacks = {},
                            const StopTokenPtr& stop = {});

// Continues an interrupted or stopped run from its last committed epoch, on the run's own
// few-shot set and classes.
Result<RunOutcome> resumeRun(store::Project& project, std::int64_t runId, const RunCallbacks& callbacks = {},
                             const StopTokenPtr& stop = {});

} // namespace aape::workflow
