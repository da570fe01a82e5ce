#include "TestSupport.h"

#include "aape/clip/ImagePreprocessor.h"
#include "aape/data/DatasetImport.h"
#include "aape/demo/DemoWorld.h"
#include "aape/geo/Scene.h"
#include "aape/geo/SceneImport.h"
#include "aape/geo/VectorLabels.h"
#include "aape/store/Project.h"

#include <nlohmann/json.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <QProcess>
#include <QStandardPaths>
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <random>

using namespace aape;
using namespace aape::geo;
namespace fs = std::filesystem;

namespace {

// The generated scene: 10 m pixels in UTM zone 33N, origin (500000, 5000000), and a layout of
// land-cover blocks, blockSize pixels a side: class (bx + 2 by) % 4 of the names below.
constexpr double kOriginX = 500000.0;
constexpr double kOriginY = 5000000.0;
constexpr double kPixel = 10.0;
const char* const kClasses[] = {"water", "forest", "cropland", "urban"};

int blockClass(int bx, int by)
{
    return (bx + 2 * by) % 4;
}

// Reflectance-like UInt16 values (0..10000) per class for six bands (blue, green, red, NIR,
// SWIR1, SWIR2), with a texture per class so that tiles are not flat.
std::uint16_t landCoverValue(int cls, int band, int col, int row, std::mt19937& rng)
{
    static const int base[4][6] = {{900, 800, 500, 300, 150, 100},
                                   {400, 900, 350, 4200, 1900, 900},
                                   {1100, 1500, 2200, 3000, 2800, 2000},
                                   {2600, 2500, 2500, 2700, 3000, 2900}};
    int value = base[cls][band];
    switch (cls) {
    case 1: value += ((col / 7 + row / 5) % 3) * 150; break;        // canopy clumps
    case 2: value += ((col / 12) % 2) * 600; break;                 // field stripes
    case 3: value += (((col / 16) + (row / 16)) % 2) * 1200; break; // blocks and streets
    default: break;
    }
    value += static_cast<int>(rng() % 120);
    return static_cast<std::uint16_t>(std::clamp(value, 0, 10000));
}

OGRSpatialReference utm33()
{
    OGRSpatialReference srs;
    srs.importFromEPSG(32633);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

struct SceneSpec {
    int width = 600;
    int height = 600;
    int bands = 6;
    int blockSize = 150;
    bool crs = true;
    std::vector<std::string> descriptions; // optional band descriptions
};

// A square scene of six bands, `size` pixels a side, land-cover blocks of `blockSize` pixels.
SceneSpec squareSpec(int size, int blockSize)
{
    SceneSpec spec;
    spec.width = size;
    spec.height = size;
    spec.blockSize = blockSize;
    return spec;
}

void writeScene(const std::string& path, const SceneSpec& spec)
{
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "TILED", "YES");
    options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
    GDALDataset* ds = driver->Create(path.c_str(), spec.width, spec.height, spec.bands, GDT_UInt16, options);
    CSLDestroy(options);
    QVERIFY(ds);
    if (spec.crs) {
        const OGRSpatialReference srs = utm33();
        ds->SetSpatialRef(&srs);
    }
    double transform[6] = {kOriginX, kPixel, 0.0, kOriginY, 0.0, -kPixel};
    ds->SetGeoTransform(transform);
    std::vector<std::uint16_t> row(static_cast<std::size_t>(spec.width));
    for (int b = 0; b < spec.bands; ++b) {
        GDALRasterBand* band = ds->GetRasterBand(b + 1);
        if (static_cast<std::size_t>(b) < spec.descriptions.size())
            band->SetDescription(spec.descriptions[static_cast<std::size_t>(b)].c_str());
        std::mt19937 rng(static_cast<unsigned>(b + 1));
        for (int y = 0; y < spec.height; ++y) {
            for (int x = 0; x < spec.width; ++x)
                row[static_cast<std::size_t>(x)] =
                    landCoverValue(blockClass(x / spec.blockSize, y / spec.blockSize), b % 6, x, y, rng);
            QCOMPARE(
                band->RasterIO(GF_Write, 0, y, spec.width, 1, row.data(), spec.width, 1, GDT_UInt16, 0, 0, nullptr),
                CE_None);
        }
    }
    GDALClose(ds);
}

// One polygon per block with its class in "landcover", in `srs` (corners transformed from the
// scene's UTM coordinates), as GeoJSON.
void writeBlockLabels(const std::string& path, const SceneSpec& spec, int epsg = 32633)
{
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GeoJSON");
    GDALDataset* ds = driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    QVERIFY(ds);
    OGRSpatialReference target;
    target.importFromEPSG(epsg);
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference source = utm33();
    std::unique_ptr<OGRCoordinateTransformation> transform(OGRCreateCoordinateTransformation(&source, &target));
    OGRLayer* layer = ds->CreateLayer("labels", &target, wkbPolygon, nullptr);
    QVERIFY(layer);
    OGRFieldDefn field("landcover", OFTString);
    QCOMPARE(layer->CreateField(&field), OGRERR_NONE);
    for (int by = 0; by * spec.blockSize < spec.height; ++by)
        for (int bx = 0; bx * spec.blockSize < spec.width; ++bx) {
            const double x0 = kOriginX + bx * spec.blockSize * kPixel;
            const double x1 = x0 + spec.blockSize * kPixel;
            const double y0 = kOriginY - by * spec.blockSize * kPixel;
            const double y1 = y0 - spec.blockSize * kPixel;
            OGRLinearRing ring;
            // Densified edges, so that a reprojected block keeps its shape.
            const int steps = 10;
            for (int i = 0; i < steps; ++i)
                ring.addPoint(x0 + (x1 - x0) * i / steps, y0);
            for (int i = 0; i < steps; ++i)
                ring.addPoint(x1, y0 + (y1 - y0) * i / steps);
            for (int i = 0; i < steps; ++i)
                ring.addPoint(x1 - (x1 - x0) * i / steps, y1);
            for (int i = 0; i < steps; ++i)
                ring.addPoint(x0, y1 - (y1 - y0) * i / steps);
            ring.closeRings();
            OGRPolygon polygon;
            polygon.addRing(&ring);
            if (epsg != 32633)
                QCOMPARE(polygon.transform(transform.get()), OGRERR_NONE);
            OGRFeature feature(layer->GetLayerDefn());
            feature.SetField("landcover", kClasses[blockClass(bx, by)]);
            feature.SetGeometry(&polygon);
            QCOMPARE(layer->CreateFeature(&feature), OGRERR_NONE);
        }
    GDALClose(ds);
}

store::Project createProject(const test::TempDir& dir)
{
    auto project = store::Project::create(dir.file("scene.aapeproj"));
    if (!project)
        qFatal("create failed: %s", project.error().toString().c_str());
    return std::move(project).value();
}

std::string classOfImage(store::Project& project, const store::ImageRecord& image)
{
    if (!image.classId)
        return {};
    for (const auto& cls : project.classes().value())
        if (cls.id == *image.classId)
            return cls.name;
    return {};
}

} // namespace

