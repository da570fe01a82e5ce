#pragma once
// Predictions over a scene as files that open in QGIS: a GeoTIFF in the scene's CRS at tile
// resolution (band 1 class index, band 2 top probability, band 3 OOD score) and a vector file
// with one polygon per tile. Pure functions of their inputs: any thread.

#include "aape/geo/Scene.h"
#include "aape/util/Error.h"

#include <array>
#include <string>
#include <vector>

namespace aape::geo {

// One tile's prediction; classIndex -1 marks a tile that was not predicted (no-data).
struct TilePrediction {
    int classIndex = -1; // into the map's class names
    float probability = 0.0f;
    float oodScore = 0.0f;
};

struct ClassMapLayout {
    SceneInfo scene;
    TileGrid grid;
    std::vector<std::string> classNames;
};

// The map's georeference: one map pixel per tile; with a stride smaller than the tile, a map
// pixel is the stride x stride square at the tile's centre, so neighbouring pixels do not overlap.
std::array<double, 6> classMapGeoTransform(const ClassMapLayout& layout);

// A colour per class (RGB), the same for a class index wherever a map is drawn.
std::array<std::uint8_t, 3> classColour(int classIndex);

// Writes a 3-band Float32 GeoTIFF (deflate, tiled), grid.columns x grid.rows, predictions in row
// order; no-data -1 on band 1 and NaN on bands 2 and 3. Band descriptions "class", "probability", "ood_score"; band 1's
// metadata holds CLASS_<i> = name and COLOR_<i> = #rrggbb. A GeoTIFF of three bands cannot
// carry a colour table, so beside it goes MAP.qml, the QGIS style QGIS loads with the layer:
// band 1 as classes with their names and colours.
Status writeClassMap(const std::string& path, const ClassMapLayout& layout,
                     const std::vector<TilePrediction>& predictions, const std::string& oodScoreName);

// One polygon per predicted tile (its window's outline in the scene's CRS) with the fields
// class, class_index, probability, ood_score, column, row. The format follows the extension:
// .gpkg (GeoPackage), .geojson/.json (GeoJSON), .shp (Shapefile).
Status writeTileVector(const std::string& path, const ClassMapLayout& layout,
                       const std::vector<TilePrediction>& predictions);

} // namespace aape::geo
