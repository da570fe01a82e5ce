#pragma once
// "Is AAPE worth it on my data?": every method on the same cached embeddings, few-shot sets,
// splits and protocol, one run set per method, summarised as mean ± std over the seeds.
// Call from one thread with that thread's Project and engine; callbacks come on that thread.

#include "aape/aape/Baselines.h"
#include "aape/workflow/RunSets.h"
#include "aape/workflow/TrainSeeds.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

struct CompareRequest {
    std::vector<Method> methods = allMethods();
    std::vector<std::uint64_t> seeds{1, 2, 3};
    TrainConfig config; // shots, views, device, threads for all; epochs and the rest for AAPE
    bool baseToNew = false;
};

// One method's runs and their statistics (fractions). A statistic is empty where the method
// cannot answer it: the probe and the Tip-Adapters have no new-class accuracy, so under
// base-to-new neither the pooled accuracy nor H.
struct MethodComparison {
    Method method = Method::Aape;
    std::string group;
    std::vector<std::int64_t> runIds;
    std::optional<MeanStd> accuracy, baseAccuracy, newAccuracy, harmonicMean;
    long long learnedParameters = 0;
    int failedRuns = 0; // runs stopped or without an evaluation
};

struct ComparisonReport {
    bool baseToNew = false;
    int shots = 0;
    std::vector<MethodComparison> methods; // in the request's order
    bool stopped = false;
};

// Trains (or fits) every method with every seed, evaluating each run; the runs are ordinary
// runs of the project, grouped as "compare · <method> · <shots> shots · <date>".
Result<ComparisonReport> compareMethods(store::Project& project, const clip::ClipEngine& engine,
                                        const CompareRequest& request, const SeedsCallbacks& callbacks = {},
                                        const StopTokenPtr& stop = {});

// The same statistics from runs already in the project (e.g. a comparison made earlier):
// groups whose runs name a method in their config.
ComparisonReport comparisonFromRuns(const std::vector<store::RunRecord>& runs, const std::vector<std::string>& groups);

// {"methods": [{"method", "runs": [ids], "accuracy": {"mean", "std"}, "base_accuracy", "new_accuracy",
// "harmonic_mean", "learned_parameters"}], "base_to_new", "shots"}; absent keys where a method
// cannot answer.
nlohmann::json comparisonJson(const ComparisonReport& report);

} // namespace aape::workflow
