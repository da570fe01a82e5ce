#include "aape/workflow/Workflow.h"

#include "aape/data/Protocol.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace aape::workflow {

std::string templateFor(const std::string& className)
{
    std::string name = className;
    std::replace(name.begin(), name.end(), '_', ' ');
    return "a photo of a " + name + ".";
}

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void report(const ProgressCallback& progress, const std::string& stage, std::size_t done, std::size_t total)
{
    if (progress)
        progress({stage, done, total});
}

Error cancelled() { return makeError(ErrorCode::Cancelled, "stopped by the user; the work done so far is kept"); }

// Per image hash and view index, so a view is the same whichever batch it lands in.
std::uint64_t viewSeed(std::uint64_t seed, const std::string& hash, int view)
{
    std::uint64_t h = seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(view);
    for (char c : hash)
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
}

} // namespace

store::ModelReference modelReferenceFor(const clip::ModelInfo& info)
{
    store::ModelReference model;
    model.path = info.path;
    model.format = clip::checkpointFormatName(info.format);
    model.fingerprint = info.fingerprint;
    model.info = {{"architecture", info.architecture()},
                  {"embed_dim", info.config.embedDim},
                  {"image_size", info.config.vision.imageSize},
                  {"activation", clip::activationName(info.config.activation)},
                  {"activation_source", info.activationSource},
                  {"logit_scale_log", info.logitScaleLog}};
    return model;
}

namespace {

// The trainer's and the project file's per-epoch metrics have the same fields.
template <typename To, typename From>
To convertMetrics(const From& m)
{
    To out;
    out.epoch = m.epoch;
    out.totalLoss = m.totalLoss;
    out.taskLoss = m.taskLoss;
    out.distillLoss = m.distillLoss;
    out.aggReward = m.aggReward;
    out.trainAccuracy = m.trainAccuracy;
    out.valAccuracy = m.valAccuracy;
    out.learningRate = m.learningRate;
    out.seconds = m.seconds;
    return out;
}

} // namespace

store::EpochMetrics toStore(const EpochMetrics& m)
{
    return convertMetrics<store::EpochMetrics>(m);
}

EpochMetrics fromStore(const store::EpochMetrics& m)
{
    return convertMetrics<EpochMetrics>(m);
}

Result<EncodeReport> encodeProject(store::Project& project, const clip::ClipEngine& engine,
                                   const EncodeOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    EncodeReport result;
    const auto& info = engine.info();
    result.modelFingerprint = info.fingerprint;

    auto model = modelReferenceFor(info);
    if (auto previous = project.model(); previous && previous.value() && previous.value()->info.value("untrained", false))
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
    auto cached = project.textEmbeddings(info.fingerprint, texts);
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
        const std::vector<std::string> batch(missingTexts.begin() + static_cast<std::ptrdiff_t>(start),
                                             missingTexts.begin() +
                                                 static_cast<std::ptrdiff_t>(std::min(missingTexts.size(), start + textBatch)));
        auto embedded = engine.encodeTexts(batch);
        if (!embedded)
            return embedded.error();
        std::vector<store::TextEmbedding> rows;
        const int d = engine.embedDim();
        for (std::size_t i = 0; i < batch.size(); ++i)
            rows.push_back({batch[i], std::vector<float>(embedded->begin() + static_cast<std::ptrdiff_t>(i * d),
                                                         embedded->begin() + static_cast<std::ptrdiff_t>((i + 1) * d))});
        if (auto status = project.putTextEmbeddings(info.fingerprint, rows); !status)
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
        int firstView;  // views firstView..lastView are missing (view 0 handled separately)
        int lastView;
        bool needsCentre;
    };
    std::vector<Work> work;
    for (const auto& image : images.value()) {
        if (!image.classId)
            continue;
        const int wanted = image.split == store::Split::Train ? options.augmentedViews : 0;
        auto count = project.cachedViewCount(info.fingerprint, image.contentHash);
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
    std::size_t done = 0;
    for (std::size_t start = 0; start < work.size(); start += static_cast<std::size_t>(options.batchSize)) {
        if (stopRequested(options.stop))
            return cancelled();
        const std::size_t end = std::min(work.size(), start + static_cast<std::size_t>(options.batchSize));
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
                std::mt19937_64 rng(viewSeed(options.seed, item.image->contentHash, view));
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
        if (auto status = project.putImageEmbeddings(info.fingerprint, rows); !status)
            return status.error();
        result.viewsEncoded += static_cast<int>(rows.size());
        done = end;
        report(options.progress, "images", done, work.size());
    }
    result.seconds = secondsSince(started);
    return result;
}

