#include "aape/workflow/PredictShards.h"

#include "aape/aape/Evaluator.h"
#include "aape/workflow/Export.h"
#include "workflow/Common.h"
#include "workflow/ShardFiles.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::workflow {

namespace {

constexpr const char* kFormat = "aape-prediction-shard-1";

std::string hostName()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
}

std::string dumpLine(const nlohmann::json& json)
{
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Status prepareFolders(const std::string& dir)
{
    for (const char* sub : {"predictions", "done"}) {
        std::error_code ec;
        fs::create_directories(fs::path(dir) / sub, ec);
        if (ec)
            return makeError(ErrorCode::FileWrite, "The output folder could not be created; check its permissions.",
                             (fs::path(dir) / sub).string(), ec.message());
    }
    return {};
}

// The lines, then the marker: a shard without its marker is visibly unfinished.
Status finishShard(const std::string& dir, int index, const std::string& lines, const nlohmann::json& summary)
{
    if (auto status = detail::writeFileAtomically(shardPredictionFile(dir, index), lines); !status)
        return status;
    return detail::writeFileAtomically(shardDoneMarker(dir, index), summary.dump(2) + "\n");
}

// What both kinds of shard say in their marker.
nlohmann::json summaryOf(const char* kind, const ShardPredictOptions& options, const ShardRange& range,
                         const ShardPredictReport& report, const std::string& fingerprint)
{
    return {{"format", kFormat},
            {"kind", kind},
            {"shard", options.shard.index},
            {"shards", options.shard.count},
            {"first_input", range.begin},
            {"inputs", report.inputs},
            {"predicted", report.predicted},
            {"batch", options.batchSize},
            {"model_fingerprint", fingerprint},
            {"seconds", report.seconds},
            {"host", hostName()}};
}

std::optional<ShardPredictReport> alreadyDone(const std::string& dir, int index)
{
    auto summary = shardSummary(dir, index);
    if (!summary)
        return std::nullopt;
    ShardPredictReport report;
    report.alreadyDone = true;
    report.summary = *summary;
    return report;
}

} // namespace

std::string shardPredictionFile(const std::string& dir, int index)
{
    return (fs::path(dir) / "predictions" / ("predictions_" + std::to_string(index) + ".jsonl")).string();
}

Result<ShardPredictReport> predictImageShard(const Bundle& bundle, const clip::ClipEngine& engine,
                                             const std::vector<ShardInput>& inputs, const ShardPredictOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    const int k = options.shard.index;
    if (auto done = alreadyDone(options.outDir, k))
        return *done;
    if (auto status = prepareFolders(options.outDir); !status)
        return status.error();
    ShardPredictReport report;
    const ShardRange range = shardRange(inputs.size(), options.batchSize, options.shard);
    report.inputs = range.end - range.begin;
    std::string lines;
    const auto block = static_cast<std::size_t>(std::max(1, options.batchSize));
    for (std::size_t start = range.begin; start < range.end; start += block) {
        if (stopRequested(options.stop))
            return detail::cancelled();
        const std::size_t end = std::min(range.end, start + block);
        std::vector<std::string> paths;
        for (std::size_t i = start; i < end; ++i)
            paths.push_back(inputs[i].filePath);
        auto predictions = predictImages(bundle, engine, paths, {}, options.top);
        if (!predictions)
            return predictions.error();
        for (std::size_t i = start; i < end; ++i) {
            const auto& p = predictions.value()[i - start];
            if (!p.error.empty()) {
                report.failed.push_back({inputs[i].recordedPath, p.error});
                continue;
            }
            nlohmann::json top = nlohmann::json::array();
            for (const auto& [name, probability] : p.top)
                top.push_back({{"class", name}, {"prob", probability}});
            lines += dumpLine({{"path", inputs[i].recordedPath},
                               {"top", top},
                               {"ood_score", p.oodScore},
                               {"ood_score_kind", oodScoreName(p.oodScoreKind)}});
            ++report.predicted;
        }
        if (options.progress)
            options.progress(end - range.begin, report.inputs);
    }
    report.seconds = detail::secondsSince(started);
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& f : report.failed)
        failed.push_back({{"path", f.path}, {"reason", f.reason}});
    report.summary = summaryOf("images", options, range, report, engine.info().fingerprint);
    report.summary["classes"] = bundle.classNames;
    report.summary["ood_score"] = oodScoreName(bundle.oodScore);
    report.summary["failed"] = failed;
    if (auto status = finishShard(options.outDir, k, lines, report.summary); !status)
        return status.error();
    return report;
}

