#pragma once
// Which descriptions earn their place: per class, each description's weight in a trained AAPE
// run's aggregator and its CLIP match to the run's training images, ranked and flagged; and the
// descriptions nearest an image over all classes ("looks like"). Call from one thread with
// that thread's Project; the nearest-description helpers are pure and thread-safe.

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aape::workflow {

// A description is flagged "ignored" when its mean weight over the class's training images
// (the aggregator's attention re-weighted by each image's CLIP match, as the ranking uses) is
// below kIgnoredWeightFraction / n (n: the class's descriptions). An even share is 1/n. The
// aggregator's own, class-level weight alone does not tell: on the demo (toy CLIP, 100 epochs,
// base-to-new) every own weight lay between 0.83/n and 1.62/n, and the planted distractor
// "a crimson rhombus" had the highest own weight (0.256) while its mean weight over the images
// was 0.001. Half the even share is "well under" what a description in use gets, in classes of
// 2..100 descriptions alike; with n = 2 that is under 0.25 against the other's 0.75.
inline constexpr double kIgnoredWeightFraction = 0.5;

struct DescriptionFlag {
    std::int64_t descriptionId = 0;
    std::string text;
    int rank = 0;                   // 1 = most attended within its class (by meanImageWeight)
    double ownWeight = 0.0;         // the aggregator's own (class-level) weight; sums to 1 over the class
    double meanImageWeight = 0.0;   // mean image-level (blended) weight over the class's training images
    double ownCosine = 0.0;         // mean CLIP cosine to the class's own training images
    std::string otherClass;         // the other trained class whose training images match best; empty if none
    double otherCosine = 0.0;       // mean CLIP cosine to that class's training images
    bool ignored = false;           // meanImageWeight < kIgnoredWeightFraction / n (never with n = 1)
    bool matchesOtherClass = false; // otherCosine > ownCosine
    bool flagged() const { return ignored || matchesOtherClass; }
};

struct ClassDescriptionFlags {
    std::int64_t classId = 0;
    std::string className;
    int trainingImages = 0;
    std::vector<DescriptionFlag> descriptions; // by rank
};

struct DescriptionFlagsReport {
    std::int64_t runId = 0;
    std::string runName;
    double ignoredThreshold = kIgnoredWeightFraction; // as a fraction of 1/n
    std::vector<ClassDescriptionFlags> classes;       // the run's trained classes, in label order
    int flaggedCount() const;
};

// The project's newest AAPE run that was evaluated, else the newest AAPE run with a completed
// epoch; an error saying to train when there is none.
Result<std::int64_t> defaultDescriptionRun(store::Project& project);

// Ranks and flags the descriptions of every class `runId` trained (0: defaultDescriptionRun),
// from the run's checkpoint, its few-shot training images (centre view) and the cached
// description embeddings. Descriptions added since the last encode are left out.
Result<DescriptionFlagsReport> describeFlags(store::Project& project, std::int64_t runId = 0);

// Every description of the project with its class and its cached CLIP embedding under
// `cacheKey`, L2-normalised: what "looks like" searches.
struct DescriptionBank {
    int dim = 0;
    std::vector<std::int64_t> descriptionIds;
    std::vector<std::string> texts;
    std::vector<std::string> classNames;
    std::vector<float> embeddings; // [M, dim]
    bool empty() const { return texts.empty(); }
};

// Descriptions without a cached embedding under `cacheKey` are left out.
Result<DescriptionBank> loadDescriptionBank(store::Project& project, const std::string& cacheKey);

// The project's descriptions as `engine` embeds them: from the project's cache under the
// engine's fingerprint and precision, the rest (or all, for another CLIP) encoded now.
Result<DescriptionBank> descriptionBankFor(store::Project& project, const clip::ClipEngine& engine);

struct NearestDescription {
    std::string text;
    std::string className;
    std::int64_t descriptionId = 0;
    float cosine = 0.0f;
};

// The `count` descriptions of `bank` nearest the L2-normalised image embedding by cosine, best
// first; empty when the bank is empty or the dimensions differ.
std::vector<NearestDescription> nearestDescriptions(const DescriptionBank& bank, const std::vector<float>& image,
                                                    int count = 3);

// "a harbour with moored boats (harbor), ..." as the CLI and the studio print it.
std::string looksLikeText(const std::vector<NearestDescription>& nearest);

} // namespace aape::workflow