namespace {

struct PreparedRun {
    TrainingData data;
    std::vector<std::int64_t> classIds;  // training class index -> class id
    std::int64_t fewShotSetId = 0;
    int descriptionsWithoutEmbedding = 0;  // added after the last encode: left out of this run
};

Result<std::vector<float>> textRows(store::Project& project, const std::string& fingerprint,
                                    const std::vector<std::string>& texts)
{
    auto batch = project.textEmbeddings(fingerprint, texts);
    if (!batch)
        return batch.error();
    if (!batch->missing.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "some descriptions or class names have no cached embedding yet (e.g. \"" +
                             texts[batch->missing.front()] + "\"); encode the project first",
                         project.path());
    return batch->values;
}

// Builds the trainer's input from the cache: the few-shot set's views, templates and
// descriptions of the training classes, and the validation images.
Result<PreparedRun> prepareRun(store::Project& project, const TrainConfig& config, bool baseToNew,
                               const std::string& fingerprint, std::optional<std::int64_t> fewShotSetId)
{
    PreparedRun prepared;
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::vector<store::ClassRecord> trainClasses;
    if (baseToNew) {
        auto split = data::assignBaseNew(project);
        if (!split)
            return split.error();
        std::set<std::int64_t> base(split->base.begin(), split->base.end());
        for (const auto& cls : classes.value())
            if (base.count(cls.id))
                trainClasses.push_back(cls);
    } else {
        trainClasses = classes.value();
    }
    if (trainClasses.size() < 2)
        return makeError(ErrorCode::InvalidArgument, "training needs at least two classes with images", project.path());
    std::map<std::int64_t, int> labelOf;
    for (const auto& cls : trainClasses) {
        labelOf[cls.id] = static_cast<int>(prepared.classIds.size());
        prepared.classIds.push_back(cls.id);
    }

    auto model = project.model();
    if (!model)
        return model.error();
    const double logitScaleLog = model.value() ? model.value()->info.value("logit_scale_log", std::log(100.0)) : std::log(100.0);

    TrainingData& data = prepared.data;
    data.classCount = static_cast<int>(trainClasses.size());
    data.logitScale = static_cast<float>(std::exp(logitScaleLog));
    std::vector<std::string> templates;
    for (const auto& cls : trainClasses)
        templates.push_back(templateFor(cls.name));
    auto templateRows = textRows(project, fingerprint, templates);
    if (!templateRows)
        return templateRows.error();
    data.templates = templateRows.value();
    data.dim = static_cast<int>(data.templates.size() / trainClasses.size());
    const int d = data.dim;

    auto descriptions = project.descriptions();
    if (!descriptions)
        return descriptions.error();
    std::map<std::int64_t, std::vector<std::string>> textsByClass;
    for (const auto& desc : descriptions.value())
        textsByClass[desc.classId].push_back(desc.text);
    // Descriptions added after the project was encoded (say, in the studio while this command
    // started) have no embedding yet: the run uses the others, and the next encode brings them
    // in. A class left with none uses its template, as a class without descriptions does.
    for (std::size_t c = 0; c < trainClasses.size(); ++c) {
        const auto& texts = textsByClass[trainClasses[c].id];
        std::vector<float> rows;
        if (!texts.empty()) {
            auto embedded = project.textEmbeddings(fingerprint, texts);
            if (!embedded)
                return embedded.error();
            if (embedded->dim != 0 && embedded->dim != d)
                return makeError(ErrorCode::ShapeMismatch,
                                 "cached description embeddings do not match the class names' dimension; "
                                 "clear the embedding cache and encode again",
                                 project.path());
            std::size_t nextMissing = 0;
            for (std::size_t i = 0; i < texts.size(); ++i) {
                if (nextMissing < embedded->missing.size() && embedded->missing[nextMissing] == i) {
                    ++nextMissing;
                    ++prepared.descriptionsWithoutEmbedding;
                    continue;
                }
                rows.insert(rows.end(), embedded->values.begin() + static_cast<std::ptrdiff_t>(i * d),
                            embedded->values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
            }
        }
        if (rows.empty())
            rows.assign(data.templates.begin() + static_cast<std::ptrdiff_t>(c * d),
                        data.templates.begin() + static_cast<std::ptrdiff_t>((c + 1) * d));
        data.descriptions.push_back(std::move(rows));
    }

    // Few-shot set: reuse the run's own on resume, else sample (or reuse) by shots and seed.
    std::optional<store::FewShotSet> set;
    if (fewShotSetId) {
        auto stored = project.fewShotSetById(*fewShotSetId);
        if (!stored)
            return stored.error();
        set = stored.value();
    } else {
        auto sampled = data::sampleFewShot(project, config.shots, config.seed);
        if (!sampled)
            return sampled.error();
        set = sampled.value();
    }
    if (!set)
        return makeError(ErrorCode::Database, "the run's few-shot set is missing from the project", project.path());
    prepared.fewShotSetId = set->id;

    std::vector<std::string> hashes;
    for (auto imageId : set->imageIds) {
        auto image = project.image(imageId);
        if (!image)
            return image.error();
        if (!image.value() || !image.value()->classId || !labelOf.count(*image.value()->classId))
            continue;
        hashes.push_back(image.value()->contentHash);
        data.sampleLabels.push_back(labelOf[*image.value()->classId]);
    }
    if (hashes.empty())
        return makeError(ErrorCode::InvalidArgument, "there are no training images in the training classes",
                         project.path());
    const int views = std::max(1, config.augmentedViews);
    data.viewsPerSample = views;
    data.sampleViews.assign(hashes.size() * static_cast<std::size_t>(views) * d, 0.0f);
    for (int v = 0; v < views; ++v) {
        const int viewIndex = config.augmentedViews > 0 ? v + 1 : 0;
        auto batch = project.imageEmbeddings(fingerprint, hashes, viewIndex);
        if (!batch)
            return batch.error();
        if (!batch->missing.empty())
            return makeError(ErrorCode::InvalidArgument,
                             "training images lack cached views (" + std::to_string(batch->missing.size()) +
                                 " missing for view " + std::to_string(viewIndex) + "); encode the project first",
                             project.path());
        for (std::size_t s = 0; s < hashes.size(); ++s)
            std::copy_n(batch->values.begin() + static_cast<std::ptrdiff_t>(s * d), d,
                        data.sampleViews.begin() + static_cast<std::ptrdiff_t>((s * views + v) * d));
    }

    store::ImageFilter validation;
    validation.split = store::Split::Val;
    validation.excluded = false;
    auto valImages = project.images(validation);
    if (!valImages)
        return valImages.error();
    std::vector<std::string> valHashes;
    for (const auto& image : valImages.value()) {
        if (!image.classId || !labelOf.count(*image.classId))
            continue;
        valHashes.push_back(image.contentHash);
        data.validationLabels.push_back(labelOf[*image.classId]);
    }
    if (!valHashes.empty()) {
        auto batch = project.imageEmbeddings(fingerprint, valHashes, 0);
        if (!batch)
            return batch.error();
        if (!batch->missing.empty()) {
            data.validationLabels.clear();
        } else {
            data.validationEmbeddings = batch->values;
        }
    }
    return prepared;
}

Result<RunOutcome> runTraining(store::Project& project, std::int64_t runId, const PreparedRun& prepared,
                               const TrainConfig& config, const RunCallbacks& callbacks, const StopTokenPtr& stop,
                               const TrainState* resume)
{
    if (auto status = project.setRunStatus(runId, store::RunStatus::Running); !status)
        return status.error();
    if (prepared.descriptionsWithoutEmbedding > 0 && callbacks.onLog)
        callbacks.onLog(std::to_string(prepared.descriptionsWithoutEmbedding)
                        + " description(s) added since the last encode are left out of this run; encode the project "
                          "to include them");
    std::optional<Error> commitError;
    TrainCallbacks trainCallbacks;
    trainCallbacks.onLog = callbacks.onLog;
    trainCallbacks.onEpoch = [&](const EpochMetrics& metrics, const TrainState& state) {
        if (commitError)
            return;
        if (auto status = project.commitEpoch(runId, toStore(metrics), state.tensors); !status) {
            commitError = status.error();
            return;
        }
        if (callbacks.onEpoch)
            callbacks.onEpoch(runId, metrics);
    };
    // A failed commit (disk full, read-only file) stops training at once, as does the user.
    auto innerStop = std::make_shared<StopToken>();
    trainCallbacks.onStep = [&](int step, int total) {
        if (stopRequested(stop) || commitError)
            innerStop->request();
        if (callbacks.onStep)
            callbacks.onStep(step, total);
    };
    auto trained = train(prepared.data, config, trainCallbacks, innerStop, resume);
    if (commitError) {
        (void)project.setRunStatus(runId, store::RunStatus::Failed, commitError->toString());
        return *commitError;
    }
    if (!trained) {
        (void)project.setRunStatus(runId, store::RunStatus::Failed, trained.error().toString());
        return trained.error();
    }
    RunOutcome outcome;
    outcome.runId = runId;
    outcome.stopped = trained->stopped;
    outcome.epochsCompleted = trained->state.epochsCompleted;
    const auto status = trained->stopped ? store::RunStatus::Interrupted : store::RunStatus::Finished;
    if (auto s = project.setRunStatus(runId, status); !s)
        return s.error();
    return outcome;
}

} // namespace

Result<RunOutcome> trainRun(store::Project& project, const RunRequest& request, const RunCallbacks& callbacks,
                            const StopTokenPtr& stop)
{
    auto model = project.model();
    if (!model)
        return model.error();
    if (!model.value() || model.value()->fingerprint.empty())
        return makeError(ErrorCode::InvalidArgument, "the project has no encoded CLIP model yet; encode it first",
                         project.path());
    const std::string fingerprint = model.value()->fingerprint;
    auto prepared = prepareRun(project, request.config, request.baseToNew, fingerprint, std::nullopt);
    if (!prepared)
        return prepared.error();

    store::RunSpec spec;
    spec.config = toJson(request.config);
    spec.config["base_to_new"] = request.baseToNew;
    spec.config["training_classes"] = prepared->classIds;
    spec.seed = request.config.seed;
    spec.group = request.group;
    spec.fewShotSetId = prepared->fewShotSetId;
    spec.modelFingerprint = fingerprint;
    if (request.name.empty()) {
        auto runs = project.runs();
        spec.name = "run " + std::to_string(runs ? runs->size() + 1 : 1);
    } else {
        spec.name = request.name;
    }
    auto runId = project.createRun(spec);
    if (!runId)
        return runId.error();
    return runTraining(project, runId.value(), prepared.value(), request.config, callbacks, stop, nullptr);
}

Result<RunOutcome> resumeRun(store::Project& project, std::int64_t runId, const RunCallbacks& callbacks,
                             const StopTokenPtr& stop)
{
    auto run = project.run(runId);
    if (!run)
        return run.error();
    if (!run.value())
        return makeError(ErrorCode::InvalidArgument, "there is no run " + std::to_string(runId) + " in this project",
                         project.path());
    const store::RunRecord& record = *run.value();
    if (record.status == store::RunStatus::Finished)
        return makeError(ErrorCode::InvalidArgument, "run " + std::to_string(runId) + " has already finished",
                         project.path());
    auto config = trainConfigFromJson(record.config);
    if (!config)
        return config.error();
    auto prepared = prepareRun(project, config.value(), record.config.value("base_to_new", false),
                               record.modelFingerprint, record.fewShotSetId);
    if (!prepared)
        return prepared.error();
    auto checkpoint = project.latestCheckpoint(runId);
    if (!checkpoint)
        return checkpoint.error();
    if (!checkpoint.value())
        return runTraining(project, runId, prepared.value(), config.value(), callbacks, stop, nullptr);
    TrainState state;
    state.epochsCompleted = checkpoint.value()->epoch + 1;
    state.tensors = checkpoint.value()->tensors;
    if (callbacks.onLog)
        callbacks.onLog("resuming run " + std::to_string(runId) + " after epoch " + std::to_string(state.epochsCompleted));
    return runTraining(project, runId, prepared.value(), config.value(), callbacks, stop, &state);
}

} // namespace aape::workflow

