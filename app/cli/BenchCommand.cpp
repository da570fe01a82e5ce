#include "cli/Commands.h"

#include "aape/bench/Process.h"
#include "aape/clip/ClipEngine.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>
#include <ostream>
#include <random>

namespace aape::cli {

namespace {

struct BenchEncodeOptions {
    std::string model;
    std::string vocab;
    std::string device = "auto";
    int threads = 0;
    int images = 64;
    int texts = 256;
    std::string textsFile;
    std::vector<std::string> precisions; // empty: fp32, bf16, int8 on a CPU; fp32, fp16, bf16 on CUDA
};

// Typical one-sentence class descriptions, as an LLM writes them for CuPL-style prompt sets.
const char* const kTypicalDescriptions[] = {
    "A satellite photo of a dense residential area with small houses and narrow streets.",
    "An aerial view of a harbor with boats moored along wooden piers.",
    "A river winding through green farmland seen from above.",
    "A highway interchange with cloverleaf ramps and moving cars.",
    "An airport with long runways, taxiways and parked airplanes.",
    "A baseball diamond surrounded by grass and bleachers.",
    "A sparse forest with scattered trees casting long shadows.",
    "The red sedan has a sloping roofline and chrome trim around the windows.",
    "A pickup truck with a long bed and a high ground clearance.",
    "A circular farmland plot irrigated by a center pivot system.",
    "Terraced fields cut into the side of a steep hill.",
    "A parking lot filled with rows of cars in different colors.",
};

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The smallest cosine between matching rows of two [n, d] row-major sets of unit vectors.
double minimumCosine(const std::vector<float>& a, const std::vector<float>& b, int d)
{
    double worst = 1.0;
    for (std::size_t row = 0; row + static_cast<std::size_t>(d) <= a.size(); row += static_cast<std::size_t>(d)) {
        double dot = 0.0, na = 0.0, nb = 0.0;
        for (int j = 0; j < d; ++j) {
            dot += double(a[row + j]) * b[row + j];
            na += double(a[row + j]) * a[row + j];
            nb += double(b[row + j]) * b[row + j];
        }
        worst = std::min(worst, dot / std::sqrt(std::max(1e-30, na * nb)));
    }
    return worst;
}

struct PrecisionResult {
    std::string precision;
    nlohmann::json json;
    std::vector<float> images, texts;
};

Result<PrecisionResult> benchPrecision(const BenchEncodeOptions& options, const std::string& precision,
                                       const std::vector<float>& pixels,
                                       const std::vector<std::vector<std::int32_t>>& tokens)
{
    auto engine = openClipEngine(options.model, options.vocab, options.device, options.threads, precision);
    if (!engine)
        return engine.error();
    const auto& model = engine->model();

    // Warm up (allocator, thread pool, packed weights, CUDA context) before timing.
    if (auto warm = model.encodeImages(pixels.data(), std::min(options.images, 2)); !warm)
        return warm.error();
    if (auto warm = model.encodeTokens({tokens.front()}); !warm)
        return warm.error();

    PrecisionResult result;
    result.precision = clip::precisionName(model.precision());
    auto start = std::chrono::steady_clock::now();
    auto images = model.encodeImages(pixels.data(), options.images);
    if (!images)
        return images.error();
    const double imageSeconds = secondsSince(start);
    result.images = std::move(images).value();

    start = std::chrono::steady_clock::now();
    auto trimmed = model.encodeTokens(tokens, /*padToContext=*/false);
    if (!trimmed)
        return trimmed.error();
    const double trimmedSeconds = secondsSince(start);
    result.texts = std::move(trimmed).value();

    start = std::chrono::steady_clock::now();
    auto padded = model.encodeTokens(tokens, /*padToContext=*/true);
    if (!padded)
        return padded.error();
    const double paddedSeconds = secondsSince(start);

    double maxDifference = 0.0;
    for (std::size_t i = 0; i < result.texts.size(); ++i)
        maxDifference = std::max(maxDifference, static_cast<double>(std::abs(result.texts[i] - padded.value()[i])));
    result.json = {
        {"precision", result.precision},
        {"device", model.deviceDescription()},
        {"images_per_second", options.images / imageSeconds},
        {"texts_per_second", static_cast<double>(tokens.size()) / trimmedSeconds},
        {"texts_per_second_padded_to_context", static_cast<double>(tokens.size()) / paddedSeconds},
        {"text_speedup_from_trimming", paddedSeconds / trimmedSeconds},
        {"max_abs_difference_trimmed_vs_padded", maxDifference},
    };
    return result;
}

void runBenchEncode(const BenchEncodeOptions& options, CommandContext& context)
{
    // The tokens and geometry come from an fp32 engine that is released before timing starts:
    // one model in memory at a time.
    std::vector<std::vector<std::int32_t>> tokens;
    double meanLength = 0.0;
    int size = 0, dim = 0;
    bool cudaDevice = false;
    std::string architecture;
    {
        auto engine = openClipEngine(options.model, options.vocab, options.device, options.threads, "fp32");
        if (!engine)
            return context.fail(engine.error());
        size = engine->info().config.vision.imageSize;
        dim = engine->embedDim();
        architecture = engine->info().architecture();
        cudaDevice = engine->model().deviceDescription().rfind("cuda", 0) == 0;

        std::vector<std::string> texts;
        if (!options.textsFile.empty()) {
            std::ifstream in(options.textsFile);
            if (!in)
                return context.fail(
                    makeError(ErrorCode::FileNotFound, "cannot open the texts file", options.textsFile));
            for (std::string line; std::getline(in, line);)
                if (!line.empty())
                    texts.push_back(line);
            if (texts.empty())
                return context.fail(makeError(ErrorCode::BadFormat, "the texts file has no lines", options.textsFile));
        }
        if (texts.empty())
            texts.assign(std::begin(kTypicalDescriptions), std::end(kTypicalDescriptions));
        for (int i = 0; i < options.texts; ++i) {
            tokens.push_back(engine->tokenizer().tokenize(texts[static_cast<std::size_t>(i) % texts.size()], true,
                                                          engine->info().config.text.contextLength));
            meanLength += static_cast<double>(tokens.back().size());
        }
        meanLength /= std::max(1, options.texts);
    }

    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<float> pixels(static_cast<std::size_t>(options.images) * 3 * size * size);
    for (auto& value : pixels)
        value = normal(rng);

    std::vector<std::string> precisions = options.precisions;
    if (precisions.empty()) {
        precisions = cudaDevice ? std::vector<std::string>{"fp32", "fp16", "bf16"}
                                : std::vector<std::string>{"fp32", "bf16", "int8"};
    }
    // fp32 first: the others are measured against its embeddings of the same inputs.
    std::stable_partition(precisions.begin(), precisions.end(), [](const std::string& p) { return p == "fp32"; });
    if (precisions.front() != "fp32")
        precisions.insert(precisions.begin(), "fp32");

    nlohmann::json rows = nlohmann::json::array();
    std::optional<PrecisionResult> reference;
    for (const auto& precision : precisions) {
        auto result = benchPrecision(options, precision, pixels, tokens);
        if (!result)
            return context.fail(result.error());
        if (!reference) {
            reference = result.value();
        } else {
            result->json["image_speedup_vs_fp32"] =
                result->json["images_per_second"].get<double>() / reference->json["images_per_second"].get<double>();
            result->json["text_speedup_vs_fp32"] =
                result->json["texts_per_second"].get<double>() / reference->json["texts_per_second"].get<double>();
        }
        result->json["min_cosine_to_fp32_images"] = minimumCosine(result->images, reference->images, dim);
        result->json["min_cosine_to_fp32_texts"] = minimumCosine(result->texts, reference->texts, dim);
        rows.push_back(result->json);
    }

    std::string automaticReason;
    const auto automatic =
        clip::automaticPrecision(cudaDevice ? clip::DeviceKind::Cuda : clip::DeviceKind::Cpu, &automaticReason);
    context.out << nlohmann::json{
        {"model", options.model},
        {"architecture", architecture},
        {"blas_core", blasCoreName()},
        {"threads", options.threads},
        {"images", options.images},
        {"texts", options.texts},
        {"mean_tokens_per_text", meanLength},
        {"auto_precision", clip::precisionName(automatic)},
        {"auto_precision_reason", automaticReason},
        {"precisions", rows},
    }.dump(2) << '\n';
}

} // namespace

void addBenchCommand(CLI::App& app, CommandContext& context)
{
    CLI::App* bench = app.add_subcommand("bench", "Measure encoding and training speed; prints JSON.");
    bench->require_subcommand(1);

    auto options = std::make_shared<BenchEncodeOptions>();
    CLI::App* encode = bench->add_subcommand(
        "encode", "Images and texts per second through the CLIP towers, with texts trimmed to their batch's "
                  "longest sequence and padded to the full context.");
    encode->add_option("--model", options->model, "CLIP checkpoint (folder or file)")->required();
    encode->add_option("--vocab", options->vocab, "tokenizer vocabulary if not beside the model");
    encode->add_option("--device", options->device, "auto, cpu or cuda")->capture_default_str();
    encode->add_option("--threads", options->threads, "CPU threads (0: LibTorch's default)");
    encode->add_option("--images", options->images, "number of images to encode")->capture_default_str();
    encode->add_option("--text-count", options->texts, "number of texts to encode")->capture_default_str();
    encode->add_option("--texts", options->textsFile,
                       "file with one text per line (default: built-in typical class descriptions)");
    encode
        ->add_option("--precisions", options->precisions,
                     "precisions to measure, e.g. fp32,bf16,int8 (default: those of the device; fp32 always, as the "
                     "reference of the cosines)")
        ->delimiter(',')
        ->check(CLI::IsMember({"fp32", "bf16", "fp16", "int8"}));
    encode->callback([options, &context] { runBenchEncode(*options, context); });

    addBenchTrainSubcommand(*bench, context);
    addBenchGemmSubcommand(*bench, context);
    addBenchProjectSubcommand(*bench, context);
    addBenchSceneSubcommand(*bench, context);
}

} // namespace aape::cli
