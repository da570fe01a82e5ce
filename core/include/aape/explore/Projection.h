#pragma once
// 2-D projections of a collection for the map. PCA is exact and takes well under a second for
// 50,000 images; pure function, call from any one thread.

#include "aape/explore/Collection.h"

#include <vector>

namespace aape::explore {

struct Projection2D {
    std::vector<float> xy;          // [N, 2] row-major: the images' map coordinates
    double explainedVariance = 0.0; // fraction of the total variance the two axes carry
};

// Principal components 1 and 2 of the centred embeddings. Deterministic: each axis is signed
// so that its largest loading is positive.
Result<Projection2D> pcaProjection(const EmbeddedCollection& collection);

} // namespace aape::explore
