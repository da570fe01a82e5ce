#pragma once
// Encoding a project: the frozen CLIP's embeddings of every image view, description and class
// template, cached in the project file. Call from one thread with that thread's Project.

#include "aape/aape/Trainer.h"
#include "aape/clip/ClipEngine.h"
#include "aape/data/DatasetImport.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"

#include <functional>
#include <string>
#include <vector>

namespace aape::workflow {

// "a photo of a {class}." with underscores read as spaces, as CoOp's templates are used.
std::string templateFor(const std::string& className);

struct Progress {
    std::string stage; // "images", "texts", "training", "evaluating"
    std::size_t done = 0;
    std::size_t total = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

// What the project records about a CLIP: path, format, fingerprint and the facts the studio
// shows (architecture, embedding size, resolution, activation and where it was read from).
store::ModelReference modelReferenceFor(const clip::ModelInfo& info);

// The precision to encode a project in. An explicit choice stands. Auto keeps the precision of
// the embeddings the project already caches for its CLIP (fp32 for projects from before
// precisions existed, or shards imported from `aape embed`), so that nothing is encoded twice;
// a project with nothing cached gets the machine's automatic precision. `reason` says which.
clip::Precision projectPrecision(const store::Project& project, clip::Precision requested,
                                 std::string* reason = nullptr);

// The augmented views' seed. Views are a property of the image and the project, not of a run:
// every run, seed and front end reuses the same cached views (per image hash and view index).
inline constexpr std::uint64_t kViewSeed = 1;

// The random state of augmented view `view` of the image with that content hash: per image
// and view, so a view is the same whichever batch, run or machine (cluster shards) makes it.
std::uint64_t viewSeed(std::uint64_t seed, const std::string& contentHash, int view);

// The time an encode will take, measured on its first few images before the rest starts.
struct EncodeEstimate {
    int images = 0;        // images that need encoding
    int views = 0;         // views to encode in all (centre + augmented)
    int measuredViews = 0; // views the measurement encoded
    double viewsPerSecond = 0.0;
    double seconds = 0.0;           // estimated total for `views`
    int augmentedViews = 0;         // per training image, as asked
    int augmentedViewsToEncode = 0; // of `views`, the augmented ones
    int patchSize = 0;              // the CLIP's, for the hint that larger patches encode faster
    std::string device;             // e.g. "cpu (bf16)"
    std::string precision;          // "fp32", "bf16", ...
};

struct EncodeOptions {
    int augmentedViews = 10; // cached random-resized-crop + flip views per training image
    int batchSize = 32;      // images per CLIP batch and per committed transaction
    int estimateImages = 4;  // images in the first, measured batch
    ProgressCallback progress;
    // Called once after the first batch when images need encoding: show it before the wait.
    std::function<void(const EncodeEstimate&)> onEstimate;
    StopTokenPtr stop;
};

struct EncodeReport {
    std::string modelFingerprint;
    std::string precision; // what the towers ran in: "fp32", "bf16", "fp16", "int8"
    std::string cacheKey;  // store::embeddingCacheKey(fingerprint, precision)
    int viewsPlanned = 0;  // views that needed encoding when it started
    int imagesEncoded = 0; // images that needed at least one view
    int viewsEncoded = 0;
    int imagesCached = 0; // images whose views were all cached already
    int textsEncoded = 0;
    int textsCached = 0;
    std::vector<data::SkippedFile> failed; // images that could not be read now
    double seconds = 0.0;
};

// Records the engine's model (with its fingerprint) in the project and makes sure every
// non-excluded labelled image has its centre view (0) cached, train images also views
// 1..augmentedViews, and every description and class template has its text embedding.
// Work is committed per batch: a stop or crash keeps what was done.
Result<EncodeReport> encodeProject(store::Project& project, const clip::ClipEngine& engine,
                                   const EncodeOptions& options = {});

} // namespace aape::workflow
