#pragma once
// The user's workflow on one project file: encode (fill the embedding cache), train a run
// (with a checkpoint and metrics committed per epoch), resume, evaluate, export. The CLI
// and the studio's worker thread call these; each call uses its Project and ClipEngine from
// the calling thread only, reports through callbacks on that thread and polls the stop token.

#include "aape/aape/Bundle.h"
#include "aape/aape/Evaluator.h"
#include "aape/aape/Trainer.h"
#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

// "a photo of a {class}." with underscores read as spaces, as CoOp's templates are used.
std::string templateFor(const std::string& className);

struct Progress {
    std::string stage;  // "images", "texts", "training", "evaluating"
    std::size_t done = 0;
    std::size_t total = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

// What the project records about a CLIP: path, format, fingerprint and the facts the studio
// shows (architecture, embedding size, resolution, activation and where it was read from).
store::ModelReference modelReferenceFor(const clip::ModelInfo& info);

// Per-epoch metrics between the trainer's form and the project file's.
store::EpochMetrics toStore(const EpochMetrics& metrics);
EpochMetrics fromStore(const store::EpochMetrics& metrics);

struct EncodeOptions {
    int augmentedViews = 10;  // cached random-resized-crop + flip views per training image
    std::uint64_t seed = 1;   // seeds the views (per image hash and view index)
    int batchSize = 32;       // images per CLIP batch and per committed transaction
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct EncodeReport {
    std::string modelFingerprint;
    int imagesEncoded = 0;    // images that needed at least one view
    int viewsEncoded = 0;
    int imagesCached = 0;     // images whose views were all cached already
    int textsEncoded = 0;
    int textsCached = 0;
    std::vector<data::SkippedFile> failed;  // images that could not be read now
    double seconds = 0.0;
};

// Records the engine's model (with its fingerprint) in the project and makes sure every
// non-excluded labelled image has its centre view (0) cached, train images also views
// 1..augmentedViews, and every description and class template has its text embedding.
// Work is committed per batch: a stop or crash keeps what was done.
Result<EncodeReport> encodeProject(store::Project& project, const clip::ClipEngine& engine,
                                   const EncodeOptions& options = {});

struct RunRequest {
    TrainConfig config;
    std::string name;          // empty: "run N"
    std::string group;         // runs of one multi-seed set share it
    bool baseToNew = false;    // train on base classes only, evaluate base and new
};

struct RunCallbacks {
    std::function<void(std::int64_t runId, const EpochMetrics&)> onEpoch;  // after the epoch is committed
    std::function<void(int step, int totalSteps)> onStep;
    std::function<void(const std::string&)> onLog;
};

struct RunOutcome {
    std::int64_t runId = 0;
    bool stopped = false;
    int epochsCompleted = 0;
};

// Creates a run, samples (or reuses) the few-shot set, trains on cached embeddings and
// commits each epoch. Call encodeProject first; missing embeddings are an error that says so.
Result<RunOutcome> trainRun(store::Project& project, const RunRequest& request, const RunCallbacks& callbacks = {},
                            const StopTokenPtr& stop = {});

// Continues an interrupted or stopped run from its last committed epoch.
Result<RunOutcome> resumeRun(store::Project& project, std::int64_t runId, const RunCallbacks& callbacks = {},
                             const StopTokenPtr& stop = {});

struct EvaluateOptions {
    int topK = 5;
    OodScoreKind oodScore = OodScoreKind::MaxSoftmax;
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct EvaluateSummary {
    std::int64_t runId = 0;
    int images = 0;
    double accuracy = 0.0;          // all evaluated images (base and new pooled for base-to-new)
    double zeroShotAccuracy = 0.0;
    std::optional<double> baseAccuracy, newAccuracy, harmonicMean;  // base-to-new runs
    nlohmann::json summary;         // what was stored with the run
};

// Evaluates the run's last checkpoint on the test images (the validation images when there
// is no test split) from the cache, and stores predictions, attention over descriptions and
// the run's summary. Base-to-new runs evaluate base images among the base classes and new
// images among the new classes (CoOp's protocol) and report the harmonic mean.
Result<EvaluateSummary> evaluateRun(store::Project& project, std::int64_t runId, const EvaluateOptions& options = {});

// A set of runs trained together with several seeds (`aape train --seeds 1 2 3`, or the
// studio's seeds setting): mean and sample standard deviation of each summary metric over
// the set's evaluated runs, as papers report few-shot results.
struct MeanStd {
    double mean = 0.0;
    double std = 0.0;  // sample standard deviation (n − 1); 0 for one value
    int count = 0;
};
std::optional<MeanStd> meanStd(const std::vector<double>& values);  // empty for no values

struct RunSetSummary {
    std::string group;
    std::vector<std::int64_t> runIds;  // evaluated runs of the set, oldest first
    struct Statistic : MeanStd {
        std::string key;  // summary key: accuracy, zero_shot_accuracy, base_accuracy, new_accuracy, harmonic_mean
    };
    std::vector<Statistic> statistics;  // in the order of the keys above, those present
};

// One entry per group that has at least one evaluated run, in order of first appearance.
std::vector<RunSetSummary> summariseRunSets(const std::vector<store::RunRecord>& runs);

// Writes the run's prompt generator as *.aape.safetensors (DESIGN.md section 4): h, g, the
// template embeddings of the run's training classes, logit scale and a manifest.
Status exportRunBundle(store::Project& project, std::int64_t runId, const std::string& path,
                       bool includeDescriptions = false);

struct ImagePrediction {
    std::string path;
    std::vector<std::pair<std::string, float>> top;  // class name, probability; best first
    float oodScore = 0.0f;  // 1 − max softmax probability (our addition)
    std::string error;      // set when the image could not be read (then `top` is empty)
};

// Classifies images with a bundle and the CLIP it was trained on; extraClasses are new
// class names (templates encoded now), scored together with the bundle's classes.
Result<std::vector<ImagePrediction>> predictImages(const Bundle& bundle, const clip::ClipEngine& engine,
                                                   const std::vector<std::string>& imagePaths,
                                                   const std::vector<std::string>& extraClasses = {}, int topK = 5);

} // namespace aape::workflow
