#include "aape/geo/Scene.h"

#include "geo/GdalSupport.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::geo {

namespace {

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

// "B04", "SR_B4", "B4 (665 nm)", "Band 4" all name band "4"; "B8A" names "8A".
std::string bandNameKey(const std::string& description)
{
    const std::string text = upper(description);
    std::size_t start = std::string::npos;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        const bool boundary = i == 0 || !std::isalpha(static_cast<unsigned char>(text[i - 1]));
        if (text[i] == 'B' && boundary && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
            start = i + 1;
            break;
        }
    }
    if (start == std::string::npos)
        return {};
    std::size_t end = start;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
        ++end;
    std::string digits = text.substr(start, end - start);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    if (end < text.size() && text[end] == 'A')
        digits += 'A';
    return digits;
}

struct Preset {
    const char* name;
    const char* sensor;
    std::array<const char*, 3> bandNames;
};

const Preset kPresets[] = {
    {"s2-true", "Sentinel-2", {"4", "3", "2"}},        {"s2-false", "Sentinel-2", {"8", "4", "3"}},
    {"s2-swir", "Sentinel-2", {"12", "8A", "4"}},      {"landsat-true", "Landsat 8/9", {"4", "3", "2"}},
    {"landsat-false", "Landsat 8/9", {"5", "4", "3"}}, {"landsat-swir", "Landsat 8/9", {"7", "6", "4"}},
};

// Band number of a Sentinel-2 band in the usual stacks: 13 bands (L1C, EuroSAT) B1..B8, B8A,
// B9, B10, B11, B12; 12 bands (L2A) the same without B10.
std::optional<int> sentinel2StackIndex(const std::string& name, int bandCount)
{
    static const std::vector<std::string> l1c = {"1", "2", "3", "4", "5", "6", "7", "8", "8A", "9", "10", "11", "12"};
    std::vector<std::string> order = l1c;
    if (bandCount == 12)
        order.erase(order.begin() + 10);
    else if (bandCount != 13)
        return std::nullopt;
    const auto it = std::find(order.begin(), order.end(), name);
    if (it == order.end())
        return std::nullopt;
    return static_cast<int>(it - order.begin()) + 1;
}

std::string describeBands(const SceneInfo& scene)
{
    std::string text;
    for (const auto& band : scene.bands) {
        if (!text.empty())
            text += ", ";
        text += std::to_string(band.index);
        if (!band.description.empty())
            text += " (" + band.description + ")";
    }
    return text;
}

std::string formatNumber(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, result.ptr);
}

bool parseNumber(const std::string& text, double& value)
{
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool parseInt(const std::string& text, int& value)
{
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

std::vector<std::string> splitText(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator))
        parts.push_back(part);
    if (!text.empty() && text.back() == separator)
        parts.emplace_back();
    return parts;
}

int cvDepthFor(GDALDataType type)
{
    switch (type) {
    case GDT_Byte: return CV_8U;
    case GDT_UInt16: return CV_16U;
    case GDT_Int16: return CV_16S;
    case GDT_Int32: return CV_32S;
    case GDT_Float32: return CV_32F;
    default: return CV_64F; // UInt32, Float64, complex: read as double
    }
}

GDALDataType gdalTypeForDepth(int depth)
{
    switch (depth) {
    case CV_8U: return GDT_Byte;
    case CV_16U: return GDT_UInt16;
    case CV_16S: return GDT_Int16;
    case CV_32S: return GDT_Int32;
    case CV_32F: return GDT_Float32;
    default: return GDT_Float64;
    }
}

} // namespace

