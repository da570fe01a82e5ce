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

// The augmented views' seed. Views are a property of the image and the project, not of a run:
// every run, seed and front end reuses the same cached views (per image hash and view index).
inline constexpr std::uint64_t kViewSeed = 1;

// The random state of augmented view `view` of the image with that content hash: per image
// and view, so a view is the same whichever batch, run or machine (cluster shards) makes it.
std::uint64_t viewSeed(std::uint64_t seed, const std::string& contentHash, int view);

struct EncodeOptions {
    int augmentedViews = 10; // cached random-resized-crop + flip views per training image
    int batchSize = 32;      // images per CLIP batch and per committed transaction
    ProgressCallback progress;
    StopTokenPtr stop;
};

struct EncodeReport {
    std::string modelFingerprint;
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