Result<ShardPredictReport> predictSceneShard(const Bundle& bundle, const clip::ClipEngine& engine,
                                             const std::string& scenePath, const ShardPredictOptions& options)
{
    const int k = options.shard.index;
    if (auto done = alreadyDone(options.outDir, k))
        return *done;
    if (auto status = prepareFolders(options.outDir); !status)
        return status.error();
    const std::string scene = fs::absolute(scenePath).lexically_normal().string();

    // The tiling first (no tile predicted), to know how many tiles there are to partition.
    ScenePredictOptions predict;
    predict.tileSize = options.tileSize;
    predict.stride = options.stride;
    predict.bands = options.bands;
    predict.batchSize = std::max(1, options.batchSize);
    predict.stop = options.stop;
    predict.firstTile = std::numeric_limits<std::size_t>::max();
    auto layout = predictScene(bundle, engine, scene, predict);
    if (!layout)
        return layout.error();
    const std::size_t tiles = layout->tiles.size();
    const ShardRange range = shardRange(tiles, options.batchSize, options.shard);

    ShardPredictReport report;
    report.inputs = range.end - range.begin;
    ScenePrediction prediction = std::move(layout).value();
    if (range.end > range.begin) {
        predict.firstTile = range.begin;
        predict.endTile = range.end;
        predict.rendering = prediction.rendering; // the stretch is read once per shard, not twice
        if (options.progress)
            predict.progress = [&](std::size_t done, std::size_t total, double) { options.progress(done, total); };
        auto predicted = predictScene(bundle, engine, scene, predict);
        if (!predicted)
            return predicted.error();
        auto warnings = std::move(prediction.warnings);
        prediction = std::move(predicted).value();
        prediction.warnings = std::move(warnings);
    }
    const int columns = prediction.layout.grid.columns;
    std::string lines;
    for (std::size_t i = range.begin; i < range.end; ++i) {
        const auto& tile = prediction.tiles[i];
        nlohmann::json top = nlohmann::json::array();
        for (const auto& [index, probability] : prediction.top[i])
            top.push_back({{"class_index", index}, {"prob", probability}});
        lines += dumpLine({{"tile", i},
                           {"column", static_cast<int>(i) % columns},
                           {"row", static_cast<int>(i) / columns},
                           {"class", prediction.layout.classNames[static_cast<std::size_t>(tile.classIndex)]},
                           {"class_index", tile.classIndex},
                           {"probability", tile.probability},
                           {"ood_score", tile.oodScore},
                           {"top", top}});
        ++report.predicted;
    }
    report.seconds = prediction.seconds;
    report.summary = summaryOf("scene", options, range, report, engine.info().fingerprint);
    report.summary.update({{"scene", scene},
                           {"tiles", tiles},
                           {"tile_size", prediction.layout.grid.tileSize},
                           {"stride", prediction.layout.grid.effectiveStride()},
                           {"rendering", geo::toJson(prediction.rendering)},
                           {"classes", prediction.layout.classNames},
                           {"ood_score", prediction.oodScoreName},
                           {"warnings", prediction.warnings}});
    if (auto status = finishShard(options.outDir, k, lines, report.summary); !status)
        return status.error();
    return report;
}

