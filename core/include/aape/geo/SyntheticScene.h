#pragma once
// A generated multispectral scene with a known land-cover layout, for benchmarks, the user
// guide's walkthrough and anyone trying the scene workflow without data: UInt16 reflectance-like
// values (0..10000), 10 m pixels in UTM zone 33N (EPSG:32633), blocks of four classes.
// Any thread; writes only the files it is given.

#include "aape/util/Error.h"

#include <functional>
#include <string>
#include <vector>

namespace aape::geo {

struct SyntheticSceneSpec {
    int width = 2000;
    int height = 2000;
    int bands = 6;       // 13: Sentinel-2's L1C stack (B1..B8, B8A, B9..B12) with band descriptions
    int blockSize = 500; // pixels a side of one land-cover block
    bool noise = true;   // per-pixel noise (off: compresses to almost nothing, for large benchmarks)
    std::function<void(int band, int bands)> progress;
};

// The classes of the layout, in index order: water, forest, cropland, urban.
const std::vector<std::string>& syntheticClasses();
// Class index of the block that holds pixel (x, y).
int syntheticClassAt(const SyntheticSceneSpec& spec, int x, int y);

// Writes the scene as a tiled, deflate-compressed GeoTIFF (BigTIFF when needed).
Status writeSyntheticScene(const std::string& path, const SyntheticSceneSpec& spec);
// One polygon per block with its class in the attribute "landcover", as GeoJSON in EPSG:32633.
Status writeSyntheticLabels(const std::string& path, const SyntheticSceneSpec& spec);

} // namespace aape::geo
