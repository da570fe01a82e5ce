#pragma once
// Evaluates trained AAPE heads on embedded images: predictions, confidence, OOD score,
// attention over descriptions, zero-shot comparison, accuracy tables and base/new helpers.
// evaluate() is a pure function of its inputs; call it from a worker thread (it may take seconds).

#include "aape/aape/TrainState.h"
#include "aape/util/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aape {

// What the embedding-based OOD scores compare an image with: the run's training images,
// summarised per trained class. Built by makeOodReference; empty when unknown (then only the
// logit-based scores are available).
struct OodReference {
    int dim = 0;
    std::vector<float> prototypes; // [P, d], L2-normalised mean of each trained class's training images
    std::vector<float> means;      // [P, d], the same means before normalising (Mahalanobis)
    std::vector<float> precision;  // [d, d], inverse of the shrunk shared covariance (Mahalanobis)

    bool empty() const { return prototypes.empty(); }
    int classCount() const { return dim > 0 ? static_cast<int>(prototypes.size()) / dim : 0; }
};

// All embeddings row-major float32, L2-normalised, dimension `dim`.
struct EvalInput {
    int dim = 0;
    std::vector<float> templates;                 // [C, d]
    std::vector<std::vector<float>> descriptions; // per class [n_c, d]; only for attention, may be empty
    std::vector<float> images;                    // [N, d]
    std::vector<int> labels;                      // [N], -1 where unknown; empty: all unknown
    float logitScale = 100.0f;
    OodReference oodReference; // for the embedding-based OOD scores
};

// Our addition, not the paper's: a score that grows as an image looks less like the classes the
// run was trained on. Measured on base-to-new runs (new-class images against the base classes,
// docs: "How well the OOD score separates"), the distance to the class prototypes separates best
// and is the default; the others are kept for comparison.
enum class OodScoreKind {
    MaxSoftmax,  // 1 − max softmax probability
    Energy,      // −T·logsumexp(logits / T)
    MaxCosine,   // 1 − max_c cos(x, w_c(x)): the AAPE class weights before the softmax
    Prototype,   // 1 − max_c cos(x, μ_c), μ_c the L2-normalised mean of class c's training images
    Mahalanobis, // min_c (x − m_c)ᵀ Σ⁻¹ (x − m_c), shared covariance shrunk towards a multiple of I
};
inline constexpr OodScoreKind kDefaultOodScore = OodScoreKind::Prototype;
const std::vector<OodScoreKind>& allOodScoreKinds();
// "max_softmax", "energy", "max_cosine", "prototype", "mahalanobis": the names the CLI, the run
// summary and the bundle manifest use.
const char* oodScoreName(OodScoreKind kind);
std::optional<OodScoreKind> parseOodScoreKind(const std::string& name);
bool oodScoreNeedsReference(OodScoreKind kind);

// Prototypes, means and the shrunk shared covariance of training images [N, d] (L2-normalised)
// with their class labels 0..classCount-1. Classes without images get a zero row, which no
// image is near.
Result<OodReference> makeOodReference(const std::vector<float>& images, const std::vector<int>& labels, int classCount,
                                      int dim);

// OOD scores [N] of `kind` for images [N, d] whose logits over C classes are [N, C] (row-major).
// The embedding-based kinds need `reference`; an error names what is missing.
Result<std::vector<float>> oodScores(OodScoreKind kind, const std::vector<float>& images,
                                     const std::vector<float>& logits, int dim, float logitScale,
                                     const OodReference& reference, float energyTemperature = 1.0f);

// Area under the ROC curve of telling `outOfDistribution` scores from `inDistribution` ones:
// the probability that a random OOD image scores higher than a random in-distribution one,
// ties counted half. 0.5 is chance, 1 perfect; NaN when either side is empty.
double auroc(const std::vector<float>& inDistribution, const std::vector<float>& outOfDistribution);

struct OodSeparation {
    OodScoreKind kind = OodScoreKind::MaxSoftmax;
    double auroc = 0.0;
};

// How well each score kind tells `outOfDistribution` images [M, d] (e.g. of classes the run never
// trained on) from `input`'s images, both scored among input's classes with the trained heads.
// Kinds that need a reference are left out when input.oodReference is empty.
Result<std::vector<OodSeparation>> measureOodSeparation(const TrainState& state, const EvalInput& input,
                                                        const std::vector<float>& outOfDistribution);

struct EvalOptions {
    int topK = 5;
    OodScoreKind oodScore = kDefaultOodScore; // falls back to MaxSoftmax without a reference
    float energyTemperature = 1.0f;
    bool attention = true; // needs descriptions and the aggregator's weights in the state
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
    int zeroShot = -1; // argmax_c cos(x, t_c): CLIP with templates only
    std::vector<int> topClasses;
    std::vector<float> topProbabilities;
    float oodScore = 0.0f;
    float cosTemplate = 0.0f;  // cos(x, t_pred)
    float cosGenerated = 0.0f; // cos(x, h(x))
    DescriptionAttention predictedAttention;
    DescriptionAttention trueAttention; // empty when the label is unknown
};

struct EvalReport {
    int classCount = 0;
    OodScoreKind oodScore = OodScoreKind::MaxSoftmax; // the kind the images' oodScore holds
    std::vector<ImageEvaluation> images;
    double accuracy = 0.0; // over labelled images
    double zeroShotAccuracy = 0.0;
    std::vector<double> perClassAccuracy; // [C]; NaN for classes without labelled images
    std::vector<int> perClassCount;
    std::vector<int> confusion; // [C, C] row = true class, column = predicted
};

Result<EvalReport> evaluate(const TrainState& state, const EvalInput& input, const EvalOptions& options = {});

// CoOp's base-to-new rule on classes sorted by label: the first ceil(C/2) are base.
std::pair<std::vector<int>, std::vector<int>> splitBaseNew(int classCount);
// The input restricted to `classes` (in that order): images of other classes are dropped
// and labels renumbered, so base and new are each evaluated among their own classes.
EvalInput restrictToClasses(const EvalInput& input, const std::vector<int>& classes);
double harmonicMean(double base, double novel);

} // namespace aape