namespace aape::workflow {

namespace {

struct RunContext {
    store::RunRecord run;
    TrainState state;
    std::vector<store::ClassRecord> allClasses;
    std::vector<std::int64_t> trainingClassIds;
    float logitScale = 100.0f;
    nlohmann::json modelInfo;
};

Result<RunContext> loadRunContext(store::Project& project, std::int64_t runId)
{
    RunContext context;
    auto run = project.run(runId);
    if (!run)
        return run.error();
    if (!run.value())
        return makeError(ErrorCode::InvalidArgument, "there is no run " + std::to_string(runId) + " in this project",
                         project.path());
    context.run = *run.value();
    auto checkpoint = project.latestCheckpoint(runId);
    if (!checkpoint)
        return checkpoint.error();
    if (!checkpoint.value())
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " has no completed epoch yet; train it first", project.path());
    context.state.epochsCompleted = checkpoint.value()->epoch + 1;
    context.state.tensors = checkpoint.value()->tensors;
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    context.allClasses = classes.value();
    if (context.run.config.contains("training_classes"))
        context.trainingClassIds = context.run.config["training_classes"].get<std::vector<std::int64_t>>();
    else
        for (const auto& cls : context.allClasses)
            context.trainingClassIds.push_back(cls.id);
    auto model = project.model();
    if (!model)
        return model.error();
    if (model.value()) {
        context.modelInfo = model.value()->info;
        context.modelInfo["path"] = model.value()->path;
        context.modelInfo["format"] = model.value()->format;
        context.modelInfo["fingerprint"] = model.value()->fingerprint;
        context.logitScale = static_cast<float>(std::exp(model.value()->info.value("logit_scale_log", std::log(100.0))));
    }
    return context;
}

// Templates and descriptions of `classIds`, from the cache.
Status fillClassEmbeddings(store::Project& project, const std::string& fingerprint,
                           const std::vector<store::ClassRecord>& classes, EvalInput& input,
                           std::vector<std::vector<std::int64_t>>& descriptionIds)
{
    std::vector<std::string> templates;
    for (const auto& cls : classes)
        templates.push_back(templateFor(cls.name));
    auto rows = textRows(project, fingerprint, templates);
    if (!rows)
        return rows.error();
    input.templates = rows.value();
    input.dim = static_cast<int>(input.templates.size() / classes.size());
    input.descriptions.clear();
    descriptionIds.clear();
    for (const auto& cls : classes) {
        auto descriptions = project.descriptions(cls.id);
        if (!descriptions)
            return descriptions.error();
        std::vector<std::string> texts;
        std::vector<std::int64_t> ids;
        for (const auto& d : descriptions.value()) {
            texts.push_back(d.text);
            ids.push_back(d.id);
        }
        if (texts.empty()) {
            input.descriptions.emplace_back();
            descriptionIds.emplace_back();
            continue;
        }
        // Descriptions added or edited after the project was encoded (say, while this run
        // trained) have no embedding yet: the attention covers the others, and the next
        // encode brings them in.
        auto embedded = project.textEmbeddings(fingerprint, texts);
        if (!embedded)
            return embedded.error();
        const auto d = static_cast<std::size_t>(input.dim);
        std::vector<float> rows;
        std::vector<std::int64_t> kept;
        std::size_t nextMissing = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (nextMissing < embedded->missing.size() && embedded->missing[nextMissing] == i) {
                ++nextMissing;
                continue;
            }
            rows.insert(rows.end(), embedded->values.begin() + static_cast<std::ptrdiff_t>(i * d),
                        embedded->values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
            kept.push_back(ids[i]);
        }
        input.descriptions.push_back(std::move(rows));
        descriptionIds.push_back(std::move(kept));
    }
    return {};
}

} // namespace

