#include "aape/geo/SceneImport.h"

#include "aape/data/ContentHash.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace aape::geo {

namespace {

std::string normalisedPath(const std::string& path)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    return (ec ? fs::path(path) : absolute).lexically_normal().string();
}

Error cancelled(const std::string& file)
{
    return makeError(ErrorCode::Cancelled, "The import was cancelled; nothing was added to the project.", file);
}

} // namespace

Status requireGeoreference(const SceneInfo& scene)
{
    if (scene.crsWkt.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "The scene has no coordinate reference system (CRS), so its tiles cannot be placed on a map; "
                         "assign one with gdal_edit.py -a_srs EPSG:<code> (e.g. the scene's UTM zone) and try again.",
                         scene.path);
    if (!scene.hasGeoTransform)
        return makeError(ErrorCode::InvalidArgument,
                         "The scene has a CRS but no georeference (pixel size and origin), so its tiles cannot be "
                         "placed on a map; georeference it (e.g. gdal_translate -a_ullr) and try again.",
                         scene.path);
    return {};
}

Result<SceneTiling> planSceneTiles(const std::string& scenePath, const SceneImportOptions& options)
{
    const std::string path = normalisedPath(scenePath);
    auto reader = SceneReader::open(path);
    if (!reader)
        return reader.error();
    SceneTiling tiling;
    tiling.scene = reader->info();
    if (auto status = requireGeoreference(tiling.scene); !status)
        return status.error();
    auto rendering = chooseBands(tiling.scene, options.bands);
    if (!rendering)
        return rendering.error();
    tiling.rendering = rendering.value();
    tiling.rendering.lowPercentile = options.lowPercentile;
    tiling.rendering.highPercentile = options.highPercentile;
    if (auto status = reader->computeStretch(tiling.rendering); !status)
        return status.error();
    auto grid = makeTileGrid(tiling.scene, options.tileSize, options.stride);
    if (!grid)
        return grid.error();
    tiling.grid = grid.value();
    for (const PixelWindow& window : tileWindows(tiling.grid))
        tiling.tiles.push_back({path, window, tiling.rendering});
    return tiling;
}

std::string tilePixelHash(const cv::Mat& rgb)
{
    std::vector<std::uint8_t> bytes(8 + rgb.total() * rgb.elemSize());
    const std::uint32_t size[2] = {static_cast<std::uint32_t>(rgb.cols), static_cast<std::uint32_t>(rgb.rows)};
    std::memcpy(bytes.data(), size, sizeof(size));
    std::size_t offset = 8;
    const std::size_t rowBytes = static_cast<std::size_t>(rgb.cols) * rgb.elemSize();
    for (int row = 0; row < rgb.rows; ++row, offset += rowBytes)
        std::memcpy(bytes.data() + offset, rgb.ptr(row), rowBytes);
    return data::hashToHex(data::contentHash64(bytes.data(), bytes.size()));
}

Result<SceneImportReport> importScene(store::Project& project, const std::string& scenePath,
                                      const SceneImportOptions& options)
{
    const std::string path = normalisedPath(scenePath);
    auto tiling = planSceneTiles(path, options);
    if (!tiling)
        return tiling.error();
    auto reader = SceneReader::open(path);
    if (!reader)
        return reader.error();
    SceneImportReport report;
    report.scene = tiling->scene;
    report.rendering = tiling->rendering;
    report.grid = tiling->grid;
    const std::vector<PixelWindow> windows = tileWindows(report.grid);
    report.tiles = static_cast<int>(windows.size());

    std::vector<std::optional<std::string>> labels(windows.size());
    nlohmann::json labelRecord = nlohmann::json::object();
    if (!options.labelsPath.empty()) {
        VectorLabelOptions labelOptions;
        labelOptions.path = normalisedPath(options.labelsPath);
        labelOptions.field = options.labelField;
        labelOptions.minCover = options.minCover;
        auto labelled = labelWindows(report.scene, windows, labelOptions);
        if (!labelled)
            return labelled.error();
        labels = labelled->labels;
        report.notes = labelled->notes;
        labelRecord = {{"file", labelOptions.path},      {"field", labelOptions.field},
                       {"layer", labelled->layer},       {"min_cover", labelOptions.minCover},
                       {"crs", labelled->vectorCrsName}, {"reprojected", labelled->reprojected}};
    }

    std::vector<store::NewImage> images;
    std::vector<store::TileRecord> tiles;
    images.reserve(windows.size());
    tiles.reserve(windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
        if (stopRequested(options.stop))
            return cancelled(path);
        if (options.progress)
            options.progress(i, windows.size());
        const PixelWindow& window = windows[i];
        // Reading every tile once checks the scene is readable end to end (a truncated file
        // fails here, not during training) and gives the tile's content hash.
        auto rgb = reader->readRgb8(window, report.rendering);
        if (!rgb)
            return rgb.error();
        store::NewImage image;
        image.path = formatTileReference({path, window, report.rendering});
        image.contentHash = tilePixelHash(rgb.value());
        image.width = window.width;
        image.height = window.height;
        image.source = "scene:" + path;
        images.push_back(std::move(image));
        const BoundingBox box = windowBounds(report.scene, window);
        store::TileRecord tile;
        tile.x = window.x;
        tile.y = window.y;
        tile.width = window.width;
        tile.height = window.height;
        tile.minX = box.minX;
        tile.minY = box.minY;
        tile.maxX = box.maxX;
        tile.maxY = box.maxY;
        tiles.push_back(tile);
    }
    if (stopRequested(options.stop))
        return cancelled(path);

    // Splits seeded per class, as a folder import does; unlabelled tiles form their own group.
    std::vector<std::string> groups, sortKeys;
    for (std::size_t i = 0; i < images.size(); ++i) {
        groups.push_back(labels[i].value_or(""));
        sortKeys.push_back(images[i].path);
    }
    const auto splits = data::assignSplits(groups, sortKeys, options.fractions, options.seed);
    std::set<std::string> classNames;
    for (const auto& label : labels)
        if (label)
            classNames.insert(*label);
    auto existing = project.classes();
    if (!existing)
        return existing.error();
    std::map<std::string, std::int64_t> classIds;
    for (const auto& name : classNames) {
        const bool known = std::any_of(existing->begin(), existing->end(),
                                       [&](const store::ClassRecord& record) { return record.name == name; });
        auto id = project.ensureClass(name);
        if (!id)
            return id.error();
        classIds[name] = id.value();
        if (!known)
            report.classesCreated.push_back(name);
    }
    for (std::size_t i = 0; i < images.size(); ++i) {
        images[i].split = splits[i];
        if (labels[i]) {
            images[i].classId = classIds.at(*labels[i]);
            ++report.tilesPerClass[*labels[i]];
            ++report.labelled;
        } else {
            ++report.unlabelled;
        }
    }

    store::SceneRecord scene;
    scene.path = path;
    scene.width = report.scene.width;
    scene.height = report.scene.height;
    scene.bandCount = static_cast<int>(report.scene.bands.size());
    scene.crsWkt = report.scene.crsWkt;
    scene.crsName = report.scene.crsName;
    scene.geoTransform = report.scene.geoTransform;
    scene.tileSize = report.grid.tileSize;
    scene.stride = report.grid.effectiveStride();
    scene.rendering = toJson(report.rendering);
    scene.labels = labelRecord;
    auto added = project.addSceneTiles(scene, images, tiles);
    if (!added)
        return added.error();
    report.added = added->first;
    report.duplicates = added->second;
    if (options.progress)
        options.progress(windows.size(), windows.size());
    return report;
}

} // namespace aape::geo
