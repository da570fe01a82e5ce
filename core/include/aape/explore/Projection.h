#pragma once
// 2-D projections of a collection for the map. PCA is exact and takes well under a second for
// 50,000 images; pure function, call from any one thread.

#include "aape/explore/Collection.h"
#include "aape/util/StopToken.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aape::explore {

struct Projection2D {
    std::vector<float> xy;          // [N, 2] row-major: the images' map coordinates
    double explainedVariance = 0.0; // fraction of the total variance the two axes carry
};

// Principal components 1 and 2 of the centred embeddings. Deterministic: each axis is signed
// so that its largest loading is positive.
Result<Projection2D> pcaProjection(const EmbeddedCollection& collection);

struct TsneOptions {
    double perplexity = 30.0; // effective neighbours per image (lowered for tiny collections)
    int iterations = 750;     // the first 250 with early exaggeration 12
    double theta = 0.5;       // Barnes-Hut accuracy: 0 is exact, larger is faster and coarser
    // stage "neighbours" (images done) then "layout" (iterations done)
    std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
    StopTokenPtr stop;
};

// t-SNE (van der Maaten 2014, Barnes-Hut) of the embeddings: exact k nearest neighbours by cosine
// (k = 3 × perplexity), the perplexity-calibrated affinities, then gradient descent in 2-D
// started from the PCA map (deterministic: the same collection gives the same map). Tens of
// seconds for 50,000 images; polls `stop` between blocks and iterations (Cancelled error).
Result<Projection2D> tsneProjection(const EmbeddedCollection& collection, const TsneOptions& options = {});

// A digest of the collection's images and embeddings: a cached map is valid while it is the same.
std::string collectionDigest(const EmbeddedCollection& collection);

// The t-SNE map kept in the project (setting "map.tsne") for this collection and perplexity,
// or nothing when there is none or the embeddings have changed since.
std::optional<std::vector<float>> cachedTsne(const store::Project& project, const EmbeddedCollection& collection,
                                             double perplexity = TsneOptions{}.perplexity);
Status storeTsne(store::Project& project, const EmbeddedCollection& collection, const Projection2D& projection,
                 double perplexity = TsneOptions{}.perplexity);

} // namespace aape::explore
