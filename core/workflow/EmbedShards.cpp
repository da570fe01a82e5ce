#include "aape/workflow/Shards.h"

#include "aape/data/ContentHash.h"
#include "aape/geo/Scene.h"
#include "aape/geo/SceneImport.h"
#include "aape/util/Npy.h"
#include "workflow/Common.h"
#include "workflow/ShardFiles.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace aape::workflow {

namespace {

// The file's bytes, or why it cannot be used (one sentence for the user).
std::optional<std::string> readBytes(const std::string& path, std::vector<std::uint8_t>& bytes)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return std::string("The file could not be opened; check that it exists and can be read.");
    const std::streamoff size = in.tellg();
    in.seekg(0);
    bytes.resize(static_cast<std::size_t>(std::max<std::streamoff>(size, 0)));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
        return std::string("The file could not be read completely.");
    if (bytes.empty())
        return std::string("The file is empty (0 bytes).");
    return std::nullopt;
}

std::string hostName()
{
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return {};
    return name;
}

} // namespace

Result<ShardEmbedReport> embedShard(const clip::ClipEngine& engine, const std::vector<ShardInput>& inputs,
                                    const ShardEmbedOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    ShardEmbedReport report;
    const int k = options.shard.index;
    if (auto summary = shardSummary(options.outDir, k)) {
        report.alreadyDone = true;
        report.summary = *summary;
        return report;
    }
    if (options.views < 0 || options.batchSize < 1)
        return makeError(ErrorCode::InvalidArgument, "--views must be 0 or more and --batch 1 or more.");
    for (const char* sub : {"img_emb", "metadata", "done"}) {
        std::error_code ec;
        fs::create_directories(fs::path(options.outDir) / sub, ec);
        if (ec)
            return makeError(ErrorCode::FileWrite, "The output folder could not be created; check its permissions.",
                             (fs::path(options.outDir) / sub).string(), ec.message());
    }

    const auto& info = engine.info();
    const int d = engine.embedDim();
    const ShardRange range = shardRange(inputs.size(), options.batchSize, options.shard);
    report.inputs = range.end - range.begin;

    NpyWriter embeddings(shardEmbeddingFile(options.outDir, k), d, options.half ? NpyType::Float16 : NpyType::Float32);
    if (auto status = embeddings.open(); !status)
        return status.error();
    const std::string metadataPath = shardMetadataFile(options.outDir, k);
    std::ofstream metadata(metadataPath + ".partial", std::ios::binary | std::ios::trunc);
    if (!metadata)
        return makeError(ErrorCode::FileWrite,
                         "The metadata file could not be created; check the folder's permissions.",
                         metadataPath + ".partial");

    const auto block = static_cast<std::size_t>(options.batchSize);
    for (std::size_t start = range.begin; start < range.end; start += block) {
        if (stopRequested(options.stop))
            return detail::cancelled();
        const std::size_t end = std::min(range.end, start + block);
        std::vector<clip::PreprocessedImage> prepared;
        std::vector<nlohmann::json> rows;
        for (std::size_t i = start; i < end; ++i) {
            const ShardInput& input = inputs[i];
            std::string hash;
            Result<cv::Mat> decoded = cv::Mat();
            if (const auto tile = geo::parseTileReference(input.filePath)) {
                // A scene's tile: keyed by its pixels, as the project keys the tiles it imports.
                decoded = geo::readTileRgb8(*tile);
                if (!decoded) {
                    report.failed.push_back({input.recordedPath, decoded.error().message});
                    continue;
                }
                hash = geo::tilePixelHash(decoded.value());
            } else {
                std::vector<std::uint8_t> bytes;
                if (auto reason = readBytes(input.filePath, bytes)) {
                    report.failed.push_back({input.recordedPath, *reason});
                    continue;
                }
                hash = data::hashToHex(data::contentHash64(bytes.data(), bytes.size()));
                decoded = clip::decodeImageRgb8(bytes, input.filePath);
                if (!decoded) {
                    report.failed.push_back({input.recordedPath, decoded.error().message});
                    continue;
                }
            }
            // The same views encodeProject caches: the centre crop, then the seeded training views.
            prepared.push_back(clip::preprocessForModel(decoded.value(), info.normalisation));
            for (int view = 1; view <= options.views; ++view) {
                std::mt19937_64 rng(viewSeed(kViewSeed, hash, view));
                prepared.push_back(clip::randomTrainingView(decoded.value(), info.normalisation, rng));
            }
            for (int view = 0; view <= options.views; ++view)
                rows.push_back({{"image_path", input.recordedPath},
                                {"content_hash", hash},
                                {"model_fingerprint", info.fingerprint},
                                {"view", view}});
        }
        // Rows in fixed chunks of batchSize: the batches depend only on the block's inputs.
        for (std::size_t chunk = 0; chunk < prepared.size(); chunk += block) {
            std::vector<const clip::PreprocessedImage*> pointers;
            for (std::size_t r = chunk; r < std::min(prepared.size(), chunk + block); ++r)
                pointers.push_back(&prepared[r]);
            auto embedded = engine.encodePreprocessed(pointers);
            if (!embedded)
                return embedded.error();
            if (auto status = embeddings.append(embedded->data(), static_cast<std::int64_t>(pointers.size())); !status)
                return status.error();
        }
        for (const auto& row : rows)
            metadata << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        report.rows += rows.size();
        detail::report(options.progress, "images", end - range.begin, report.inputs);
    }

    metadata.close();
    if (!metadata)
        return makeError(ErrorCode::FileWrite, "The metadata file could not be written; is the disk full?",
                         metadataPath + ".partial");
    if (auto status = embeddings.finish(); !status)
        return status.error();
    std::error_code ec;
    fs::rename(metadataPath + ".partial", metadataPath, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "The metadata file could not be put in place.", metadataPath,
                         ec.message());

    report.seconds = detail::secondsSince(started);
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& f : report.failed)
        failed.push_back({{"image_path", f.path}, {"reason", f.reason}});
    report.summary = {{"format", "aape-embedding-shard-1"},
                      {"shard", k},
                      {"shards", options.shard.count},
                      {"first_input", range.begin},
                      {"inputs", report.inputs},
                      {"rows", report.rows},
                      {"dim", d},
                      {"dtype", options.half ? "float16" : "float32"},
                      {"views", options.views},
                      {"batch", options.batchSize},
                      {"model_fingerprint", info.fingerprint},
                      {"precision", clip::precisionName(engine.model().precision())},
                      {"model_path", info.path},
                      {"failed", failed},
                      {"seconds", report.seconds},
                      {"host", hostName()}};
    // The marker last: its presence says that both files above are complete.
    if (auto status = detail::writeFileAtomically(shardDoneMarker(options.outDir, k), report.summary.dump(2) + "\n");
        !status)
        return status.error();
    return report;
}

} // namespace aape::workflow
