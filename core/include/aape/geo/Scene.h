#pragma once
// Satellite and aerial scenes through GDAL: what a raster holds (bands, CRS, georeference),
// which bands become red, green and blue and how they are stretched to 8 bits, and reading a
// pixel window (decimated through overviews when asked) as the 8-bit RGB image the CLIP
// preprocessing takes. No GDAL type appears here. A SceneReader belongs to one thread at a
// time; the free functions may be called from any thread.

#include "aape/util/Error.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aape::geo {

struct BandInfo {
    int index = 0;                    // 1-based, GDAL's band number
    std::string description;          // e.g. "B4" in a Sentinel-2 stack; may be empty
    std::string colourInterpretation; // GDAL's name: "Red", "Green", "Blue", "Gray", "Undefined", ...
    std::string dataType;             // GDAL's name: "Byte", "UInt16", "Int16", "Float32", ...
    std::optional<double> noData;
};

struct SceneInfo {
    std::string path;
    std::string driver; // GDAL's short name: "GTiff", "JP2OpenJPEG", "ENVI", "VRT", ...
    int width = 0;      // pixels
    int height = 0;
    std::vector<BandInfo> bands;
    std::string crsWkt;  // WKT2 of the coordinate reference system; empty when the file has none
    std::string crsName; // "EPSG:32633" when the CRS has an EPSG code, else its name
    // GDAL's affine geotransform: x = g[0] + col*g[1] + row*g[2], y = g[3] + col*g[4] + row*g[5].
    std::array<double, 6> geoTransform{0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
    bool hasGeoTransform = false;
    int overviews = 0; // overview levels of the first band
};

// A rectangle of scene pixels: columns x .. x+width-1, rows y .. y+height-1.
struct PixelWindow {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool operator==(const PixelWindow& other) const
    {
        return x == other.x && y == other.y && width == other.width && height == other.height;
    }
};

// A window's bounding box in the scene's CRS (or in pixels when the scene has no georeference).
struct BoundingBox {
    double minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0;
};
BoundingBox windowBounds(const SceneInfo& scene, const PixelWindow& window);

// How the scene's bands become an 8-bit RGB image: three 1-based band numbers and, per band,
// the value range mapped linearly onto 0..255 (values outside are clipped, no-data is 0).
// Stored with the project and the bundle so that preprocessing is reproducible.
struct BandRange {
    double low = 0.0;
    double high = 255.0;
};
struct BandRendering {
    std::array<int, 3> bands{1, 2, 3};
    std::array<BandRange, 3> ranges;
    std::string preset;         // the preset or rule the bands came from, for the user: "s2-true", "colour", ...
    double lowPercentile = 2.0; // what the ranges were computed with (QGIS's cumulative cut)
    double highPercentile = 98.0;
};
nlohmann::json toJson(const BandRendering& rendering);
Result<BandRendering> renderingFromJson(const nlohmann::json& json);
bool sameBands(const BandRendering& a, const BandRendering& b);

// Band presets: "s2-true" (B4,B3,B2), "s2-false" (B8,B4,B3), "s2-swir" (B12,B8A,B4), "landsat-true"
// (B4,B3,B2), "landsat-false" (B5,B4,B3), "landsat-swir" (B7,B6,B4).
const std::vector<std::string>& bandPresets();

// The three bands for `choice`: empty picks the bands whose colour interpretation is red, green
// and blue, else the first three (a single band is repeated as grey); a preset name finds its
// bands by description (B4, B04, SR_B4, ...) and, when the file has no descriptions, by the
// sensor's usual stack order; "4,3,2" are band numbers. Errors say which bands the file has.
Result<BandRendering> chooseBands(const SceneInfo& scene, const std::string& choice);

class SceneReader final {
public:
    // Opens any raster GDAL reads (GeoTIFF incl. BigTIFF and COG, JPEG2000, ENVI, VRT, ...).
    static Result<SceneReader> open(const std::string& path);

    SceneReader(SceneReader&&) noexcept;
    SceneReader& operator=(SceneReader&&) noexcept;
    SceneReader(const SceneReader&) = delete;
    SceneReader& operator=(const SceneReader&) = delete;
    ~SceneReader();

    const SceneInfo& info() const;

    // Fills rendering.ranges from each chosen band's histogram (exact up to 16 megapixels, above
    // GDAL's approximate one from overviews or a subsample, so a large scene is not read whole): the lowPercentile and
    // highPercentile of its valid pixels. 8-bit bands keep 0..255 unless `stretchBytes`.
    Status computeStretch(BandRendering& rendering, bool stretchBytes = false);

    // The window as 8-bit RGB (CV_8UC3), out of the chosen bands and ranges. outWidth/outHeight
    // smaller than the window decimate (GDAL's average resampling, from overviews when the file
    // has them); 0 reads at full resolution. Errors name the file and what to do.
    Result<cv::Mat> readRgb8(const PixelWindow& window, const BandRendering& rendering, int outWidth = 0,
                             int outHeight = 0);

    // Every band of the window at its own type, interleaved (CV_8U/16U/16S/32S/32F/64F with
    // one channel per band, in the file's band order): what the image decoder turns into RGB.
    Result<cv::Mat> readAllBands(const PixelWindow& window);

private:
    struct Impl;
    explicit SceneReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Reads a raster from memory (e.g. a multi-band TIFF chip) with every band, as readAllBands does
// for the whole image. `name` is used in error messages only.
Result<cv::Mat> decodeRasterBands(const std::vector<std::uint8_t>& bytes, const std::string& name);

// The windows of a tiling: tile x tile pixels every `stride` pixels, left to right, top to
// bottom; only whole tiles (the remainder at the right and bottom edges is left out).
struct TileGrid {
    int tileSize = 0;
    int stride = 0; // 0: tileSize
    int columns = 0;
    int rows = 0;
    int effectiveStride() const { return stride > 0 ? stride : tileSize; }
};
Result<TileGrid> makeTileGrid(const SceneInfo& scene, int tileSize, int stride);
std::vector<PixelWindow> tileWindows(const TileGrid& grid);

// A tile as the project references it: the scene file, the pixel window and how the bands become
// RGB. Its text form "<scene path>#tile=x,y,w,h;bands=4,3,2;range=lo:hi,lo:hi,lo:hi" is the tile's
// image path in the project, so that every reader of images (encode, inspect, thumbnails) reads
// it through decodeImageRgb8 without knowing about scenes.
struct TileReference {
    std::string scenePath;
    PixelWindow window;
    BandRendering rendering;
};
std::string formatTileReference(const TileReference& tile);
// Empty when `text` is not a tile reference (an ordinary image path).
std::optional<TileReference> parseTileReference(const std::string& text);
// Reads the tile as 8-bit RGB at full resolution (windows larger than 4096 pixels a side are
// decimated to 4096). The last scene read stays open per thread, so reading many tiles of one
// scene opens it once.
Result<cv::Mat> readTileRgb8(const TileReference& tile);

} // namespace aape::geo
