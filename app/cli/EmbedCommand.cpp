#include "cli/Commands.h"

#include "aape/clip/ClipEngine.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace aape::cli {

namespace {

struct EmbedOptions {
    std::string model;
    std::string vocab;
    std::string device = "auto";
    std::string precision = "fp32";
    int threads = 0;
    std::vector<std::string> images;
    std::vector<std::string> texts;
};

nlohmann::json rowJson(const std::vector<float>& rows, std::size_t row, int dim)
{
    return std::vector<float>(rows.begin() + static_cast<std::ptrdiff_t>(row * dim),
                              rows.begin() + static_cast<std::ptrdiff_t>((row + 1) * dim));
}

void runEmbed(const EmbedOptions& options, CommandContext& context)
{
    auto engine = openClipEngine(options.model, options.vocab, options.device, options.threads, options.precision);
    if (!engine)
        return context.fail(engine.error());
    const auto& info = engine->info();
    const int dim = engine->embedDim();

    nlohmann::json result;
    result["model"] = {{"format", clip::checkpointFormatName(info.format)},
                       {"embed_dim", dim},
                       {"activation", clip::activationName(info.config.activation)},
                       {"image_size", info.config.vision.imageSize},
                       {"fingerprint", info.fingerprint},
                       {"device", engine->model().deviceDescription()},
                       {"precision", clip::precisionName(engine->model().precision())}};

    std::vector<cv::Mat> decoded;
    for (const auto& path : options.images) {
        auto image = clip::decodeImageRgb8(path);
        if (!image)
            return context.fail(image.error());
        decoded.push_back(std::move(image).value());
    }
    auto imageRows = engine->encodeImages(decoded);
    if (!imageRows)
        return context.fail(imageRows.error());
    result["images"] = nlohmann::json::array();
    for (std::size_t i = 0; i < options.images.size(); ++i)
        result["images"].push_back({{"path", options.images[i]}, {"embedding", rowJson(imageRows.value(), i, dim)}});

    std::vector<std::vector<std::int32_t>> tokens;
    auto textRows = engine->encodeTexts(options.texts, &tokens);
    if (!textRows)
        return context.fail(textRows.error());
    result["texts"] = nlohmann::json::array();
    for (std::size_t i = 0; i < options.texts.size(); ++i)
        result["texts"].push_back(
            {{"text", options.texts[i]}, {"tokens", tokens[i]}, {"embedding", rowJson(textRows.value(), i, dim)}});
    context.out << result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

} // namespace

void addEmbedCommand(CLI::App& app, CommandContext& context)
{
    auto options = std::make_shared<EmbedOptions>();
    CLI::App* command = app.add_subcommand(
        "embed",
        "Embed images and texts with a CLIP checkpoint; prints one JSON object with L2-normalised embeddings.");
    command
        ->add_option("--model", options->model,
                     "CLIP checkpoint: a Hugging Face folder, an OpenAI .pt archive or an open_clip file")
        ->required();
    command->add_option("--vocab", options->vocab,
                        "tokenizer vocabulary (bpe_simple_vocab_16e6.txt.gz or vocab.json) if not beside the model");
    command->add_option("--device", options->device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--threads", options->threads, "CPU threads (0: LibTorch's default)");
    // fp32 by default: embed is the exact path other implementations are checked against.
    addPrecisionOption(command, options->precision, "fp32");
    repeatable(command->add_option("--image", options->images, "an image file (repeatable)"));
    repeatable(command->add_option("--text", options->texts, "a text (repeatable)"));
    command->callback([options, &context] { runEmbed(*options, context); });
}

} // namespace aape::cli
