#include "cli/Commands.h"

#include "aape/bench/Process.h"
#include "aape/clip/ClipEngine.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
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

void runBenchEncode(const BenchEncodeOptions& options, CommandContext& context)
{
    auto engine = openClipEngine(options.model, options.vocab, options.device, options.threads);
    if (!engine)
        return context.fail(engine.error());
    const auto& model = engine->model();
    const int size = engine->info().config.vision.imageSize;

    std::vector<std::string> texts;
    if (!options.textsFile.empty()) {
        std::ifstream in(options.textsFile);
        if (!in)
            return context.fail(makeError(ErrorCode::FileNotFound, "cannot open the texts file", options.textsFile));
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                texts.push_back(line);
        if (texts.empty())
            return context.fail(makeError(ErrorCode::BadFormat, "the texts file has no lines", options.textsFile));
    }
    if (texts.empty())
        texts.assign(std::begin(kTypicalDescriptions), std::end(kTypicalDescriptions));
    std::vector<std::vector<std::int32_t>> tokens;
    double meanLength = 0.0;
    for (int i = 0; i < options.texts; ++i) {
        tokens.push_back(engine->tokenizer().tokenize(texts[static_cast<std::size_t>(i) % texts.size()], true,
                                                      engine->info().config.text.contextLength));
        meanLength += static_cast<double>(tokens.back().size());
    }
    meanLength /= std::max(1, options.texts);

    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<float> pixels(static_cast<std::size_t>(options.images) * 3 * size * size);
    for (auto& value : pixels)
        value = normal(rng);

    // Warm up (allocator, thread pool, CUDA context) before timing.
    const int warmImages = std::min(options.images, 2);
    if (auto warm = model.encodeImages(pixels.data(), warmImages); !warm)
        return context.fail(warm.error());
    if (auto warm = model.encodeTokens({tokens.front()}); !warm)
        return context.fail(warm.error());

    auto start = std::chrono::steady_clock::now();
    if (auto result = model.encodeImages(pixels.data(), options.images); !result)
        return context.fail(result.error());
    const double imageSeconds = secondsSince(start);

    start = std::chrono::steady_clock::now();
    auto trimmed = model.encodeTokens(tokens, /*padToContext=*/false);
    if (!trimmed)
        return context.fail(trimmed.error());
    const double trimmedSeconds = secondsSince(start);

    start = std::chrono::steady_clock::now();
    auto padded = model.encodeTokens(tokens, /*padToContext=*/true);
    if (!padded)
        return context.fail(padded.error());
    const double paddedSeconds = secondsSince(start);

    double maxDifference = 0.0;
    for (std::size_t i = 0; i < trimmed->size(); ++i)
        maxDifference = std::max(maxDifference, static_cast<double>(std::abs(trimmed.value()[i] - padded.value()[i])));

    context.out << nlohmann::json{
        {"model", engine->info().architecture()},
        {"device", model.deviceDescription()},
        {"blas_core", blasCoreName()},
        {"threads", options.threads},
        {"images", options.images},
        {"images_per_second", options.images / imageSeconds},
        {"texts", options.texts},
        {"mean_tokens_per_text", meanLength},
        {"texts_per_second", options.texts / trimmedSeconds},
        {"texts_per_second_padded_to_context", options.texts / paddedSeconds},
        {"text_speedup_from_trimming", paddedSeconds / trimmedSeconds},
        {"max_abs_difference_trimmed_vs_padded", maxDifference},
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
    encode->callback([options, &context] { runBenchEncode(*options, context); });

    addBenchTrainSubcommand(*bench, context);
    addBenchGemmSubcommand(*bench, context);
    addBenchProjectSubcommand(*bench, context);
    addBenchSceneSubcommand(*bench, context);
}

} // namespace aape::cli