class TestScene final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsBandsCrsAndGeoTransform();
    void choosesBandsByPresetDescriptionOrNumber();
    void stretchesFromTheHistogram();
    void tileReferenceRoundTripsAndDecodes();
    void multiBandChipDecodesLikeAnImage();
    void readsEveryRasterFormatTheFieldUses();
    void importsTilesWithLabelsFromPolygons();
    void reprojectsLabelsAndSaysSo();
    void partlyCoveredTilesFollowMinimumCover();
    void refusesSceneWithoutCrs();
    void truncatedSceneGetsClearMessage();
    void damagedDirectoryPrintsNothing();
    void unknownLabelFieldListsTheFields();
    void trainsAndPredictsAMapThatOpensInQgis();
};

void TestScene::readsBandsCrsAndGeoTransform()
{
    test::TempDir dir;
    const std::string path = dir.file("scene.tif");
    writeScene(path, SceneSpec{});
    auto reader = SceneReader::open(path);
    QVERIFY2(reader.ok(), reader.ok() ? "" : reader.error().toString().c_str());
    const SceneInfo& info = reader->info();
    QCOMPARE(info.width, 600);
    QCOMPARE(info.height, 600);
    QCOMPARE(info.bands.size(), std::size_t(6));
    QCOMPARE(info.bands[0].dataType, std::string("UInt16"));
    QCOMPARE(info.crsName, std::string("EPSG:32633"));
    QVERIFY(info.hasGeoTransform);
    QCOMPARE(info.geoTransform[0], kOriginX);
    QCOMPARE(info.geoTransform[5], -kPixel);
    const BoundingBox box = windowBounds(info, {100, 50, 20, 10});
    QCOMPARE(box.minX, kOriginX + 1000.0);
    QCOMPARE(box.maxX, kOriginX + 1200.0);
    QCOMPARE(box.maxY, kOriginY - 500.0);
    QCOMPARE(box.minY, kOriginY - 600.0);
}

void TestScene::choosesBandsByPresetDescriptionOrNumber()
{
    SceneInfo stack;
    stack.path = "s2.tif";
    for (int b = 1; b <= 13; ++b)
        stack.bands.push_back({b, "", "Undefined", "UInt16", std::nullopt});
    // No descriptions: Sentinel-2's 13-band order (B1..B8, B8A, B9..B12).
    auto trueColour = chooseBands(stack, "s2-true");
    QVERIFY(trueColour.ok());
    QCOMPARE(trueColour->bands, (std::array<int, 3>{4, 3, 2}));
    auto swir = chooseBands(stack, "s2-swir");
    QVERIFY(swir.ok());
    QCOMPARE(swir->bands, (std::array<int, 3>{13, 9, 4}));

    // Descriptions win over the order: a stack of only B2, B3, B4, B8.
    SceneInfo named;
    named.path = "s2-10m.tif";
    const char* names[] = {"B02", "B03", "B04", "B08"};
    for (int b = 1; b <= 4; ++b)
        named.bands.push_back({b, names[b - 1], "Undefined", "UInt16", std::nullopt});
    auto falseColour = chooseBands(named, "s2-false");
    QVERIFY(falseColour.ok());
    QCOMPARE(falseColour->bands, (std::array<int, 3>{4, 3, 2}));
    auto missing = chooseBands(named, "s2-swir");
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.find("B12") != std::string::npos, missing.error().message.c_str());
    QVERIFY(missing.error().message.find("B02") != std::string::npos);

    auto numbers = chooseBands(stack, "8,4,3");
    QVERIFY(numbers.ok());
    QCOMPARE(numbers->bands, (std::array<int, 3>{8, 4, 3}));
    auto outOfRange = chooseBands(named, "5,4,3");
    QVERIFY(!outOfRange.ok());
    QVERIFY(outOfRange.error().message.find("4 band(s)") != std::string::npos);

    // Colour interpretation first, else the first three.
    SceneInfo photo;
    photo.bands = {{1, "", "Blue", "Byte", {}}, {2, "", "Green", "Byte", {}}, {3, "", "Red", "Byte", {}}};
    QCOMPARE(chooseBands(photo, "")->bands, (std::array<int, 3>{3, 2, 1}));
    QCOMPARE(chooseBands(stack, "")->bands, (std::array<int, 3>{1, 2, 3}));
}

