#pragma once
// The project file (*.aapeproj, SQLite): dataset, descriptions, embedding cache, runs, metrics,
// checkpoints and results. One Project object per thread: a worker opens its own connection.

#include "aape/store/Records.h"
#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aape::store {

enum class OpenMode { ReadWrite, ReadOnly };

// Schema version written by this build (PRAGMA user_version). Older files are migrated
// forward on open (one transaction per step); newer ones are refused.
int currentSchemaVersion();

// Writes an empty project at an older schema version; for migration tests and tools only.
Status createProjectAtSchemaVersion(const std::string& path, int version);

struct DescriptionInsert {
    std::int64_t classId = 0;
    std::string text;
    std::string source;
};

struct DescriptionInsertResult {
    int added = 0;
    int duplicates = 0; // same text already in that class: dropped
};

// All writes are transactions: a crash leaves the last committed state. SQLite busy
// (another process writing) comes back as ErrorCode::Busy after a 5 s wait.
class Project final {
public:
    static Result<Project> create(const std::string& path); // refuses an existing file
    static Result<Project> open(const std::string& path, OpenMode mode = OpenMode::ReadWrite);

    Project(Project&&) noexcept;
    Project& operator=(Project&&) noexcept;
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;
    ~Project();

    const std::string& path() const;
    int schemaVersion() const;

    // Settings: small JSON values (split seed and fractions, protocol, UI-independent choices).
    Status setSetting(const std::string& key, const nlohmann::json& value);
    Result<std::optional<nlohmann::json>> setting(const std::string& key) const;

    Status setModel(const ModelReference& model);
    Result<std::optional<ModelReference>> model() const;

    // Classes. ensureClass returns the id of the class with that exact name, creating it last.
    Result<std::int64_t> ensureClass(const std::string& name);
    Result<std::vector<ClassRecord>> classes() const; // by position
    Status renameClass(std::int64_t classId, const std::string& name);
    Status removeClass(std::int64_t classId); // its images become unlabelled, descriptions go
    Status setClassKinds(const std::vector<std::pair<std::int64_t, ClassKind>>& kinds);

    // Images. addImages inserts in one transaction; paths already present are skipped and
    // counted in the returned value's second member.
    Result<std::pair<int, int>> addImages(const std::vector<NewImage>& images);
    Result<std::vector<ImageRecord>> images(const ImageFilter& filter = {}) const;
    Result<int> countImages(const ImageFilter& filter = {}) const;
    Result<std::optional<ImageRecord>> image(std::int64_t imageId) const;
    Result<std::vector<ClassSplitCounts>> countsPerClassAndSplit() const;
    Status setImageLabel(std::int64_t imageId, std::optional<std::int64_t> classId);
    Status setImageSplit(std::int64_t imageId, Split split);
    Status setImageExcluded(std::int64_t imageId, bool excluded);

    // Scenes imported as tiles. addSceneTiles writes the scene (or reuses the row of the same
    // file, tiling and rendering), then images[i] with tiles[i]'s window and box, in one
    // transaction; an image whose path is already in the project is counted as a duplicate.
    // Returns (added, duplicates) like addImages.
    Result<std::pair<int, int>> addSceneTiles(const SceneRecord& scene, const std::vector<NewImage>& images,
                                              const std::vector<TileRecord>& tiles);
    Result<std::vector<SceneRecord>> scenes() const;
    Result<std::vector<TileRecord>> tiles(std::int64_t sceneId) const; // by row, then column
    Result<std::optional<TileRecord>> tileOfImage(std::int64_t imageId) const;

    // Descriptions.
    Result<std::int64_t> addDescription(std::int64_t classId, const std::string& text, const std::string& source);
    Result<DescriptionInsertResult> addDescriptions(const std::vector<DescriptionInsert>& rows);
    Status editDescription(std::int64_t descriptionId, const std::string& text);
    Status removeDescription(std::int64_t descriptionId);
    Result<std::vector<DescriptionRecord>> descriptions(std::optional<std::int64_t> classId = {}) const;