Result<ScenePrediction> mergeSceneShards(const std::string& dirArgument)
{
    const std::string dir = fs::absolute(dirArgument).lexically_normal().string();
    // The shard count from any finished shard; then every one of them must be finished.
    std::optional<nlohmann::json> first;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(dir) / "done", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        if (auto summary = shardSummary(dir, std::stoi(name)); summary && summary->value("format", "") == kFormat) {
            first = summary;
            break;
        }
    }
    if (!first)
        return makeError(ErrorCode::FileNotFound,
                         "No finished prediction shard is in this folder; run aape predict --scene ... --shard K/N "
                         "--out with it (or aape cluster submit), then merge.",
                         dir);
    if (first->value("kind", "") != "scene")
        return makeError(ErrorCode::InvalidArgument,
                         "These shards hold image predictions, not a scene's: their JSON lines are the result (cat "
                         "predictions/*.jsonl); there is no map to merge.",
                         dir);
    const int shards = first->value("shards", 0);
    std::vector<nlohmann::json> summaries;
    std::vector<int> unfinished;
    for (int k = 0; k < shards; ++k) {
        auto summary = shardSummary(dir, k);
        if (!summary)
            unfinished.push_back(k);
        else
            summaries.push_back(*summary);
    }
    if (!unfinished.empty()) {
        std::string list;
        for (int k : unfinished)
            list += (list.empty() ? "" : ", ") + std::to_string(k);
        return makeError(ErrorCode::InvalidArgument,
                         std::to_string(unfinished.size()) + " of " + std::to_string(shards)
                             + " shards are not finished (" + list
                             + "); see aape cluster status, run aape cluster resume, and merge when they are done.",
                         dir);
    }
    for (const auto& summary : summaries)
        for (const char* key : {"scene", "tiles", "tile_size", "stride", "classes", "shards", "model_fingerprint"})
            if (summary.value(key, nlohmann::json()) != first->value(key, nlohmann::json()))
                return makeError(ErrorCode::InvalidArgument,
                                 "Shard " + std::to_string(summary.value("shard", -1)) + " was made with another " + key
                                     + " than shard " + std::to_string(first->value("shard", -1))
                                     + "; predict every shard with the same command into an empty folder.",
                                 dir);

    const std::string scenePath = first->value("scene", "");
    auto reader = geo::SceneReader::open(scenePath);
    if (!reader)
        return reader.error();
    ScenePrediction merged;
    merged.layout.scene = reader->info();
    auto grid = geo::makeTileGrid(merged.layout.scene, first->value("tile_size", 0), first->value("stride", 0));
    if (!grid)
        return grid.error();
    merged.layout.grid = grid.value();
    merged.layout.classNames = first->value("classes", std::vector<std::string>{});
    merged.oodScoreName = first->value("ood_score", "");
    if (auto rendering = geo::renderingFromJson(first->value("rendering", nlohmann::json::object())))
        merged.rendering = rendering.value();
    const std::size_t tiles = first->value("tiles", std::size_t(0));
    if (tiles != geo::tileWindows(merged.layout.grid).size())
        return makeError(ErrorCode::InvalidArgument,
                         "The scene has changed since the shards were predicted (another size); predict it again.",
                         scenePath);
    merged.tiles.resize(tiles);
    merged.top.resize(tiles);
    std::set<std::string> warnings;
    for (const auto& summary : summaries) {
        merged.seconds += summary.value("seconds", 0.0);
        for (const auto& warning : summary.value("warnings", std::vector<std::string>{}))
            warnings.insert(warning);
        const int k = summary.value("shard", 0);
        const std::string file = shardPredictionFile(dir, k);
        auto text = detail::readWholeFile(file);
        if (!text)
            return text.error();
        std::istringstream in(text.value());
        std::size_t lineNumber = 0;
        std::size_t count = 0;
        for (std::string line; std::getline(in, line);) {
            ++lineNumber;
            if (line.empty())
                continue;
            const auto json = nlohmann::json::parse(line, nullptr, false);
            const auto index = json.is_object() ? json.value("tile", std::numeric_limits<std::size_t>::max())
                                                : std::numeric_limits<std::size_t>::max();
            const int classIndex = json.is_object() ? json.value("class_index", -1) : -1;
            if (index >= tiles || classIndex < 0 || classIndex >= static_cast<int>(merged.layout.classNames.size()))
                return makeError(ErrorCode::BadFormat,
                                 "Line " + std::to_string(lineNumber)
                                     + " is not a tile prediction of this scene; predict this shard again (delete "
                                       "done/"
                                     + std::to_string(k) + " first).",
                                 file);
            auto& tile = merged.tiles[index];
            tile.classIndex = classIndex;
            tile.probability = json.value("probability", 0.0f);
            tile.oodScore = json.value("ood_score", 0.0f);
            for (const auto& entry : json.value("top", nlohmann::json::array()))
                if (entry.is_object())
                    merged.top[index].emplace_back(entry.value("class_index", 0), entry.value("prob", 0.0f));
            ++count;
        }
        if (count != summary.value("predicted", std::size_t(0)))
            return makeError(ErrorCode::BadFormat,
                             "The shard holds " + std::to_string(count) + " tiles but its marker says "
                                 + std::to_string(summary.value("predicted", std::size_t(0)))
                                 + "; predict this shard again (delete done/" + std::to_string(k) + " first).",
                             file);
    }
    merged.warnings.assign(warnings.begin(), warnings.end());
    return merged;
}

} // namespace aape::workflow
