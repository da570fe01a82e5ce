#pragma once
// Which labels look wrong and which unlabelled images to label next, from the cached
// embeddings. The classifier is linear discriminant analysis (class means and a shared
// covariance shrunk by Ledoit and Wolf's rule), fitted in closed form in well under a second
// per fold, with one temperature fitted on its out-of-fold predictions (against the labels
// smoothed by 5 %: some of them are wrong, which is the point). Pure functions of their
// inputs; call from one worker thread.

#include "aape/explore/Collection.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace aape::explore {

struct LabelReviewOptions {
    int folds = 5;          // k of the k-fold: each image is judged by a model that never saw it
    std::uint64_t seed = 1; // of the fold assignment
    std::function<void(std::size_t, std::size_t)> progress;
    StopTokenPtr stop;
};

struct LabelMistake {
    std::size_t index = 0; // into the collection
    std::int64_t givenClassId = 0;
    std::int64_t suggestedClassId = 0; // the out-of-fold model's most probable class
    float givenProbability = 0.0f;     // self-confidence: the model's probability of the given label
    float suggestedProbability = 0.0f;
    // Confident learning (Northcutt et al., 2021): the suggested class's probability reaches that
    // class's threshold (its images' mean self-confidence) and the suggestion is not the label.
    bool likelyError = false;
};

// Every labelled image of the collection, the least self-confident label first (ties by index).
// An error when fewer than two classes have at least two labelled images each.
Result<std::vector<LabelMistake>> rankLabelMistakes(const EmbeddedCollection& collection,
                                                    const LabelReviewOptions& options = {});

struct SuggestOptions {
    int count = 20;
    int folds = 5; // for the temperature of the embedding model
    std::uint64_t seed = 1;
    // Class probabilities from a trained run instead of the embedding model fitted here: given
    // the unlabelled images (collection indices), rows [U, C] over `runClassIds` (the run's
    // classes in its order). Unset: a linear model fitted on the labelled embeddings decides.
    std::function<Result<std::vector<float>>(const std::vector<std::size_t>& indices)> runProbabilities;
    std::vector<std::int64_t> runClassIds;
    std::function<void(std::size_t, std::size_t)> progress;
    StopTokenPtr stop;
};

struct LabelSuggestion {
    std::size_t index = 0;             // into the collection
    std::int64_t predictedClassId = 0; // the model's guess, to pre-fill the label
    float probability = 0.0f;          // of that guess
    float uncertainty = 0.0f;          // 1 − (p_top1 − p_top2): 1 when the model cannot decide
    float distance = 0.0f;             // 1 − cosine to the nearest labelled or already suggested image
    float score = 0.0f;                // uncertainty · distance, what the greedy choice maximised
};

struct SuggestReport {
    std::vector<LabelSuggestion> suggestions; // in the order they were chosen
    int unlabelled = 0;                       // unlabelled images considered
    bool fromRun = false;                     // the uncertainty came from SuggestOptions::runProbabilities
};

// Greedy uncertainty-weighted k-centre over the unlabelled images: each step takes the image
// that maximises uncertainty × distance to everything labelled or chosen so far, so the list
// covers the uncertain regions instead of repeating one of them.
Result<SuggestReport> suggestImagesToLabel(const EmbeddedCollection& collection, const SuggestOptions& options = {});

} // namespace aape::explore
