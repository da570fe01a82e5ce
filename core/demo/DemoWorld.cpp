#include "aape/demo/DemoWorld.h"

#include "aape/clip/CheckpointWriter.h"
#include "aape/clip/ClipEngine.h"
#include "aape/clip/ImagePreprocessor.h"
#include "aape/demo/BpeVocabularyBuilder.h"
#include "aape/demo/ToyPretraining.h"
#include "aape/store/Project.h"
#include "aape/util/Json.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::data {

namespace {

enum Shape { Circle, Square, Triangle, Star, Ring, Cross, Hexagon, Diamond };

const cv::Scalar kColours[] = {{220, 40, 40},  {240, 140, 30}, {235, 215, 40}, {40, 180, 60},
                               {40, 205, 215}, {40, 80, 225},  {155, 60, 200}, {240, 240, 240}};
const cv::Scalar kBackgrounds[] = {{25, 25, 25}, {128, 128, 128}, {120, 80, 45}, {235, 150, 185}, {20, 30, 90}};

// Plural nouns and synonyms per shape; the first is the class name's word.
const std::vector<std::vector<std::pair<std::string, std::string>>>& shapeNouns()
{
    static const std::vector<std::vector<std::pair<std::string, std::string>>> nouns = {
        {{"circle", "circles"}, {"disc", "discs"}, {"round dot", "round dots"}},
        {{"square", "squares"}, {"box", "boxes"}, {"square tile", "square tiles"}},
        {{"triangle", "triangles"}, {"three-cornered shape", "three-cornered shapes"}},
        {{"star", "stars"}, {"five-pointed star", "five-pointed stars"}},
        {{"ring", "rings"}, {"donut", "donuts"}, {"hollow circle", "hollow circles"}},
        {{"cross", "crosses"}, {"plus sign", "plus signs"}},
        {{"hexagon", "hexagons"}, {"six-sided shape", "six-sided shapes"}},
        {{"diamond", "diamonds"}, {"rhombus", "rhombuses"}},
    };
    return nouns;
}

// Synonyms per shape colour; the first is the class name's word.
const std::vector<std::vector<std::string>>& colourWords()
{
    static const std::vector<std::vector<std::string>> words = {
        {"red", "crimson"},    {"orange"}, {"yellow", "golden"}, {"green"},
        {"cyan", "turquoise"}, {"blue"},   {"purple", "violet"}, {"white"}};
    return words;
}

template <typename T>
const T& pick(const std::vector<T>& options, std::mt19937_64& rng)
{
    return options[static_cast<std::size_t>(rng() % options.size())];
}

bool chance(std::mt19937_64& rng, double p)
{
    return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0) < p;
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
    case Diamond: unit = {{0, -1.0f}, {0.6f, 0}, {0, 1.0f}, {-0.6f, 0}}; break;
    case Star:
        for (int i = 0; i < 10; ++i) {
            const float r = i % 2 == 0 ? 1.0f : 0.42f;
            const float a = static_cast<float>(-M_PI / 2 + M_PI * i / 5);
            unit.emplace_back(r * std::cos(a), r * std::sin(a));
        }
        break;
    case Cross:
        unit = {{-0.3f, -1}, {0.3f, -1}, {0.3f, -0.3f}, {1, -0.3f}, {1, 0.3f},   {0.3f, 0.3f},
                {0.3f, 1},   {-0.3f, 1}, {-0.3f, 0.3f}, {-1, 0.3f}, {-1, -0.3f}, {-0.3f, -0.3f}};
        break;
    default: break;
    }
    std::vector<cv::Point> points;
    const float c = std::cos(angle), s = std::sin(angle);
    // 4 fractional bits keep small shapes smooth at the demo's low resolution.
    for (const auto& p : unit)
        points.emplace_back(static_cast<int>(std::lround(16.0f * (centre.x + radius * (c * p.x - s * p.y)))),
                            static_cast<int>(std::lround(16.0f * (centre.y + radius * (s * p.x + c * p.y)))));
    return points;
}