void TestScene::stretchesFromTheHistogram()
{
    test::TempDir dir;
    const std::string path = dir.file("ramp.tif");
    GDALAllRegister();
    GDALDataset* ds =
        GetGDALDriverManager()->GetDriverByName("GTiff")->Create(path.c_str(), 500, 200, 1, GDT_UInt16, nullptr);
    std::vector<std::uint16_t> values(500 * 200);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<std::uint16_t>(i % 10000); // uniform over 0..9999
    QCOMPARE(
        ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 500, 200, values.data(), 500, 200, GDT_UInt16, 0, 0, nullptr),
        CE_None);
    GDALClose(ds);
    auto reader = SceneReader::open(path);
    QVERIFY(reader.ok());
    BandRendering rendering = chooseBands(reader->info(), "").value();
    QCOMPARE(rendering.bands, (std::array<int, 3>{1, 1, 1}));
    QVERIFY(reader->computeStretch(rendering).ok());
    QVERIFY2(std::abs(rendering.ranges[0].low - 200.0) < 60.0, std::to_string(rendering.ranges[0].low).c_str());
    QVERIFY2(std::abs(rendering.ranges[0].high - 9800.0) < 60.0, std::to_string(rendering.ranges[0].high).c_str());
    // Below the 2nd percentile is black, above the 98th white.
    auto rgb = reader->readRgb8({0, 0, 500, 1}, rendering);
    QVERIFY(rgb.ok());
    QCOMPARE(rgb->at<cv::Vec3b>(0, 100)[0], std::uint8_t(0));
    QCOMPARE(rgb->at<cv::Vec3b>(0, 499)[0], std::uint8_t(8));  // value 499: (499 - 200) / 9600 * 255
    auto white = reader->readRgb8({0, 19, 500, 1}, rendering); // values 9500..9999
    QCOMPARE(white->at<cv::Vec3b>(0, 499)[2], std::uint8_t(255));
}

void TestScene::tileReferenceRoundTripsAndDecodes()
{
    test::TempDir dir;
    const std::string path = dir.file("a scene#1.tif");
    writeScene(path, SceneSpec{});
    auto reader = SceneReader::open(path);
    QVERIFY(reader.ok());
    BandRendering rendering = chooseBands(reader->info(), "3,2,1").value();
    QVERIFY(reader->computeStretch(rendering).ok());
    const TileReference tile{path, {150, 300, 64, 48}, rendering};
    const std::string text = formatTileReference(tile);
    const auto parsed = parseTileReference(text);
    QVERIFY(parsed);
    QCOMPARE(parsed->scenePath, path);
    QVERIFY(parsed->window == tile.window);
    QCOMPARE(parsed->rendering.bands, rendering.bands);
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(parsed->rendering.ranges[i].low, rendering.ranges[i].low);
        QCOMPARE(parsed->rendering.ranges[i].high, rendering.ranges[i].high);
    }
    QVERIFY(!parseTileReference(dir.file("photo.png")));

    // The image decoder reads the tile through GDAL, exactly as the scene reader does.
    auto decoded = clip::decodeImageRgb8(text);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(decoded->cols, 64);
    QCOMPARE(decoded->rows, 48);
    auto direct = reader->readRgb8(tile.window, rendering);
    QVERIFY(direct.ok());
    QCOMPARE(cv::norm(decoded.value(), direct.value(), cv::NORM_INF), 0.0);
    // Decimated reads (for overviews) keep the window's content at a smaller size.
    auto small = reader->readRgb8({0, 0, 600, 600}, rendering, 60, 60);
    QVERIFY(small.ok());
    QCOMPARE(small->cols, 60);

    fs::remove(path);
    auto gone = clip::decodeImageRgb8(text);
    QVERIFY(!gone.ok());
    QVERIFY2(gone.error().message.find("scene") != std::string::npos, gone.error().message.c_str());
}

void TestScene::multiBandChipDecodesLikeAnImage()
{
    test::TempDir dir;
    const std::string chip = dir.file("chips/forest/chip.tif");
    fs::create_directories(fs::path(chip).parent_path());
    SceneSpec spec;
    spec.width = 64;
    spec.height = 64;
    spec.bands = 13;
    spec.blockSize = 64;
    writeScene(chip, spec);
    auto decoded = clip::decodeImageRgb8(chip);
    QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().toString().c_str());
    QCOMPARE(decoded->cols, 64);
    QCOMPARE(decoded->type(), CV_8UC3);
    // Bands are chosen in the file's order (0-based), here B4, B3, B2 of the 13.
    clip::DecodeOptions options;
    options.bands = {3, 2, 1};
    options.lowPercentile = 2.0;
    options.highPercentile = 98.0;
    QVERIFY(clip::decodeImageRgb8(chip, options).ok());
    options.bands = {13, 2, 1};
    auto wrong = clip::decodeImageRgb8(chip, options);
    QVERIFY(!wrong.ok());
    QVERIFY(wrong.error().message.find("13 band(s)") != std::string::npos);

    // And a folder of such chips imports like any folder of images.
    auto project = createProject(dir);
    auto report = data::importFolderPerClass(project, dir.file("chips"));
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->added, 1);
    QVERIFY(report->skipped.empty());
}

