#pragma once
// A tensor as files keep it: a name, a shape and row-major float32 values. The trainer's
// checkpoints, the project store, bundles and baselines exchange tensors in this form, so it
// lives below all of them. Plain value: copy between threads freely.

#include <cstdint>
#include <string>
#include <vector>

namespace aape {

struct NamedTensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values; // product(shape) values
};

} // namespace aape
