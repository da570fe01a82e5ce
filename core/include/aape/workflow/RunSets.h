#pragma once
// Run sets: the runs of one multi-seed training, summarised as mean ± standard deviation.
// Pure functions over run records; any thread.

#include "aape/store/Records.h"

#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

// A set of runs trained together with several seeds (`aape train --seeds 1 2 3`, or the
// studio's seeds setting): mean and sample standard deviation of each summary metric over
// the set's evaluated runs, as papers report few-shot results.
struct MeanStd {
    double mean = 0.0;
    double std = 0.0; // sample standard deviation (n − 1); 0 for one value
    int count = 0;
};
std::optional<MeanStd> meanStd(const std::vector<double>& values); // empty for no values

struct RunSetSummary {
    std::string group;
    std::vector<std::int64_t> runIds; // evaluated runs of the set, oldest first
    struct Statistic : MeanStd {
        std::string key; // summary key: accuracy, zero_shot_accuracy, base_accuracy, new_accuracy, harmonic_mean
    };
    std::vector<Statistic> statistics; // in the order of the keys above, those present
};

// One entry per group that has at least one evaluated run, in order of first appearance.
std::vector<RunSetSummary> summariseRunSets(const std::vector<store::RunRecord>& runs);

} // namespace aape::workflow
