#pragma once
// One training epoch's numbers, as the trainer reports them, the project file stores them and
// the studio plots them: the same plain struct all the way. Copy between threads freely.

#include <optional>

namespace aape {

struct EpochMetrics {
    int epoch = 0;            // 0-based index of the epoch just finished
    double totalLoss = 0.0;   // means over the epoch's batches
    double taskLoss = 0.0;    // cross-entropy
    double distillLoss = 0.0; // ‖h(x) − p̂^a‖² (or its mean over dimensions, see TrainConfig), before λ
    double aggReward = 0.0;   // mean of max(cos(x, p^a), 0), before −s
    double trainAccuracy = 0.0;
    std::optional<double> valAccuracy;
    double learningRate = 0.0;
    double seconds = 0.0; // wall time of the epoch
};

} // namespace aape
