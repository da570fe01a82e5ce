#pragma once
// A bundle's predictions over a whole scene, tile by tile (read window by window through GDAL,
// so memory stays bounded whatever the scene's size), ready to be written as a map
// (aape/geo/ClassMap.h). Call from one thread with that thread's engine; progress comes on that
// thread and the stop token is polled between batches.

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/geo/ClassMap.h"
#include "aape/geo/Scene.h"
#include "aape/util/StopToken.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aape::workflow {

struct ScenePredictOptions {
    int tileSize = 0; // pixels; 0: the tile size the bundle was trained with
    int stride = 0;   // pixels; 0: the tile size
    // Band numbers or a preset (aape/geo/Scene.h); empty: the bands and stretch the bundle was
    // trained with, else the file's colour bands (or first three) stretched 2-98 %.
    std::string bands;
    // The bands and stretch an earlier call on the same scene resolved (ScenePrediction::
    // rendering): used as they are, without choosing again or reading the statistics again.
    std::optional<geo::BandRendering> rendering;
    int batchSize = 64;
    // Only the tiles [firstTile, endTile) of the grid's row order are predicted (a shard of the
    // scene); the others stay unpredicted (class -1). endTile 0: up to the last tile.
    std::size_t firstTile = 0;
    std::size_t endTile = 0;
    std::function<void(std::size_t done, std::size_t total, double secondsLeft)> progress;
    StopTokenPtr stop;
};

struct ScenePrediction {
    geo::ClassMapLayout layout; // scene, tile grid and the bundle's class names
    geo::BandRendering rendering;
    std::vector<geo::TilePrediction> tiles;              // grid.rows x grid.columns, row by row
    std::vector<std::vector<std::pair<int, float>>> top; // per tile: the 3 best classes, best first
    std::string oodScoreName;
    std::vector<std::string> warnings; // for the user: bands that differ from the training ones
    double seconds = 0.0;
};

// The band choice and stretch a bundle was trained with (manifest "raster"), and its tile size.
std::optional<geo::BandRendering> bundleRendering(const Bundle& bundle);
int bundleTileSize(const Bundle& bundle); // 0 when the bundle does not say

Result<ScenePrediction> predictScene(const Bundle& bundle, const clip::ClipEngine& engine, const std::string& scenePath,
                                     const ScenePredictOptions& options);

} // namespace aape::workflow
