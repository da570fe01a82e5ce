#include "aape/data/DemoWorld.h"

#include "aape/clip/BpeVocabularyBuilder.h"
#include "aape/clip/CheckpointWriter.h"
#include "aape/clip/ClipModel.h"
#include "aape/util/Json.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace aape::data {

namespace {

enum Shape { Circle, Square, Triangle, Star, Ring, Cross, Hexagon, Diamond };

DemoClass makeClass(std::string name, int shape, cv::Scalar colour, std::vector<DemoDescription> descriptions)
{
    return DemoClass{std::move(name), shape, colour, std::move(descriptions)};
}

std::vector<cv::Point> polygon(Shape shape, cv::Point2f centre, float radius, float angle)
{
    std::vector<cv::Point2f> unit;
    auto regular = [&](int corners, float phase) {
        for (int i = 0; i < corners; ++i) {
            const float a = phase + static_cast<float>(2 * M_PI * i / corners);
            unit.emplace_back(std::cos(a), std::sin(a));
        }
    };
    switch (shape) {
    case Square: regular(4, static_cast<float>(M_PI / 4)); break;
    case Triangle: regular(3, static_cast<float>(-M_PI / 2)); break;
    case Hexagon: regular(6, 0.0f); break;
    case Diamond:
        unit = {{0, -1.0f}, {0.6f, 0}, {0, 1.0f}, {-0.6f, 0}};
        break;
    case Star:
        for (int i = 0; i < 10; ++i) {
            const float r = i % 2 == 0 ? 1.0f : 0.42f;
            const float a = static_cast<float>(-M_PI / 2 + M_PI * i / 5);
            unit.emplace_back(r * std::cos(a), r * std::sin(a));
        }
        break;
    case Cross:
        unit = {{-0.3f, -1}, {0.3f, -1}, {0.3f, -0.3f}, {1, -0.3f}, {1, 0.3f}, {0.3f, 0.3f},
                {0.3f, 1},   {-0.3f, 1}, {-0.3f, 0.3f}, {-1, 0.3f}, {-1, -0.3f}, {-0.3f, -0.3f}};
        break;
    default: break;
    }
    std::vector<cv::Point> points;
    const float c = std::cos(angle), s = std::sin(angle);
    for (const auto& p : unit)
        points.emplace_back(static_cast<int>(std::lround(centre.x + radius * (c * p.x - s * p.y))),
                            static_cast<int>(std::lround(centre.y + radius * (s * p.x + c * p.y))));
    return points;
}

void drawShape(cv::Mat& image, Shape shape, cv::Point2f centre, float radius, float angle, const cv::Scalar& colour)
{
    if (shape == Circle) {
        cv::circle(image, centre, static_cast<int>(radius), colour, cv::FILLED, cv::LINE_AA);
    } else if (shape == Ring) {
        cv::circle(image, centre, static_cast<int>(radius * 0.8f), colour, std::max(2, static_cast<int>(radius * 0.35f)),
                   cv::LINE_AA);
    } else {
        const auto points = polygon(shape, centre, radius, angle);
        cv::fillPoly(image, std::vector<std::vector<cv::Point>>{points}, colour, cv::LINE_AA);
    }
}

void drawBackground(cv::Mat& image, std::mt19937_64& rng)
{
    std::uniform_int_distribution<int> kind(0, 3), tone(40, 215);
    const cv::Scalar a(tone(rng), tone(rng), tone(rng)), b(tone(rng), tone(rng), tone(rng));
    const int k = kind(rng);
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            double t = 0.0;
            if (k == 1)
                t = static_cast<double>(x + y) / (image.rows + image.cols);  // gradient
            else if (k == 2)
                t = ((x / 8) % 2 == 0) ? 0.0 : 1.0;                          // stripes
            else if (k == 3)
                t = (((x / 12) + (y / 12)) % 2 == 0) ? 0.2 : 0.8;           // checks
            auto& pixel = image.at<cv::Vec3b>(y, x);
            for (int ch = 0; ch < 3; ++ch)
                pixel[ch] = cv::saturate_cast<uchar>(a[ch] * (1 - t) + b[ch] * t);
        }
    }
    cv::Mat noise(image.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(8));
    image += noise;
}

} // namespace

