#pragma once
// Contrastive pretraining of a small CLIP from scratch with the project's own towers, for the
// built-in demo. Runs on the calling thread, reports through callbacks on that thread; any
// thread may request a stop through the StopToken. Plain types only: safe next to Qt.

#include "aape/clip/ClipConfig.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aape::clip {

// One batch of matching image/caption pairs; row i of the images goes with caption i.
struct ToyBatch {
    std::vector<float> pixels;                     // [B, 3, S, S] CHW, normalised like the checkpoint's images
    std::vector<std::vector<std::int32_t>> tokens; // B sequences [SOT, ..., EOT], unpadded
};

// AdamW with a linear warm-up and a cosine decay to zero; CLIP's learnable temperature.
struct ToyPretrainConfig {
    ClipConfig config; // geometry of the model to train (vocabSize must cover the tokens)
    int steps = 2000;
    int batchSize = 128;
    double learningRate = 2e-3;
    double weightDecay = 0.05;
    int warmupSteps = 100;
    std::uint64_t seed = 1;
    int threads = 2;                      // intra-op CPU threads
    float initialLogitScaleLog = 2.6592f; // log(1 / 0.07), CLIP's initial temperature
};

struct ToyPretrainProgress {
    int step = 0; // steps done
    int totalSteps = 0;
    double loss = 0.0;          // symmetric InfoNCE of the step just done
    double batchAccuracy = 0.0; // image→caption top-1 within the batch
    double seconds = 0.0;       // since training began
};

struct ToyPretrainCallbacks {
    // Fills `batch` with config.batchSize pairs for the given 0-based step. Required.
    std::function<Status(int step, ToyBatch& batch)> nextBatch;
    std::function<void(const ToyPretrainProgress&)> onProgress; // after every step
};

struct ToyPretrainResult {
    int steps = 0;
    bool stopped = false;
    double seconds = 0.0;
    double finalLoss = 0.0; // mean over the last 50 steps
    std::int64_t parameterCount = 0;
    float logitScaleLog = 0.0f;
};

// Trains from randomly initialised weights and writes `folder` as a Hugging Face CLIPModel
// (config.json, model.safetensors, preprocessor_config.json with `normalisation`). The
// vocabulary files are the caller's to write. A stopped run writes nothing.
Result<ToyPretrainResult> pretrainToyClip(const ToyPretrainConfig& config, const ImageNormalisation& normalisation,
                                          const ToyPretrainCallbacks& callbacks, const std::string& folder,
                                          const StopTokenPtr& stop = {});

} // namespace aape::clip