Result<EvaluateSummary> evaluateRun(store::Project& project, std::int64_t runId, const EvaluateOptions& options)
{
    auto context = loadRunContext(project, runId);
    if (!context)
        return context.error();
    const std::string& fingerprint = context->run.modelFingerprint;
    const bool baseToNew = context->run.config.value("base_to_new", false);

    // Class groups evaluated among themselves.
    std::vector<std::vector<store::ClassRecord>> groups;
    std::map<std::int64_t, store::ClassRecord> byId;
    for (const auto& cls : context->allClasses)
        byId[cls.id] = cls;
    std::vector<store::ClassRecord> trained;
    for (auto id : context->trainingClassIds)
        if (byId.count(id))
            trained.push_back(byId[id]);
    groups.push_back(trained);
    if (baseToNew) {
        std::set<std::int64_t> trainedIds(context->trainingClassIds.begin(), context->trainingClassIds.end());
        std::vector<store::ClassRecord> novel;
        for (const auto& cls : context->allClasses)
            if (!trainedIds.count(cls.id))
                novel.push_back(cls);
        if (!novel.empty())
            groups.push_back(novel);
    }

    store::ImageFilter filter;
    filter.split = store::Split::Test;
    filter.excluded = false;
    auto images = project.images(filter);
    if (!images)
        return images.error();
    store::Split evaluatedSplit = store::Split::Test;
    if (images->empty()) {
        filter.split = store::Split::Val;
        evaluatedSplit = store::Split::Val;
        images = project.images(filter);
        if (!images)
            return images.error();
    }

    EvaluateSummary summary;
    summary.runId = runId;
    std::vector<double> groupAccuracy;
    int correct = 0, zeroShotCorrect = 0, total = 0;
    std::vector<store::PredictionRecord> predictions;
    std::vector<store::AttentionRow> attention;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (stopRequested(options.stop))
            return cancelled();
        const auto& classes = groups[g];
        std::map<std::int64_t, int> labelOf;
        for (std::size_t c = 0; c < classes.size(); ++c)
            labelOf[classes[c].id] = static_cast<int>(c);
        EvalInput input;
        input.logitScale = context->logitScale;
        std::vector<std::vector<std::int64_t>> descriptionIds;
        if (auto status = fillClassEmbeddings(project, fingerprint, classes, input, descriptionIds); !status)
            return status.error();
        std::vector<const store::ImageRecord*> members;
        std::vector<std::string> hashes;
        for (const auto& image : images.value()) {
            if (!image.classId || !labelOf.count(*image.classId))
                continue;
            members.push_back(&image);
            hashes.push_back(image.contentHash);
            input.labels.push_back(labelOf[*image.classId]);
        }
        if (members.empty()) {
            groupAccuracy.push_back(0.0);
            continue;
        }
        auto embeddings = project.imageEmbeddings(fingerprint, hashes, 0);
        if (!embeddings)
            return embeddings.error();
        if (!embeddings->missing.empty())
            return makeError(ErrorCode::InvalidArgument,
                             std::to_string(embeddings->missing.size()) +
                                 " evaluation images have no cached embedding; encode the project first",
                             project.path());
        input.images = embeddings->values;
        EvalOptions evalOptions;
        evalOptions.topK = options.topK;
        evalOptions.oodScore = options.oodScore;
        auto evaluation = evaluate(context->state, input, evalOptions);
        if (!evaluation)
            return evaluation.error();
        groupAccuracy.push_back(evaluation->accuracy);
        for (std::size_t i = 0; i < members.size(); ++i) {
            const auto& e = evaluation->images[i];
            store::PredictionRecord record;
            record.imageId = members[i]->id;
            record.split = evaluatedSplit;
            record.trueClassId = members[i]->classId;
            record.predictedClassId = classes[static_cast<std::size_t>(e.predicted)].id;
            record.probability = e.topProbabilities.empty() ? 0.0 : e.topProbabilities.front();
            record.oodScore = e.oodScore;
            record.cosTemplate = e.cosTemplate;
            record.cosAape = e.cosGenerated;
            record.zeroShotClassId = classes[static_cast<std::size_t>(e.zeroShot)].id;
            for (std::size_t k = 0; k < e.topClasses.size(); ++k)
                record.topK.push_back({classes[static_cast<std::size_t>(e.topClasses[k])].id, e.topProbabilities[k]});
            predictions.push_back(record);
            correct += record.predictedClassId == *record.trueClassId;
            zeroShotCorrect += *record.zeroShotClassId == *record.trueClassId;
            ++total;
            for (const auto* a : {&e.predictedAttention, &e.trueAttention}) {
                if (a->classIndex < 0 || a->imageLevel.empty())
                    continue;
                const auto& ids = descriptionIds[static_cast<std::size_t>(a->classIndex)];
                if (ids.size() != a->imageLevel.size())
                    continue;
                store::AttentionRow row;
                row.imageId = members[i]->id;
                row.classId = classes[static_cast<std::size_t>(a->classIndex)].id;
                for (std::size_t j = 0; j < ids.size(); ++j)
                    row.weights.push_back({ids[j], a->imageLevel[j]});
                attention.push_back(std::move(row));
                if (a == &e.predictedAttention && e.trueAttention.classIndex == e.predictedAttention.classIndex)
                    break;
            }
        }
        report(options.progress, "evaluating", g + 1, groups.size());
    }
    if (auto status = project.putPredictions(runId, predictions); !status)
        return status.error();
    if (auto status = project.putAttention(runId, attention); !status)
        return status.error();

    summary.images = total;
    summary.accuracy = total ? static_cast<double>(correct) / total : 0.0;
    summary.zeroShotAccuracy = total ? static_cast<double>(zeroShotCorrect) / total : 0.0;
    summary.summary = {{"accuracy", summary.accuracy},
                       {"zero_shot_accuracy", summary.zeroShotAccuracy},
                       {"evaluated_images", total},
                       {"evaluated_split", store::splitName(evaluatedSplit)},
                       {"epochs", context->state.epochsCompleted}};
    if (baseToNew && groupAccuracy.size() == 2) {
        summary.baseAccuracy = groupAccuracy[0];
        summary.newAccuracy = groupAccuracy[1];
        summary.harmonicMean = harmonicMean(groupAccuracy[0], groupAccuracy[1]);
        summary.summary["base_accuracy"] = *summary.baseAccuracy;
        summary.summary["new_accuracy"] = *summary.newAccuracy;
        summary.summary["harmonic_mean"] = *summary.harmonicMean;
    }
    if (auto status = project.setRunSummary(runId, summary.summary); !status)
        return status.error();
    return summary;
}

