#pragma once
// Trains the AAPE heads (aggregator, prompt generator h, combiner g) on cached CLIP embeddings.
// train() runs on the calling (worker) thread and reports through callbacks on that thread;
// any thread may request a stop through the StopToken. One train() per TrainingData at a time.

#include "aape/aape/EpochMetrics.h"
#include "aape/aape/TrainState.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aape {

// Defaults follow the paper's few-shot recipe (CoOp's): 16 shots, 200 epochs, batch 32,
// SGD lr 0.002, momentum 0.9, weight decay 5e-4, cosine schedule per epoch after one
// warm-up epoch at a constant 1e-5, λ = 5, reward scale s = 2.5.
struct TrainConfig {
    int shots = 16; // recorded with the run; the caller samples the few-shot set
    int epochs = 200;
    int batchSize = 32;
    double learningRate = 0.002;
    double momentum = 0.9;
    double weightDecay = 5e-4;
    int warmupEpochs = 1;
    double warmupLearningRate = 1e-5;
    double distillWeight = 5.0; // λ in CE + λ·‖h(x) − sg(p̂^a)‖² (see distillForm)
    // How the distillation term reduces over the d dimensions: the squared L2 norm per image,
    // averaged over the batch, as DESIGN.md and the paper write it; or the mean over the
    // dimensions too (runs trained before this option existed, where λ = 5 acted like
    // λ ≈ 5/d). p̂^a = p^a/‖p^a‖, the unit target (README: the implementation's own choices).
    enum class DistillForm { SquaredNorm, MeanSquare };
    DistillForm distillForm = DistillForm::SquaredNorm;
    double rewardScale = 2.5; // s in L_agg = −s·max(cos(x, p^a), 0)
    int augmentedViews = 10;  // cached views per training image; the caller encodes them
    std::uint64_t seed = 1;
    std::string device = "auto"; // "auto" | "cpu" | "cuda"
    int threads = 0;             // intra-op CPU threads; 0 keeps LibTorch's default
    // Benchmark baseline only: the paper's equations as written (full attention over
    // [p̄; P], explicit [t_c; h(x)] concatenation). Same result, far slower.
    bool literal = false;
};

// CoOp's schedule by shots, which the paper follows: 50 epochs for 1 shot, 100 for 2 and 4,
// 200 for 8, 16 and more (0, all images: 200).
int paperEpochsForShots(int shots);

nlohmann::json toJson(const TrainConfig& config);
// Missing keys keep their defaults; wrong types or out-of-range values give an Error.
Result<TrainConfig> trainConfigFromJson(const nlohmann::json& json);

// All embeddings are row-major float32 and L2-normalised, dimension `dim`.
struct TrainingData {
    int dim = 0;
    int classCount = 0;
    std::vector<float> templates;                 // [C, d]: "a photo of a {class}."
    std::vector<std::vector<float>> descriptions; // per class [n_c, d], n_c ≥ 1 (a class with
                                                  // none uses its template as its one description)
    std::vector<int> sampleLabels;                // [S], in 0..C-1
    int viewsPerSample = 1;                       // V
    std::vector<float> sampleViews;               // [S, V, d]: cached augmented views
    std::vector<int> validationLabels;            // [M], may be empty
    std::vector<float> validationEmbeddings;      // [M, d]
    float logitScale = 100.0f;                    // exp(CLIP's logit_scale parameter)
};

struct TrainCallbacks {
    // After each epoch, with the checkpoint to commit together with the metrics.
    std::function<void(const EpochMetrics&, const TrainState&)> onEpoch;
    // After each optimisation step; called often, so throttle in the receiver.
    std::function<void(int step, int totalSteps)> onStep;
    std::function<void(const std::string& line)> onLog;
};

struct TrainResult {
    // Weights after the last completed epoch (a stop mid-epoch discards that epoch's steps,
    // so the state is exactly what resume needs).
    TrainState state;
    bool stopped = false;
    std::vector<EpochMetrics> history; // epochs run by this call
};

// Never throws. `resume` continues from resume->epochsCompleted with its weights and
// momentum buffers; it must come from a run with the same data shape and config.
Result<TrainResult> train(const TrainingData& data, const TrainConfig& config, const TrainCallbacks& callbacks = {},
                          const StopTokenPtr& stop = {}, const TrainState* resume = nullptr);

// Number of attention heads the aggregator uses for dimension d: 8 where d allows, else
// the largest divisor of d below 8.
int aggregatorHeadCount(int dim);

} // namespace aape
