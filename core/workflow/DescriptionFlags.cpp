#include "aape/workflow/DescriptionFlags.h"

#include "aape/aape/Baselines.h"
#include "aape/aape/Evaluator.h"
#include "aape/workflow/Train.h"
#include "workflow/Common.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace aape::workflow {

namespace {

float dot(const float* a, const float* b, std::size_t n)
{
    float sum = 0.0f;
    for (std::size_t i = 0; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

void normaliseRows(std::vector<float>& rows, std::size_t dim)
{
    if (dim == 0)
        return;
    for (std::size_t start = 0; start + dim <= rows.size(); start += dim) {
        const float norm = std::sqrt(dot(&rows[start], &rows[start], dim));
        if (norm > 0.0f)
            for (std::size_t j = 0; j < dim; ++j)
                rows[start + j] /= norm;
    }
}

bool isAapeRun(const store::RunRecord& run)
{
    return parseMethod(run.config.value("method", "aape")).value_or(Method::Aape) == Method::Aape;
}

// The run's training images as (class label, hash): its few-shot set, or for runs without one
// the project's training split.
Status trainingImages(store::Project& project, const detail::RunContext& context, std::vector<std::string>& hashes,
                      std::vector<int>& labels)
{
    std::map<std::int64_t, int> labelOf;
    for (std::size_t c = 0; c < context.trainingClassIds.size(); ++c)
        labelOf[context.trainingClassIds[c]] = static_cast<int>(c);
    std::optional<store::FewShotSet> set;
    if (context.run.fewShotSetId) {
        auto stored = project.fewShotSetById(*context.run.fewShotSetId);
        if (!stored)
            return stored.error();
        set = stored.value();
    }
    if (set) {
        for (std::size_t i = 0; i < set->imageIds.size(); ++i) {
            const auto label = labelOf.find(set->classIds[i]);
            if (label == labelOf.end())
                continue;
            auto image = project.image(set->imageIds[i]);
            if (!image)
                return image.error();
            if (!image.value())
                continue; // removed since the run trained
            hashes.push_back(image.value()->contentHash);
            labels.push_back(label->second);
        }
        return {};
    }
    store::ImageFilter filter;
    filter.split = store::Split::Train;
    filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    for (const auto& image : images.value()) {
        if (!image.classId)
            continue;
        const auto label = labelOf.find(*image.classId);
        if (label == labelOf.end())
            continue;
        hashes.push_back(image.contentHash);
        labels.push_back(label->second);
    }
    return {};
}

} // namespace

int DescriptionFlagsReport::flaggedCount() const
{
    int count = 0;
    for (const auto& cls : classes)
        for (const auto& d : cls.descriptions)
            count += d.flagged();
    return count;
}

Result<std::int64_t> defaultDescriptionRun(store::Project& project)
{
    auto runs = project.runs();
    if (!runs)
        return runs.error();
    std::int64_t trained = 0;
    for (const auto& run : runs.value()) { // newest first
        if (run.lastEpoch < 0 || !isAapeRun(run))
            continue;
        if (run.summary.is_object() && run.summary.contains("evaluated_images"))
            return run.id;
        if (trained == 0)
            trained = run.id;
    }
    if (trained != 0)
        return trained;
    return makeError(ErrorCode::InvalidArgument,
                     "the project has no trained AAPE run; train one (aape train) to see which descriptions it uses",
                     project.path());
}

Result<DescriptionFlagsReport> describeFlags(store::Project& project, std::int64_t runId)
{
    if (runId == 0) {
        auto chosen = defaultDescriptionRun(project);
        if (!chosen)
            return chosen.error();
        runId = chosen.value();
    }
    auto context = detail::loadRunContext(project, runId);
    if (!context)
        return context.error();
    if (!isAapeRun(context->run))
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId)
                             + " is a baseline, not AAPE: it has no aggregator; choose an AAPE run with --run",
                         project.path());
    if (!context->state.find("aggregator.in_proj_weight"))
        return makeError(
            ErrorCode::InvalidArgument,
            "run " + std::to_string(runId)
                + " has no aggregator in its checkpoint; retrain it with this version to rank descriptions",
            project.path());
    std::map<std::int64_t, store::ClassRecord> byId;
    for (const auto& cls : context->allClasses)
        byId[cls.id] = cls;
    std::vector<store::ClassRecord> classes;
    for (auto id : context->trainingClassIds)
        if (byId.count(id))
            classes.push_back(byId[id]);
    if (classes.size() != context->trainingClassIds.size())
        return makeError(ErrorCode::InvalidArgument,
                         "a class run " + std::to_string(runId)
                             + " trained on has been removed since; retrain to rank the descriptions",
                         project.path());