std::optional<MeanStd> meanStd(const std::vector<double>& values)
{
    if (values.empty())
        return std::nullopt;
    MeanStd result;
    result.count = static_cast<int>(values.size());
    result.mean = std::accumulate(values.begin(), values.end(), 0.0) / result.count;
    if (result.count > 1) {
        double squares = 0.0;
        for (double v : values)
            squares += (v - result.mean) * (v - result.mean);
        result.std = std::sqrt(squares / (result.count - 1));
    }
    return result;
}

std::vector<RunSetSummary> summariseRunSets(const std::vector<store::RunRecord>& runs)
{
    static const char* const keys[] = {"accuracy", "zero_shot_accuracy", "base_accuracy", "new_accuracy", "harmonic_mean"};
    std::vector<RunSetSummary> sets;
    std::vector<const store::RunRecord*> ordered;
    for (const auto& r : runs)
        ordered.push_back(&r);
    std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    for (const auto* r : ordered) {
        if (r->group.empty() || !r->summary.contains("accuracy"))
            continue;
        auto set = std::find_if(sets.begin(), sets.end(), [&](const RunSetSummary& s) { return s.group == r->group; });
        if (set == sets.end()) {
            sets.push_back({r->group, {}, {}});
            set = sets.end() - 1;
        }
        set->runIds.push_back(r->id);
    }
    for (auto& set : sets) {
        for (const char* key : keys) {
            std::vector<double> values;
            for (const auto* r : ordered)
                if (r->group == set.group && r->summary.contains(key) && r->summary[key].is_number())
                    values.push_back(r->summary[key].get<double>());
            if (const auto spread = meanStd(values)) {
                RunSetSummary::Statistic stat;
                static_cast<MeanStd&>(stat) = *spread;
                stat.key = key;
                set.statistics.push_back(stat);
            }
        }
    }
    return sets;
}