namespace {

// A copy of `source` through `driver` (CreateCopy) with creation options "NAME=VALUE".
bool copyRaster(GDALDataset& source, const char* driver, const std::string& path,
                const std::vector<std::string>& creation = {})
{
    GDALDriver* found = GetGDALDriverManager()->GetDriverByName(driver);
    if (!found) {
        qWarning("GDAL has no %s driver", driver);
        return false;
    }
    char** options = nullptr;
    for (const auto& option : creation)
        options = CSLAddString(options, option.c_str());
    GDALDataset* copy = found->CreateCopy(path.c_str(), &source, FALSE, options, nullptr, nullptr);
    CSLDestroy(options);
    if (!copy)
        return false;
    GDALClose(copy);
    return true;
}

// An in-memory raster with the georeference of `source`, `bands` bands of `type`, filled band by
// band from the source's band `from[b]` through `convert`.
GDALDataset* derivedRaster(GDALDataset& source, GDALDataType type, const std::vector<int>& from,
                           const std::function<double(double)>& convert)
{
    GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("MEM");
    const int width = source.GetRasterXSize();
    const int height = source.GetRasterYSize();
    GDALDataset* ds = memory->Create("", width, height, static_cast<int>(from.size()), type, nullptr);
    double transform[6];
    source.GetGeoTransform(transform);
    ds->SetGeoTransform(transform);
    ds->SetSpatialRef(source.GetSpatialRef());
    std::vector<double> values(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    for (std::size_t b = 0; b < from.size(); ++b) {
        if (source.GetRasterBand(from[b])->RasterIO(GF_Read, 0, 0, width, height, values.data(), width, height,
                                                    GDT_Float64, 0, 0, nullptr)
            != CE_None)
            qFatal("cannot read band %d of the generated scene", from[b]);
        for (double& v : values)
            v = convert(v);
        if (ds->GetRasterBand(static_cast<int>(b) + 1)
                ->RasterIO(GF_Write, 0, 0, width, height, values.data(), width, height, GDT_Float64, 0, 0, nullptr)
            != CE_None)
            qFatal("cannot write an in-memory band");
    }
    return ds;
}

// Imports `path` as 100-pixel tiles into a project of its own and decodes the tile at (100, 200)
// through its stored reference, as training and prediction read it.
cv::Mat importAndDecodeTile(const test::TempDir& dir, const std::string& name, const std::string& path,
                            SceneImportReport* reportOut = nullptr)
{
    auto project = store::Project::create(dir.file(name + ".aapeproj"));
    if (!project) {
        qWarning("%s", project.error().toString().c_str());
        return {};
    }
    SceneImportOptions options;
    options.tileSize = 100;
    auto report = importScene(project.value(), path, options);
    if (!report) {
        qWarning("%s: %s", name.c_str(), report.error().toString().c_str());
        return {};
    }
    if (reportOut)
        *reportOut = report.value();
    for (const auto& scene : project->scenes().value())
        for (const auto& tile : project->tiles(scene.id).value())
            if (tile.x == 100 && tile.y == 200) {
                auto decoded = clip::decodeImageRgb8(project->image(tile.imageId).value()->path);
                if (!decoded) {
                    qWarning("%s: %s", name.c_str(), decoded.error().toString().c_str());
                    return {};
                }
                return decoded.value();
            }
    qWarning("%s: no tile at (100, 200)", name.c_str());
    return {};
}

} // namespace

// The formats scenes come in, through the one GDAL path: a cloud-optimised GeoTIFF, a BigTIFF,
// a VRT over the GeoTIFF, Float32 reflectance as ENVI, Int16 with no-data, and an 8-bit RGB
// orthophoto as lossless JPEG2000. Each opens with its CRS and geotransform, imports as tiles,
// and a tile decodes to what the same pixels give from a plain GeoTIFF.
void TestScene::readsEveryRasterFormatTheFieldUses()
{
    test::TempDir dir;
    const std::string base = dir.file("scene.tif");
    writeScene(base, squareSpec(400, 100));
    GDALAllRegister();
    std::unique_ptr<GDALDataset> source(
        GDALDataset::Open(base.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    QVERIFY(source);
    const cv::Mat reference = importAndDecodeTile(dir, "base", base);
    QCOMPARE(reference.cols, 100);
    QCOMPARE(reference.type(), CV_8UC3);
    cv::Scalar mean, deviation;
    cv::meanStdDev(reference, mean, deviation);
    QVERIFY2(deviation[0] > 5.0, "the reference tile is flat");

    struct Case {
        std::string name;
        std::string path;
        std::string driver;   // GDAL's driver name when read back
        double maxDifference; // grey levels, against the plain GeoTIFF's tile
    };
    std::vector<Case> cases;
    QVERIFY(copyRaster(*source, "COG", dir.file("scene-cog.tif"), {"COMPRESS=DEFLATE", "BLOCKSIZE=128"}));
    cases.push_back({"COG", dir.file("scene-cog.tif"), "GTiff", 0.0});
    QVERIFY(copyRaster(*source, "GTiff", dir.file("scene-big.tif"), {"BIGTIFF=YES", "TILED=YES"}));
    cases.push_back({"BigTIFF", dir.file("scene-big.tif"), "GTiff", 0.0});
    QVERIFY(copyRaster(*source, "VRT", dir.file("scene.vrt")));
    cases.push_back({"VRT", dir.file("scene.vrt"), "VRT", 0.0});
    {
        // Reflectance as 0..1 floats: the stretch comes from a 4,096-bucket histogram instead of
        // exact integer values, so a grey level may differ here and there.
        std::unique_ptr<GDALDataset> reflectance(
            derivedRaster(*source, GDT_Float32, {1, 2, 3, 4, 5, 6}, [](double v) { return v / 10000.0; }));
        QVERIFY(copyRaster(*reflectance, "ENVI", dir.file("scene-envi.img")));
        cases.push_back({"ENVI Float32", dir.file("scene-envi.img"), "ENVI", 2.0});
    }
    {
        std::unique_ptr<GDALDataset> signedValues(
            derivedRaster(*source, GDT_Int16, {1, 2, 3, 4, 5, 6}, [](double v) { return v; }));
        for (int b = 1; b <= 6; ++b)
            signedValues->GetRasterBand(b)->SetNoDataValue(-9999.0);
        // The top-left block's first rows are no-data (outside the tile compared below).
        std::vector<std::int16_t> missing(400 * 10, -9999);
        for (int b = 1; b <= 6; ++b)
            QCOMPARE(signedValues->GetRasterBand(b)->RasterIO(GF_Write, 0, 0, 400, 10, missing.data(), 400, 10,
                                                              GDT_Int16, 0, 0, nullptr),
                     CE_None);
        QVERIFY(copyRaster(*signedValues, "GTiff", dir.file("scene-int16.tif"), {"TILED=YES"}));
        cases.push_back({"Int16 with no-data", dir.file("scene-int16.tif"), "GTiff", 3.0});
    }

    for (const auto& c : cases) {
        auto reader = SceneReader::open(c.path);
        QVERIFY2(reader.ok(), (c.name + ": " + (reader.ok() ? "" : reader.error().toString())).c_str());
        QCOMPARE(reader->info().driver, c.driver);
        QCOMPARE(reader->info().crsName, std::string("EPSG:32633"));
        QCOMPARE(reader->info().geoTransform[0], kOriginX);
        QCOMPARE(reader->info().geoTransform[5], -kPixel);
        QCOMPARE(reader->info().bands.size(), std::size_t(6));
        SceneImportReport report;
        const cv::Mat tile = importAndDecodeTile(dir, c.name, c.path, &report);
        QVERIFY2(!tile.empty(), c.name.c_str());
        QCOMPARE(report.tiles, 16);
        QCOMPARE(report.added, 16);
        const double difference = cv::norm(tile, reference, cv::NORM_INF);
        QVERIFY2(difference <= c.maxDifference,
                 (c.name + ": the tile differs by " + std::to_string(difference) + " grey levels").c_str());
    }

    // The no-data rows decode black, and the stretch ignores them (it would start at -9999).
    {
        auto reader = SceneReader::open(dir.file("scene-int16.tif"));
        QVERIFY(reader.ok());
        BandRendering rendering = chooseBands(reader->info(), "").value();
        QVERIFY(reader->computeStretch(rendering).ok());
        QVERIFY2(rendering.ranges[0].low > 0.0, std::to_string(rendering.ranges[0].low).c_str());
        auto top = reader->readRgb8({0, 0, 50, 20}, rendering);
        QVERIFY(top.ok());
        QCOMPARE(cv::countNonZero(top->rowRange(0, 10).reshape(1)), 0);
        QVERIFY(cv::countNonZero(top->rowRange(10, 20).reshape(1)) > 0);
    }

    // An 8-bit RGB orthophoto (red, green, blue by colour interpretation), as GeoTIFF and as
    // lossless JPEG2000: the bands are found by their colour, 8-bit values are not stretched, and
    // both give the same tile.
    {
        std::unique_ptr<GDALDataset> photo(derivedRaster(
            *source, GDT_Byte, {3, 2, 1}, [](double v) { return std::clamp(std::round(v / 12.0), 0.0, 255.0); }));
        photo->GetRasterBand(1)->SetColorInterpretation(GCI_RedBand);
        photo->GetRasterBand(2)->SetColorInterpretation(GCI_GreenBand);
        photo->GetRasterBand(3)->SetColorInterpretation(GCI_BlueBand);
        QVERIFY(copyRaster(*photo, "GTiff", dir.file("ortho.tif"), {"TILED=YES", "PHOTOMETRIC=RGB"}));
        QVERIFY(copyRaster(*photo, "JP2OpenJPEG", dir.file("ortho.jp2"), {"REVERSIBLE=YES", "QUALITY=100"}));
    }
    SceneImportReport tiffReport, jp2Report;
    const cv::Mat tiffTile = importAndDecodeTile(dir, "ortho-tif", dir.file("ortho.tif"), &tiffReport);
    const cv::Mat jp2Tile = importAndDecodeTile(dir, "ortho-jp2", dir.file("ortho.jp2"), &jp2Report);
    QVERIFY(!tiffTile.empty() && !jp2Tile.empty());
    QCOMPARE(jp2Report.scene.driver, std::string("JP2OpenJPEG"));
    QCOMPARE(jp2Report.scene.crsName, std::string("EPSG:32633"));
    QCOMPARE(jp2Report.rendering.bands, (std::array<int, 3>{1, 2, 3}));
    QCOMPARE(jp2Report.rendering.ranges[0].low, 0.0);
    QCOMPARE(jp2Report.rendering.ranges[0].high, 255.0);
    QCOMPARE(cv::norm(jp2Tile, tiffTile, cv::NORM_INF), 0.0);
    // The decoded tile holds the file's bytes as they are: red is the scene's band 3 / 12.
    std::vector<std::uint16_t> red(1);
    QCOMPARE(source->GetRasterBand(3)->RasterIO(GF_Read, 100, 200, 1, 1, red.data(), 1, 1, GDT_UInt16, 0, 0, nullptr),
             CE_None);
    QCOMPARE(int(tiffTile.at<cv::Vec3b>(0, 0)[0]), int(std::clamp(std::round(red[0] / 12.0), 0.0, 255.0)));
}

void TestScene::importsTilesWithLabelsFromPolygons()
{
    test::TempDir dir;
    const std::string scene = dir.file("scene.tif");
    const std::string labels = dir.file("labels.geojson");
    SceneSpec spec;
    writeScene(scene, spec);
    writeBlockLabels(labels, spec);
    auto project = createProject(dir);
    SceneImportOptions options;
    options.tileSize = 50;
    options.labelsPath = labels;
    options.labelField = "landcover";
    auto report = importScene(project, scene, options);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->tiles, 144);
    QCOMPARE(report->added, 144);
    QCOMPARE(report->labelled, 144);
    QCOMPARE(report->classesCreated.size(), std::size_t(4));
    QVERIFY(report->notes.empty()); // same CRS: nothing reprojected

    auto scenes = project.scenes();
    QVERIFY(scenes.ok());
    QCOMPARE(scenes->size(), std::size_t(1));
    const auto& stored = scenes->front();
    QCOMPARE(stored.crsName, std::string("EPSG:32633"));
    QCOMPARE(stored.tileSize, 50);
    QCOMPARE(stored.rendering["bands"], nlohmann::json({1, 2, 3}));
    QCOMPARE(stored.labels["field"], nlohmann::json("landcover"));
    auto tiles = project.tiles(stored.id);
    QVERIFY(tiles.ok());
    QCOMPARE(tiles->size(), std::size_t(144));

    // Every tile's class is its block's, and its box is where the scene puts it.
    int checked = 0;
    for (const auto& tile : tiles.value()) {
        auto image = project.image(tile.imageId).value();
        QVERIFY(image);
        const std::string expected = kClasses[blockClass(tile.x / spec.blockSize, tile.y / spec.blockSize)];
        QCOMPARE(classOfImage(project, *image), expected);
        QCOMPARE(tile.minX, kOriginX + tile.x * kPixel);
        QCOMPARE(tile.maxY, kOriginY - tile.y * kPixel);
        QCOMPARE(tile.maxX - tile.minX, 500.0);
        // The image path reads the tile's pixels on demand.
        const auto reference = parseTileReference(image->path);
        QVERIFY(reference);
        QVERIFY(reference->window == (PixelWindow{tile.x, tile.y, tile.width, tile.height}));
        ++checked;
    }
    QCOMPARE(checked, 144);

    // Importing the same scene again adds nothing.
    auto again = importScene(project, scene, options);
    QVERIFY(again.ok());
    QCOMPARE(again->added, 0);
    QCOMPARE(again->duplicates, 144);
}

void TestScene::reprojectsLabelsAndSaysSo()
{
    test::TempDir dir;
    const std::string scene = dir.file("scene.tif");
    const std::string labels = dir.file("labels-wgs84.geojson");
    SceneSpec spec;
    writeScene(scene, spec);
    writeBlockLabels(labels, spec, 4326);
    auto project = createProject(dir);
    SceneImportOptions options;
    options.tileSize = 50;
    options.labelsPath = labels;
    options.labelField = "landcover";
    auto report = importScene(project, scene, options);
    QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
    QCOMPARE(report->notes.size(), std::size_t(1));
    QVERIFY2(report->notes.front().find("EPSG:4326") != std::string::npos
                 && report->notes.front().find("reprojected") != std::string::npos,
             report->notes.front().c_str());
    QCOMPARE(report->labelled, 144);
    for (const auto& image : project.images().value()) {
        const auto tile = parseTileReference(image.path);
        QVERIFY(tile);
        QCOMPARE(classOfImage(project, image),
                 std::string(kClasses[blockClass(tile->window.x / spec.blockSize, tile->window.y / spec.blockSize)]));
    }
}

void TestScene::partlyCoveredTilesFollowMinimumCover()
{
    test::TempDir dir;
    const std::string scene = dir.file("scene.tif");
    writeScene(scene, SceneSpec{});
    auto reader = SceneReader::open(scene);
    QVERIFY(reader.ok());
    // One polygon covering the left 60 % of tile (0, 0) and 20 % of tile (1, 0) (tiles of 100 px).
    const std::string labels = dir.file("part.geojson");
    test::writeTextFile(labels, R"({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32633"}},
        "features": [{"type": "Feature", "properties": {"cover": "wetland"},
        "geometry": {"type": "Polygon", "coordinates": [[[500000, 5000000], [501200, 5000000],
        [501200, 4999000], [500000, 4999000], [500000, 5000000]]]}}]})");
    const std::vector<PixelWindow> windows = {{0, 0, 100, 100}, {100, 0, 100, 100}, {0, 200, 100, 100}};
    auto labelled = labelWindows(reader->info(), windows, {labels, "cover", 0.5});
    QVERIFY2(labelled.ok(), labelled.ok() ? "" : labelled.error().toString().c_str());
    QCOMPARE(labelled->labels[0], std::optional<std::string>("wetland"));
    QVERIFY(!labelled->labels[1]);
    QVERIFY(std::abs(labelled->cover[1] - 0.2) < 1e-9);
    QVERIFY(!labelled->labels[2]);
    auto loose = labelWindows(reader->info(), windows, {labels, "cover", 0.1});
    QVERIFY(loose.ok());
    QCOMPARE(loose->labels[1], std::optional<std::string>("wetland"));
}