void drawShape(cv::Mat& image, Shape shape, cv::Point2f centre, float radius, float angle, const cv::Scalar& colour)
{
    const cv::Point fixedCentre(static_cast<int>(std::lround(centre.x * 16)),
                                static_cast<int>(std::lround(centre.y * 16)));
    if (shape == Circle) {
        cv::circle(image, fixedCentre, static_cast<int>(radius * 16), colour, cv::FILLED, cv::LINE_AA, 4);
    } else if (shape == Ring) {
        cv::circle(image, fixedCentre, static_cast<int>(radius * 0.75f * 16), colour,
                   std::max(2, static_cast<int>(std::lround(radius * 0.4f))), cv::LINE_AA, 4);
    } else {
        const auto points = polygon(shape, centre, radius, angle);
        cv::fillPoly(image, std::vector<std::vector<cv::Point>>{points}, colour, cv::LINE_AA, 4);
    }
}

void drawBackground(cv::Mat& image, const cv::Scalar& base, int texture, std::mt19937_64& rng)
{
    // The pattern's second tone is the base colour lightened or darkened, so that the colour
    // word stays true of the whole background.
    const double shift = base[0] + base[1] + base[2] > 3 * 128 ? -70.0 : 70.0;
    const cv::Scalar other(base[0] + shift, base[1] + shift, base[2] + shift);
    const int period = 4 + static_cast<int>(rng() % 4);
    const bool vertical = rng() % 2 == 0;
    for (int y = 0; y < image.rows; ++y) {
        for (int x = 0; x < image.cols; ++x) {
            bool second = false;
            if (texture == 1)
                second = ((vertical ? x : y) / period) % 2 == 1;
            else if (texture == 2)
                second = ((x / period) + (y / period)) % 2 == 1;
            else if (texture == 3)
                second = (x % (2 * period) - period) * (x % (2 * period) - period)
                             + (y % (2 * period) - period) * (y % (2 * period) - period)
                         <= (period * period) / 3;
            const cv::Scalar& tone = second ? other : base;
            auto& pixel = image.at<cv::Vec3b>(y, x);
            for (int ch = 0; ch < 3; ++ch)
                pixel[ch] = cv::saturate_cast<uchar>(tone[ch]);
        }
    }
    cv::Mat noise(image.size(), CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
    image += noise;
}

std::string withArticle(const std::string& phrase)
{
    const char first = phrase.empty() ? 'x' : phrase[0];
    return (std::string("aeiou").find(first) != std::string::npos ? "an " : "a ") + phrase;
}

} // namespace

const std::vector<std::string>& worldShapes()
{
    static const std::vector<std::string> names = {"circle", "square", "triangle", "star",
                                                   "ring",   "cross",  "hexagon",  "diamond"};
    return names;
}

const std::vector<std::string>& worldColours()
{
    static const std::vector<std::string> names = {"red",  "orange", "yellow", "green",
                                                   "cyan", "blue",   "purple", "white"};
    return names;
}

const std::vector<std::string>& worldBackgroundColours()
{
    static const std::vector<std::string> names = {"black", "grey", "brown", "pink", "navy"};
    return names;
}

const std::vector<std::string>& worldTextures()
{
    static const std::vector<std::string> names = {"plain", "striped", "checkered", "dotted"};
    return names;
}

const std::vector<std::string>& worldPositions()
{
    static const std::vector<std::string> names = {"centre", "top", "bottom", "left", "right"};
    return names;
}

bool isHeldOutCombination(int shape, int colour)
{
    return (shape == Star && colour == 0) || (shape == Cross && colour == 7) || (shape == Ring && colour == 2);
}

WorldScene sampleWorldScene(std::mt19937_64& rng, bool excludeHeldOut)
{
    WorldScene scene;
    do {
        scene.shape = static_cast<int>(rng() % worldShapes().size());
        scene.colour = static_cast<int>(rng() % worldColours().size());
    } while (excludeHeldOut && isHeldOutCombination(scene.shape, scene.colour));
    scene.count = 1 + static_cast<int>(rng() % 3);
    scene.large = rng() % 2 == 0;
    scene.backgroundColour = static_cast<int>(rng() % worldBackgroundColours().size());
    scene.texture = static_cast<int>(rng() % worldTextures().size());
    scene.position = static_cast<int>(rng() % worldPositions().size());
    return scene;
}

