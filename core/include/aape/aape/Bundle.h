#pragma once
// The exported prompt generator (*.aape.safetensors): h, g, the class template embeddings and
// a JSON manifest, usable without the app. Functions are pure; a loaded Bundle is immutable
// and may be shared between threads.

#include "aape/aape/Evaluator.h"
#include "aape/aape/TrainState.h"
#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aape {

inline constexpr int kBundleFormatVersion = 1;

struct BundleContents {
    int dim = 0;
    std::vector<float> classEmbeddings;  // [C, d], L2-normalised template embeddings
    std::vector<std::string> classNames; // C names, stored in the manifest
    float logitScale = 100.0f;           // the multiplier exp(CLIP's logit_scale), not its log
    // Caller's part of the manifest: template, CLIP identity (architecture, dims, activation,
    // weight fingerprint), preprocessing, training config, summary metrics.
    nlohmann::json manifest = nlohmann::json::object();
    bool includeAggregator = false;               // also write "aggregator.*" for inspection
    std::vector<std::vector<float>> descriptions; // optional, per class [n_c, d]: written as
                                                  // "descriptions.<c>" for inspection
    // The OOD score predictions compute, and what it needs from the training images
    // ("ood.prototypes" [P, d]; for Mahalanobis also "ood.means" and "ood.precision" [d, d]).
    // The manifest's "ood_score" names it. Without a reference, max_softmax.
    OodScoreKind oodScore = kDefaultOodScore;
    OodReference oodReference;
};

// Writes h.fc1.weight [d/16, d], h.fc1.bias, h.fc2.weight [d, d/16], h.fc2.bias,
// g.weight [d, 2d] (input order [t_c; h(x)]), g.bias [d], class_embeddings [C, d] and
// logit_scale (shape []) from `state`; the manifest goes under "__metadata__"."aape" with
// format, format_version, dim and class_names added.
Status exportBundle(const std::string& path, const TrainState& state, const BundleContents& contents);

struct Bundle {
    int dim = 0;
    int hidden = 0;                                            // d/16
    std::vector<float> fc1Weight, fc1Bias, fc2Weight, fc2Bias; // h
    std::vector<float> gWeight, gBias;                         // g: [d, 2d], [d]
    std::vector<float> classEmbeddings;                        // [C, d]
    float logitScale = 100.0f;
    nlohmann::json manifest = nlohmann::json::object();
    std::vector<std::string> classNames; // empty when the manifest has none
    std::string path;                    // the file it was loaded from
    // The manifest's "ood_score" and what it needs; max_softmax for bundles without one.
    OodScoreKind oodScore = OodScoreKind::MaxSoftmax;
    OodReference oodReference;

    int classCount() const { return dim > 0 ? static_cast<int>(classEmbeddings.size()) / dim : 0; }

    // Checks every tensor's presence, dtype convertibility and shape, and the manifest's
    // format version; errors name the file and the tensor at fault.
    static Result<Bundle> load(const std::string& path);
};

// logits [N, C + E] row-major for L2-normalised image embeddings [N, d], exactly:
// h = fc2(relu(fc1(x))); w_c = relu(g.weight·[t_c; h] + g.bias); logits_c = logit_scale·cos(x, w_c).
// extraClassEmbeddings [E, d] (templates of classes not in the bundle) follow the bundle's.
Result<std::vector<float>> predict(const Bundle& bundle, const std::vector<float>& imageEmbeddings,
                                   const std::vector<float>& extraClassEmbeddings = {});

} // namespace aape
