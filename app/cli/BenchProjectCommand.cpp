// `aape bench project`: the whole workflow at scale on generated images — write N images in C
// class folders, import them, encode them with a CLIP (the demo's toy CLIP by default), train
// on the cached embeddings, evaluate — and print the time of each stage, the project file's
// size and the peak memory as one JSON object.

#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/bench/Process.h"
#include "aape/data/DatasetImport.h"
#include "aape/demo/DemoWorld.h"
#include "aape/store/Project.h"
#include "aape/workflow/Workflow.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

namespace aape::cli {

namespace {

namespace fs = std::filesystem;

struct BenchProjectOptions {
    int images = 50000;
    int classes = 1000;
    int imageSize = 96;
    std::string folder;
    std::string model;
    int views = 10;
    int shots = 16;
    int epochs = 5;
    int threads = 0;
};

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Class k of the generated world: every (shape, colour, texture, background) combination in
// turn, so up to 8 × 8 × 4 × (background colours) distinct classes.
data::WorldScene classScene(int k)
{
    data::WorldScene scene;
    const int shapes = static_cast<int>(data::worldShapes().size());
    const int colours = static_cast<int>(data::worldColours().size());
    const int textures = static_cast<int>(data::worldTextures().size());
    const int backgrounds = static_cast<int>(data::worldBackgroundColours().size());
    scene.shape = k % shapes;
    scene.colour = (k / shapes) % colours;
    scene.texture = (k / (shapes * colours)) % textures;
    scene.backgroundColour = (k / (shapes * colours * textures)) % backgrounds;
    return scene;
}

std::string className(const data::WorldScene& scene)
{
    return data::worldBackgroundColours()[static_cast<std::size_t>(scene.backgroundColour)] + " "
           + data::worldTextures()[static_cast<std::size_t>(scene.texture)] + " "
           + data::worldColours()[static_cast<std::size_t>(scene.colour)] + " "
           + data::worldShapes()[static_cast<std::size_t>(scene.shape)];
}

int maxClasses()
{
    return static_cast<int>(data::worldShapes().size() * data::worldColours().size() * data::worldTextures().size()
                            * data::worldBackgroundColours().size());
}

Status writeImages(const BenchProjectOptions& options, const fs::path& root, ProgressBar& bar)
{
    std::mt19937_64 rng(5);
    for (int i = 0; i < options.images; ++i) {
        const int k = i % options.classes;
        auto scene = classScene(k);
        scene.count = 1 + static_cast<int>(rng() % 3);
        scene.large = rng() % 2 == 0;
        scene.position = static_cast<int>(rng() % data::worldPositions().size());
        const auto folder = root / className(scene);
        std::error_code ec;
        fs::create_directories(folder, ec);
        cv::Mat bgr;
        cv::cvtColor(data::renderWorldScene(scene, options.imageSize, static_cast<std::uint64_t>(i)), bgr,
                     cv::COLOR_RGB2BGR);
        const auto file = folder / (std::to_string(i) + ".png");
        if (ec || !cv::imwrite(file.string(), bgr))
            return makeError(ErrorCode::FileWrite,
                             "Could not write a generated image; check the free space and permissions.", file.string());
        if (i % 500 == 0 || i + 1 == options.images)
            bar.update("writing images", static_cast<std::size_t>(i + 1), static_cast<std::size_t>(options.images));
    }
    return {};
}

void runBenchProject(const BenchProjectOptions& options, CommandContext& context)
{
    if (options.classes > maxClasses())
        return context.fail("at most " + std::to_string(maxClasses()) + " classes can be generated");
    if (options.images < options.classes)
        return context.fail("--images must be at least --classes");
    const fs::path folder = options.folder;
    if (fs::exists(folder / "bench.aapeproj"))
        return context.fail(makeError(ErrorCode::InvalidArgument,
                                      "already holds a benchmark project; choose an empty folder", folder.string()));
    const std::string model = options.model.empty() ? data::findDemoClip() : options.model;
    if (model.empty())
        return context.fail("no CLIP given and the demo's toy CLIP is not installed; pass --model");
    nlohmann::json report{{"images", options.images}, {"classes", options.classes}, {"image_size", options.imageSize},
                          {"model", model},           {"views", options.views},     {"shots", options.shots},
                          {"epochs", options.epochs}};
    ProgressBar bar(context.err);

    auto start = std::chrono::steady_clock::now();
    if (auto status = writeImages(options, folder / "images", bar); !status)
        return context.fail(status.error());
    report["write_images_seconds"] = secondsSince(start);

    const auto projectPath = (folder / "bench.aapeproj").string();
    auto project = store::Project::create(projectPath);
    if (!project)
        return context.fail(project.error());
    start = std::chrono::steady_clock::now();
    data::ImportOptions importOptions;
    importOptions.progress = [&](std::size_t done, std::size_t total) { bar.update("importing", done, total); };
    auto imported = data::importFolderPerClass(project.value(), (folder / "images").string(), importOptions);
    if (!imported)
        return context.fail(imported.error());
    report["import_seconds"] = secondsSince(start);
    report["imported"] = imported->added;
    report["skipped"] = imported->skipped.size();

    auto engine = openClipEngine(model, "", "cpu", options.threads);
    if (!engine)
        return context.fail(engine.error());
    start = std::chrono::steady_clock::now();
    workflow::EncodeOptions encodeOptions;
    encodeOptions.augmentedViews = options.views;
    encodeOptions.progress = [&](const workflow::Progress& p) { bar.update("encoding " + p.stage, p.done, p.total); };
    auto encoded = workflow::encodeProject(project.value(), engine.value(), encodeOptions);
    if (!encoded)
        return context.fail(encoded.error());
    report["encode_seconds"] = secondsSince(start);
    report["views_encoded"] = encoded->viewsEncoded;
    report["views_per_second"] = encoded->viewsEncoded / std::max(1e-9, encoded->seconds);

    workflow::RunRequest request;
    request.config.shots = options.shots;
    request.config.epochs = options.epochs;
    request.config.augmentedViews = options.views;
    request.config.threads = options.threads;
    request.config.device = "cpu";
    workflow::RunCallbacks callbacks;
    callbacks.onStep = [&](int step, int total) {
        bar.update("training", static_cast<std::size_t>(step), static_cast<std::size_t>(total));
    };
    start = std::chrono::steady_clock::now();
    auto run = workflow::trainRun(project.value(), request, callbacks);
    if (!run)
        return context.fail(run.error());
    report["train_seconds"] = secondsSince(start);

    start = std::chrono::steady_clock::now();
    workflow::EvaluateOptions evaluateOptions;
    evaluateOptions.progress = [&](const workflow::Progress& p) { bar.update("evaluating", p.done, p.total); };
    auto evaluated = workflow::evaluateRun(project.value(), run->runId, evaluateOptions);
    if (!evaluated)
        return context.fail(evaluated.error());
    bar.finish();
    report["evaluate_seconds"] = secondsSince(start);
    report["evaluated_images"] = evaluated->images;
    report["accuracy"] = evaluated->accuracy;
    report["zero_shot_accuracy"] = evaluated->zeroShotAccuracy;
    std::error_code ec;
    report["project_mib"] = static_cast<double>(fs::file_size(projectPath, ec)) / (1024.0 * 1024.0);
    report["project"] = projectPath;
    report["peak_rss_mib"] = peakResidentMiB();
    report["blas_core"] = blasCoreName();
    context.out << report.dump() << '\n';
}

} // namespace

void addBenchProjectSubcommand(CLI::App& bench, CommandContext& context)
{
    auto options = std::make_shared<BenchProjectOptions>();
    auto* command = bench.add_subcommand(
        "project", "The whole workflow at scale: generate images in class folders, import, encode, train on the cached "
                   "embeddings and evaluate; prints the time of each stage and the peak memory as JSON. The project is "
                   "left in FOLDER for the studio (aape-studio FOLDER/bench.aapeproj).");
    command->add_option("folder", options->folder, "empty folder to write the images and bench.aapeproj into")
        ->required();
    command->add_option("--images", options->images, "images to generate")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--classes", options->classes, "classes (one folder each)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--size", options->imageSize, "side of the generated images in pixels")
        ->check(CLI::Range(16, 4096))
        ->capture_default_str();
    command->add_option("--model", options->model, "CLIP checkpoint (default: the demo's toy CLIP)");
    command->add_option("--views", options->views, "cached augmented views per training image (0: none)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->add_option("--shots", options->shots, "training images per class")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--epochs", options->epochs, "epochs")->check(CLI::PositiveNumber)->capture_default_str();
    command->add_option("--threads", options->threads, "CPU threads (0: LibTorch's default)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->callback([options, &context] { runBenchProject(*options, context); });
}

} // namespace aape::cli