cv::Mat renderWorldScene(const WorldScene& scene, int size, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    cv::theRNG().state = rng();
    cv::Mat image(size, size, CV_8UC3);
    drawBackground(image, kBackgrounds[scene.backgroundColour], scene.texture, rng);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::uniform_int_distribution<int> jitter(-20, 20);
    const float s = static_cast<float>(size);
    // Radii: one large shape fills about a third of the image, three small ones a tenth each.
    const float radius = scene.count == 1 ? (scene.large ? 0.30f : 0.16f) * s : (scene.large ? 0.19f : 0.12f) * s;
    std::vector<cv::Point2f> centres;
    if (scene.count == 1) {
        const float margin = radius + 1.0f;
        const float lo = margin, hi = s - margin, mid = s / 2;
        const float wobble = 0.06f * s * (unit(rng) - 0.5f);
        cv::Point2f c(mid + wobble, mid - wobble);
        switch (scene.position) {
        case 1: c.y = lo; break;
        case 2: c.y = hi; break;
        case 3: c.x = lo; break;
        case 4: c.x = hi; break;
        default: break;
        }
        centres.push_back(c);
    } else {
        for (int attempt = 0; attempt < 200 && static_cast<int>(centres.size()) < scene.count; ++attempt) {
            const cv::Point2f c(radius + unit(rng) * (s - 2 * radius), radius + unit(rng) * (s - 2 * radius));
            bool apart = true;
            for (const auto& other : centres)
                apart = apart && cv::norm(c - other) > 2.05f * radius;
            if (apart || attempt > 150)
                centres.push_back(c);
        }
    }
    for (const auto& centre : centres) {
        cv::Scalar colour;
        for (int ch = 0; ch < 3; ++ch)
            colour[ch] = std::clamp(kColours[scene.colour][ch] + jitter(rng), 0.0, 255.0);
        drawShape(image, static_cast<Shape>(scene.shape), centre, radius, static_cast<float>(unit(rng) * M_PI), colour);
    }
    return image;
}

std::string captionWorldScene(const WorldScene& scene, std::mt19937_64& rng)
{
    const auto& noun = pick(shapeNouns()[static_cast<std::size_t>(scene.shape)], rng);
    const std::string& colour = pick(colourWords()[static_cast<std::size_t>(scene.colour)], rng);
    std::string size;
    if (chance(rng, 0.6))
        size = scene.large ? pick(std::vector<std::string>{"large", "big"}, rng)
                           : pick(std::vector<std::string>{"small", "little", "tiny"}, rng);
    const std::string adjectives = (size.empty() ? "" : size + " ") + colour;
    std::string object;
    if (scene.count == 1) {
        object = chance(rng, 0.2) ? "one " + adjectives + " " + noun.first : withArticle(adjectives + " " + noun.first);
    } else {
        const std::string number =
            scene.count == 2 ? pick(std::vector<std::string>{"two", "a pair of"}, rng) : std::string("three");
        object = number + " " + adjectives + " " + noun.second;
    }
    std::string background;
    if (chance(rng, 0.65)) {
        const std::string& tone = worldBackgroundColours()[static_cast<std::size_t>(scene.backgroundColour)];
        static const std::vector<std::string> plurals = {"", "stripes", "checks", "dots"};
        const std::string& texture = worldTextures()[static_cast<std::size_t>(scene.texture)];
        switch (rng() % 3) {
        case 0: background = "on a " + texture + " " + tone + " background"; break;
        case 1: background = "against a " + tone + " " + texture + " backdrop"; break;
        default:
            background = scene.texture == 0 ? "on plain " + tone : "on " + tone + " " + plurals[scene.texture];
            break;
        }
    }
    std::string position;
    if (scene.count == 1 && chance(rng, 0.4)) {
        static const std::vector<std::vector<std::string>> phrases = {
            {"in the centre", "in the middle"}, {"at the top"}, {"at the bottom"}, {"on the left"}, {"on the right"}};
        position = pick(phrases[static_cast<std::size_t>(scene.position)], rng);
    }
    std::string text;
    switch (rng() % 4) {
    case 0: text = "a photo of " + object; break;
    case 1: text = "a picture of " + object; break;
    default: text = object; break;
    }
    if (!position.empty())
        text += " " + position;
    if (!background.empty())
        text += (position.empty() ? " " : ", ") + background;
    if (rng() % 2 == 0)
        text += ".";
    return text;
}

