#pragma once
// Writes CLIP checkpoints in the formats the loaders read: randomly initialised ones for
// benchmarks, tests and the demo. Pure functions of their arguments; any thread.

#include "aape/clip/ClipConfig.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <string>

namespace aape::clip {

struct RandomClipOptions {
    ClipConfig config;
    std::uint64_t seed = 0;
    // Move LayerNorm weights/biases, attention biases and logit_scale away from their usual
    // initial values, so that a loader mixing them up produces different embeddings.
    bool perturbNorms = false;
    float logitScaleLog = 4.6052f; // log(100)
};

// Geometry presets: "ViT-B/32", "ViT-B/16", "ViT-L/14" (CLIP's), "tiny" (a few hundred kB).
Result<ClipConfig> clipPreset(const std::string& name);

// A Hugging Face CLIPModel folder: config.json, model.safetensors, preprocessor_config.json.
// The vocabulary files (vocab.json, merges.txt) are the caller's to add.
Status writeRandomHuggingFaceClip(const std::string& folder, const RandomClipOptions& options);

// The same random weights in every format, for cross-format checks:
//   folder/hf/ (HF CLIPModel), folder/hf-sharded/ (two shards + index),
//   folder/openai.pt (TorchScript archive with float16 weights, OpenAI names),
//   folder/open_clip/model.pt (torch.save state dict with "module." prefix) and
//   folder/open_clip/model.safetensors, both beside an open_clip_config.json.
// Weights are rounded to float16 first so that every format holds identical values.
Status writeRandomClipInAllFormats(const std::string& folder, const RandomClipOptions& options);

} // namespace aape::clip
