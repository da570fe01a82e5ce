#include "aape/geo/SyntheticScene.h"

#include "geo/GdalSupport.h"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>

namespace aape::geo {

namespace {

constexpr double kOriginX = 500000.0;
constexpr double kOriginY = 5000000.0;
constexpr double kPixel = 10.0;

// Base reflectance per class over the 13 Sentinel-2 bands (B1..B8, B8A, B9..B12); scenes with
// fewer bands take the first ones.
const int kBase[4][13] = {
    {900, 800, 700, 500, 400, 300, 250, 200, 180, 100, 20, 150, 100},             // water
    {350, 400, 900, 350, 1200, 3000, 3800, 4200, 4300, 1500, 30, 1900, 900},      // forest
    {1000, 1100, 1500, 2200, 2400, 2700, 2900, 3000, 3100, 1000, 40, 2800, 2000}, // cropland
    {2400, 2600, 2500, 2500, 2600, 2650, 2700, 2700, 2750, 900, 40, 3000, 2900},  // urban
};
const char* const kBandNames[13] = {"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B10", "B11", "B12"};

std::uint32_t mix(std::uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

std::uint16_t value(int cls, int band, int x, int y, bool noise)
{
    int v = kBase[cls][band % 13];
    switch (cls) {
    case 1: v += ((x / 7 + y / 5) % 3) * 150; break;        // canopy clumps
    case 2: v += ((x / 12) % 2) * 600; break;               // field stripes
    case 3: v += (((x / 16) + (y / 16)) % 2) * 1200; break; // blocks and streets
    default: break;
    }
    if (noise)
        // Unsigned products: they wrap by definition (a signed one overflows, which UBSan reports).
        v += static_cast<int>(mix(static_cast<std::uint32_t>(x) * 73856093u ^ static_cast<std::uint32_t>(y) * 19349663u
                                  ^ static_cast<std::uint32_t>(band) * 83492791u)
                              % 120);
    return static_cast<std::uint16_t>(std::clamp(v, 0, 10000));
}

OGRSpatialReference utm33()
{
    OGRSpatialReference srs;
    srs.importFromEPSG(32633);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

Error writeFailed(const std::string& path, const std::string& detail)
{
    return makeError(ErrorCode::FileWrite,
                     "The generated scene could not be written; check the folder and the free disk space.", path,
                     detail);
}

} // namespace

const std::vector<std::string>& syntheticClasses()
{
    static const std::vector<std::string> names = {"water", "forest", "cropland", "urban"};
    return names;
}

int syntheticClassAt(const SyntheticSceneSpec& spec, int x, int y)
{
    return (x / spec.blockSize + 2 * (y / spec.blockSize)) % 4;
}

Status writeSyntheticScene(const std::string& path, const SyntheticSceneSpec& spec)
{
    ensureGdal();
    QuietGdalErrors quiet;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "TILED", "YES");
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "PREDICTOR", "2");
    options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
    options = CSLSetNameValue(options, "BIGTIFF", "IF_SAFER");
    GdalDatasetPtr ds(driver->Create(path.c_str(), spec.width, spec.height, spec.bands, GDT_UInt16, options));
    CSLDestroy(options);
    if (!ds)
        return writeFailed(path, quiet.lastMessage());
    const OGRSpatialReference srs = utm33();
    ds->SetSpatialRef(&srs);
    double transform[6] = {kOriginX, kPixel, 0.0, kOriginY, 0.0, -kPixel};
    ds->SetGeoTransform(transform);
    std::vector<std::uint16_t> rows(static_cast<std::size_t>(spec.width) * 256);
    for (int b = 0; b < spec.bands; ++b) {
        if (spec.progress)
            spec.progress(b, spec.bands);
        GDALRasterBand* band = ds->GetRasterBand(b + 1);
        if (spec.bands == 13)
            band->SetDescription(kBandNames[b]);
        for (int y0 = 0; y0 < spec.height; y0 += 256) {
            const int count = std::min(256, spec.height - y0);
            for (int dy = 0; dy < count; ++dy)
                for (int x = 0; x < spec.width; ++x)
                    rows[static_cast<std::size_t>(dy) * spec.width + x] =
                        value(syntheticClassAt(spec, x, y0 + dy), b, x, y0 + dy, spec.noise);
            if (band->RasterIO(GF_Write, 0, y0, spec.width, count, rows.data(), spec.width, count, GDT_UInt16, 0, 0,
                               nullptr)
                != CE_None)
                return writeFailed(path, quiet.lastMessage());
        }
    }
    ds.reset();
    if (spec.progress)
        spec.progress(spec.bands, spec.bands);
    return {};
}

Status writeSyntheticLabels(const std::string& path, const SyntheticSceneSpec& spec)
{
    ensureGdal();
    QuietGdalErrors quiet;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
    std::error_code ec;
    std::filesystem::remove(path, ec);
    GdalDatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        return writeFailed(path, quiet.lastMessage());
    OGRSpatialReference srs = utm33();
    OGRLayer* layer = ds->CreateLayer("landcover", &srs, wkbPolygon, nullptr);
    OGRFieldDefn field("landcover", OFTString);
    if (!layer || layer->CreateField(&field) != OGRERR_NONE)
        return writeFailed(path, quiet.lastMessage());
    for (int by = 0; by * spec.blockSize < spec.height; ++by)
        for (int bx = 0; bx * spec.blockSize < spec.width; ++bx) {
            const double x0 = kOriginX + bx * spec.blockSize * kPixel;
            const double x1 = kOriginX + std::min(spec.width, (bx + 1) * spec.blockSize) * kPixel;
            const double y0 = kOriginY - by * spec.blockSize * kPixel;
            const double y1 = kOriginY - std::min(spec.height, (by + 1) * spec.blockSize) * kPixel;
            OGRLinearRing ring;
            ring.addPoint(x0, y0);
            ring.addPoint(x1, y0);
            ring.addPoint(x1, y1);
            ring.addPoint(x0, y1);
            ring.addPoint(x0, y0);
            OGRPolygon polygon;
            polygon.addRing(&ring);
            OGRFeature feature(layer->GetLayerDefn());
            feature.SetField("landcover", syntheticClasses()[static_cast<std::size_t>(syntheticClassAt(
                                                                 spec, bx * spec.blockSize, by * spec.blockSize))]
                                              .c_str());
            feature.SetGeometry(&polygon);
            if (layer->CreateFeature(&feature) != OGRERR_NONE)
                return writeFailed(path, quiet.lastMessage());
        }
    return {};
}

} // namespace aape::geo