Status exportRunBundle(store::Project& project, std::int64_t runId, const std::string& path, bool includeDescriptions)
{
    auto context = loadRunContext(project, runId);
    if (!context)
        return context.error();
    std::map<std::int64_t, store::ClassRecord> byId;
    for (const auto& cls : context->allClasses)
        byId[cls.id] = cls;
    std::vector<store::ClassRecord> classes;
    for (auto id : context->trainingClassIds)
        if (byId.count(id))
            classes.push_back(byId[id]);
    EvalInput input;
    std::vector<std::vector<std::int64_t>> descriptionIds;
    if (auto status = fillClassEmbeddings(project, context->run.modelFingerprint, classes, input, descriptionIds); !status)
        return status;

    BundleContents contents;
    contents.dim = input.dim;
    contents.classEmbeddings = input.templates;
    for (const auto& cls : classes)
        contents.classNames.push_back(cls.name);
    contents.logitScale = context->logitScale;
    contents.includeAggregator = includeDescriptions;
    if (includeDescriptions)
        contents.descriptions = input.descriptions;
    const auto imageSize = context->modelInfo.value("image_size", 224);
    contents.manifest = {
        {"template", "a photo of a {}."},
        {"clip", context->modelInfo},
        {"preprocessing",
         {{"image_size", imageSize},
          {"resize", "shorter side to image_size, bicubic with antialiasing (PIL Image.resize BICUBIC)"},
          {"crop", "centre crop image_size x image_size at round((h - s) / 2), round((w - s) / 2)"},
          {"normalise", "x / 255, then (x - mean) / std per channel, CLIP mean/std of the checkpoint"}}},
        {"training", context->run.config},
        {"metrics", context->run.summary},
        {"run", {{"id", context->run.id}, {"name", context->run.name}, {"epochs", context->state.epochsCompleted}}},
        {"inference", "x = normalise(CLIP_image(img)); h = fc2(relu(fc1(x))); w_c = relu(g.weight [t_c; h] + "
                      "g.bias); logits_c = logit_scale * cos(x, w_c)"},
    };
    return exportBundle(path, context->state, contents);
}

