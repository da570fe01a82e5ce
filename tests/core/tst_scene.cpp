#include "TestSupport.h"

#include "aape/clip/ImagePreprocessor.h"
#include "aape/geo/Scene.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <QtTest/QtTest>

#include <filesystem>
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

} // namespace

class TestScene final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsBandsCrsAndGeoTransform();
    void choosesBandsByPresetDescriptionOrNumber();
    void stretchesFromTheHistogram();
    void tileReferenceRoundTripsAndDecodes();
    void multiBandChipDecodesLikeAnImage();
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
    QCOMPARE(rgb->at<cv::Vec3b>(0, 499)[0], std::uint8_t(12)); // value 499: (499 - ~200) / 9600 * 255
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
}

QTEST_GUILESS_MAIN(TestScene)
#include "tst_scene.moc"
