#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/clip/ClipEngine.h"
#include "aape/workflow/Shards.h"

#include <nlohmann/json.hpp>

#include <iomanip>
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
    // Sharded mode (--out): rows in clip-retrieval's layout instead of JSON.
    std::string folder;
    std::string files;
    std::string scene;
    int tile = 0;
    int stride = 0;
    std::string bands;
    std::string out;
    std::string shard = "0/1";
    int views = 0;
    int batch = 32;
    bool half = false;
};

nlohmann::json rowJson(const std::vector<float>& rows, std::size_t row, int dim)
{
    return std::vector<float>(rows.begin() + static_cast<std::ptrdiff_t>(row * dim),
                              rows.begin() + static_cast<std::ptrdiff_t>((row + 1) * dim));
}

// `aape embed ... --shard K/N --out DIR`: one shard of the sorted inputs (Shards.h).
void runShardedEmbed(const EmbedOptions& options, CommandContext& context)
{
    if (!options.texts.empty())
        return context.fail("--text cannot be combined with --out: sharded embedding is for images; leave --out "
                            "out to embed texts.");
    auto shard = workflow::parseShardSpec(options.shard);
    if (!shard)
        return context.fail(shard.error());
    if (auto summary = workflow::shardSummary(options.out, shard->index)) {
        context.err << "shard " << shard->index << " of " << options.out << " is already done; nothing to do\n";
        context.out << summary->dump() << '\n';
        return;
    }
    if (!options.scene.empty() && (!options.folder.empty() || !options.files.empty() || !options.images.empty()))
        return context.fail("--scene embeds one scene's tiles: give the other images in a run of their own");
    if (!options.scene.empty() && options.tile <= 0)
        return context.fail("--scene needs --tile PIXELS, the tile size the project imported the scene with");
    auto inputs = options.scene.empty()
                      ? workflow::collectShardInputs(options.folder, options.files, options.images)
                      : workflow::collectSceneTiles(options.scene, options.tile, options.stride, options.bands);
    if (!inputs)
        return context.fail(inputs.error());
    if (inputs->empty())
        return context.fail("no images to embed: give --folder DIR, --files LIST, --image FILE or --scene FILE");
    auto engine = openClipEngine(options.model, options.vocab, options.device, options.threads, options.precision);
    if (!engine)
        return context.fail(engine.error());
    ProgressBar bar(context.err);
    workflow::ShardEmbedOptions shardOptions;
    shardOptions.outDir = options.out;
    shardOptions.shard = shard.value();
    shardOptions.views = options.views;
    shardOptions.batchSize = options.batch;
    shardOptions.half = options.half;
    shardOptions.progress = [&](const workflow::Progress& p) { bar.update("embedding", p.done, p.total); };
    auto report = workflow::embedShard(engine.value(), inputs.value(), shardOptions);
    bar.finish();
    if (!report)
        return context.fail(report.error());
    context.err << "shard " << shard->index << " of " << shard->count << ": " << report->inputs << " of "
                << inputs->size() << " images, " << report->rows << " rows in " << std::fixed << std::setprecision(1)
                << report->seconds << " s -> " << options.out << '\n';
    for (const auto& failed : report->failed)
        context.err << "  could not read " << failed.path << ": " << failed.reason << '\n';
    context.out << report->summary.dump() << '\n';
}

void runEmbed(const EmbedOptions& options, CommandContext& context)
{
    if (!options.out.empty())
        return runShardedEmbed(options, context);
    if (!options.folder.empty() || !options.files.empty() || !options.scene.empty())
        return context.fail("--folder, --files and --scene write shards: give --out DIR as well");
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
        "Embed images and texts with a CLIP checkpoint; prints one JSON object with L2-normalised embeddings. With "
        "--out, writes one shard of a large image set instead (for clusters; see aape cluster).");
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
    command->add_option("--folder", options->folder, "with --out: every image below this folder (recursively)");
    command->add_option("--files", options->files,
                        "with --out: a text file listing images, one path per line (relative to the list's folder)");
    command->add_option("--scene", options->scene,
                        "with --out: the tiles of a scene (GeoTIFF, JPEG2000, ...), cut and stretched as aape import "
                        "--scene cuts them, so a project that imported the scene can import the rows");
    command->add_option("--tile", options->tile, "with --scene: tile size in pixels");
    command->add_option("--stride", options->stride, "with --scene: pixels between tiles (default: the tile size)");
    command->add_option("--bands", options->bands,
                        "with --scene: the bands as red, green, blue: a preset (s2-true, landsat-false, ...) or "
                        "numbers like 4,3,2 (default: the file's colour bands, else the first three)");
    command->add_option("--out", options->out,
                        "write shards instead of JSON: DIR/img_emb/img_emb_K.npy, DIR/metadata/metadata_K.jsonl, "
                        "then DIR/done/K (clip-retrieval's layout)");
    command
        ->add_option("--shard", options->shard,
                     "with --out: compute shard K of N (0-based) of the inputs sorted by path")
        ->capture_default_str();
    command
        ->add_option("--views", options->views,
                     "with --out: augmented training views per image besides the centre view, as a project caches "
                     "them (aape encode --views)")
        ->capture_default_str();
    command
        ->add_option("--batch", options->batch,
                     "with --out: images per block and CLIP batch; shards of one output must use the same value")
        ->capture_default_str();
    command->add_flag("--half", options->half, "with --out: store float16 rows instead of float32");
    command->callback([options, &context] { runEmbed(*options, context); });
}

} // namespace aape::cli