Result<std::vector<ImagePrediction>> predictImages(const Bundle& bundle, const clip::ClipEngine& engine,
                                                   const std::vector<std::string>& imagePaths,
                                                   const std::vector<std::string>& extraClasses, int topK)
{
    if (engine.embedDim() != bundle.dim)
        return makeError(ErrorCode::ShapeMismatch,
                         "the bundle was trained on a CLIP with " + std::to_string(bundle.dim) +
                             "-dimensional embeddings, but this model has " + std::to_string(engine.embedDim()) +
                             "; use the CLIP the bundle was trained with");
    std::vector<std::string> names = bundle.classNames;
    if (names.empty())
        for (int c = 0; c < bundle.classCount(); ++c)
            names.push_back("class " + std::to_string(c));
    std::vector<float> extra;
    if (!extraClasses.empty()) {
        std::vector<std::string> templates;
        for (const auto& name : extraClasses)
            templates.push_back(templateFor(name));
        auto embedded = engine.encodeTexts(templates);
        if (!embedded)
            return embedded.error();
        extra = embedded.value();
        names.insert(names.end(), extraClasses.begin(), extraClasses.end());
    }
    std::vector<ImagePrediction> results(imagePaths.size());
    std::vector<cv::Mat> decoded;
    std::vector<std::size_t> readable;
    for (std::size_t i = 0; i < imagePaths.size(); ++i) {
        results[i].path = imagePaths[i];
        auto image = clip::decodeImageRgb8(imagePaths[i]);
        if (!image) {
            results[i].error = image.error().message;
            continue;
        }
        decoded.push_back(std::move(image).value());
        readable.push_back(i);
    }
    if (readable.empty())
        return results;
    auto embeddings = engine.encodeImages(decoded);
    if (!embeddings)
        return embeddings.error();
    auto logits = predict(bundle, embeddings.value(), extra);
    if (!logits)
        return logits.error();
    const std::size_t classes = names.size();
    for (std::size_t r = 0; r < readable.size(); ++r) {
        const float* row = logits->data() + r * classes;
        const float maxLogit = *std::max_element(row, row + classes);
        std::vector<std::pair<float, std::size_t>> probabilities;
        double sum = 0.0;
        for (std::size_t c = 0; c < classes; ++c)
            sum += std::exp(static_cast<double>(row[c] - maxLogit));
        for (std::size_t c = 0; c < classes; ++c)
            probabilities.emplace_back(static_cast<float>(std::exp(static_cast<double>(row[c] - maxLogit)) / sum), c);
        std::sort(probabilities.begin(), probabilities.end(), std::greater<>());
        auto& result = results[readable[r]];
        for (std::size_t k = 0; k < std::min<std::size_t>(static_cast<std::size_t>(topK), classes); ++k)
            result.top.emplace_back(names[probabilities[k].second], probabilities[k].first);
        result.oodScore = 1.0f - probabilities.front().first;
    }
    return results;
}

} // namespace aape::workflow
