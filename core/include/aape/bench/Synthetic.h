#pragma once
// Synthetic training data with planted structure, for benchmarks and tests (no CLIP needed).
// Pure functions of their spec: any thread may call them.

#include "aape/aape/Trainer.h"

#include <cstdint>

namespace aape {

// Each class c has a hidden centre μ_c (random unit vector). Templates, descriptions and
// image views are L2-normalised μ_c + noise, so the classes are separable and a class's
// descriptions are closer to its images than other classes' are.
struct SyntheticSpec {
    int classes = 10;
    int shots = 16;
    int dim = 64;
    int descriptions = 10; // per class
    int views = 4;         // cached augmented views per image
    int validationPerClass = 0;
    float templateNoise = 0.6f; // per-dimension std, scaled by 1/√d so it compares to |μ| = 1
    float descriptionNoise = 0.8f;
    float imageNoise = 1.0f;
    float viewNoise = 0.3f; // views of one image: normalise(image + noise)
    float logitScale = 100.0f;
    std::uint64_t seed = 7;
};

TrainingData makeSyntheticTrainingData(const SyntheticSpec& spec);

} // namespace aape
