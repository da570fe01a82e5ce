#include "aape/workflow/ScenePredict.h"

#include "aape/geo/SceneImport.h"
#include "aape/workflow/Export.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace aape::workflow {

namespace {

std::string bandText(const geo::BandRendering& rendering)
{
    return std::to_string(rendering.bands[0]) + "," + std::to_string(rendering.bands[1]) + ","
           + std::to_string(rendering.bands[2]);
}

} // namespace

std::optional<geo::BandRendering> bundleRendering(const Bundle& bundle)
{
    const auto raster = bundle.manifest.find("raster");
    if (raster == bundle.manifest.end() || !raster->is_object())
        return std::nullopt;
    auto rendering = geo::renderingFromJson(*raster);
    if (!rendering)
        return std::nullopt;
    return rendering.value();
}

int bundleTileSize(const Bundle& bundle)
{
    const auto raster = bundle.manifest.find("raster");
    if (raster == bundle.manifest.end() || !raster->is_object())
        return 0;
    const auto size = raster->find("tile_size");
    return size != raster->end() && size->is_number_integer() ? size->get<int>() : 0;
}

Result<ScenePrediction> predictScene(const Bundle& bundle, const clip::ClipEngine& engine, const std::string& scenePath,
                                     const ScenePredictOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    auto reader = geo::SceneReader::open(scenePath);
    if (!reader)
        return reader.error();
    ScenePrediction result;
    const geo::SceneInfo& scene = reader->info();
    if (auto status = geo::requireGeoreference(scene); !status)
        return status.error();

    const auto trained = bundleRendering(bundle);
    if (options.rendering) {
        result.rendering = *options.rendering;
    } else if (trained && options.bands.empty()) {
        for (int band : trained->bands)
            if (band > static_cast<int>(scene.bands.size()))
                return makeError(ErrorCode::InvalidArgument,
                                 "The model was trained on bands " + bandText(*trained) + " but this scene has "
                                     + std::to_string(scene.bands.size())
                                     + " band(s); choose its red, green and blue bands with --bands.",
                                 scenePath);
        // The training scene's stretch too: the same sensor's values mean the same here.
        result.rendering = *trained;
    } else {
        auto chosen = geo::chooseBands(scene, options.bands);
        if (!chosen)
            return chosen.error();
        result.rendering = chosen.value();
        if (trained && !geo::sameBands(*trained, result.rendering))
            result.warnings.push_back("The bands chosen (" + bandText(result.rendering)
                                      + ") differ from those the model was trained with (" + bandText(*trained)
                                      + "); its predictions may be poor.");
        if (trained) {
            result.rendering.lowPercentile = trained->lowPercentile;
            result.rendering.highPercentile = trained->highPercentile;
        }
        if (auto status = reader->computeStretch(result.rendering); !status)
            return status.error();
    }

    const int tileSize = options.tileSize > 0 ? options.tileSize : bundleTileSize(bundle);
    if (tileSize <= 0)
        return makeError(ErrorCode::InvalidArgument,
                         "Give the tile size in pixels (--tile); the model does not say which it was trained with.",
                         scenePath);
    auto grid = geo::makeTileGrid(scene, tileSize, options.stride);
    if (!grid)
        return grid.error();
    result.layout.scene = scene;
    result.layout.grid = grid.value();
    result.layout.classNames = bundle.classNames;
    if (result.layout.classNames.empty())
        for (int c = 0; c < bundle.classCount(); ++c)
            result.layout.classNames.push_back("class " + std::to_string(c));
    std::map<std::string, int> classIndex;
    for (std::size_t c = 0; c < result.layout.classNames.size(); ++c)
        classIndex[result.layout.classNames[c]] = static_cast<int>(c);
    result.oodScoreName = oodScoreName(bundle.oodScore);

    const std::vector<geo::PixelWindow> windows = geo::tileWindows(result.layout.grid);
    result.tiles.resize(windows.size());
    result.top.resize(windows.size());
    const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batchSize));
    const std::size_t last = options.endTile > 0 ? std::min(options.endTile, windows.size()) : windows.size();
    const std::size_t first = std::min(options.firstTile, last);
    for (std::size_t start = first; start < last; start += batch) {
        if (stopRequested(options.stop))
            return makeError(ErrorCode::Cancelled, "The prediction was stopped; no map was written.", scenePath);
        const std::size_t end = std::min(last, start + batch);
        std::vector<std::string> paths;
        for (std::size_t i = start; i < end; ++i)
            paths.push_back(geo::formatTileReference({scenePath, windows[i], result.rendering}));
        auto predictions = predictImages(bundle, engine, paths, {}, 3);
        if (!predictions)
            return predictions.error();
        for (std::size_t i = start; i < end; ++i) {
            const auto& p = predictions.value()[i - start];
            if (!p.error.empty())
                return makeError(ErrorCode::BadFormat, p.error, scenePath);
            auto& tile = result.tiles[i];
            tile.classIndex = classIndex.at(p.top.front().first);
            tile.probability = p.top.front().second;
            tile.oodScore = p.oodScore;
            for (const auto& [name, probability] : p.top)
                result.top[i].emplace_back(classIndex.at(name), probability);
        }
        if (options.progress) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            const double left = elapsed / static_cast<double>(end - first) * static_cast<double>(last - end);
            options.progress(end - first, last - first, left);
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace aape::workflow
