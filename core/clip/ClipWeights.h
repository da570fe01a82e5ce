#pragma once
// Private to the CLIP engine: a checkpoint's weights under OpenAI CLIP parameter names
// (the canonical form every loader converts to), float32 on the CPU.

#include "aape/clip/ClipConfig.h"
#include "aape/util/Error.h"

#include <torch/torch.h>

#include <map>
#include <string>

namespace aape::clip::detail {

using WeightMap = std::map<std::string, torch::Tensor>;

struct LoadedCheckpoint {
    ModelInfo info;
    WeightMap weights; // OpenAI names; empty when loaded with weights = false
};

// Detects the format, reads geometry and activation, and (when `weights`) all tensors.
// The fingerprint is computed only when the weights are read.
Result<LoadedCheckpoint> loadCheckpoint(const std::string& path, bool weights,
                                        const std::string& activationOverride = {});

// Checks that every tensor a tower needs is present with the shape the config implies.
Status validateWeights(const WeightMap& weights, const ClipConfig& config, const std::string& path);

// Digest of names, shapes and float32 values: the same weights give the same fingerprint
// whichever format they came in.
std::string fingerprintWeights(const WeightMap& weights);

} // namespace aape::clip::detail

namespace aape::clip::detail {

// Writers from OpenAI-named weights (see CheckpointWriter.h for the public entry points).
Status writeHuggingFace(const std::string& folder, const ClipConfig& config, const ImageNormalisation& normalisation,
                        const WeightMap& weights, int shards = 1);
Status writeOpenAITorchScript(const std::string& file, const ClipConfig& config, const WeightMap& weights);
Status writeOpenClip(const std::string& file, const ClipConfig& config, const WeightMap& weights);
WeightMap randomWeights(const ClipConfig& config, std::uint64_t seed, bool perturbNorms, float logitScaleLog);

} // namespace aape::clip::detail
