#pragma once
// Evaluates trained AAPE heads on embedded images: predictions, confidence, OOD score,
// attention over descriptions, zero-shot comparison, accuracy tables and base/new helpers.
// evaluate() is a pure function of its inputs; call it from a worker thread (it may take seconds).

#include "aape/aape/TrainState.h"
#include "aape/util/Error.h"

#include <utility>
#include <vector>

namespace aape {

// All embeddings row-major float32, L2-normalised, dimension `dim`.
struct EvalInput {
    int dim = 0;
    std::vector<float> templates;                  // [C, d]
    std::vector<std::vector<float>> descriptions;  // per class [n_c, d]; only for attention, may be empty
    std::vector<float> images;                     // [N, d]
    std::vector<int> labels;                       // [N], -1 where unknown; empty: all unknown
    float logitScale = 100.0f;
};

// Our addition, not the paper's: a score that grows as an image looks less like any class.
enum class OodScoreKind {
    MaxSoftmax,  // 1 − max softmax probability
    Energy,      // −T·logsumexp(logits / T)
};

struct EvalOptions {
    int topK = 5;
    OodScoreKind oodScore = OodScoreKind::MaxSoftmax;
    float energyTemperature = 1.0f;
    bool attention = true;  // needs descriptions and the aggregator's weights in the state
};

// Which descriptions mattered. The aggregator's p̄-slot attention depends only on the class
// (its query is built from the descriptions, not from the image), so it is reported as
// `classLevel` (averaged over heads). The per-image view the app shows is that prior
// re-weighted by how well each description matches the image under CLIP:
//   imageLevel_i ∝ classLevel_i · softmax_i(logit_scale · cos(x, p_i)).
// Both sum to 1 over the class's descriptions; empty when unavailable.
struct DescriptionAttention {
    int classIndex = -1;
    std::vector<float> classLevel;
    std::vector<float> imageLevel;
};

struct ImageEvaluation {
    int predicted = -1;
    int zeroShot = -1;  // argmax_c cos(x, t_c): CLIP with templates only
    std::vector<int> topClasses;
    std::vector<float> topProbabilities;
    float oodScore = 0.0f;
    float cosTemplate = 0.0f;   // cos(x, t_pred)
    float cosGenerated = 0.0f;  // cos(x, h(x))
    DescriptionAttention predictedAttention;
    DescriptionAttention trueAttention;  // empty when the label is unknown
};

struct EvalReport {
    int classCount = 0;
    std::vector<ImageEvaluation> images;
    double accuracy = 0.0;          // over labelled images
    double zeroShotAccuracy = 0.0;
    std::vector<double> perClassAccuracy;  // [C]; NaN for classes without labelled images
    std::vector<int> perClassCount;
    std::vector<int> confusion;  // [C, C] row = true class, column = predicted
};

Result<EvalReport> evaluate(const TrainState& state, const EvalInput& input, const EvalOptions& options = {});

// CoOp's base-to-new rule on classes sorted by label: the first ceil(C/2) are base.
std::pair<std::vector<int>, std::vector<int>> splitBaseNew(int classCount);
// The input restricted to `classes` (in that order): images of other classes are dropped
// and labels renumbered, so base and new are each evaluated among their own classes.
EvalInput restrictToClasses(const EvalInput& input, const std::vector<int>& classes);
double harmonicMean(double base, double novel);

} // namespace aape