    EvalInput input;
    input.logitScale = context->logitScale;
    std::vector<std::vector<std::int64_t>> descriptionIds;
    const std::string& cacheKey = context->run.modelFingerprint;
    if (auto status = detail::fillClassEmbeddings(project, cacheKey, classes, input, descriptionIds); !status)
        return status.error();
    std::vector<std::string> hashes;
    if (auto status = trainingImages(project, context.value(), hashes, input.labels); !status)
        return status.error();
    if (hashes.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " has no training images left in the project",
                         project.path());
    auto embeddings = project.imageEmbeddings(cacheKey, hashes, 0);
    if (!embeddings)
        return embeddings.error();
    if (!embeddings->missing.empty())
        return makeError(ErrorCode::InvalidArgument,
                         std::to_string(embeddings->missing.size()) + " training images of run " + std::to_string(runId)
                             + " have no cached embedding; encode the project first",
                         project.path());
    input.images = embeddings->values;
    const auto d = static_cast<std::size_t>(input.dim);
    normaliseRows(input.images, d);

    EvalOptions options;
    options.topK = 1;
    options.oodScore = OodScoreKind::MaxSoftmax; // not used here; needs no reference
    auto evaluation = evaluate(context->state, input, options);
    if (!evaluation)
        return evaluation.error();

    const std::size_t classCount = classes.size();
    const std::size_t imageCount = input.labels.size();
    std::vector<int> imagesOf(classCount, 0);
    for (int label : input.labels)
        imagesOf[static_cast<std::size_t>(label)] += 1;
    auto texts = project.descriptions();
    if (!texts)
        return texts.error();
    std::map<std::int64_t, std::string> textOf;
    for (const auto& description : texts.value())
        textOf[description.id] = description.text;

    DescriptionFlagsReport report;
    report.runId = runId;
    report.runName = context->run.name;
    for (std::size_t c = 0; c < classCount; ++c) {
        ClassDescriptionFlags out;
        out.classId = classes[c].id;
        out.className = classes[c].name;
        out.trainingImages = imagesOf[c];
        const auto& ids = descriptionIds[c];
        const std::size_t n = ids.size();
        std::vector<float> p = input.descriptions[c]; // [n, d]
        normaliseRows(p, d);
        std::vector<double> own(n, 0.0), blended(n, 0.0);
        // [n, C]: sum of cosines of description j to class k's training images.
        std::vector<double> cosineSum(n * classCount, 0.0);
        for (std::size_t i = 0; i < imageCount; ++i) {
            const auto label = static_cast<std::size_t>(input.labels[i]);
            for (std::size_t j = 0; j < n; ++j)
                cosineSum[j * classCount + label] += dot(&p[j * d], &input.images[i * d], d);
            if (label != c)
                continue;
            const auto& attention = evaluation->images[i].trueAttention;
            if (attention.classLevel.size() != n || attention.imageLevel.size() != n)
                continue;
            for (std::size_t j = 0; j < n; ++j) {
                own[j] = attention.classLevel[j]; // the same for every image of the class
                blended[j] += attention.imageLevel[j];
            }
        }
        for (std::size_t j = 0; j < n; ++j) {
            DescriptionFlag flag;
            flag.descriptionId = ids[j];
            flag.text = textOf.count(ids[j]) ? textOf[ids[j]] : std::string();
            flag.ownWeight = own[j];
            flag.meanImageWeight = imagesOf[c] > 0 ? blended[j] / imagesOf[c] : 0.0;
            flag.ownCosine = imagesOf[c] > 0 ? cosineSum[j * classCount + c] / imagesOf[c] : 0.0;
            for (std::size_t k = 0; k < classCount; ++k) {
                if (k == c || imagesOf[k] == 0)
                    continue;
                const double mean = cosineSum[j * classCount + k] / imagesOf[k];
                if (flag.otherClass.empty() || mean > flag.otherCosine) {
                    flag.otherClass = classes[k].name;
                    flag.otherCosine = mean;
                }
            }
            // Without training images of its own class (or own weights) there is nothing to judge by.
            flag.ignored =
                n > 1 && imagesOf[c] > 0 && flag.meanImageWeight < kIgnoredWeightFraction / static_cast<double>(n);
            flag.matchesOtherClass = imagesOf[c] > 0 && !flag.otherClass.empty() && flag.otherCosine > flag.ownCosine;
            out.descriptions.push_back(std::move(flag));
        }
        std::stable_sort(out.descriptions.begin(), out.descriptions.end(), [](const auto& a, const auto& b) {
            if (a.meanImageWeight != b.meanImageWeight)
                return a.meanImageWeight > b.meanImageWeight;
            return a.ownWeight > b.ownWeight;
        });
        for (std::size_t j = 0; j < out.descriptions.size(); ++j)
            out.descriptions[j].rank = static_cast<int>(j) + 1;
        report.classes.push_back(std::move(out));
    }
    return report;
}