std::vector<std::string> worldCorpus(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<std::string> corpus;
    for (int i = 0; i < 6000; ++i)
        corpus.push_back(captionWorldScene(sampleWorldScene(rng, false), rng));
    for (const auto& cls : demoClasses()) {
        corpus.push_back("a photo of a " + cls.name + ".");
        for (const auto& d : cls.descriptions)
            corpus.push_back(d.text);
    }
    return corpus;
}

const std::vector<DemoClass>& demoClasses()
{
    auto make = [](std::string name, int shape, int colour, std::vector<DemoDescription> descriptions) {
        return DemoClass{std::move(name), shape, colour, isHeldOutCombination(shape, colour), std::move(descriptions)};
    };
    // Base classes (the first six) are near neighbours in colour and shape, so that zero-shot
    // CLIP confuses them and few-shot adaptation has something to fix; their distractors
    // describe those neighbours.
    static const std::vector<DemoClass> classes = {
        make("orange diamond", Diamond, 1,
             {{"an orange diamond"},
              {"an orange rhombus"},
              {"one or more orange diamonds"},
              {"small or large orange diamonds on a background"},
              {"an orange square tile", true},
              {"a crimson rhombus", true}}),
        make("orange hexagon", Hexagon, 1,
             {{"an orange hexagon"},
              {"an orange six-sided shape"},
              {"one or more orange hexagons"},
              {"small or large orange hexagons on a background"},
              {"a red hexagon", true},
              {"an orange box", true}}),
        make("orange square", Square, 1,
             {{"an orange square"},
              {"an orange box"},
              {"one or more orange square tiles"},
              {"small or large orange squares on a background"},
              {"an orange rhombus", true},
              {"a crimson box", true}}),
        make("red diamond", Diamond, 0,
             {{"a red diamond"},
              {"a crimson rhombus"},
              {"one or more red diamonds"},
              {"small or large red diamonds on a background"},
              {"a red square tile", true},
              {"an orange rhombus", true}}),
        make("red hexagon", Hexagon, 0,
             {{"a red hexagon"},
              {"a crimson six-sided shape"},
              {"one or more red hexagons"},
              {"small or large red hexagons on a background"},
              {"an orange six-sided shape", true},
              {"a red box", true}}),
        make("red square", Square, 0,
             {{"a red square"},
              {"a crimson box"},
              {"one or more red square tiles"},
              {"small or large red squares on a background"},
              {"a red rhombus", true},
              {"an orange square", true}}),
        make("white cross", Cross, 7,
             {{"a white cross"},
              {"a white plus sign"},
              {"one or more white crosses"},
              {"big or small white plus signs on a background"},
              {"a white six-sided shape", true},
              {"a yellow donut", true}}),
        make("white hexagon", Hexagon, 7,
             {{"a white hexagon"},
              {"a white six-sided shape"},
              {"one or more white hexagons"},
              {"small or large white hexagons on a background"},
              {"a white plus sign", true},
              {"a golden rhombus", true}}),
        make("yellow circle", Circle, 2,
             {{"a yellow circle"},
              {"a golden disc"},
              {"one or more yellow round dots"},
              {"small or large yellow circles on a background"},
              {"a yellow ring", true},
              {"a white hexagon", true}}),
        make("yellow diamond", Diamond, 2,
             {{"a yellow diamond"},
              {"a golden rhombus"},
              {"one or more yellow diamonds"},
              {"small or large yellow diamonds on a background"},
              {"a yellow three-cornered shape", true},
              {"a white cross", true}}),
        make("yellow ring", Ring, 2,
             {{"a yellow ring"},
              {"a yellow donut"},
              {"a hollow golden circle"},
              {"one or more yellow rings on a background"},
              {"a golden disc", true},
              {"a white cross", true}}),
        make("yellow triangle", Triangle, 2,
             {{"a yellow triangle"},
              {"a golden three-cornered shape"},
              {"one or more yellow triangles"},
              {"small or large yellow triangles on a background"},
              {"a yellow diamond", true},
              {"a white hexagon", true}}),
    };
    return classes;
}

