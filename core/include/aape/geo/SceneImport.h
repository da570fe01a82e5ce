#pragma once
// A scene into a project as tiles: the scene is referenced, never copied; each tile is an image
// row read on demand through GDAL from its (scene, pixel window), with its bounding box in the
// scene's CRS and the band rendering (bands and per-band stretch, computed once per scene)
// stored with the scene. Call from one worker thread per Project; progress and stop are polled
// per tile.

#include "aape/data/Protocol.h"
#include "aape/geo/Scene.h"
#include "aape/geo/VectorLabels.h"
#include "aape/store/Project.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aape::geo {

struct SceneImportOptions {
    int tileSize = 0; // pixels
    int stride = 0;   // pixels between tile origins; 0: tileSize (no overlap)
    // A preset (bandPresets()), band numbers "4,3,2", or empty: the file's colour bands, else the
    // first three.
    std::string bands;
    double lowPercentile = 2.0; // the per-band stretch, as QGIS's cumulative cut
    double highPercentile = 98.0;
    std::string labelsPath; // optional vector file (GeoPackage, GeoJSON, Shapefile)
    std::string labelField;
    double minCover = 0.5;
    data::SplitFractions fractions; // train/val/test split of the tiles, seeded per class
    std::uint64_t seed = 1;
    std::function<void(std::size_t done, std::size_t total)> progress; // on the importing thread
    StopTokenPtr stop; // a stop leaves the project unchanged and returns Cancelled
};

struct SceneImportReport {
    SceneInfo scene;
    BandRendering rendering;
    TileGrid grid;
    int tiles = 0;
    int added = 0;
    int duplicates = 0; // tiles already in the project
    int labelled = 0;
    int unlabelled = 0;
    std::map<std::string, int> tilesPerClass;
    std::vector<std::string> classesCreated;
    std::vector<std::string> notes; // for the user: reprojection of the labels and the like
};

Result<SceneImportReport> importScene(store::Project& project, const std::string& scenePath,
                                      const SceneImportOptions& options);

// The tiles importScene makes of a scene (the same windows, bands and stretch, so the same
// pixels and content hashes), without a project: what `aape embed --scene` embeds on a cluster
// node for a project to import later. Uses options' tiling, bands and percentiles only.
struct SceneTiling {
    SceneInfo scene; // of the normalised path
    BandRendering rendering;
    TileGrid grid;
    std::vector<TileReference> tiles; // row by row
};
Result<SceneTiling> planSceneTiles(const std::string& scenePath, const SceneImportOptions& options);

// A tile's key in the embedding cache: a hash of its 8-bit RGB pixels (what CLIP sees) and size.
std::string tilePixelHash(const cv::Mat& rgb);

// The scene must be georeferenced to be tiled into a map: a clear error otherwise.
Status requireGeoreference(const SceneInfo& scene);

} // namespace aape::geo
