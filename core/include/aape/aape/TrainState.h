#pragma once
// The learnable state of an AAPE run as plain named float tensors: what a checkpoint stores
// and what the evaluator and the bundle exporter read. Plain values: copy between threads freely.

#include "aape/util/NamedTensor.h"

#include <string>
#include <vector>

namespace aape {

// Names: "aggregator.*", "h.fc1.weight" [d/16, d], "h.fc1.bias", "h.fc2.weight" [d, d/16],
// "h.fc2.bias", "g.weight" [d, 2d] (input order [t_c; h(x)]), "g.bias" [d], and the SGD
// momentum buffer of each parameter under "optimizer.momentum.<parameter name>".
// Resuming needs nothing else: each epoch's shuffling and view choice are seeded from
// (seed, epoch), so a run resumed after epoch k ends with the same weights as one that never
// stopped (same seed, device and thread count).
struct TrainState {
    int epochsCompleted = 0;
    std::vector<NamedTensor> tensors;

    const NamedTensor* find(const std::string& name) const;
};

} // namespace aape