Result<DescriptionBank> loadDescriptionBank(store::Project& project, const std::string& cacheKey)
{
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    auto descriptions = project.descriptions();
    if (!descriptions)
        return descriptions.error();
    std::map<std::int64_t, std::string> nameOf;
    for (const auto& cls : classes.value())
        nameOf[cls.id] = cls.name;
    std::vector<std::string> texts;
    for (const auto& description : descriptions.value())
        texts.push_back(description.text);
    DescriptionBank bank;
    if (texts.empty())
        return bank;
    auto embedded = project.textEmbeddings(cacheKey, texts);
    if (!embedded)
        return embedded.error();
    bank.dim = embedded->dim;
    const auto d = static_cast<std::size_t>(bank.dim);
    std::size_t nextMissing = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (nextMissing < embedded->missing.size() && embedded->missing[nextMissing] == i) {
            ++nextMissing;
            continue;
        }
        const auto& description = descriptions.value()[i];
        bank.descriptionIds.push_back(description.id);
        bank.texts.push_back(description.text);
        bank.classNames.push_back(nameOf[description.classId]);
        bank.embeddings.insert(bank.embeddings.end(), embedded->values.begin() + static_cast<std::ptrdiff_t>(i * d),
                               embedded->values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    }
    normaliseRows(bank.embeddings, d);
    return bank;
}

Result<DescriptionBank> descriptionBankFor(store::Project& project, const clip::ClipEngine& engine)
{
    const auto key =
        store::embeddingCacheKey(engine.info().fingerprint, clip::precisionName(engine.model().precision()));
    auto cached = loadDescriptionBank(project, key);
    if (!cached)
        return cached.error();
    auto descriptions = project.descriptions();
    if (!descriptions)
        return descriptions.error();
    if (cached->texts.size() == descriptions->size())
        return cached;
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::map<std::int64_t, std::string> nameOf;
    for (const auto& cls : classes.value())
        nameOf[cls.id] = cls.name;
    DescriptionBank bank;
    for (const auto& description : descriptions.value()) {
        bank.descriptionIds.push_back(description.id);
        bank.texts.push_back(description.text);
        bank.classNames.push_back(nameOf[description.classId]);
    }
    auto encoded = engine.encodeTexts(bank.texts);
    if (!encoded)
        return encoded.error();
    bank.dim = engine.embedDim();
    bank.embeddings = std::move(encoded).value();
    normaliseRows(bank.embeddings, static_cast<std::size_t>(bank.dim));
    return bank;
}

std::vector<NearestDescription> nearestDescriptions(const DescriptionBank& bank, const std::vector<float>& image,
                                                    int count)
{
    std::vector<NearestDescription> out;
    const auto d = static_cast<std::size_t>(bank.dim);
    if (bank.empty() || d == 0 || image.size() != d || count <= 0)
        return out;
    std::vector<float> x = image;
    normaliseRows(x, d);
    std::vector<float> cosines(bank.texts.size());
    for (std::size_t i = 0; i < bank.texts.size(); ++i)
        cosines[i] = dot(&bank.embeddings[i * d], x.data(), d);
    std::vector<std::size_t> order(cosines.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto k = std::min(order.size(), static_cast<std::size_t>(count));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) { return cosines[a] > cosines[b]; });
    for (std::size_t i = 0; i < k; ++i) {
        const auto j = order[i];
        out.push_back({bank.texts[j], bank.classNames[j], bank.descriptionIds[j], cosines[j]});
    }
    return out;
}

std::string looksLikeText(const std::vector<NearestDescription>& nearest)
{
    std::string out;
    for (const auto& n : nearest) {
        if (!out.empty())
            out += ", ";
        out += n.text + " (" + n.className + ")";
    }
    return out;
}

} // namespace aape::workflow