BoundingBox windowBounds(const SceneInfo& scene, const PixelWindow& window)
{
    const auto& g = scene.geoTransform;
    const double cols[2] = {double(window.x), double(window.x + window.width)};
    const double rows[2] = {double(window.y), double(window.y + window.height)};
    BoundingBox box{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                    std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    for (double col : cols)
        for (double row : rows) {
            const double x = g[0] + col * g[1] + row * g[2];
            const double y = g[3] + col * g[4] + row * g[5];
            box.minX = std::min(box.minX, x);
            box.maxX = std::max(box.maxX, x);
            box.minY = std::min(box.minY, y);
            box.maxY = std::max(box.maxY, y);
        }
    return box;
}

nlohmann::json toJson(const BandRendering& rendering)
{
    nlohmann::json ranges = nlohmann::json::array();
    for (const auto& range : rendering.ranges)
        ranges.push_back({range.low, range.high});
    return {{"bands", rendering.bands},
            {"ranges", ranges},
            {"preset", rendering.preset},
            {"stretch", {{"low_percentile", rendering.lowPercentile}, {"high_percentile", rendering.highPercentile}}}};
}

Result<BandRendering> renderingFromJson(const nlohmann::json& json)
{
    try {
        BandRendering rendering;
        const auto bands = json.at("bands").get<std::vector<int>>();
        const auto& ranges = json.at("ranges");
        if (bands.size() != 3 || !ranges.is_array() || ranges.size() != 3)
            throw std::runtime_error("three bands and three ranges expected");
        for (std::size_t i = 0; i < 3; ++i) {
            rendering.bands[i] = bands[i];
            rendering.ranges[i] = {ranges[i].at(0).get<double>(), ranges[i].at(1).get<double>()};
        }
        rendering.preset = json.value("preset", "");
        const auto stretch = json.value("stretch", nlohmann::json::object());
        rendering.lowPercentile = stretch.value("low_percentile", 2.0);
        rendering.highPercentile = stretch.value("high_percentile", 98.0);
        return rendering;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadFormat, "The band choice and stretch stored here cannot be read.", {}, e.what());
    }
}

bool sameBands(const BandRendering& a, const BandRendering& b)
{
    return a.bands == b.bands;
}

const std::vector<std::string>& bandPresets()
{
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& preset : kPresets)
            out.emplace_back(preset.name);
        return out;
    }();
    return names;
}

Result<BandRendering> chooseBands(const SceneInfo& scene, const std::string& choice)
{
    const int count = static_cast<int>(scene.bands.size());
    BandRendering rendering;
    if (count == 0)
        return makeError(ErrorCode::BadFormat, "The file has no raster bands; choose an image or a scene.", scene.path);
    if (choice.empty()) {
        std::optional<int> red, green, blue;
        for (const auto& band : scene.bands) {
            if (band.colourInterpretation == "Red" && !red)
                red = band.index;
            else if (band.colourInterpretation == "Green" && !green)
                green = band.index;
            else if (band.colourInterpretation == "Blue" && !blue)
                blue = band.index;
        }
        if (red && green && blue) {
            rendering.bands = {*red, *green, *blue};
            rendering.preset = "colour";
        } else if (count < 3) {
            rendering.bands = {1, 1, 1};
            rendering.preset = "grey";
        } else {
            rendering.bands = {1, 2, 3};
            rendering.preset = "first three";
        }
        return rendering;
    }
    for (const auto& preset : kPresets) {
        if (choice != preset.name)
            continue;
        std::map<std::string, int> byName;
        for (const auto& band : scene.bands) {
            const std::string key = bandNameKey(band.description);
            if (!key.empty() && !byName.count(key))
                byName[key] = band.index;
        }
        const bool sentinel = std::strncmp(preset.name, "s2", 2) == 0;
        for (std::size_t i = 0; i < 3; ++i) {
            const std::string name = preset.bandNames[i];
            std::optional<int> index;
            if (byName.count(name))
                index = byName[name];
            else if (byName.empty() && sentinel)
                index = sentinel2StackIndex(name, count);
            else if (byName.empty() && name.find('A') == std::string::npos && std::stoi(name) <= count)
                index = std::stoi(name);
            if (!index)
                return makeError(ErrorCode::InvalidArgument,
                                 std::string("The ") + preset.sensor + " preset '" + preset.name + "' needs band B"
                                     + name + ", which this file does not name; its bands are " + describeBands(scene)
                                     + ". Choose the bands by number instead, e.g. --bands 4,3,2.",
                                 scene.path);
            rendering.bands[i] = *index;
        }
        rendering.preset = preset.name;
        return rendering;
    }
    const auto parts = splitText(choice, ',');
    std::vector<int> bands;
    for (const auto& part : parts) {
        int value = 0;
        if (!parseInt(part, value)) {
            std::string presets;
            for (const auto& name : bandPresets())
                presets += (presets.empty() ? "" : ", ") + name;
            return makeError(ErrorCode::InvalidArgument,
                             "The band choice '" + choice
                                 + "' is neither three band numbers (e.g. 4,3,2) nor a preset (" + presets + ").",
                             scene.path);
        }
        bands.push_back(value);
    }
    if (bands.size() != 3)
        return makeError(ErrorCode::InvalidArgument,
                         "Choose exactly three bands (for red, green and blue), e.g. 4,3,2; got '" + choice + "'.",
                         scene.path);
    for (int band : bands)
        if (band < 1 || band > count)
            return makeError(ErrorCode::InvalidArgument,
                             "Band " + std::to_string(band) + " was chosen but the file has " + std::to_string(count)
                                 + " band(s), numbered from 1: " + describeBands(scene) + ".",
                             scene.path);
    rendering.bands = {bands[0], bands[1], bands[2]};
    rendering.preset = choice;
    return rendering;
}

