#pragma once
// Labels for a scene's tiles from polygons (GeoPackage, GeoJSON, Shapefile, anything OGR reads):
// each tile takes the class whose polygons cover most of it, when they cover at least a minimum
// share; polygons in another CRS are reprojected to the scene's, and the report says so.
// Pure function of its inputs: any thread.

#include "aape/geo/Scene.h"
#include "aape/util/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace aape::geo {

struct VectorLabelOptions {
    std::string path;      // the vector file
    std::string field;     // the attribute that holds the class name
    double minCover = 0.5; // share of a tile (0..1] the winning class must cover; less leaves it unlabelled
};

struct WindowLabels {
    std::vector<std::optional<std::string>> labels; // per window: its class, or none
    std::vector<double> cover;                      // per window: share covered by that class (0..1)
    int features = 0;                               // polygons read
    std::string layer;                              // the layer they came from
    std::string vectorCrsName;                      // the file's CRS ("EPSG:4326"); empty when it has none
    bool reprojected = false;
    std::vector<std::string> notes; // for the user: reprojection, features left out and why
};

// The attribute names of every layer of a vector file, without duplicates, in file order: what a
// user chooses the label field from. Errors name the file.
Result<std::vector<std::string>> vectorFieldNames(const std::string& path);

// Errors name the file and say what to do: a missing file, no polygons, an unknown field (the
// message lists the fields there are), a scene without CRS.
Result<WindowLabels> labelWindows(const SceneInfo& scene, const std::vector<PixelWindow>& windows,
                                  const VectorLabelOptions& options);

} // namespace aape::geo