void TestScene::refusesSceneWithoutCrs()
{
    test::TempDir dir;
    const std::string scene = dir.file("nocrs.tif");
    SceneSpec spec;
    spec.crs = false;
    writeScene(scene, spec);
    auto project = createProject(dir);
    SceneImportOptions options;
    options.tileSize = 50;
    auto report = importScene(project, scene, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().message.find("no coordinate reference system") != std::string::npos,
             report.error().message.c_str());
    QCOMPARE(report.error().file, fs::path(scene).lexically_normal().string());
    QCOMPARE(project.countImages().value(), 0);
}

void TestScene::truncatedSceneGetsClearMessage()
{
    test::TempDir dir;
    const std::string scene = dir.file("cut.tif");
    writeScene(scene, SceneSpec{});
    auto bytes = test::readBinaryFile(scene);
    // Bands are stored one after the other: cut inside band 3, one of the three that are read.
    bytes.resize(bytes.size() * 2 / 5);
    test::writeBinaryFile(scene, bytes);
    auto project = createProject(dir);
    SceneImportOptions options;
    options.tileSize = 50;
    auto report = importScene(project, scene, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().message.find("truncated") != std::string::npos, report.error().message.c_str());
    QCOMPARE(project.countImages().value(), 0);
}

namespace {

int g_printed = 0; // messages that reached GDAL's process-wide handler (it prints them)

void CPL_STDCALL countPrinted(CPLErr, CPLErrorNum, const char*)
{
    ++g_printed;
}

} // namespace

