#include "aape/explore/Collection.h"

#include "aape/workflow/Encode.h"

#include <algorithm>
#include <cmath>

namespace aape::explore {

namespace {

Error notEncoded(const std::string& projectPath)
{
    return makeError(ErrorCode::InvalidArgument,
                     "No image embeddings are cached in this project yet; encode the images first with: aape encode "
                         + projectPath + " (or train once in the studio)",
                     projectPath);
}

void normalise(float* row, int dim)
{
    double sum = 0.0;
    for (int k = 0; k < dim; ++k)
        sum += static_cast<double>(row[k]) * row[k];
    const double norm = std::sqrt(sum);
    if (norm <= 0.0)
        return;
    for (int k = 0; k < dim; ++k)
        row[k] = static_cast<float>(row[k] / norm);
}

// The project's model record for `info`, keeping the facts recorded before that the engine
// does not know (e.g. that the demo's CLIP is a toy).
Result<store::ModelReference> mergedModelReference(const store::Project& project, const clip::ModelInfo& info)
{
    auto reference = workflow::modelReferenceFor(info);
    auto previous = project.model();
    if (!previous)
        return previous.error();
    if (previous.value() && previous.value()->info.is_object())
        for (const auto& [key, value] : previous.value()->info.items())
            if (!reference.info.contains(key))
                reference.info[key] = value;
    return reference;
}

Result<std::string> projectFingerprint(const store::Project& project)
{
    auto model = project.model();
    if (!model)
        return model.error();
    if (!model.value())
        return std::string();
    return model.value()->fingerprint;
}

// The key the project's image embeddings are cached under (fingerprint and precision of the last
// encode); empty when nothing was encoded yet.
Result<std::string> projectCacheKey(const store::Project& project)
{
    auto model = project.model();
    if (!model)
        return model.error();
    if (!model.value() || model.value()->fingerprint.empty())
        return std::string();
    return model.value()->cacheKey();
}

std::vector<std::string> hashesOf(const std::vector<store::ImageRecord>& images)
{
    std::vector<std::string> hashes;
    hashes.reserve(images.size());
    for (const auto& image : images)
        hashes.push_back(image.contentHash);
    return hashes;
}

} // namespace

std::ptrdiff_t EmbeddedCollection::indexOfId(std::int64_t imageId) const
{
    for (std::size_t i = 0; i < images.size(); ++i)
        if (images[i].id == imageId)
            return static_cast<std::ptrdiff_t>(i);
    return -1;
}

std::ptrdiff_t EmbeddedCollection::indexOfPath(const std::string& path) const
{
    for (std::size_t i = 0; i < images.size(); ++i)
        if (images[i].path == path)
            return static_cast<std::ptrdiff_t>(i);
    return -1;
}

std::ptrdiff_t EmbeddedCollection::indexOfHash(const std::string& contentHash) const
{
    for (std::size_t i = 0; i < images.size(); ++i)
        if (images[i].contentHash == contentHash)
            return static_cast<std::ptrdiff_t>(i);
    return -1;
}

std::string EmbeddedCollection::className(const std::optional<std::int64_t>& classId) const
{
    if (!classId)
        return {};
    for (const auto& cls : classes)
        if (cls.id == *classId)
            return cls.name;
    return {};
}

Result<EmbeddedCollection> loadCollection(const store::Project& project, const CollectionOptions& options)
{
    EmbeddedCollection collection;
    collection.projectPath = project.path();
    auto fingerprint = projectFingerprint(project);
    if (!fingerprint)
        return fingerprint.error();
    if (fingerprint->empty())
        return notEncoded(project.path());
    collection.modelFingerprint = fingerprint.value();

    store::ImageFilter filter;
    if (!options.includeExcluded)
        filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    collection.classes = std::move(classes.value());
    auto key = projectCacheKey(project);
    if (!key)
        return key.error();
    auto batch = project.imageEmbeddings(key.value(), hashesOf(images.value()), 0);
    if (!batch)
        return batch.error();
    if (batch->dim == 0)
        return notEncoded(project.path());

    collection.dim = batch->dim;
    const auto d = static_cast<std::size_t>(batch->dim);
    std::vector<bool> missing(images->size(), false);
    for (auto index : batch->missing)
        missing[index] = true;
    collection.images.reserve(images->size() - batch->missing.size());
    collection.embeddings.reserve((images->size() - batch->missing.size()) * d);
    for (std::size_t i = 0; i < images->size(); ++i) {
        if (missing[i]) {
            ++collection.notEncoded;
            continue;
        }
        collection.images.push_back(images.value()[i]);
        collection.embeddings.insert(collection.embeddings.end(),
                                     batch->values.begin() + static_cast<std::ptrdiff_t>(i * d),
                                     batch->values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
        normalise(collection.embeddings.data() + (collection.images.size() - 1) * d, batch->dim);
    }
    return collection;
}

Result<int> countImagesWithoutCanonicalView(const store::Project& project)
{
    store::ImageFilter filter;
    filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    auto key = projectCacheKey(project);
    if (!key)
        return key.error();
    if (key->empty())
        return static_cast<int>(images->size());
    auto batch = project.imageEmbeddings(key.value(), hashesOf(images.value()), 0);
    if (!batch)
        return batch.error();
    return static_cast<int>(batch->missing.size());
}

Result<CanonicalEncodeReport> encodeCanonicalViews(store::Project& project, const clip::ClipEngine& engine,
                                                   const std::function<void(std::size_t, std::size_t)>& progress,
                                                   const StopTokenPtr& stop)
{
    const auto& info = engine.info();
    const std::string precision = clip::precisionName(engine.model().precision());
    // Under the key of the engine's precision; like any encode, this one becomes the project's.
    const std::string key = store::embeddingCacheKey(info.fingerprint, precision);
    auto fingerprint = projectFingerprint(project);
    if (!fingerprint)
        return fingerprint.error();
    auto cachedKey = projectCacheKey(project);
    if (!cachedKey)
        return cachedKey.error();
    if (fingerprint->empty() || (fingerprint.value() == info.fingerprint && cachedKey.value() != key)) {
        auto reference = mergedModelReference(project, info);
        if (!reference)
            return reference.error();
        reference->info["precision"] = precision;
        if (auto status = project.setModel(reference.value()); !status)
            return status.error();
    } else if (fingerprint.value() != info.fingerprint) {
        return makeError(ErrorCode::InvalidArgument,
                         "The CLIP model " + info.path
                             + " is not the one this project's embeddings were computed with; leave out --model to "
                               "use the project's own",
                         project.path());
    }

    store::ImageFilter filter;
    filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    auto batch = project.imageEmbeddings(key, hashesOf(images.value()), 0);
    if (!batch)
        return batch.error();

    CanonicalEncodeReport report;
    const std::size_t total = batch->missing.size();
    const std::size_t batchSize = 32;
    const auto d = static_cast<std::size_t>(engine.embedDim());
    for (std::size_t start = 0; start < total; start += batchSize) {
        if (stopRequested(stop))
            return makeError(ErrorCode::Cancelled, "Encoding was stopped; the images encoded so far are kept.");
        const std::size_t end = std::min(total, start + batchSize);
        std::vector<clip::PreprocessedImage> prepared;
        std::vector<store::ImageEmbedding> rows;
        for (std::size_t m = start; m < end; ++m) {
            const auto& image = images.value()[batch->missing[m]];
            auto decoded = clip::decodeImageRgb8(image.path);
            if (!decoded) {
                report.unreadable.push_back(image.path + ": " + decoded.error().message);
                continue;
            }
            prepared.push_back(clip::preprocessForModel(decoded.value(), info.normalisation));
            rows.push_back({image.contentHash, 0, {}});
        }
        std::vector<const clip::PreprocessedImage*> pointers;
        for (const auto& p : prepared)
            pointers.push_back(&p);
        if (!pointers.empty()) {
            auto embedded = engine.encodePreprocessed(pointers);
            if (!embedded)
                return embedded.error();
            for (std::size_t r = 0; r < rows.size(); ++r)
                rows[r].values.assign(embedded->begin() + static_cast<std::ptrdiff_t>(r * d),
                                      embedded->begin() + static_cast<std::ptrdiff_t>((r + 1) * d));
            if (auto status = project.putImageEmbeddings(key, rows); !status)
                return status.error();
            report.encoded += static_cast<int>(rows.size());
        }
        if (progress)
            progress(end, total);
    }
    return report;
}

Result<std::vector<float>> embedImageFile(const clip::ClipEngine& engine, const std::string& path)
{
    auto decoded = clip::decodeImageRgb8(path);
    if (!decoded)
        return decoded.error();
    auto embedded = engine.encodeImages({decoded.value()});
    if (!embedded)
        return embedded.error();
    normalise(embedded->data(), engine.embedDim());
    return std::move(embedded.value());
}

Result<std::vector<float>> embedText(const clip::ClipEngine& engine, const std::string& text)
{
    if (text.empty())
        return makeError(ErrorCode::InvalidArgument, "Type a few words to search for, e.g. \"a harbour with boats\".");
    auto embedded = engine.encodeTexts({text});
    if (!embedded)
        return embedded.error();
    normalise(embedded->data(), engine.embedDim());
    return std::move(embedded.value());
}

} // namespace aape::explore