const std::vector<DemoClass>& demoClasses()
{
    static const std::vector<DemoClass> classes = {
        makeClass("red circle", Circle, {220, 40, 40},
                  {{"a round red disc with a smooth edge"}, {"a red circle, filled and without corners"},
                   {"a bright red dot like a traffic light"}, {"one or more red round blobs on a background"},
                   {"a blue square with four sharp corners", true}, {"a thin ring with a hole in the middle", true}}),
        makeClass("blue square", Square, {40, 80, 220},
                  {{"a blue square with four equal sides"}, {"a solid blue box with right-angled corners"},
                   {"a deep blue tile seen from above"}, {"blue squares tilted at different angles"},
                   {"a round red disc with a smooth edge", true}, {"a yellow five-pointed star", true}}),
        makeClass("green triangle", Triangle, {40, 180, 60},
                  {{"a green triangle with three corners"}, {"a pointed green shape like a warning sign"},
                   {"a solid green triangle, sometimes rotated"}, {"grass-green triangles on a plain or striped background"},
                   {"a purple ring with an empty centre", true}, {"an orange plus sign", true}}),
        makeClass("yellow star", Star, {235, 210, 40},
                  {{"a yellow five-pointed star"}, {"a golden star with sharp spikes"},
                   {"a bright yellow star like a sticker"}, {"one or more small yellow stars"},
                   {"a green triangle with three corners", true}, {"a white hexagon like a tile", true}}),
        makeClass("purple ring", Ring, {150, 60, 190},
                  {{"a purple ring with an empty centre"}, {"a violet circle outline like a donut"},
                   {"a thick purple loop"}, {"purple rings that let the background show through the middle"},
                   {"a solid blue box with right-angled corners", true}, {"a bright yellow star like a sticker", true}}),
        makeClass("orange cross", Cross, {240, 140, 30},
                  {{"an orange plus sign"}, {"an orange cross with four equal arms"},
                   {"a bold orange cross like a medical symbol"}, {"orange crosses turned at various angles"},
                   {"a round red disc with a smooth edge", true}, {"a cyan diamond standing on its tip", true}}),
        makeClass("white hexagon", Hexagon, {235, 235, 235},
                  {{"a white hexagon like a tile"}, {"a pale six-sided shape"},
                   {"a white honeycomb cell"}, {"flat white hexagons on a coloured background"},
                   {"an orange cross with four equal arms", true}, {"a green triangle with three corners", true}}),
        makeClass("cyan diamond", Diamond, {40, 200, 210},
                  {{"a cyan diamond standing on its tip"}, {"a turquoise rhombus, taller than wide"},
                   {"a light blue-green diamond like a playing-card suit"}, {"cyan diamonds, sometimes tilted"},
                   {"a purple ring with an empty centre", true}, {"a white honeycomb cell", true}}),
    };
    return classes;
}

cv::Mat renderDemoImage(int classIndex, int variant, int size, std::uint64_t seed)
{
    const auto& cls = demoClasses().at(static_cast<std::size_t>(classIndex));
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(classIndex) * 7919ULL +
                        static_cast<std::uint64_t>(variant));
    cv::theRNG().state = rng();
    cv::Mat image(size, size, CV_8UC3);
    drawBackground(image, rng);
    std::uniform_int_distribution<int> count(1, 3), jitter(-25, 25);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    const int instances = count(rng);
    for (int i = 0; i < instances; ++i) {
        const float radius = size * (instances == 1 ? 0.22f + 0.15f * unit(rng) : 0.12f + 0.08f * unit(rng));
        const cv::Point2f centre(radius + unit(rng) * (size - 2 * radius), radius + unit(rng) * (size - 2 * radius));
        cv::Scalar colour;
        for (int ch = 0; ch < 3; ++ch)
            colour[ch] = std::clamp(cls.colour[ch] + jitter(rng), 0.0, 255.0);
        drawShape(image, static_cast<Shape>(cls.shape), centre, radius, static_cast<float>(unit(rng) * M_PI), colour);
    }
    return image;
}

