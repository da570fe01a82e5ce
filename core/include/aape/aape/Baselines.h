#pragma once
// The methods AAPE is compared with, on the same cached embeddings and few-shot set:
// zero-shot CLIP, CuPL (descriptions averaged, no training), a linear probe (CoOp's protocol),
// Tip-Adapter (training-free cache) and Tip-Adapter-F (fine-tuned cache keys). Pure functions
// of their inputs; call from one worker thread (fitting may take seconds).

#include "aape/aape/Trainer.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aape {

enum class Method { Aape, ZeroShot, Cupl, LinearProbe, TipAdapter, TipAdapterF };
const std::vector<Method>& allMethods(); // in the order tables list them
// "aape", "zero-shot", "cupl", "linear-probe", "tip-adapter", "tip-adapter-f"
const char* methodName(Method method);
std::optional<Method> parseMethod(std::string_view name);
// Zero-shot, CuPL and AAPE score any class from its name (and descriptions, for CuPL); the
// probe and the Tip-Adapters only the classes they were fitted on (no new classes).
bool answersNewClasses(Method method);

// Published settings, and the linear probe's search grid (CoOp searches the regularisation
// on the validation split; without one the middle of the grid is used).
struct BaselineSettings {
    // Tip-Adapters: weight of the cache logits and sharpness of the affinity exp(−β(1 − cos)),
    // where no validation split lets them be searched (with one, both search the published grid).
    double tipAlpha = 1.0;
    double tipBeta = 5.5;
    int tipEpochs = 20; // Tip-Adapter-F: AdamW, lr 0.001, eps 1e-4, batch 256, cosine schedule
    double tipLearningRate = 0.001;
    int tipBatchSize = 256;
    std::vector<double> probeWeightDecays = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1}; // λ of λ/2·|W|²
    int probeIterations = 300;                                                    // L-BFGS iterations per fit
};

// A fitted method: its parameters as named tensors (what the run's checkpoint stores), the
// hyper-parameters chosen on validation, and the count of learned parameters.
struct BaselineModel {
    Method method = Method::ZeroShot;
    std::vector<NamedTensor> tensors; // "probe.weight" [C, d], "probe.bias" [C]; "tip.keys" [S, d],
                                      // "tip.values" [S, C], "tip.alpha", "tip.beta" (shape [])
    double chosenWeightDecay = 0.0;   // linear probe
    double alpha = 0.0, beta = 0.0;   // Tip-Adapters
    long long learnedParameters = 0;
    std::optional<double> validationAccuracy;
};

// Fits `method` (not Aape) on the few-shot set of `data`: the probe and the Tip-Adapters use
// every cached view of every training image, as the trainer does. Deterministic in
// (data, settings, data's seed through `seed`).
Result<BaselineModel> fitBaseline(Method method, const TrainingData& data, std::uint64_t seed,
                                  const BaselineSettings& settings = {}, const StopTokenPtr& stop = {});

// Logits [N, C] of images [N, d] (L2-normalised) among classes given by their templates
// [C, d] and descriptions (per class [n_c, d]; CuPL only). The probe and the Tip-Adapters take
// the classes they were fitted on, in that order, and refuse others (`templates` must then be
// those classes'). Scales: logitScale·cos for zero-shot and CuPL (and the Tip-Adapters' CLIP
// part), as CLIP does.
Result<std::vector<float>> baselineLogits(Method method, const std::vector<NamedTensor>& tensors,
                                          const std::vector<float>& images, int dim,
                                          const std::vector<float>& templates,
                                          const std::vector<std::vector<float>>& descriptions, float logitScale);

// Learned parameters of an AAPE run at dimension d: the generator h, the combiner g and the
// aggregator that trains them (all of it learned; only h and g are needed to predict).
long long aapeLearnedParameters(const TrainState& state);

} // namespace aape
