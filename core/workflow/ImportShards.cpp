#include "aape/workflow/Shards.h"

#include "aape/util/Npy.h"
#include "workflow/Common.h"
#include "workflow/ShardFiles.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

namespace fs = std::filesystem;

namespace aape::workflow {

namespace {

struct MetadataRow {
    std::string path;
    std::string hash;
    int view = 0;
};

// The shard indices present in any of the three sub-folders.
std::set<int> shardIndices(const std::string& dir)
{
    std::set<int> indices;
    auto scan = [&](const std::string& sub, const std::string& prefix, const std::string& suffix) {
        std::error_code ec;
        for (fs::directory_iterator it(fs::path(dir) / sub, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0
                || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
                continue;
            const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
            if (digits.size() <= 9 && digits.find_first_not_of("0123456789") == std::string::npos)
                indices.insert(std::stoi(digits));
        }
    };
    scan("done", "", "");
    scan("img_emb", "img_emb_", ".npy");
    scan("metadata", "metadata_", ".jsonl");
    return indices;
}

Error shardMismatch(const std::string& file, const std::string& what)
{
    return makeError(ErrorCode::BadFormat,
                     "This shard's files do not agree with each other (" + what
                         + "); it may have been copied incompletely. Copy it again or embed that shard again.",
                     file);
}

Result<std::vector<MetadataRow>> readMetadata(const std::string& path, const std::string& fingerprint)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, "The shard's metadata file is missing.", path);
    std::vector<MetadataRow> rows;
    std::size_t lineNumber = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNumber;
        if (line.empty())
            continue;
        auto row = nlohmann::json::parse(line, nullptr, false);
        if (row.is_discarded() || !row.is_object() || !row.contains("content_hash") || !row.contains("view"))
            return shardMismatch(path, "line " + std::to_string(lineNumber) + " is not a metadata row");
        const std::string rowFingerprint = row.value("model_fingerprint", "");
        if (rowFingerprint != fingerprint)
            return makeError(ErrorCode::InvalidArgument,
                             "Line " + std::to_string(lineNumber)
                                 + " was embedded with another CLIP (model fingerprint " + rowFingerprint
                                 + ", the shard says " + fingerprint + "); the shard was mixed up. Embed it again.",
                             path);
        rows.push_back({row.value("image_path", ""), row.value("content_hash", ""), row.value("view", 0)});
    }
    return rows;
}

bool endsWithPath(const std::string& path, const std::string& recorded)
{
    if (recorded.empty() || recorded.size() > path.size())
        return false;
    if (path.compare(path.size() - recorded.size(), recorded.size(), recorded) != 0)
        return false;
    return recorded.size() == path.size() || path[path.size() - recorded.size() - 1] == '/' || recorded.front() == '/';
}

} // namespace