cv::Mat renderDemoImage(int classIndex, int variant, int size, std::uint64_t seed)
{
    const auto& cls = demoClasses().at(static_cast<std::size_t>(classIndex));
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(classIndex) * 7919ULL
                        + static_cast<std::uint64_t>(variant));
    WorldScene scene = sampleWorldScene(rng, false);
    scene.shape = cls.shape;
    scene.colour = cls.colour;
    return renderWorldScene(scene, size, rng());
}

namespace {

clip::ClipConfig toyClipConfig(int vocabularySize)
{
    clip::ClipConfig config;
    config.embedDim = 64;
    config.vision = {48, 8, 96, 3, 4, 384};
    config.text = {vocabularySize, 77, 96, 3, 4, 384};
    config.activation = clip::Activation::QuickGelu;
    return config;
}

std::int64_t folderBytes(const std::string& folder)
{
    std::int64_t bytes = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file(ec))
            bytes += static_cast<std::int64_t>(entry.file_size(ec));
    return bytes;
}

// Fresh scenes from a seed the pretraining stream never uses.
std::vector<WorldScene> freshScenes(std::uint64_t seed, int count)
{
    std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
    std::vector<WorldScene> scenes;
    for (int i = 0; i < count; ++i)
        scenes.push_back(sampleWorldScene(rng, false));
    return scenes;
}

} // namespace

Result<ToyClipReport> measureDemoClip(const std::string& folder, std::uint64_t seed, int images, int threads)
{
    clip::EngineOptions engineOptions;
    engineOptions.load.device = clip::DeviceKind::Cpu;
    engineOptions.load.threads = threads;
    auto engine = clip::ClipEngine::open(folder, engineOptions);
    if (!engine)
        return engine.error();
    const int size = engine->info().config.vision.imageSize;
    const int d = engine->embedDim();
    const auto scenes = freshScenes(seed, images);
    std::vector<cv::Mat> rendered;
    std::vector<std::string> captions;
    std::mt19937_64 captionRng(seed + 17);
    for (std::size_t i = 0; i < scenes.size(); ++i) {
        rendered.push_back(renderWorldScene(scenes[i], size, seed * 7919ULL + i));
        captions.push_back(captionWorldScene(scenes[i], captionRng));
    }
    auto imageEmbeddings = engine->encodeImages(rendered);
    if (!imageEmbeddings)
        return imageEmbeddings.error();
    auto captionEmbeddings = engine->encodeTexts(captions);
    if (!captionEmbeddings)
        return captionEmbeddings.error();
    std::vector<std::string> prompts;
    for (const auto& shape : worldShapes())
        for (const auto& colour : worldColours())
            prompts.push_back("a photo of a " + colour + " " + shape + ".");
    auto promptEmbeddings = engine->encodeTexts(prompts);
    if (!promptEmbeddings)
        return promptEmbeddings.error();
    auto dot = [d](const float* a, const float* b) {
        double s = 0.0;
        for (int k = 0; k < d; ++k)
            s += static_cast<double>(a[k]) * b[k];
        return s;
    };
    ToyClipReport report;
    report.folder = folder;
    int correct = 0, heldOut = 0, heldOutCorrect = 0, retrieved = 0, retrievalTotal = 0;
    const int colours = static_cast<int>(worldColours().size());
    for (std::size_t i = 0; i < scenes.size(); ++i) {
        const float* x = imageEmbeddings->data() + i * d;
        int best = 0;
        double bestScore = -2.0;
        for (std::size_t p = 0; p < prompts.size(); ++p) {
            const double score = dot(x, promptEmbeddings->data() + p * d);
            if (score > bestScore) {
                bestScore = score;
                best = static_cast<int>(p);
            }
        }
        const bool ok = best == scenes[i].shape * colours + scenes[i].colour;
        correct += ok;
        if (isHeldOutCombination(scenes[i].shape, scenes[i].colour)) {
            ++heldOut;
            heldOutCorrect += ok;
        }
        const std::size_t group = i / 32 * 32, end = std::min(scenes.size(), group + 32);
        if (end - group < 2)
            continue;
        std::size_t bestCaption = group;
        bestScore = -2.0;
        for (std::size_t j = group; j < end; ++j) {
            const double score = dot(x, captionEmbeddings->data() + j * d);
            if (score > bestScore) {
                bestScore = score;
                bestCaption = j;
            }
        }
        retrieved += bestCaption == i;
        ++retrievalTotal;
    }
    report.zeroShotAccuracy = scenes.empty() ? 0.0 : static_cast<double>(correct) / scenes.size();
    report.zeroShotHeldOutAccuracy = heldOut ? static_cast<double>(heldOutCorrect) / heldOut : 0.0;
    report.captionRetrievalAccuracy = retrievalTotal ? static_cast<double>(retrieved) / retrievalTotal : 0.0;
    report.checkpointBytes = folderBytes(folder);
    return report;
}

