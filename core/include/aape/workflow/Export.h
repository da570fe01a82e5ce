#pragma once
// A run's prompt generator exported as a bundle, and predictions with a bundle and its CLIP.
// Call from one thread with that thread's Project and engine.

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/Train.h"

#include <optional>

#include <string>
#include <utility>
#include <vector>

namespace aape::workflow {

// Writes the run's prompt generator as *.aape.safetensors (DESIGN.md section 4): h, g of the
// chosen epoch (the run's own choice when empty), the template embeddings of every class of the
// project (the trained ones first; the manifest's "trained_classes" and "untrained_classes" say
// which is which), logit scale and a manifest.
Status exportRunBundle(store::Project& project, std::int64_t runId, const std::string& path,
                       bool includeDescriptions = false, std::optional<EpochChoice> epoch = std::nullopt);

struct ImagePrediction {
    std::string path;
    std::vector<std::pair<std::string, float>> top; // class name, probability; best first
    float oodScore = 0.0f; // our addition: higher means less like the training images (see oodScoreKind)
    OodScoreKind oodScoreKind = OodScoreKind::MaxSoftmax; // the bundle's, from its manifest
    std::string error;                                    // set when the image could not be read (then `top` is empty)
    std::vector<float> embedding;                         // [d], the image's L2-normalised CLIP embedding
};

// A sentence naming both when `engine` is not the CLIP the bundle was trained with (by the
// weights' fingerprint in the manifest); empty when it is, when the manifest does not say, or
// when the embedding sizes differ (predictImages refuses that).
std::string clipMismatchWarning(const Bundle& bundle, const clip::ClipEngine& engine);

// Classifies images with a bundle and the CLIP it was trained on; extraClasses are new
// class names (templates encoded now), scored together with the bundle's classes.
Result<std::vector<ImagePrediction>> predictImages(const Bundle& bundle, const clip::ClipEngine& engine,
                                                   const std::vector<std::string>& imagePaths,
                                                   const std::vector<std::string>& extraClasses = {}, int topK = 5);

} // namespace aape::workflow
