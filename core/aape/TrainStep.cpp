#include "aape/TrainStep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aape::detail {

torch::Tensor& StepContext::momentumOf(const torch::Tensor& param)
{
    for (std::size_t i = 0; i < params.size(); ++i)
        if (params[i].is_same(param))
            return momentum[i];
    throw std::logic_error("momentumOf: not a parameter of this run");
}

void assignJobs(const std::vector<int>& labels, AggregatorJob (&jobs)[2])
{
    const auto batchRows = static_cast<std::int64_t>(labels.size());
    std::vector<std::int64_t> classes(labels.begin(), labels.end());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    const auto workerClasses =
        static_cast<std::size_t>(std::lround(kWorkerClassShare * static_cast<double>(classes.size())));
    jobs[1].classes.assign(classes.begin(), classes.begin() + static_cast<std::ptrdiff_t>(workerClasses));
    jobs[0].classes.assign(classes.begin() + static_cast<std::ptrdiff_t>(workerClasses), classes.end());
    // The worker takes the lowest class ids: those below the main job's first class.
    const std::int64_t firstMainClass =
        workerClasses < classes.size() ? classes[workerClasses] : std::numeric_limits<std::int64_t>::max();
    for (std::int64_t row = 0; row < batchRows; ++row) {
        const auto label = static_cast<std::int64_t>(labels[static_cast<std::size_t>(row)]);
        auto& job = jobs[label < firstMainClass ? 1 : 0];
        job.rows.push_back(row);
        job.slots.push_back(std::lower_bound(job.classes.begin(), job.classes.end(), label) - job.classes.begin());
    }
}

} // namespace aape::detail