Result<ToyClipReport> pretrainDemoClip(const std::string& folder, const ToyClipOptions& options)
{
    auto report = [&](const std::string& stage, std::size_t done, std::size_t total) {
        if (options.progress)
            options.progress(stage, done, total);
    };
    const auto vocabulary = clip::learnBpeVocabulary(worldCorpus(options.seed), 600);
    if (auto status = clip::writeBpeVocabulary(vocabulary, folder); !status)
        return status.error();
    auto tokenizer = clip::Tokenizer::forModel(folder);
    if (!tokenizer)
        return tokenizer.error();
    const auto vocabularySize = static_cast<int>(vocabulary.tokens.size());

    clip::ToyPretrainConfig config;
    config.config = toyClipConfig(vocabularySize);
    config.steps = options.steps;
    config.batchSize = options.batchSize;
    config.seed = options.seed;
    config.threads = options.threads;
    config.warmupSteps = std::max(1, std::min(100, options.steps / 10));
    clip::ImageNormalisation normalisation;
    normalisation.imageSize = config.config.vision.imageSize;

    auto tokenize = [&](const std::string& text) { return tokenizer->tokenize(text); };

    std::mt19937_64 stream(options.seed);
    clip::ToyPretrainCallbacks callbacks;
    callbacks.nextBatch = [&](int, clip::ToyBatch& batch) -> Status {
        const int size = normalisation.imageSize;
        batch.pixels.resize(static_cast<std::size_t>(options.batchSize) * 3 * size * size);
        for (int i = 0; i < options.batchSize; ++i) {
            const WorldScene scene = sampleWorldScene(stream, true);
            const auto view = clip::preprocessForModel(renderWorldScene(scene, size, stream()), normalisation);
            std::memcpy(batch.pixels.data() + static_cast<std::size_t>(i) * view.tensor.size(), view.tensor.data(),
                        view.tensor.size() * sizeof(float));
            batch.tokens.push_back(tokenize(captionWorldScene(scene, stream)));
        }
        return {};
    };
    callbacks.onProgress = [&](const clip::ToyPretrainProgress& progress) {
        report("pretraining", static_cast<std::size_t>(progress.step), static_cast<std::size_t>(progress.totalSteps));
    };
    auto trained = clip::pretrainToyClip(config, normalisation, callbacks, folder, options.stop);
    if (!trained)
        return trained.error();
    if (trained->stopped)
        return makeError(ErrorCode::Cancelled, "pretraining was stopped; nothing was written", folder);
    report("measuring", 0, 1);
    auto measured = measureDemoClip(folder, options.seed + 1, options.heldOutImages, options.threads);
    if (!measured)
        return measured.error();
    report("measuring", 1, 1);
    ToyClipReport result = measured.value();
    result.parameterCount = trained->parameterCount;
    result.steps = trained->steps;
    result.trainSeconds = trained->seconds;
    result.finalLoss = trained->finalLoss;
    std::ostringstream note;
    note << "Toy CLIP pretrained by `aape pretrain-toy` on the generated shape world (DemoWorld.h).\n"
         << "architecture: " << config.config.vision.layers << "x" << config.config.vision.width << " ViT p"
         << config.config.vision.patchSize << " " << config.config.vision.imageSize << "px, text "
         << config.config.text.layers << "x" << config.config.text.width << ", d" << config.config.embedDim
         << ", vocabulary " << vocabularySize << "\n"
         << "parameters: " << result.parameterCount << "\n"
         << "steps: " << result.steps << " x batch " << options.batchSize << ", seed " << options.seed << ", "
         << options.threads << " threads, " << static_cast<int>(result.trainSeconds) << " s\n"
         << "final loss (mean of last 50 steps): " << result.finalLoss << "\n"
         << "zero-shot on " << options.heldOutImages
         << " fresh scenes, 'a photo of a {colour} {shape}.' among 64: " << result.zeroShotAccuracy << "\n"
         << "  of which combinations never seen in pretraining: " << result.zeroShotHeldOutAccuracy << "\n"
         << "image-to-caption top-1 among 32 fresh captions: " << result.captionRetrievalAccuracy << "\n";
    if (auto status = writeFileAtomically((fs::path(folder) / "note.txt").string(), note.str()); !status)
        return status.error();
    result.checkpointBytes = folderBytes(folder);
    return result;
}

