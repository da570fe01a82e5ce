#pragma once
// Plain rows of the project file (dataset, descriptions, runs, results) as the trainer, the
// CLI and the GUI exchange them. Values only: safe to copy and to pass between threads.

#include "aape/aape/EpochMetrics.h"
#include "aape/util/NamedTensor.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aape::store {

enum class Split { Train, Val, Test };
const char* splitName(Split split); // "train", "val", "test"
std::optional<Split> parseSplit(std::string_view name);

enum class ClassKind { Base, New }; // base-to-new protocol (see data/Protocol.h)
const char* classKindName(ClassKind kind);

enum class RunStatus { Queued, Running, Finished, Failed, Interrupted, Cancelled };
const char* runStatusName(RunStatus status);
std::optional<RunStatus> parseRunStatus(std::string_view name);

// The embedding cache's key: the weights' fingerprint, followed by "@<precision>" unless the
// towers ran in fp32 (e.g. "3fa1…@bf16"), so embeddings of different precisions never mix in a
// run and a project encoded before precisions existed keeps its fp32 cache.
std::string embeddingCacheKey(const std::string& fingerprint, const std::string& precision);

struct ModelReference {
    std::string path;                               // checkpoint file or folder as the user chose it
    std::string format;                             // e.g. "hf", "openai-torchscript", "open_clip"
    std::string fingerprint;                        // hash of the weights
    nlohmann::json info = nlohmann::json::object(); // architecture, dims, activation, precision, ...

    // The precision of the last encode ("fp32" when none was recorded).
    std::string precision() const;
    // The key of the embeddings the last encode cached: embeddingCacheKey(fingerprint, precision()).
    std::string cacheKey() const;
};

struct ClassRecord {
    std::int64_t id = 0;
    std::string name;
    int position = 0; // label index: order of creation, CoOp label for split imports
    ClassKind kind = ClassKind::Base;
};

struct ImageRecord {
    std::int64_t id = 0;
    std::string path;        // absolute, normalised
    std::string contentHash; // 16 hex digits, see data/ContentHash.h; keys the embedding cache
    int width = 0;
    int height = 0;
    std::optional<std::int64_t> classId; // empty: unlabelled
    Split split = Split::Train;
    bool excluded = false;
    std::string source; // how it came in, e.g. "folder:/data/eurosat"
};

// An image about to be inserted; the id is assigned by the store.
using NewImage = ImageRecord;

// A scene imported as tiles: the file (referenced, never copied), its georeference, the tiling
// and how its bands became RGB (aape/geo/Scene.h's BandRendering as JSON).
struct SceneRecord {
    std::int64_t id = 0;
    std::string path; // absolute, normalised
    int width = 0;    // pixels
    int height = 0;
    int bandCount = 0;
    std::string crsWkt;                                               // WKT2; empty when the scene has none
    std::string crsName;                                              // "EPSG:32633"
    std::array<double, 6> geoTransform{0.0, 1.0, 0.0, 0.0, 0.0, 1.0}; // GDAL's affine transform
    int tileSize = 0;                                                 // pixels
    int stride = 0;                                                   // pixels between tile origins
    nlohmann::json rendering = nlohmann::json::object();
    // Where the labels came from: {"file", "field", "min_cover", "reprojected_from"}; empty: none.
    nlohmann::json labels = nlohmann::json::object();
};

// A tile: an image row of the project read from its scene's pixel window.
struct TileRecord {
    std::int64_t imageId = 0;
    std::int64_t sceneId = 0;
    int x = 0, y = 0, width = 0, height = 0;       // pixel window in the scene
    double minX = 0, minY = 0, maxX = 0, maxY = 0; // bounding box in the scene's CRS
};

struct ImageFilter {
    std::optional<std::int64_t> classId;
    bool unlabelledOnly = false;
    std::optional<Split> split;
    std::optional<bool> excluded; // empty: both
    int offset = 0;
    int limit = -1; // -1: all
};

struct ClassSplitCounts {
    std::optional<std::int64_t> classId; // empty: unlabelled images
    int train = 0;
    int val = 0;
    int test = 0;
    int excluded = 0; // excluded images, whatever their split (not counted in train/val/test)
};

struct DescriptionRecord {
    std::int64_t id = 0;
    std::int64_t classId = 0;
    std::string text;
    std::string source; // "cupl:<file>", "text:<file>", "typed"
    int position = 0;   // order within the class
};