    // Few-shot sets: a run's exact training images and their classes. Saving a set equal to a
    // stored one (same shots, seed and members) returns the stored one's id.
    Result<std::int64_t> saveFewShotSet(const FewShotSet& set);
    Result<std::optional<FewShotSet>> fewShotSetById(std::int64_t id) const;

    // Embedding cache, keyed by the model fingerprint. Values are stored as raw
    // little-endian float32 with their dimension; reads return them bit-exactly.
    Status putImageEmbeddings(const std::string& modelFingerprint, const std::vector<ImageEmbedding>& rows);
    Result<EmbeddingBatch> imageEmbeddings(const std::string& modelFingerprint,
                                           const std::vector<std::string>& imageHashes, int view) const;
    Result<int> cachedViewCount(const std::string& modelFingerprint, const std::string& imageHash) const;
    // Whether any image embedding is cached under this key.
    Result<bool> hasImageEmbeddings(const std::string& modelFingerprint) const;
    Status putTextEmbeddings(const std::string& modelFingerprint, const std::vector<TextEmbedding>& rows);
    Result<EmbeddingBatch> textEmbeddings(const std::string& modelFingerprint,
                                          const std::vector<std::string>& texts) const;
    Status clearEmbeddingCache(const std::string& modelFingerprint);

    // Runs. setRunStatus stamps started/finished times and records this process as owner
    // while running, so that a later process can tell an interrupted run.
    Result<std::int64_t> createRun(const RunSpec& spec);
    Status setRunStatus(std::int64_t runId, RunStatus status, const std::string& errorMessage = {});
    Status setRunSummary(std::int64_t runId, const nlohmann::json& summary);
    Result<std::vector<RunRecord>> runs() const; // newest first
    Result<std::optional<RunRecord>> run(std::int64_t runId) const;
    Status renameRun(std::int64_t runId, const std::string& name);
    Status removeRun(std::int64_t runId); // with its metrics, checkpoints and results

    // One transaction: the epoch's metrics and checkpoint are both there or neither is.
    // Two checkpoints of a run are kept: the newest (resuming needs no other) and the best by
    // validation accuracy (RunRecord::bestEpoch), which evaluation and export use by default.
    Status commitEpoch(std::int64_t runId, const EpochMetrics& metrics, const std::vector<NamedTensor>& checkpoint);
    Result<std::vector<EpochMetrics>> epochMetrics(std::int64_t runId) const;
    Result<std::optional<Checkpoint>> latestCheckpoint(std::int64_t runId) const;
    // The checkpoint of that epoch, if it is one of those kept.
    Result<std::optional<Checkpoint>> checkpointAt(std::int64_t runId, int epoch) const;

    // Results of an evaluation; putPredictions and putAttention each run in one transaction
    // and replace earlier rows of the same (run, image).
    Status putPredictions(std::int64_t runId, const std::vector<PredictionRecord>& rows);
    Result<std::vector<PredictionRecord>> predictions(std::int64_t runId, const PredictionFilter& filter = {}) const;
    Result<std::vector<ConfusionCell>> confusionMatrix(std::int64_t runId, std::optional<Split> split = {}) const;
    Result<std::vector<ClassAccuracy>> perClassAccuracy(std::int64_t runId, std::optional<Split> split = {}) const;
    Status putAttention(std::int64_t runId, const std::vector<AttentionRow>& rows);
    // Largest weight first.
    Result<std::vector<AttentionWeight>> attention(std::int64_t runId, std::int64_t imageId,
                                                   std::int64_t classId) const;

private:
    struct Impl;
    explicit Project(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Named tensors as one blob: "AAPECKP1", u32 LE index length, JSON index
// {"tensors": [{"name", "shape", "offset"}]}, then raw LE float32 values.
Result<std::string> encodeTensors(const std::vector<NamedTensor>& tensors);
Result<std::vector<NamedTensor>> decodeTensors(const std::string& blob);

} // namespace aape::store
