#include "aape/explore/Similarity.h"

#include "explore/Linear.h"

#include <algorithm>

namespace aape::explore {

std::vector<Neighbour> nearestImages(const EmbeddedCollection& collection, const std::vector<float>& query, int k,
                                     std::optional<std::size_t> skip)
{
    std::vector<Neighbour> all;
    if (k <= 0 || collection.dim <= 0 || query.size() != static_cast<std::size_t>(collection.dim))
        return all;
    all.reserve(collection.size());
    for (std::size_t i = 0; i < collection.size(); ++i) {
        if (skip && *skip == i)
            continue;
        const float* row = collection.row(i);
        float dot = 0.0f;
        for (int j = 0; j < collection.dim; ++j)
            dot += row[j] * query[static_cast<std::size_t>(j)];
        all.push_back({i, dot});
    }
    const auto byCosine = [](const Neighbour& a, const Neighbour& b) {
        return a.cosine > b.cosine || (a.cosine == b.cosine && a.index < b.index);
    };
    const auto keep = std::min(all.size(), static_cast<std::size_t>(k));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), byCosine);
    all.resize(keep);
    return all;
}

Result<std::vector<DuplicatePair>> findNearDuplicates(const EmbeddedCollection& collection, float threshold,
                                                      const std::function<void(std::size_t, std::size_t)>& progress,
                                                      const StopTokenPtr& stop)
{
    std::vector<DuplicatePair> pairs;
    const auto n = static_cast<std::int64_t>(collection.size());
    const std::int64_t d = collection.dim;
    // Tiles of the Gram matrix's upper triangle, 16 MB each, so 50,000 images need no 10 GB matrix.
    const std::int64_t rowTile = 1024;
    const std::int64_t columnTile = 4096;
    std::vector<float> tile(static_cast<std::size_t>(rowTile * columnTile));
    for (std::int64_t r0 = 0; r0 < n; r0 += rowTile) {
        if (stopRequested(stop))
            return makeError(ErrorCode::Cancelled, "The search for near-duplicates was stopped.");
        const std::int64_t rows = std::min(rowTile, n - r0);
        for (std::int64_t c0 = r0; c0 < n; c0 += columnTile) {
            const std::int64_t columns = std::min(columnTile, n - c0);
            detail::multiply(false, true, rows, columns, d, collection.row(static_cast<std::size_t>(r0)), d,
                             collection.row(static_cast<std::size_t>(c0)), d, tile.data(), columnTile);
            for (std::int64_t i = 0; i < rows; ++i) {
                const float* line = tile.data() + i * columnTile;
                const std::int64_t first = std::max<std::int64_t>(0, r0 + i + 1 - c0);
                for (std::int64_t j = first; j < columns; ++j) {
                    if (line[j] < threshold)
                        continue;
                    DuplicatePair pair;
                    pair.first = static_cast<std::size_t>(r0 + i);
                    pair.second = static_cast<std::size_t>(c0 + j);
                    pair.cosine = std::min(line[j], 1.0f);
                    pair.crossesSplit = collection.images[pair.first].split != collection.images[pair.second].split;
                    pairs.push_back(pair);
                }
            }
        }
        if (progress)
            progress(static_cast<std::size_t>(r0 + rows), static_cast<std::size_t>(n));
    }
    std::sort(pairs.begin(), pairs.end(), [](const DuplicatePair& a, const DuplicatePair& b) {
        if (a.cosine != b.cosine)
            return a.cosine > b.cosine;
        return a.first != b.first ? a.first < b.first : a.second < b.second;
    });
    return pairs;
}

std::size_t copyToExclude(const EmbeddedCollection& collection, const DuplicatePair& pair)
{
    const auto& a = collection.images[pair.first];
    const auto& b = collection.images[pair.second];
    const bool keepFirst =
        a.split == store::Split::Train || (a.split == store::Split::Val && b.split == store::Split::Test);
    return keepFirst ? pair.second : pair.first;
}

} // namespace aape::explore
