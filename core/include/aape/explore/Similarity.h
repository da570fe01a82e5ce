#pragma once
// Similar images and near-duplicates over a loaded collection (cosine of the canonical-view
// embeddings). Pure functions of their inputs; call from any one thread (duplicates over a large
// collection take seconds: run them on a worker).

#include "aape/explore/Collection.h"

#include <functional>
#include <optional>
#include <vector>

namespace aape::explore {

struct Neighbour {
    std::size_t index = 0; // into the collection
    float cosine = 0.0f;
};

// The k images most similar to `query` ([dim], L2-normalised), best first; ties by index.
// `skip` leaves one image out (the query image itself).
std::vector<Neighbour> nearestImages(const EmbeddedCollection& collection, const std::vector<float>& query, int k,
                                     std::optional<std::size_t> skip = std::nullopt);

struct DuplicatePair {
    std::size_t first = 0; // into the collection; first < second
    std::size_t second = 0;
    float cosine = 0.0f;
    // The two lie in different splits (e.g. train and test): the test copy inflates test accuracy.
    bool crossesSplit = false;
};

inline constexpr float kDefaultDuplicateThreshold = 0.97f;

// The side of a pair that crosses splits to exclude: the training copy stays; between a
// validation and a test copy, the validation one stays.
std::size_t copyToExclude(const EmbeddedCollection& collection, const DuplicatePair& pair);

// Every pair with cosine >= threshold, most similar first. Polls `stop` between blocks and
// returns a Cancelled error when asked; progress counts rows of the collection done.
Result<std::vector<DuplicatePair>> findNearDuplicates(
    const EmbeddedCollection& collection, float threshold = kDefaultDuplicateThreshold,
    const std::function<void(std::size_t, std::size_t)>& progress = {}, const StopTokenPtr& stop = {});

} // namespace aape::explore