// The training images of a run: drawn when the run starts, stored with it, read back
// unchanged on resume.
struct FewShotSet {
    std::int64_t id = 0;
    int shots = 0; // per class; 0: all train images
    std::uint64_t seed = 0;
    std::vector<std::int64_t> imageIds; // the exact training images, ordered by class then draw
    std::vector<std::int64_t> classIds; // the class each image was trained as (parallel to imageIds)
};

struct RunSpec {
    std::string name;
    nlohmann::json config = nlohmann::json::object();
    std::uint64_t seed = 0;
    std::string group; // multi-seed sets share a group name; empty: none
    std::optional<std::int64_t> fewShotSetId;
    std::string modelFingerprint;
};

struct RunRecord {
    std::int64_t id = 0;
    std::string name;
    nlohmann::json config = nlohmann::json::object();
    RunStatus status = RunStatus::Queued;
    std::uint64_t seed = 0;
    std::string group;
    std::optional<std::int64_t> fewShotSetId;
    std::string modelFingerprint;
    std::string createdAt; // ISO-8601 UTC; empty when not reached
    std::string startedAt;
    std::string finishedAt;
    nlohmann::json summary = nlohmann::json::object();
    std::string errorMessage;
    int lastEpoch = -1; // last epoch with committed metrics and checkpoint; -1: none
    // The epoch with the highest validation accuracy (the latest of equals) whose checkpoint
    // is kept beside the last one; -1 when the run has no validation accuracy.
    int bestEpoch = -1;
    // True when the run can continue from lastEpoch: it was interrupted, or it is marked
    // running but the process that ran it is gone.
    bool resumable = false;
};

// One epoch of a run, as the trainer reported it.
using EpochMetrics = ::aape::EpochMetrics;

// A tensor as the store keeps it: the trainer's own checkpoint tensor (row-major float32).
using NamedTensor = ::aape::NamedTensor;

struct Checkpoint {
    std::int64_t runId = 0;
    int epoch = 0;
    std::vector<NamedTensor> tensors;
};

struct PredictionRecord {
    std::int64_t imageId = 0;
    Split split = Split::Test;
    std::optional<std::int64_t> trueClassId;
    std::int64_t predictedClassId = 0;
    double probability = 0.0; // softmax probability of the predicted class
    double oodScore = 0.0;    // higher: further from the training distribution
    double cosTemplate = 0.0; // cos(x, t_pred)
    double cosAape = 0.0;     // cos(x, w_pred(x))
    std::optional<std::int64_t> zeroShotClassId;
    nlohmann::json topK = nlohmann::json::array(); // [[class id, probability], ...]
};

enum class ZeroShotChange { Any, Fixed, Broken }; // Fixed: AAPE right, zero-shot wrong

struct PredictionFilter {
    std::optional<Split> split;
    std::optional<std::int64_t> trueClassId;
    bool misclassifiedOnly = false;
    std::optional<double> maxProbability; // low-confidence view
    std::optional<double> minOodScore;    // out-of-distribution view
    ZeroShotChange zeroShot = ZeroShotChange::Any;
    int offset = 0;
    int limit = -1;
};

struct ConfusionCell {
    std::int64_t trueClassId = 0;
    std::int64_t predictedClassId = 0;
    int count = 0;
};

struct ClassAccuracy {
    std::int64_t classId = 0;
    int total = 0;
    int correct = 0;
    int zeroShotCorrect = 0;
};

// A description's weight in the aggregation of its class: `weight` blends the aggregator's own
// attention with how well the description matches the image under CLIP; `ownWeight` is the
// aggregator's attention itself (what the paper's Figure 7 shows), absent in evaluations stored
// before schema 5.
struct AttentionWeight {
    std::int64_t descriptionId = 0;
    double weight = 0.0;
    std::optional<double> ownWeight;
};

struct AttentionRow {
    std::int64_t imageId = 0;
    std::int64_t classId = 0;
    std::vector<AttentionWeight> weights; // over the class's descriptions, sums to 1
};

// Looked-up embeddings for a batch of keys: [N, dim] row-major; rows of missing keys are
// zero and their indices listed in `missing`.
struct EmbeddingBatch {
    int dim = 0;
    std::vector<float> values;
    std::vector<std::size_t> missing;
};

struct ImageEmbedding {
    std::string imageHash;
    int view = 0; // 0: plain centre-crop view; 1..V: augmented training views
    std::vector<float> values;
};

struct TextEmbedding {
    std::string text;
    std::vector<float> values;
};

} // namespace aape::store