// A GeoTIFF whose first directory is sound but whose pointer to the next one (overviews) leads
// past the end: GDAL reports that lazily and again on closing; none of it may reach standard
// error beside the program's own messages. The test counts what reaches the process-wide handler.
void TestScene::damagedDirectoryPrintsNothing()
{
    test::TempDir dir;
    const std::string scene = dir.file("next-directory.tif");
    writeScene(scene, squareSpec(64, 32));
    auto bytes = test::readBinaryFile(scene);
    QVERIFY(bytes.size() > 8 && bytes[0] == 'I' && bytes[1] == 'I' && bytes[2] == 42);
    auto u32 = [&](std::size_t at) {
        return std::uint32_t(bytes[at]) | std::uint32_t(bytes[at + 1]) << 8 | std::uint32_t(bytes[at + 2]) << 16
               | std::uint32_t(bytes[at + 3]) << 24;
    };
    const std::size_t directory = u32(4);
    const std::size_t entries = std::size_t(bytes[directory]) | std::size_t(bytes[directory + 1]) << 8;
    const std::size_t next = directory + 2 + 12 * entries;
    QVERIFY(next + 4 <= bytes.size());
    const std::uint32_t pastTheEnd = static_cast<std::uint32_t>(bytes.size() + 5000);
    for (int i = 0; i < 4; ++i)
        bytes[next + std::size_t(i)] = static_cast<std::uint8_t>(pastTheEnd >> (8 * i));
    test::writeBinaryFile(scene, bytes);

    g_printed = 0;
    CPLErrorHandler previous = CPLSetErrorHandler(countPrinted);
    {
        auto reader = SceneReader::open(scene);
        QVERIFY2(reader.ok(), reader.ok() ? "" : reader.error().toString().c_str());
        BandRendering rendering = chooseBands(reader->info(), "").value();
        QVERIFY(reader->computeStretch(rendering).ok());
        QVERIFY(reader->readRgb8({0, 0, 32, 32}, rendering).ok());
        auto project = createProject(dir);
        SceneImportOptions options;
        options.tileSize = 32;
        auto report = importScene(project, scene, options);
        QVERIFY2(report.ok(), report.ok() ? "" : report.error().toString().c_str());
        QCOMPARE(report->added, 4);
    }
    CPLSetErrorHandler(previous);
    QCOMPARE(g_printed, 0);
}

