#pragma once
// Embedding work split into shards for a cluster, in clip-retrieval's layout so that other
// tools (embedding-reader, FAISS) read it too:
//   DIR/img_emb/img_emb_K.npy        [rows, d] float32 or float16, L2-normalised
//   DIR/metadata/metadata_K.jsonl    one line per row: image_path, content_hash, model_fingerprint, view
//   DIR/done/K                       written last (JSON summary): without it the shard is unfinished
// The partition is deterministic: inputs sorted by their recorded path (bytewise), cut into
// blocks of `batchSize` inputs, shard K of N takes the contiguous blocks
// [floor(K*B/N), floor((K+1)*B/N)) of the B blocks. Every block is encoded as the same
// batches whatever N is, so shards 0..N-1 concatenated are the unsharded output bit for bit
// (on the same kind of machine and LibTorch build).
// Call each function from one thread; a ClipEngine and a Project are single-thread objects.

#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/store/Project.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"
#include "aape/workflow/Encode.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

struct ShardSpec {
    int index = 0; // K, 0-based
    int count = 1; // N
};

// "K/N" with 0 <= K < N.
Result<ShardSpec> parseShardSpec(const std::string& text);

struct ShardRange {
    std::size_t begin = 0; // first input of the shard in the sorted list
    std::size_t end = 0;   // one past the last
};
ShardRange shardRange(std::size_t inputs, int batchSize, const ShardSpec& shard);

struct ShardInput {
    std::string recordedPath; // as written to the metadata: relative to --folder, or as listed
    std::string filePath;     // where to read it on this machine
};

// The images of a folder (recursively, supported extensions), a list file (one path per line;
// relative paths are relative to the list's folder; blank lines and '#' lines ignored) and
// single files, sorted by recorded path, duplicates dropped.
Result<std::vector<ShardInput>> collectShardInputs(const std::string& folder, const std::string& listFile,
                                                   const std::vector<std::string>& files);

// The tiles of a scene as inputs, made as `aape import --scene` makes them (tile size, stride,
// bands and 2-98 % stretch: the same pixels, so the same content hashes as a project's tiles of
// that scene). The recorded path is the tile reference (aape/geo/Scene.h), in row order.
Result<std::vector<ShardInput>> collectSceneTiles(const std::string& scenePath, int tileSize, int stride,
                                                  const std::string& bands);

std::string shardEmbeddingFile(const std::string& dir, int index); // DIR/img_emb/img_emb_K.npy
std::string shardMetadataFile(const std::string& dir, int index);  // DIR/metadata/metadata_K.jsonl
std::string shardDoneMarker(const std::string& dir, int index);    // DIR/done/K

// The finished shard's summary (the done marker), or nothing while it is unfinished.
std::optional<nlohmann::json> shardSummary(const std::string& dir, int index);

struct ShardEmbedOptions {
    std::string outDir;
    ShardSpec shard;
    int views = 0;      // augmented views per image besides the centre view, as the project caches them
    int batchSize = 32; // inputs per block and rows per CLIP batch; part of the partition
    bool half = false;  // float16 rows instead of float32
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct ShardEmbedReport {
    bool alreadyDone = false; // the done marker was there: nothing was computed
    std::size_t inputs = 0;   // inputs of this shard
    std::size_t rows = 0;     // rows written (readable inputs × (1 + views))
    std::vector<data::SkippedFile> failed;
    double seconds = 0.0;
    nlohmann::json summary; // what the done marker holds
};

// Embeds shard options.shard of the sorted inputs: per input the centre view (0) and views
// 1..views made exactly as encodeProject makes a training image's views (same seed per
// content hash and view). Unreadable inputs are listed in the summary and have no rows.
// A finished shard (done marker present) is left alone.
Result<ShardEmbedReport> embedShard(const clip::ClipEngine& engine, const std::vector<ShardInput>& inputs,
                                    const ShardEmbedOptions& options);

struct ShardImportOptions {
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct ShardImportReport {
    std::string modelFingerprint;
    std::string precision = "fp32"; // the towers' precision when the shards were embedded
    int shardsImported = 0;
    std::vector<int> shardsUnfinished; // shard indices without a done marker (up to the highest seen)
    std::size_t rowsRead = 0;
    std::size_t viewsImported = 0;
    int imagesCovered = 0;    // project images that received at least their centre view
    int imagesNotCovered = 0; // labelled, not excluded project images the shards do not hold
    std::size_t rowsNotInProject = 0;
    std::vector<std::string> changed; // project images whose file differs from the one embedded
    bool projectHasModel = true;      // false: no model with a fingerprint recorded yet, nothing to check against
};

// Fills the project's embedding cache from the finished shards in dir. Rows are matched to
// the project's images by content hash; train images take every view, the others the centre
// view (what encodeProject would cache). Refused, with nothing imported, when the shards were
// made with another CLIP than the project's (model fingerprint) or disagree with each other,
// or a shard's files do not match its summary. A project image whose path ends in a row's
// recorded path but whose content hash differs is listed in `changed` and not imported.
Result<ShardImportReport> importEmbeddingShards(store::Project& project, const std::string& dir,
                                                const ShardImportOptions& options = {});

} // namespace aape::workflow
