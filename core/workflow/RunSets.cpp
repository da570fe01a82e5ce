#include "aape/workflow/RunSets.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aape::workflow {

std::optional<MeanStd> meanStd(const std::vector<double>& values)
{
    if (values.empty())
        return std::nullopt;
    MeanStd result;
    result.count = static_cast<int>(values.size());
    result.mean = std::accumulate(values.begin(), values.end(), 0.0) / result.count;
    if (result.count > 1) {
        double squares = 0.0;
        for (double v : values)
            squares += (v - result.mean) * (v - result.mean);
        result.std = std::sqrt(squares / (result.count - 1));
    }
    return result;
}

std::vector<RunSetSummary> summariseRunSets(const std::vector<store::RunRecord>& runs)
{
    static const char* const keys[] = {"accuracy", "zero_shot_accuracy", "base_accuracy", "new_accuracy",
                                       "harmonic_mean"};
    std::vector<RunSetSummary> sets;
    std::vector<const store::RunRecord*> ordered;
    for (const auto& r : runs)
        ordered.push_back(&r);
    std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    for (const auto* r : ordered) {
        if (r->group.empty() || !r->summary.contains("accuracy"))
            continue;
        auto set = std::find_if(sets.begin(), sets.end(), [&](const RunSetSummary& s) { return s.group == r->group; });
        if (set == sets.end()) {
            sets.push_back({r->group, {}, {}});
            set = sets.end() - 1;
        }
        set->runIds.push_back(r->id);
    }
    for (auto& set : sets) {
        for (const char* key : keys) {
            std::vector<double> values;
            for (const auto* r : ordered)
                if (r->group == set.group && r->summary.contains(key) && r->summary[key].is_number())
                    values.push_back(r->summary[key].get<double>());
            if (const auto spread = meanStd(values)) {
                RunSetSummary::Statistic stat;
                static_cast<MeanStd&>(stat) = *spread;
                stat.key = key;
                set.statistics.push_back(stat);
            }
        }
    }
    return sets;
}

} // namespace aape::workflow
