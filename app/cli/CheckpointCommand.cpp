#include "cli/Commands.h"

#include "aape/clip/CheckpointWriter.h"
#include "aape/clip/ClipModel.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace aape::cli {

namespace {

struct CheckpointOptions {
    std::string architecture = "ViT-B/16";
    std::string out;
    std::uint64_t seed = 0;
    bool allFormats = false;
    std::string activation = "quick_gelu";
};

void runRandom(const CheckpointOptions& options, CommandContext& context)
{
    auto config = clip::clipPreset(options.architecture);
    if (!config)
        return context.fail(config.error());
    if (options.activation == "gelu")
        config->activation = clip::Activation::Gelu;
    else if (options.activation != "quick_gelu")
        return context.fail("--activation must be gelu or quick_gelu");
    clip::RandomClipOptions random;
    random.config = config.value();
    random.seed = options.seed;
    const Status status = options.allFormats ? clip::writeRandomClipInAllFormats(options.out, random)
                                             : clip::writeRandomHuggingFaceClip(options.out, random);
    if (!status)
        return context.fail(status.error());
    context.out << nlohmann::json{{"written", options.out},
                                  {"architecture", options.architecture},
                                  {"note", "random weights: embeddings carry no meaning; add vocab.json and "
                                           "merges.txt (or pass --vocab) to embed text"}}
                       .dump()
                << '\n';
}

void runInspect(const std::string& path, CommandContext& context)
{
    auto info = clip::inspectCheckpoint(path);
    if (!info)
        return context.fail(info.error());
    const auto& c = info->config;
    context.out << nlohmann::json{
        {"path", path},
        {"format", clip::checkpointFormatName(info->format)},
        {"architecture", info->architecture()},
        {"embed_dim", c.embedDim},
        {"activation", clip::activationName(c.activation)},
        {"activation_source", info->activationSource},
        {"vision", {{"image_size", c.vision.imageSize}, {"patch_size", c.vision.patchSize}, {"width", c.vision.width},
                    {"layers", c.vision.layers}, {"heads", c.vision.heads}}},
        {"text", {{"vocab_size", c.text.vocabSize}, {"context_length", c.text.contextLength}, {"width", c.text.width},
                  {"layers", c.text.layers}, {"heads", c.text.heads}}},
        {"image_mean", info->normalisation.mean},
        {"image_std", info->normalisation.std},
        {"vocabulary", info->vocabPath},
        {"notes", info->notes},
    }.dump(2) << '\n';
}

} // namespace

void addCheckpointCommand(CLI::App& app, CommandContext& context)
{
    CLI::App* command =
        app.add_subcommand("checkpoint", "Inspect CLIP checkpoints or generate random ones for tests and benchmarks.");
    command->require_subcommand(1);

    auto inspectPath = std::make_shared<std::string>();
    CLI::App* inspect =
        command->add_subcommand("inspect", "Print a checkpoint's format, geometry and activation as JSON.");
    inspect->add_option("path", *inspectPath, "Hugging Face folder, OpenAI .pt archive or open_clip file")->required();
    inspect->callback([inspectPath, &context] { runInspect(*inspectPath, context); });

    auto options = std::make_shared<CheckpointOptions>();
    CLI::App* random = command->add_subcommand(
        "random", "Write a randomly initialised CLIP (Hugging Face layout) of a standard geometry.");
    random->add_option("--arch", options->architecture, "ViT-B/32, ViT-B/16, ViT-L/14 or tiny")->capture_default_str();
    random->add_option("--out", options->out, "folder to write")->required();
    random->add_option("--seed", options->seed, "random seed")->capture_default_str();
    random->add_option("--activation", options->activation, "quick_gelu or gelu")->capture_default_str();
    random->add_flag("--all-formats", options->allFormats,
                     "also write the same weights as an OpenAI TorchScript archive and open_clip files");
    random->callback([options, &context] { runRandom(*options, context); });
}

} // namespace aape::cli
