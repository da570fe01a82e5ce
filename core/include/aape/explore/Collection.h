#pragma once
// The collection as the explore tools see it (map, similar images, duplicates, label mistakes,
// what to label next): every image of the project with the CLIP embedding of its canonical
// (centre-crop, un-augmented) view from the embedding cache. Call from one thread with that
// thread's Project; the loaded collection is plain data, safe to hand to another thread.

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/util/StopToken.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aape::explore {

struct EmbeddedCollection {
    std::string projectPath;
    std::string modelFingerprint;
    int dim = 0;
    std::vector<store::ImageRecord> images; // the images with a cached canonical view, in id order
    std::vector<float> embeddings;          // [images.size(), dim], rows L2-normalised
    std::vector<store::ClassRecord> classes;
    int notEncoded = 0; // images of the project left out because their canonical view is not cached

    std::size_t size() const { return images.size(); }
    const float* row(std::size_t index) const { return embeddings.data() + index * static_cast<std::size_t>(dim); }
    // Index of the image with that id, path (as stored) or content hash; -1 when not in the collection.
    std::ptrdiff_t indexOfId(std::int64_t imageId) const;
    std::ptrdiff_t indexOfPath(const std::string& path) const;
    std::ptrdiff_t indexOfHash(const std::string& contentHash) const;
    // The class's name, or "" for an unlabelled image.
    std::string className(const std::optional<std::int64_t>& classId) const;
};

struct CollectionOptions {
    bool includeExcluded = false; // excluded images are left out unless asked for
};

// The cached canonical views of the project's images under the project's CLIP. An error when
// the project has no CLIP yet or not one image is encoded (it names the command that encodes them).
Result<EmbeddedCollection> loadCollection(const store::Project& project, const CollectionOptions& options = {});

// How many non-excluded images (labelled or not) have no canonical view cached.
Result<int> countImagesWithoutCanonicalView(const store::Project& project);

struct CanonicalEncodeReport {
    int encoded = 0;
    std::vector<std::string> unreadable; // "path: reason" of images that could not be read
};

// Caches the canonical view (view 0) of every non-excluded image that lacks one, unlabelled
// images included (aape encode caches labelled ones only). `engine` must be the project's CLIP:
// the project's recorded fingerprint must match. Committed per batch; polls `stop`.
Result<CanonicalEncodeReport> encodeCanonicalViews(store::Project& project, const clip::ClipEngine& engine,
                                                   const std::function<void(std::size_t, std::size_t)>& progress = {},
                                                   const StopTokenPtr& stop = {});

// Queries in the collection's embedding space, [dim], L2-normalised: an image file (decoded and
// embedded now, so it need not be in the project) or a phrase ("a harbour with boats").
Result<std::vector<float>> embedImageFile(const clip::ClipEngine& engine, const std::string& path);
Result<std::vector<float>> embedText(const clip::ClipEngine& engine, const std::string& text);

} // namespace aape::explore