Result<ShardImportReport> importEmbeddingShards(store::Project& project, const std::string& dir,
                                                const ShardImportOptions& options)
{
    ShardImportReport report;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return makeError(ErrorCode::FileNotFound, "The embeddings folder does not exist or is not a folder.", dir);

    // Which shards are finished, and do they agree with each other?
    const std::set<int> indices = shardIndices(dir);
    std::map<int, nlohmann::json> finished;
    int shardCount = indices.empty() ? 0 : *indices.rbegin() + 1;
    for (int index : indices)
        if (auto summary = shardSummary(dir, index)) {
            finished[index] = *summary;
            shardCount = std::max(shardCount, summary->value("shards", 0));
        }
    for (int index = 0; index < shardCount; ++index)
        if (!finished.count(index))
            report.shardsUnfinished.push_back(index);
    if (finished.empty())
        return makeError(ErrorCode::FileNotFound,
                         "The folder holds no finished embedding shard (no done/K marker); run `aape embed ... --shard "
                         "K/N --out` into it first, or wait for the cluster jobs to finish.",
                         dir);
    report.modelFingerprint = finished.begin()->second.value("model_fingerprint", "");
    report.precision = finished.begin()->second.value("precision", std::string("fp32"));
    const int dim = finished.begin()->second.value("dim", 0);
    for (const auto& [index, summary] : finished) {
        if (summary.value("precision", std::string("fp32")) != report.precision)
            return makeError(ErrorCode::InvalidArgument,
                             "The shards in this folder were embedded in different precisions (" + report.precision
                                 + " and " + summary.value("precision", std::string("fp32"))
                                 + "); embed every shard with the same --precision.",
                             dir);
        if (summary.value("model_fingerprint", "") != report.modelFingerprint)
            return makeError(ErrorCode::InvalidArgument,
                             "The shards in this folder were made with different CLIP models (shard "
                                 + std::to_string(finished.begin()->first) + ": " + report.modelFingerprint + ", shard "
                                 + std::to_string(index) + ": " + summary.value("model_fingerprint", "")
                                 + "); keep one model's shards per folder.",
                             dir);
        auto header = readNpyHeader(shardEmbeddingFile(dir, index));
        if (!header)
            return header.error();
        if (header->rows != summary.value("rows", -1) || header->cols != dim)
            return shardMismatch(shardEmbeddingFile(dir, index),
                                 std::to_string(header->rows) + " x " + std::to_string(header->cols)
                                     + " values, the summary says " + std::to_string(summary.value("rows", -1)) + " x "
                                     + std::to_string(dim));
    }

    // Same CLIP as the project's?
    auto model = project.model();
    if (!model)
        return model.error();
    // A project whose model was chosen but never encoded with has no fingerprint yet.
    if (model.value() && !model.value()->fingerprint.empty()) {
        const auto& projectModel = *model.value();
        if (projectModel.fingerprint != report.modelFingerprint)
            return makeError(ErrorCode::InvalidArgument,
                             "These embeddings were made with another CLIP model (fingerprint "
                                 + report.modelFingerprint + ", from "
                                 + finished.begin()->second.value("model_path", "?") + ") than the project's ("
                                 + projectModel.fingerprint + ", " + projectModel.path
                                 + "); nothing was imported. Embed with the project's model, or choose that model for "
                                   "the project.",
                             dir);
    } else {
        report.projectHasModel = false;
    }

    // All metadata first: a bad shard refuses the import before anything is written.
    std::map<int, std::vector<MetadataRow>> metadata;
    for (const auto& [index, summary] : finished) {
        auto rows = readMetadata(shardMetadataFile(dir, index), report.modelFingerprint);
        if (!rows)
            return rows.error();
        if (static_cast<std::int64_t>(rows->size()) != summary.value("rows", -1))
            return shardMismatch(shardMetadataFile(dir, index), std::to_string(rows->size()) + " metadata rows, "
                                                                    + std::to_string(summary.value("rows", -1))
                                                                    + " embeddings");
        metadata[index] = std::move(rows).value();
    }

    auto images = project.images();
    if (!images)
        return images.error();
    std::unordered_map<std::string, std::vector<const store::ImageRecord*>> byHash;
    std::unordered_map<std::string, std::vector<const store::ImageRecord*>> byName;
    for (const auto& image : images.value()) {
        byHash[image.contentHash].push_back(&image);
        byName[fs::path(image.path).filename().string()].push_back(&image);
    }

    // Under the key of the shards' precision, so that fp32 and bf16 embeddings never mix.
    const std::string cacheKey = store::embeddingCacheKey(report.modelFingerprint, report.precision);
    std::set<std::string> covered;                  // hashes whose centre view was imported
    std::set<const store::ImageRecord*> candidates; // path matches a row, hash does not
    for (const auto& [index, summary] : finished) {
        if (stopRequested(options.stop))
            return detail::cancelled();
        auto matrix = readNpy(shardEmbeddingFile(dir, index));
        if (!matrix)
            return matrix.error();
        const auto& rows = metadata[index];
        std::vector<store::ImageEmbedding> batch;
        auto flush = [&]() -> Status {
            if (batch.empty())
                return {};
            if (auto status = project.putImageEmbeddings(cacheKey, batch); !status)
                return status;
            report.viewsImported += batch.size();
            batch.clear();
            return {};
        };
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto& row = rows[r];
            ++report.rowsRead;
            const auto found = byHash.find(row.hash);
            if (found == byHash.end()) {
                ++report.rowsNotInProject;
                if (row.view == 0)
                    if (auto named = byName.find(fs::path(row.path).filename().string()); named != byName.end())
                        for (const auto* image : named->second)
                            if (endsWithPath(image->path, row.path))
                                candidates.insert(image);
                continue;
            }
            // Augmented views only where encodeProject would cache them: training images.
            const bool wanted =
                row.view == 0
                || std::any_of(found->second.begin(), found->second.end(),
                               [](const store::ImageRecord* image) { return image->split == store::Split::Train; });
            if (!wanted)
                continue;
            const float* values = matrix->values.data() + r * static_cast<std::size_t>(dim);
            batch.push_back({row.hash, row.view, std::vector<float>(values, values + dim)});
            if (row.view == 0)
                covered.insert(row.hash);
            if (batch.size() >= 4096)
                if (auto status = flush(); !status)
                    return status.error();
        }
        if (auto status = flush(); !status)
            return status.error();
        ++report.shardsImported;
        detail::report(options.progress, "importing", static_cast<std::size_t>(report.shardsImported), finished.size());
    }

    // The import is the project's latest encode: training's automatic precision keeps the shards'
    // precision, and a project whose model was never encoded with learns the fingerprint (an
    // encode that finds another one computes its own key and encodes again: nothing mixes).
    if (model.value() && report.viewsImported > 0) {
        store::ModelReference updated = *model.value();
        if (updated.fingerprint.empty())
            updated.fingerprint = report.modelFingerprint;
        updated.info["precision"] = report.precision;
        if (auto status = project.setModel(updated); !status)
            return status.error();
    }
    for (const auto* image : candidates)
        if (!covered.count(image->contentHash))
            report.changed.push_back(image->path);
    std::sort(report.changed.begin(), report.changed.end());
    for (const auto& image : images.value()) {
        if (covered.count(image.contentHash))
            ++report.imagesCovered;
        else if (image.classId && !image.excluded)
            ++report.imagesNotCovered;
    }
    return report;
}

} // namespace aape::workflow