void TestScene::unknownLabelFieldListsTheFields()
{
    test::TempDir dir;
    const std::string scene = dir.file("scene.tif");
    const std::string labels = dir.file("labels.geojson");
    SceneSpec spec;
    writeScene(scene, spec);
    writeBlockLabels(labels, spec);
    auto project = createProject(dir);
    SceneImportOptions options;
    options.tileSize = 50;
    options.labelsPath = labels;
    options.labelField = "class";
    auto report = importScene(project, scene, options);
    QVERIFY(!report.ok());
    QVERIFY2(report.error().message.find("'class'") != std::string::npos
                 && report.error().message.find("landcover") != std::string::npos,
             report.error().message.c_str());
}

namespace {

// A GDAL command-line tool's output, or a skip when gdal-bin is not installed.
std::string runGdalTool(const QString& tool, const QStringList& arguments, bool& found)
{
    found = !QStandardPaths::findExecutable(tool).isEmpty();
    if (!found)
        return {};
    QProcess process;
    process.start(tool, arguments);
    process.waitForFinished(60000);
    return process.readAllStandardOutput().toStdString();
}

} // namespace

void TestScene::trainsAndPredictsAMapThatOpensInQgis()
{
    const std::string clip = data::findDemoClip();
    if (clip.empty())
        QSKIP("the demo's CLIP (resources/demo-clip) is not there");
    test::TempDir dir;
    // The issue's scene: 2,000 x 2,000 pixels, 6 bands UInt16, EPSG:32633, 4 x 4 land-cover blocks.
    SceneSpec spec;
    spec.width = 2000;
    spec.height = 2000;
    spec.blockSize = 500;
    const std::string scene = dir.file("scene.tif");
    const std::string labels = dir.file("labels.geojson");
    writeScene(scene, spec);
    writeBlockLabels(labels, spec);
    const std::string project = dir.file("landcover.aapeproj");
    auto created = test::runCli({"create", project, "--model", clip});
    QVERIFY2(created.code == 0, created.err.c_str());
    auto imported = test::runCli(
        {"import", project, "--scene", scene, "--tile", "100", "--labels", labels, "--label-field", "landcover"});
    QVERIFY2(imported.code == 0, imported.err.c_str());
    QVERIFY2(imported.out.find("400 tiles labelled") != std::string::npos, imported.out.c_str());
    QVERIFY2(imported.out.find("EPSG:32633") != std::string::npos, imported.out.c_str());
    auto trained = test::runCli({"train", project, "--shots", "0", "--epochs", "30", "--views", "2"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
    const std::string bundle = dir.file("landcover.aape.safetensors");
    auto exported = test::runCli({"export", project, "--run", "1", "--out", bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());

    // The band choice and stretch travel in the bundle: predict needs no band options.
    const std::string map = dir.file("map.tif");
    const std::string vector = dir.file("tiles.gpkg");
    auto predicted = test::runCli(
        {"predict", "--bundle", bundle, "--model", clip, "--scene", scene, "--out", map, "--vector", vector});
    QVERIFY2(predicted.code == 0, predicted.err.c_str());
    QVERIFY2(predicted.err.find("warning") == std::string::npos, predicted.err.c_str());
    QVERIFY(fs::exists(dir.file("map.qml")));

    // The map's georeference is the scene's at tile resolution, and its classes follow the pattern.
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpen(map.c_str(), GA_ReadOnly));
    QVERIFY(ds);
    QCOMPARE(ds->GetRasterXSize(), 20);
    QCOMPARE(ds->GetRasterYSize(), 20);
    QCOMPARE(ds->GetRasterCount(), 3);
    double transform[6];
    QCOMPARE(ds->GetGeoTransform(transform), CE_None);
    QCOMPARE(transform[0], kOriginX);
    QCOMPARE(transform[1], 100 * kPixel);
    QCOMPARE(transform[3], kOriginY);
    QCOMPARE(transform[5], -100 * kPixel);
    QCOMPARE(std::string(ds->GetSpatialRef()->GetAuthorityCode(nullptr)), std::string("32633"));
    GDALRasterBand* classBand = ds->GetRasterBand(1);
    std::map<int, std::string> names;
    for (int c = 0; c < 4; ++c)
        names[c] = classBand->GetMetadataItem(("CLASS_" + std::to_string(c)).c_str());
    std::vector<float> classes(400), probabilities(400);
    QCOMPARE(classBand->RasterIO(GF_Read, 0, 0, 20, 20, classes.data(), 20, 20, GDT_Float32, 0, 0, nullptr), CE_None);
    QCOMPARE(
        ds->GetRasterBand(2)->RasterIO(GF_Read, 0, 0, 20, 20, probabilities.data(), 20, 20, GDT_Float32, 0, 0, nullptr),
        CE_None);
    int correct = 0;
    for (int row = 0; row < 20; ++row)
        for (int col = 0; col < 20; ++col) {
            const float value = classes[static_cast<std::size_t>(row * 20 + col)];
            QVERIFY(value >= 0.0f && value < 4.0f);
            QVERIFY(probabilities[static_cast<std::size_t>(row * 20 + col)] > 0.0f);
            if (names[static_cast<int>(value)] == kClasses[blockClass(col / 5, row / 5)])
                ++correct;
        }
    GDALClose(ds);
    QVERIFY2(correct >= 360, (std::to_string(correct) + " of 400 tiles match the layout").c_str());

    // As QGIS users check it: gdalinfo and ogrinfo.
    bool found = false;
    const std::string info = runGdalTool("gdalinfo", {"-json", QString::fromStdString(map)}, found);
    if (found) {
        const auto json = nlohmann::json::parse(info);
        QVERIFY(json["coordinateSystem"]["wkt"].get<std::string>().find("32633") != std::string::npos);
        QCOMPARE(json["geoTransform"][1].get<double>(), 1000.0);
        QCOMPARE(json["bands"][0]["description"].get<std::string>(), std::string("class"));
        QCOMPARE(json["bands"][1]["description"].get<std::string>(), std::string("probability"));
        QCOMPARE(json["bands"][2]["description"].get<std::string>(), std::string("ood_score"));
    }
    const std::string features = runGdalTool("ogrinfo", {"-so", "-al", QString::fromStdString(vector)}, found);
    if (found) {
        QVERIFY2(features.find("Feature Count: 400") != std::string::npos, features.c_str());
        QVERIFY(features.find("32633") != std::string::npos);
        for (const char* field : {"class: String", "probability: Real", "ood_score: Real"})
            QVERIFY2(features.find(field) != std::string::npos, field);
    }

    // Other bands than the model's are allowed, with a warning.
    auto otherBands = test::runCli({"predict", "--bundle", bundle, "--model", clip, "--scene", scene, "--out",
                                    dir.file("map2.tif"), "--bands", "4,3,2"});
    QVERIFY2(otherBands.code == 0, otherBands.err.c_str());
    QVERIFY2(otherBands.err.find("differ from those the model was trained with") != std::string::npos,
             otherBands.err.c_str());

    // A scene without CRS cannot become a map.
    SceneSpec small;
    small.crs = false;
    writeScene(dir.file("nocrs.tif"), small);
    auto noCrs = test::runCli({"predict", "--bundle", bundle, "--model", clip, "--scene", dir.file("nocrs.tif"),
                               "--out", dir.file("map3.tif")});
    QCOMPARE(noCrs.code, 1);
    QVERIFY2(noCrs.err.find("no coordinate reference system") != std::string::npos, noCrs.err.c_str());
}

QTEST_GUILESS_MAIN(TestScene)
#include "tst_scene.moc"