Result<DemoProject> writeDemoProject(const std::string& folder, const DemoOptions& options)
{
    DemoProject demo;
    demo.folder = folder;
    demo.projectPath = (fs::path(folder) / "demo.aapeproj").string();
    demo.modelPath = (fs::path(folder) / "model").string();
    demo.imageFolder = (fs::path(folder) / "images").string();
    demo.descriptionsPath = (fs::path(folder) / "descriptions.json").string();
    std::error_code ec;
    if (fs::exists(demo.projectPath, ec))
        return makeError(ErrorCode::InvalidArgument, "a demo project already exists here; choose an empty folder",
                         demo.projectPath);
    fs::create_directories(folder, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "cannot create the demo folder", folder, ec.message());
    auto report = [&](const std::string& stage, std::size_t done, std::size_t total) {
        if (options.progress)
            options.progress(stage, done, total);
    };

    // The model: a tiny random CLIP whose vocabulary is learned from the demo's own texts.
    report("model", 0, 1);
    std::vector<std::string> corpus;
    nlohmann::json cupl = nlohmann::json::object();
    for (const auto& cls : demoClasses()) {
        corpus.push_back("a photo of a " + cls.name + ".");
        for (const auto& d : cls.descriptions) {
            corpus.push_back(d.text);
            cupl[cls.name].push_back(d.text);
        }
    }
    const auto vocabulary = clip::learnBpeVocabulary(corpus, 400);
    if (auto status = clip::writeBpeVocabulary(vocabulary, demo.modelPath); !status)
        return status.error();
    auto config = clip::clipPreset("tiny");
    clip::RandomClipOptions random;
    random.config = config.value();
    random.config.embedDim = 64;
    random.config.vision = {32, 8, 64, 2, 4, 256};
    random.config.text = {static_cast<int>(vocabulary.tokens.size()), 77, 64, 2, 4, 256};
    random.seed = options.seed;
    if (auto status = clip::writeRandomHuggingFaceClip(demo.modelPath, random); !status)
        return status.error();
    report("model", 1, 1);

    // Images and descriptions.
    const auto& classes = demoClasses();
    const std::size_t total = classes.size() * static_cast<std::size_t>(options.imagesPerClass);
    std::size_t written = 0;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        const fs::path classFolder = fs::path(demo.imageFolder) / classes[c].name;
        fs::create_directories(classFolder, ec);
        for (int v = 0; v < options.imagesPerClass; ++v) {
            cv::Mat rgb = renderDemoImage(static_cast<int>(c), v, options.imageSize, options.seed);
            cv::Mat bgr;
            cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
            char name[32];
            std::snprintf(name, sizeof name, "%03d.png", v);
            if (!cv::imwrite((classFolder / name).string(), bgr))
                return makeError(ErrorCode::FileWrite, "cannot write a demo image; is the disk full?",
                                 (classFolder / name).string());
            report("images", ++written, total);
        }
    }
    if (auto status = writeFileAtomically(demo.descriptionsPath, cupl.dump(2) + "\n"); !status)
        return status.error();
    const std::string readme =
        "AAPE Studio demo\n\n"
        "Eight classes of generated coloured shapes, hand-written descriptions per class (the last\n"
        "two sentences of each class describe another class on purpose), and a small CLIP.\n\n"
        "The CLIP in model/ has RANDOM, UNTRAINED weights: the demo shows the workflow (import,\n"
        "describe, encode, train, inspect, export); its accuracies and attention weights say nothing\n"
        "about the method. Point the project at a real CLIP checkpoint for real results.\n";
    if (auto status = writeFileAtomically((fs::path(folder) / "README.txt").string(), readme); !status)
        return status.error();

    // The project.
    auto project = store::Project::create(demo.projectPath);
    if (!project)
        return project.error();
    auto info = clip::inspectCheckpoint(demo.modelPath);
    if (!info)
        return info.error();
    store::ModelReference model;
    model.path = demo.modelPath;
    model.format = clip::checkpointFormatName(info->format);
    model.info = {{"architecture", info->architecture()},
                  {"embed_dim", info->config.embedDim},
                  {"activation", clip::activationName(info->config.activation)},
                  {"untrained", true}};
    if (auto status = project->setModel(model); !status)
        return status.error();
    ImportOptions importOptions;
    importOptions.seed = options.seed;
    importOptions.progress = [&](std::size_t done, std::size_t all) { report("import", done, all); };
    auto imported = importFolderPerClass(project.value(), demo.imageFolder, importOptions);
    if (!imported)
        return imported.error();
    demo.images = imported.value();
    auto described = importCuplJson(project.value(), demo.descriptionsPath);
    if (!described)
        return described.error();
    demo.descriptions = described.value();
    return demo;
}

} // namespace aape::data
