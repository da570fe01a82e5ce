#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/bench/Process.h"
#include "aape/geo/ClassMap.h"
#include "aape/geo/Scene.h"
#include "aape/geo/SceneImport.h"
#include "aape/geo/SyntheticScene.h"
#include "aape/util/Log.h"
#include "aape/workflow/PredictShards.h"
#include "aape/workflow/ScenePredict.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

namespace aape::cli {

namespace {

void writeSceneMap(const workflow::ScenePrediction& p, const std::string& sceneName, const std::string& out,
                   const std::string& vector, CommandContext& context);

std::string presetList()
{
    std::string text;
    for (const auto& name : geo::bandPresets())
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

std::string describeScene(const geo::SceneInfo& scene)
{
    std::ostringstream text;
    text << scene.width << " x " << scene.height << " pixels, " << scene.bands.size() << " bands "
         << (scene.bands.empty() ? std::string() : scene.bands.front().dataType) << ", " << scene.crsName;
    if (scene.hasGeoTransform)
        text << ", " << std::setprecision(4) << std::hypot(scene.geoTransform[1], scene.geoTransform[4]) << " m pixels";
    return text.str();
}

std::string describeRendering(const geo::BandRendering& rendering)
{
    std::ostringstream text;
    text << "bands " << rendering.bands[0] << ',' << rendering.bands[1] << ',' << rendering.bands[2] << " ("
         << rendering.preset << ") as red, green, blue, stretched " << rendering.lowPercentile << "-"
         << rendering.highPercentile << " %:";
    for (std::size_t i = 0; i < 3; ++i)
        text << (i > 0 ? "," : "") << " band " << rendering.bands[i] << ' ' << std::setprecision(6)
             << rendering.ranges[i].low << ".." << rendering.ranges[i].high;
    return text.str();
}

} // namespace

CLI::Option* addSceneImportOptions(CLI::App* import, SceneImportArgs& args)
{
    auto* scene = import->add_option("--scene", args.scene,
                                     "a scene (GeoTIFF, COG, JPEG2000, ENVI, VRT, ...) to import as tiles, read on "
                                     "demand from the file (it is not copied)");
    import->add_option("--tile", args.tile, "with --scene: tile size in pixels")->needs(scene);
    import->add_option("--stride", args.stride, "with --scene: pixels between tiles (default: the tile size)")
        ->needs(scene);
    import
        ->add_option("--bands", args.bands,
                     "with --scene: the bands shown as red, green, blue: numbers (4,3,2) or a preset (" + presetList()
                         + "); default: the file's colour bands, else the first three")
        ->needs(scene);
    auto* labels = import->add_option("--labels", args.labels,
                                      "with --scene: polygons (GeoPackage, GeoJSON, Shapefile) that label the tiles; "
                                      "reprojected to the scene's CRS when needed");
    labels->needs(scene);
    import->add_option("--label-field", args.labelField, "with --labels: the attribute that holds the class name")
        ->needs(labels);
    import
        ->add_option("--min-cover", args.minCover,
                     "with --labels: share of a tile its class must cover (0-1); less leaves the tile unlabelled")
        ->needs(labels)
        ->capture_default_str();
    return scene;
}

void runSceneImport(const std::string& projectPath, const SceneImportArgs& args, std::uint64_t seed,
                    CommandContext& context)
{
    if (args.tile <= 0)
        return context.fail(makeError(ErrorCode::InvalidArgument,
                                      "give the tile size in pixels with --tile, e.g. --tile 64 (640 m for 10 m "
                                      "Sentinel-2 pixels)",
                                      args.scene));
    if (!args.labels.empty() && args.labelField.empty())
        return context.fail(makeError(ErrorCode::InvalidArgument,
                                      "name the attribute of the polygons that holds the class with --label-field",
                                      args.labels));
    auto project = store::Project::open(projectPath, store::OpenMode::ReadWrite);
    if (!project)
        return context.fail(project.error());
    ProgressBar bar(context.err);
    geo::SceneImportOptions options;
    options.tileSize = args.tile;
    options.stride = args.stride;
    options.bands = args.bands;
    options.labelsPath = args.labels;
    options.labelField = args.labelField;
    options.minCover = args.minCover;
    options.seed = seed;
    options.progress = [&](std::size_t done, std::size_t total) { bar.update("reading tiles", done, total); };
    auto report = geo::importScene(project.value(), args.scene, options);
    bar.finish();
    if (!report)
        return context.fail(report.error());
    const auto& r = report.value();
    context.out << "scene: " << r.scene.path << " (" << describeScene(r.scene) << ")\n";
    context.out << describeRendering(r.rendering) << '\n';
    context.out << "tiles: " << r.tiles << " of " << r.grid.tileSize << " x " << r.grid.tileSize << " pixels ("
                << r.grid.columns << " columns x " << r.grid.rows << " rows, stride " << r.grid.effectiveStride()
                << "); added " << r.added;
    if (r.duplicates > 0)
        context.out << ", " << r.duplicates << " already in the project";
    context.out << '\n';
    for (const auto& note : r.notes)
        context.err << "note: " << note << '\n';
    if (!args.labels.empty()) {
        context.out << "labels from " << args.labels << " ('" << args.labelField << "', at least "
                    << std::lround(100.0 * args.minCover) << " % cover): " << r.labelled << " tiles labelled";
        for (const auto& [name, count] : r.tilesPerClass)
            context.out << ", " << name << ' ' << count;
        context.out << "; " << r.unlabelled << " unlabelled\n";
        if (!r.classesCreated.empty())
            context.out << r.classesCreated.size() << " new classes\n";
    }
}

CLI::Option* addScenePredictOptions(CLI::App* predict, ScenePredictArgs& args)
{
    auto* scene =
        predict->add_option("--scene", args.scene, "a scene to classify tile by tile into a map (needs --out)");
    predict
        ->add_option("--tile", args.tile,
                     "with --scene: tile size in pixels (default: the one the model was trained with)")
        ->needs(scene);
    predict->add_option("--stride", args.stride, "with --scene: pixels between tiles (default: the tile size)")
        ->needs(scene);
    predict
        ->add_option("--bands", args.bands,
                     "with --scene: bands as red, green, blue (numbers or a preset); default: those the model was "
                     "trained with")
        ->needs(scene);
    predict->add_option("--out", args.out,
                        "with --scene: the map to write, a GeoTIFF (band 1 class, 2 probability, 3 OOD score) with a "
                        "QGIS style (.qml) beside it; with --shard: the folder the shards are written to");
    predict->add_option("--shard", args.shard,
                        "with --out DIR: predict shard K of N (0-based) of the images (sorted by path) or of the "
                        "scene's tiles (row order) into DIR/predictions/predictions_K.jsonl, then DIR/done/K; a "
                        "scene's shards become one map with aape cluster merge DIR");
    predict
        ->add_option("--vector", args.vector,
                     "with --scene: also write one polygon per tile (.gpkg, .geojson or .shp) with class, probability "
                     "and OOD score")
        ->needs(scene);
    return scene;
}

void runScenePredict(const Bundle& bundle, const clip::ClipEngine& engine, const ScenePredictArgs& args,
                     CommandContext& context)
{
    if (args.out.empty())
        return context.fail(makeError(ErrorCode::InvalidArgument,
                                      "give the map to write with --out, e.g. --out landcover.tif", args.scene));
    ProgressBar bar(context.err);
    workflow::ScenePredictOptions options;
    options.tileSize = args.tile;
    options.stride = args.stride;
    options.bands = args.bands;
    options.progress = [&](std::size_t done, std::size_t total, double) {
        bar.update("classifying tiles", done, total);
    };
    auto prediction = workflow::predictScene(bundle, engine, args.scene, options);
    bar.finish();
    if (!prediction)
        return context.fail(prediction.error());
    const auto& p = prediction.value();
    for (const auto& warning : p.warnings) {
        Log::write(Log::Level::Warning, context.commandLine + ": " + warning);
        context.err << "aape: warning: " << args.scene << ": " << warning << '\n';
    }
    writeSceneMap(p, args.scene, args.out, args.vector, context);
}

namespace {

// What a finished scene prediction writes and prints, from one process or merged from shards.
void writeSceneMap(const workflow::ScenePrediction& p, const std::string& sceneName, const std::string& out,
                   const std::string& vector, CommandContext& context)
{
    if (auto status = geo::writeClassMap(out, p.layout, p.tiles, p.oodScoreName); !status)
        return context.fail(status.error());
    if (!vector.empty())
        if (auto status = geo::writeTileVector(vector, p.layout, p.tiles); !status)
            return context.fail(status.error());
    std::map<int, int> counts;
    for (const auto& tile : p.tiles)
        ++counts[tile.classIndex];
    context.out << "scene: " << sceneName << " (" << describeScene(p.layout.scene) << ")\n"
                << describeRendering(p.rendering) << '\n'
                << "classified " << p.tiles.size() << " tiles of " << p.layout.grid.tileSize << " pixels ("
                << p.layout.grid.columns << " x " << p.layout.grid.rows << ") in " << std::fixed << std::setprecision(1)
                << p.seconds << " s:";
    for (const auto& [index, count] : counts)
        context.out << ' '
                    << (index >= 0 ? p.layout.classNames[static_cast<std::size_t>(index)] : std::string("unpredicted"))
                    << ' ' << count;
    context.out << "\nwrote " << out << " (band 1 class, 2 probability, 3 OOD score " << p.oodScoreName << ")\n";
    if (!vector.empty())
        context.out << "wrote " << vector << " (" << p.tiles.size() << " tile polygons)\n";
}

// The images of `inputs` (files, or folders searched recursively) as shard inputs, each recorded
// by the path it was given with, sorted.
Result<std::vector<workflow::ShardInput>> imageInputs(const std::vector<std::string>& inputs)
{
    std::vector<workflow::ShardInput> all;
    std::vector<std::string> files;
    for (const auto& input : inputs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(input, ec)) {
            files.push_back(input);
            continue;
        }
        auto found = workflow::collectShardInputs(input, {}, {});
        if (!found)
            return found.error();
        for (auto& item : found.value())
            all.push_back({(std::filesystem::path(input) / item.recordedPath).generic_string(), item.filePath});
    }
    auto listed = workflow::collectShardInputs({}, {}, files);
    if (!listed)
        return listed.error();
    all.insert(all.end(), listed->begin(), listed->end());
    std::sort(all.begin(), all.end(), [](const workflow::ShardInput& a, const workflow::ShardInput& b) {
        return a.recordedPath < b.recordedPath;
    });
    all.erase(std::unique(all.begin(), all.end(),
                          [](const workflow::ShardInput& a, const workflow::ShardInput& b) {
                              return a.recordedPath == b.recordedPath;
                          }),
              all.end());
    return all;
}

} // namespace

void runShardedPredict(const Bundle& bundle, const clip::ClipEngine& engine, const std::vector<std::string>& inputs,
                       const ScenePredictArgs& args, int top, CommandContext& context)
{
    if (args.out.empty())
        return context.fail("--shard writes shards: give their folder with --out DIR");
    if (!args.vector.empty())
        return context.fail("--vector is written by aape cluster merge when every shard is done, not by one shard");
    auto shard = workflow::parseShardSpec(args.shard);
    if (!shard)
        return context.fail(shard.error());
    if (auto summary = workflow::shardSummary(args.out, shard->index)) {
        context.err << "shard " << shard->index << " of " << args.out << " is already done; nothing to do\n";
        context.out << summary->dump() << '\n';
        return;
    }
    ProgressBar bar(context.err);
    workflow::ShardPredictOptions options;
    options.outDir = args.out;
    options.shard = shard.value();
    options.top = top;
    options.tileSize = args.tile;
    options.stride = args.stride;
    options.bands = args.bands;
    options.progress = [&](std::size_t done, std::size_t total) {
        bar.update(args.scene.empty() ? "classifying images" : "classifying tiles", done, total);
    };
    Result<workflow::ShardPredictReport> report = workflow::ShardPredictReport{};
    std::size_t all = 0;
    if (!args.scene.empty()) {
        report = workflow::predictSceneShard(bundle, engine, args.scene, options);
        if (report)
            all = report->summary.value("tiles", std::size_t(0));
    } else {
        auto images = imageInputs(inputs);
        if (!images)
            return context.fail(images.error());
        if (images->empty())
            return context.fail("no images to classify: give image files or folders");
        all = images->size();
        report = workflow::predictImageShard(bundle, engine, images.value(), options);
    }
    bar.finish();
    if (!report)
        return context.fail(report.error());
    context.err << "shard " << shard->index << " of " << shard->count << ": " << report->predicted << " of " << all
                << (args.scene.empty() ? " images" : " tiles") << " classified in " << std::fixed
                << std::setprecision(1) << report->seconds << " s -> "
                << workflow::shardPredictionFile(args.out, shard->index) << '\n';
    for (const auto& failed : report->failed)
        context.err << "  could not read " << failed.path << ": " << failed.reason << '\n';
    if (!report->failed.empty())
        context.exitCode = 1;
    context.out << report->summary.dump() << '\n';
}

void addClusterMergeSubcommand(CLI::App& cluster, CommandContext& context)
{
    struct Args {
        std::string dir, out, vector;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = cluster.add_subcommand(
        "merge", "Put the finished shards of a scene's prediction (aape predict --scene ... --shard K/N --out DIR) "
                 "together as one map in the scene's CRS; refused while shards are unfinished.");
    command->add_option("dir", args->dir, "the shards' folder (the --out of aape predict)")->required();
    command->add_option("--out", args->out, "the map to write (default: DIR/map.tif), with its QGIS style beside it");
    command->add_option("--vector", args->vector, "also one polygon per tile (.gpkg, .geojson or .shp)");
    command->callback([args, &context] {
        auto merged = workflow::mergeSceneShards(args->dir);
        if (!merged)
            return context.fail(merged.error());
        const std::string out = args->out.empty() ? (std::filesystem::path(args->dir) / "map.tif").string() : args->out;
        for (const auto& warning : merged->warnings)
            context.err << "aape: warning: " << merged->layout.scene.path << ": " << warning << '\n';
        writeSceneMap(merged.value(), merged->layout.scene.path, out, args->vector, context);
    });
}

void runDemoScene(const std::string& folder, CommandContext& context)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        return context.fail(makeError(ErrorCode::FileWrite,
                                      "the folder cannot be created; check the path and its "
                                      "permissions",
                                      folder, ec.message()));
    geo::SyntheticSceneSpec spec;
    spec.bands = 13;
    ProgressBar bar(context.err);
    spec.progress = [&](int band, int bands) {
        bar.update("writing the scene (bands)", static_cast<std::size_t>(band), static_cast<std::size_t>(bands));
    };
    const std::string scene = (std::filesystem::path(folder) / "scene.tif").string();
    const std::string labels = (std::filesystem::path(folder) / "landcover.geojson").string();
    auto status = geo::writeSyntheticScene(scene, spec);
    bar.finish();
    if (!status)
        return context.fail(status.error());
    if (auto written = geo::writeSyntheticLabels(labels, spec); !written)
        return context.fail(written.error());
    context.out << "scene: " << scene << " (" << spec.width << " x " << spec.height
                << " pixels, 13 bands named as Sentinel-2's, 10 m pixels, EPSG:32633)\n"
                << "labels: " << labels << " (" << (spec.width / spec.blockSize) * (spec.height / spec.blockSize)
                << " polygons, attribute 'landcover': water, forest, cropland, urban)\n"
                << "next: aape create P.aapeproj --model CLIP && aape import P.aapeproj --scene " << scene
                << " --tile 100 --bands s2-true --labels " << labels << " --label-field landcover\n";
}

void addBenchSceneSubcommand(CLI::App& bench, CommandContext& context)
{
    struct Args {
        std::string scene, folder;
        int width = 10000;
        int height = 10000;
        int bands = 13;
        int tile = 64;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = bench.add_subcommand(
        "scene", "Read a scene tile by tile as the import and predict do: tiles per second and peak memory. Without "
                 "--scene, generates a Sentinel-2-like scene first.");
    auto* scene = command->add_option("--scene", args->scene, "an existing scene to read instead of a generated one");
    command->add_option("--width", args->width, "generated scene's width in pixels")
        ->capture_default_str()
        ->excludes(scene);
    command->add_option("--height", args->height, "generated scene's height in pixels")
        ->capture_default_str()
        ->excludes(scene);
    command->add_option("--scene-bands", args->bands, "generated scene's band count")
        ->capture_default_str()
        ->excludes(scene);
    command->add_option("--folder", args->folder, "where to write the generated scene (default: the temp folder)")
        ->excludes(scene);
    command->add_option("--tile", args->tile, "tile size in pixels")->capture_default_str();
    command->callback([args, &context] {
        using Clock = std::chrono::steady_clock;
        const auto seconds = [](Clock::time_point start) {
            return std::chrono::duration<double>(Clock::now() - start).count();
        };
        std::string path = args->scene;
        if (path.empty()) {
            const std::filesystem::path folder =
                args->folder.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(args->folder);
            path = (folder
                    / ("aape-bench-scene-" + std::to_string(args->width) + "x" + std::to_string(args->height) + "x"
                       + std::to_string(args->bands) + ".tif"))
                       .string();
            std::error_code ec;
            if (std::filesystem::exists(path, ec))
                context.out << "reading the scene generated before: " << path << '\n';
        }
        if (args->scene.empty() && !std::filesystem::exists(path)) {
            geo::SyntheticSceneSpec spec;
            spec.width = args->width;
            spec.height = args->height;
            spec.bands = args->bands;
            spec.noise = false;
            ProgressBar bar(context.err);
            spec.progress = [&](int band, int bands) {
                bar.update("generating the scene (bands)", static_cast<std::size_t>(band),
                           static_cast<std::size_t>(bands));
            };
            const auto start = Clock::now();
            // Written under another name first: an interrupted run must not leave a scene to reuse.
            auto status = geo::writeSyntheticScene(path + ".part.tif", spec);
            bar.finish();
            if (!status)
                return context.fail(status.error());
            std::filesystem::rename(path + ".part.tif", path);
            context.out << "generated " << path << " in " << std::fixed << std::setprecision(1) << seconds(start)
                        << " s\n";
        }
        auto reader = geo::SceneReader::open(path);
        if (!reader)
            return context.fail(reader.error());
        const auto& info = reader->info();
        context.out << "scene: " << describeScene(info) << "; decoded whole it would take " << std::fixed
                    << std::setprecision(0)
                    << double(info.width) * info.height * info.bands.size() * 2.0 / (1024.0 * 1024.0) << " MiB\n";
        auto rendering = geo::chooseBands(info, info.bands.size() == 13 ? "s2-true" : "");
        if (!rendering)
            return context.fail(rendering.error());
        auto start = Clock::now();
        if (auto status = reader->computeStretch(rendering.value()); !status)
            return context.fail(status.error());
        context.out << "stretch (2-98 % per band, from GDAL's histogram): " << std::setprecision(2) << seconds(start)
                    << " s\n";
        auto grid = geo::makeTileGrid(info, args->tile, 0);
        if (!grid)
            return context.fail(grid.error());
        const auto windows = geo::tileWindows(grid.value());
        ProgressBar bar(context.err);
        start = Clock::now();
        for (std::size_t i = 0; i < windows.size(); ++i) {
            auto rgb = reader->readRgb8(windows[i], rendering.value());
            if (!rgb)
                return context.fail(rgb.error());
            if (i % 256 == 0)
                bar.update("reading tiles", i, windows.size());
        }
        bar.finish();
        const double elapsed = seconds(start);
        context.out << "read " << windows.size() << " tiles of " << args->tile << " x " << args->tile
                    << " pixels (3 of " << info.bands.size() << " bands) in " << std::setprecision(1) << elapsed
                    << " s: " << std::setprecision(0) << double(windows.size()) / elapsed << " tiles/s\n";
        context.out << "peak resident memory: " << std::setprecision(0) << peakResidentMiB() << " MiB\n";
        if (args->scene.empty())
            context.out << "(the generated scene stays at " << path << " for the next run; delete it when done)\n";
    });
}

} // namespace aape::cli