struct SceneReader::Impl {
    GdalDatasetPtr dataset;
    SceneInfo info;
};

SceneReader::SceneReader(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
SceneReader::SceneReader(SceneReader&&) noexcept = default;
SceneReader& SceneReader::operator=(SceneReader&&) noexcept = default;
SceneReader::~SceneReader() = default;

const SceneInfo& SceneReader::info() const
{
    return m_impl->info;
}

Result<SceneReader> SceneReader::open(const std::string& path)
{
    std::error_code ec;
    const bool virtualPath = path.rfind("/vsi", 0) == 0;
    if (!virtualPath && !fs::exists(path, ec))
        return makeError(ErrorCode::FileNotFound, "The scene file does not exist; check the path.", path);
    if (!virtualPath && fs::is_directory(path, ec))
        return makeError(ErrorCode::InvalidArgument, "This is a folder, not a scene file; choose a raster inside it.",
                         path);
    auto dataset = openRaster(path);
    if (!dataset)
        return dataset.error();
    auto impl = std::make_unique<Impl>();
    impl->dataset = std::move(dataset).value();
    GDALDataset& ds = *impl->dataset;
    SceneInfo& info = impl->info;
    // GDAL reads some of this lazily (a TIFF's overviews are its next directories): a damaged
    // part reports through GDAL's handler, which prints on standard error unless quietened.
    QuietGdalErrors quiet;
    info.path = path;
    info.driver = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
    info.width = ds.GetRasterXSize();
    info.height = ds.GetRasterYSize();
    for (int b = 1; b <= ds.GetRasterCount(); ++b) {
        GDALRasterBand* band = ds.GetRasterBand(b);
        BandInfo bandInfo;
        bandInfo.index = b;
        bandInfo.description = band->GetDescription();
        bandInfo.colourInterpretation = GDALGetColorInterpretationName(band->GetColorInterpretation());
        bandInfo.dataType = GDALGetDataTypeName(band->GetRasterDataType());
        int hasNoData = 0;
        const double noData = band->GetNoDataValue(&hasNoData);
        if (hasNoData)
            bandInfo.noData = noData;
        info.bands.push_back(bandInfo);
    }
    if (ds.GetRasterCount() > 0)
        info.overviews = ds.GetRasterBand(1)->GetOverviewCount();
    if (const OGRSpatialReference* srs = ds.GetSpatialRef()) {
        info.crsWkt = wktOf(*srs);
        info.crsName = crsNameOf(*srs);
    }
    double transform[6];
    if (ds.GetGeoTransform(transform) == CE_None) {
        info.hasGeoTransform = true;
        std::copy(transform, transform + 6, info.geoTransform.begin());
    }
    return SceneReader(std::move(impl));
}

Status SceneReader::computeStretch(BandRendering& rendering, bool stretchBytes)
{
    GDALDataset& ds = *m_impl->dataset;
    QuietGdalErrors quiet;
    for (std::size_t i = 0; i < 3; ++i) {
        const int index = rendering.bands[i];
        if (index < 1 || index > ds.GetRasterCount())
            return makeError(ErrorCode::InvalidArgument,
                             "Band " + std::to_string(index) + " was chosen but the file has "
                                 + std::to_string(ds.GetRasterCount()) + " band(s).",
                             m_impl->info.path);
        GDALRasterBand* band = ds.GetRasterBand(index);
        const GDALDataType type = band->GetRasterDataType();
        if (type == GDT_Byte && !stretchBytes) {
            rendering.ranges[i] = {0.0, 255.0};
            continue;
        }
        auto range = percentileRange(*band, rendering.lowPercentile, rendering.highPercentile);
        if (!range)
            return Error{range.error().code, range.error().message, m_impl->info.path, range.error().detail};
        rendering.ranges[i] = range.value();
    }
    return {};
}

Result<cv::Mat> SceneReader::readRgb8(const PixelWindow& window, const BandRendering& rendering, int outWidth,
                                      int outHeight)
{
    const SceneInfo& info = m_impl->info;
    if (window.width <= 0 || window.height <= 0 || window.x < 0 || window.y < 0 || window.x + window.width > info.width
        || window.y + window.height > info.height)
        return makeError(ErrorCode::InvalidArgument,
                         "The tile " + std::to_string(window.width) + " x " + std::to_string(window.height) + " at ("
                             + std::to_string(window.x) + ", " + std::to_string(window.y) + ") lies outside the scene ("
                             + std::to_string(info.width) + " x " + std::to_string(info.height)
                             + " pixels); import the scene again.",
                         info.path);
    for (int band : rendering.bands)
        if (band < 1 || band > static_cast<int>(info.bands.size()))
            return makeError(ErrorCode::InvalidArgument,
                             "Band " + std::to_string(band) + " was chosen but the scene has "
                                 + std::to_string(info.bands.size()) + " band(s).",
                             info.path);
    const int width = outWidth > 0 ? outWidth : window.width;
    const int height = outHeight > 0 ? outHeight : window.height;
    cv::Mat values(height, width, CV_32FC3);
    GDALRasterIOExtraArg extra;
    INIT_RASTERIO_EXTRA_ARG(extra);
    if (width != window.width || height != window.height)
        extra.eResampleAlg = GRIORA_Average;
    int bandList[3] = {rendering.bands[0], rendering.bands[1], rendering.bands[2]};
    QuietGdalErrors quiet;
    const CPLErr status = m_impl->dataset->RasterIO(
        GF_Read, window.x, window.y, window.width, window.height, values.data, width, height, GDT_Float32, 3, bandList,
        3 * sizeof(float), static_cast<GSpacing>(values.step[0]), sizeof(float), &extra);
    if (status != CE_None)
        return readError(info.path, window.x, window.y, quiet.lastMessage());
    cv::Mat out(height, width, CV_8UC3);
    for (int c = 0; c < 3; ++c) {
        const BandRange range = rendering.ranges[static_cast<std::size_t>(c)];
        const auto& band = info.bands[static_cast<std::size_t>(rendering.bands[static_cast<std::size_t>(c)] - 1)];
        const double span = range.high - range.low;
        const double scale = span > 0.0 ? 255.0 / span : 0.0;
        for (int row = 0; row < height; ++row) {
            const float* in = values.ptr<float>(row) + c;
            std::uint8_t* target = out.ptr<std::uint8_t>(row) + c;
            for (int col = 0; col < width; ++col) {
                const double v = in[3 * col];
                std::uint8_t byte = 0;
                if (std::isfinite(v) && !(band.noData && v == *band.noData))
                    byte = static_cast<std::uint8_t>(std::clamp(std::lround((v - range.low) * scale), 0L, 255L));
                target[3 * col] = byte;
            }
        }
    }
    return out;
}

Result<cv::Mat> SceneReader::readAllBands(const PixelWindow& window)
{
    GDALDataset& ds = *m_impl->dataset;
    const int count = ds.GetRasterCount();
    if (count < 1 || count > CV_CN_MAX)
        return makeError(ErrorCode::Unsupported,
                         "The raster has " + std::to_string(count) + " bands; between 1 and "
                             + std::to_string(CV_CN_MAX) + " are supported.",
                         m_impl->info.path);
    // The widest type among the bands, so that none is cut.
    int depth = CV_8U;
    for (int b = 1; b <= count; ++b) {
        const int bandDepth = cvDepthFor(ds.GetRasterBand(b)->GetRasterDataType());
        if (b == 1 || bandDepth != depth)
            depth = b == 1 ? bandDepth : CV_64F;
    }
    cv::Mat values(window.height, window.width, CV_MAKETYPE(depth, count));
    const auto elementSize = static_cast<GSpacing>(CV_ELEM_SIZE1(depth));
    QuietGdalErrors quiet;
    const CPLErr status = ds.RasterIO(GF_Read, window.x, window.y, window.width, window.height, values.data,
                                      window.width, window.height, gdalTypeForDepth(depth), count, nullptr,
                                      elementSize * count, static_cast<GSpacing>(values.step[0]), elementSize, nullptr);
    if (status != CE_None)
        return readError(m_impl->info.path, window.x, window.y, quiet.lastMessage());
    return values;
}

Result<cv::Mat> decodeRasterBands(const std::vector<std::uint8_t>& bytes, const std::string& name)
{
    MemoryFile file(bytes);
    auto reader = SceneReader::open(file.path());
    if (!reader)
        return Error{reader.error().code, reader.error().message, name, reader.error().detail};
    const SceneInfo& info = reader->info();
    auto values = reader->readAllBands({0, 0, info.width, info.height});
    if (!values)
        return Error{values.error().code, values.error().message, name, values.error().detail};
    return values;
}

Result<TileGrid> makeTileGrid(const SceneInfo& scene, int tileSize, int stride)
{
    if (tileSize < 8)
        return makeError(ErrorCode::InvalidArgument,
                         "Choose a tile size of at least 8 pixels (e.g. 64 for 10 m Sentinel-2 pixels); got "
                             + std::to_string(tileSize) + ".",
                         scene.path);
    if (stride < 0)
        return makeError(ErrorCode::InvalidArgument, "The stride must be a positive number of pixels.", scene.path);
    TileGrid grid;
    grid.tileSize = tileSize;
    grid.stride = stride > 0 ? stride : tileSize;
    if (tileSize > scene.width || tileSize > scene.height)
        return makeError(ErrorCode::InvalidArgument,
                         "The tile size (" + std::to_string(tileSize) + " pixels) is larger than the scene ("
                             + std::to_string(scene.width) + " x " + std::to_string(scene.height)
                             + " pixels); choose a smaller one.",
                         scene.path);
    grid.columns = (scene.width - tileSize) / grid.stride + 1;
    grid.rows = (scene.height - tileSize) / grid.stride + 1;
    return grid;
}

std::vector<PixelWindow> tileWindows(const TileGrid& grid)
{
    std::vector<PixelWindow> windows;
    windows.reserve(static_cast<std::size_t>(grid.columns) * static_cast<std::size_t>(grid.rows));
    const int stride = grid.effectiveStride();
    for (int row = 0; row < grid.rows; ++row)
        for (int col = 0; col < grid.columns; ++col)
            windows.push_back({col * stride, row * stride, grid.tileSize, grid.tileSize});
    return windows;
}

std::string formatTileReference(const TileReference& tile)
{
    const auto& w = tile.window;
    const auto& r = tile.rendering;
    std::string text = tile.scenePath + "#tile=" + std::to_string(w.x) + "," + std::to_string(w.y) + ","
                       + std::to_string(w.width) + "," + std::to_string(w.height)
                       + ";bands=" + std::to_string(r.bands[0]) + "," + std::to_string(r.bands[1]) + ","
                       + std::to_string(r.bands[2]) + ";range=";
    for (std::size_t i = 0; i < 3; ++i)
        text += (i > 0 ? "," : "") + formatNumber(r.ranges[i].low) + ":" + formatNumber(r.ranges[i].high);
    return text;
}

std::optional<TileReference> parseTileReference(const std::string& text)
{
    const std::size_t marker = text.rfind("#tile=");
    if (marker == std::string::npos || marker == 0)
        return std::nullopt;
    TileReference tile;
    tile.scenePath = text.substr(0, marker);
    const auto fields = splitText(text.substr(marker + 6), ';');
    if (fields.size() != 3 || fields[1].rfind("bands=", 0) != 0 || fields[2].rfind("range=", 0) != 0)
        return std::nullopt;
    const auto window = splitText(fields[0], ',');
    const auto bands = splitText(fields[1].substr(6), ',');
    const auto ranges = splitText(fields[2].substr(6), ',');
    if (window.size() != 4 || bands.size() != 3 || ranges.size() != 3)
        return std::nullopt;
    int* windowValues[4] = {&tile.window.x, &tile.window.y, &tile.window.width, &tile.window.height};
    for (std::size_t i = 0; i < 4; ++i)
        if (!parseInt(window[i], *windowValues[i]))
            return std::nullopt;
    for (std::size_t i = 0; i < 3; ++i) {
        if (!parseInt(bands[i], tile.rendering.bands[i]))
            return std::nullopt;
        const auto bounds = splitText(ranges[i], ':');
        if (bounds.size() != 2 || !parseNumber(bounds[0], tile.rendering.ranges[i].low)
            || !parseNumber(bounds[1], tile.rendering.ranges[i].high))
            return std::nullopt;
    }
    return tile;
}

Result<cv::Mat> readTileRgb8(const TileReference& tile)
{
    // One open scene per thread: encoding reads thousands of tiles of the same file in a row.
    // The file's size and time stamp tell a replaced scene from the one that is open.
    struct OpenScene {
        std::string path;
        std::uintmax_t size = 0;
        fs::file_time_type modified;
        std::optional<SceneReader> reader;
    };
    thread_local OpenScene cached;
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(tile.scenePath, ec);
    if (ec)
        return makeError(ErrorCode::FileNotFound,
                         "The scene this tile comes from is missing; put it back or import the scene again.",
                         tile.scenePath, ec.message());
    const fs::file_time_type modified = fs::last_write_time(tile.scenePath, ec);
    if (!cached.reader || cached.path != tile.scenePath || cached.size != size || cached.modified != modified) {
        cached.reader.reset();
        auto reader = SceneReader::open(tile.scenePath);
        if (!reader)
            return reader.error();
        cached.reader.emplace(std::move(reader).value());
        cached.path = tile.scenePath;
        cached.size = size;
        cached.modified = modified;
    }
    constexpr int kMaxSide = 4096;
    const int longest = std::max(tile.window.width, tile.window.height);
    int outWidth = 0, outHeight = 0;
    if (longest > kMaxSide) {
        outWidth = std::max(1, tile.window.width * kMaxSide / longest);
        outHeight = std::max(1, tile.window.height * kMaxSide / longest);
    }
    return cached.reader->readRgb8(tile.window, tile.rendering, outWidth, outHeight);
}

} // namespace aape::geo
