#include "aape/workflow/Encode.h"

#include "workflow/Common.h"

#include <algorithm>
#include <set>

namespace aape::workflow {

using detail::cancelled;
using detail::report;
using detail::secondsSince;

std::string templateFor(const std::string& className)
{
    std::string name = className;
    std::replace(name.begin(), name.end(), '_', ' ');
    return "a photo of a " + name + ".";
}

std::uint64_t viewSeed(std::uint64_t seed, const std::string& hash, int view)
{
    std::uint64_t h = seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(view);
    for (char c : hash)
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
}

store::ModelReference modelReferenceFor(const clip::ModelInfo& info)
{
    store::ModelReference model;
    model.path = info.path;
    model.format = clip::checkpointFormatName(info.format);
    model.fingerprint = info.fingerprint;
    model.info = {
        {"architecture", info.architecture()},        {"embed_dim", info.config.embedDim},
        {"image_size", info.config.vision.imageSize}, {"activation", clip::activationName(info.config.activation)},
        {"activation_source", info.activationSource}, {"logit_scale_log", info.logitScaleLog}};
    return model;
}

clip::Precision projectPrecision(const store::Project& project, clip::Precision requested, std::string* reason)
{
    if (requested != clip::Precision::Auto)
        return requested;
    auto model = project.model();
    if (model && model.value() && !model.value()->fingerprint.empty()) {
        auto cached = project.hasImageEmbeddings(model.value()->cacheKey());
        auto precision = clip::parsePrecision(model.value()->precision());
        if (cached && cached.value() && precision && precision.value() != clip::Precision::Auto) {
            if (reason)
                *reason = model.value()->precision()
                          + ": the project's embeddings are cached in it (choose another "
                            "precision to encode them again)";
            return precision.value();
        }
    }
    return clip::Precision::Auto;
}

Result<EncodeReport> encodeProject(store::Project& project, const clip::ClipEngine& engine,
                                   const EncodeOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    EncodeReport result;
    const auto& info = engine.info();
    result.modelFingerprint = info.fingerprint;
    result.precision = clip::precisionName(engine.model().precision());
    // Embeddings of different precisions never mix: each has its own cache key.
    const std::string key = store::embeddingCacheKey(info.fingerprint, result.precision);
    result.cacheKey = key;

    auto model = modelReferenceFor(info);
    model.info["precision"] = result.precision;
    if (auto previous = project.model();
        previous && previous.value() && previous.value()->info.value("untrained", false))
        model.info["untrained"] = true;
    if (auto status = project.setModel(model); !status)
        return status.error();

    // Texts first: they are few and every run needs them.
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    auto descriptions = project.descriptions();
    if (!descriptions)
        return descriptions.error();
    std::vector<std::string> texts;
    std::set<std::string> seen;
    for (const auto& cls : classes.value())
        if (seen.insert(templateFor(cls.name)).second)
            texts.push_back(templateFor(cls.name));
    for (const auto& d : descriptions.value())
        if (seen.insert(d.text).second)
            texts.push_back(d.text);
    auto cached = project.textEmbeddings(key, texts);
    if (!cached)
        return cached.error();
    std::vector<std::string> missingTexts;
    for (auto index : cached->missing)
        missingTexts.push_back(texts[index]);
    result.textsCached = static_cast<int>(texts.size() - missingTexts.size());
    const std::size_t textBatch = 256;
    for (std::size_t start = 0; start < missingTexts.size(); start += textBatch) {
        if (stopRequested(options.stop))
            return cancelled();
        const std::vector<std::string> batch(
            missingTexts.begin() + static_cast<std::ptrdiff_t>(start),
            missingTexts.begin() + static_cast<std::ptrdiff_t>(std::min(missingTexts.size(), start + textBatch)));
        auto embedded = engine.encodeTexts(batch);
        if (!embedded)
            return embedded.error();
        std::vector<store::TextEmbedding> rows;
        const int d = engine.embedDim();
        for (std::size_t i = 0; i < batch.size(); ++i)
            rows.push_back(
                {batch[i], std::vector<float>(embedded->begin() + static_cast<std::ptrdiff_t>(i * d),
                                              embedded->begin() + static_cast<std::ptrdiff_t>((i + 1) * d))});
        if (auto status = project.putTextEmbeddings(key, rows); !status)
            return status.error();
        result.textsEncoded += static_cast<int>(batch.size());
        report(options.progress, "texts", start + batch.size(), missingTexts.size());
    }

    // Images: which views each one still needs.
    store::ImageFilter filter;
    filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    struct Work {
        const store::ImageRecord* image;
        int firstView; // views firstView..lastView are missing (view 0 handled separately)
        int lastView;
        bool needsCentre;
    };
    std::vector<Work> work;
    for (const auto& image : images.value()) {
        if (!image.classId)
            continue;
        const int wanted = image.split == store::Split::Train ? options.augmentedViews : 0;
        auto count = project.cachedViewCount(key, image.contentHash);
        if (!count)
            return count.error();
        // Views are written in order per batch, so "count" cached views are views 0..count-1.
        if (count.value() >= wanted + 1) {
            ++result.imagesCached;
            continue;
        }
        work.push_back({&image, std::max(1, count.value()), wanted, count.value() == 0});
    }

    const int d = engine.embedDim();
    std::size_t totalViews = 0, augmentedToEncode = 0;
    for (const auto& item : work) {
        augmentedToEncode += static_cast<std::size_t>(std::max(0, item.lastView - item.firstView + 1));
        totalViews +=
            static_cast<std::size_t>(std::max(0, item.lastView - item.firstView + 1)) + (item.needsCentre ? 1 : 0);
    }
    result.viewsPlanned = static_cast<int>(totalViews);
    // The first batch is small: its speed gives the estimate for the whole job within seconds.
    const std::size_t firstBatch = std::min<std::size_t>(static_cast<std::size_t>(options.batchSize),
                                                         static_cast<std::size_t>(std::max(1, options.estimateImages)));
    const auto imagesStarted = std::chrono::steady_clock::now();
    std::size_t done = 0;
    for (std::size_t start = 0; start < work.size();) {
        if (stopRequested(options.stop))
            return cancelled();
        const std::size_t size = start == 0 ? firstBatch : static_cast<std::size_t>(options.batchSize);
        const std::size_t end = std::min(work.size(), start + size);
        std::vector<clip::PreprocessedImage> prepared;
        std::vector<store::ImageEmbedding> rows;
        for (std::size_t i = start; i < end; ++i) {
            const auto& item = work[i];
            auto decoded = clip::decodeImageRgb8(item.image->path);
            if (!decoded) {
                result.failed.push_back({item.image->path, decoded.error().message});
                continue;
            }
            if (item.needsCentre) {
                prepared.push_back(clip::preprocessForModel(decoded.value(), info.normalisation));
                rows.push_back({item.image->contentHash, 0, {}});
            }
            for (int view = item.firstView; view <= item.lastView; ++view) {
                std::mt19937_64 rng(viewSeed(kViewSeed, item.image->contentHash, view));
                prepared.push_back(clip::randomTrainingView(decoded.value(), info.normalisation, rng));
                rows.push_back({item.image->contentHash, view, {}});
            }
            ++result.imagesEncoded;
        }
        std::vector<const clip::PreprocessedImage*> pointers;
        for (const auto& p : prepared)
            pointers.push_back(&p);
        auto embedded = engine.encodePreprocessed(pointers);
        if (!embedded)
            return embedded.error();
        for (std::size_t r = 0; r < rows.size(); ++r)
            rows[r].values.assign(embedded->begin() + static_cast<std::ptrdiff_t>(r * d),
                                  embedded->begin() + static_cast<std::ptrdiff_t>((r + 1) * d));
        if (auto status = project.putImageEmbeddings(key, rows); !status)
            return status.error();
        result.viewsEncoded += static_cast<int>(rows.size());
        if (start == 0 && options.onEstimate && !rows.empty()) {
            EncodeEstimate estimate;
            estimate.images = static_cast<int>(work.size());
            estimate.views = static_cast<int>(totalViews);
            estimate.measuredViews = static_cast<int>(rows.size());
            estimate.viewsPerSecond = static_cast<double>(rows.size()) / std::max(1e-6, secondsSince(imagesStarted));
            estimate.seconds = static_cast<double>(totalViews) / estimate.viewsPerSecond;
            estimate.augmentedViews = options.augmentedViews;
            estimate.augmentedViewsToEncode = static_cast<int>(augmentedToEncode);
            estimate.patchSize = info.config.vision.patchSize;
            estimate.device = engine.model().deviceDescription();
            estimate.precision = result.precision;
            options.onEstimate(estimate);
        }
        done = end;
        start = end;
        report(options.progress, "images", done, work.size());
    }
    result.seconds = secondsSince(started);
    return result;
}

} // namespace aape::workflow
