#pragma once
// A bundle's predictions split into shards for a cluster, beside the embedding shards' layout
// (aape/workflow/Shards.h):
//   DIR/predictions/predictions_K.jsonl   one JSON object per image, or per tile of a scene
//   DIR/done/K                            written last (JSON summary): without it the shard is unfinished
// Images are sorted and partitioned exactly as `aape embed --shard` partitions them; a scene's
// tiles are taken in row order and partitioned the same way. mergeSceneShards puts the finished
// shards of a scene back together into one map (`aape cluster merge`). Call from one thread.

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"
#include "aape/workflow/ScenePredict.h"
#include "aape/workflow/Shards.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace aape::workflow {

std::string shardPredictionFile(const std::string& dir, int index); // DIR/predictions/predictions_K.jsonl

struct ShardPredictOptions {
    std::string outDir;
    ShardSpec shard;
    int batchSize = 32; // inputs per block; part of the partition
    int top = 5;        // classes listed per image (a scene's tiles list 3)
    // A scene's tiling and bands, as ScenePredictOptions (0 / empty: what the bundle was trained with).
    int tileSize = 0;
    int stride = 0;
    std::string bands;
    std::function<void(std::size_t done, std::size_t total)> progress;
    StopTokenPtr stop;
};

struct ShardPredictReport {
    bool alreadyDone = false; // the done marker was there: nothing was computed
    std::size_t inputs = 0;   // images or tiles of this shard
    std::size_t predicted = 0;
    std::vector<data::SkippedFile> failed;
    double seconds = 0.0;
    nlohmann::json summary; // what the done marker holds
};

// Lines: {"path", "top": [{"class", "prob"}...], "ood_score", "ood_score_kind"}, the objects of
// `aape predict --json`; unreadable images are listed in the summary and have no line.
Result<ShardPredictReport> predictImageShard(const Bundle& bundle, const clip::ClipEngine& engine,
                                             const std::vector<ShardInput>& inputs, const ShardPredictOptions& options);

// Lines: {"tile", "column", "row", "class", "class_index", "probability", "ood_score",
// "top": [{"class_index", "prob"}...]}; the summary holds the scene, its tiling and band
// rendering, the class names and the OOD score's name, for the merge.
Result<ShardPredictReport> predictSceneShard(const Bundle& bundle, const clip::ClipEngine& engine,
                                             const std::string& scenePath, const ShardPredictOptions& options);

// The finished shards of a scene's prediction as one ScenePrediction (write it with
// geo::writeClassMap). Refused, naming them, while shards are unfinished or when the shards
// disagree (another scene, tiling or bundle); reads the scene's header only.
Result<ScenePrediction> mergeSceneShards(const std::string& dir);

} // namespace aape::workflow