std::string findDemoClip()
{
    std::vector<fs::path> candidates;
    std::error_code ec;
    const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        candidates.push_back(executable.parent_path().parent_path() / "share" / "aape-studio" / "demo-clip");
#ifdef AAPE_RESOURCE_DIR
    candidates.push_back(fs::path(AAPE_RESOURCE_DIR) / "demo-clip");
#endif
    for (const auto& candidate : candidates)
        if (fs::is_regular_file(candidate / "config.json", ec)
            && fs::is_regular_file(candidate / "model.safetensors", ec))
            return candidate.string();
    return {};
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
    fs::create_directories(demo.modelPath, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "cannot create the demo folder", folder, ec.message());
    auto report = [&](const std::string& stage, std::size_t done, std::size_t total) {
        if (options.progress)
            options.progress(stage, done, total);
    };

    // The model: the committed toy CLIP when there is one (seconds), else pretrained now (minutes).
    const std::string source = options.clipPath.empty() ? findDemoClip() : options.clipPath;
    if (source.empty()) {
        ToyClipOptions pretraining = options.pretraining;
        pretraining.progress = options.progress;
        auto trained = pretrainDemoClip(demo.modelPath, pretraining);
        if (!trained)
            return trained.error();
        demo.pretrainedNow = true;
    } else {
        report("model", 0, 1);
        for (const char* name :
             {"config.json", "model.safetensors", "preprocessor_config.json", "vocab.json", "merges.txt", "note.txt"}) {
            const fs::path from = fs::path(source) / name;
            if (!fs::exists(from, ec)) {
                if (std::string(name) == "note.txt")
                    continue;
                return makeError(ErrorCode::FileNotFound,
                                 "the demo's CLIP is incomplete; reinstall or run 'aape pretrain-toy'", from.string());
            }
            fs::copy_file(from, fs::path(demo.modelPath) / name, fs::copy_options::overwrite_existing, ec);
            if (ec)
                return makeError(ErrorCode::FileWrite, "cannot copy the demo's CLIP; is the disk full?", from.string(),
                                 ec.message());
        }
        report("model", 1, 1);
    }

    // Images and descriptions.
    const auto& classes = demoClasses();
    const std::size_t total = classes.size() * static_cast<std::size_t>(options.imagesPerClass);
    std::size_t written = 0;
    nlohmann::json cupl = nlohmann::json::object();
    for (std::size_t c = 0; c < classes.size(); ++c) {
        for (const auto& d : classes[c].descriptions)
            cupl[classes[c].name].push_back(d.text);
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
    std::string unseen;
    for (const auto& cls : classes)
        if (cls.unseenInPretraining)
            unseen += (unseen.empty() ? "" : ", ") + cls.name;
    const std::string readme =
        "AAPE Studio demo\n\n"
        "Twelve classes of generated coloured shapes (colour + shape; counts, sizes, positions and\n"
        "backgrounds vary), hand-written descriptions per class (the last two sentences of each class\n"
        "describe another class on purpose), and a small CLIP pretrained by this project on a world of\n"
        "such scenes with captions (model/note.txt says how well it does).\n\n"
        "Classes never seen in pretraining, in images or captions: "
        + unseen
        + ".\n"
          "Train with base-to-new to see AAPE beat zero-shot on the first six (base) classes, recognise\n"
          "the other six from their names alone, and attend more to the true descriptions than to the\n"
          "distractors:\n"
          "  aape train demo.aapeproj --base-to-new --epochs 100\n";
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
                  {"toy_pretrained", true}};
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
