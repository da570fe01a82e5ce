#include "aape/workflow/Train.h"

#include "aape/data/Protocol.h"
#include "workflow/Common.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace aape::workflow {

using detail::textRows;

const char* epochChoiceName(EpochChoice choice)
{
    return choice == EpochChoice::Last ? "last" : "best";
}

std::optional<EpochChoice> parseEpochChoice(std::string_view name)
{
    if (name == "best")
        return EpochChoice::Best;
    if (name == "last")
        return EpochChoice::Last;
    return std::nullopt;
}

namespace {

std::string percent(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %%", 100.0 * fraction);
    return text;
}

} // namespace

std::string belowZeroShotWarning(const RunOutcome& outcome)
{
    if (!outcome.lastValAccuracy || !outcome.zeroShotValAccuracy
        || *outcome.lastValAccuracy >= *outcome.zeroShotValAccuracy)
        return {};
    std::string warning = "Run " + std::to_string(outcome.runId) + " ended at " + percent(*outcome.lastValAccuracy)
                          + " validation accuracy, below zero-shot CLIP (" + percent(*outcome.zeroShotValAccuracy)
                          + ").";
    if (outcome.bestValAccuracy && outcome.bestEpoch && *outcome.bestValAccuracy >= *outcome.zeroShotValAccuracy)
        warning += " Its best epoch (" + std::to_string(*outcome.bestEpoch + 1) + ", "
                   + percent(*outcome.bestValAccuracy)
                   + ") is kept and evaluated; fewer epochs would likely do as well.";
    else
        warning += " Try more images per class, better descriptions, fewer epochs or a lower learning rate, and check "
                   "the labels of the images it gets wrong.";
    return warning;
}

namespace {

struct PreparedRun {
    TrainingData data;
    std::vector<std::int64_t> classIds;   // training class index -> class id
    store::FewShotSet set;                // the run's training images, as trained (id 0 until saved)
    int descriptionsWithoutEmbedding = 0; // added after the last encode: left out of this run
    std::optional<double> zeroShotValAccuracy;
    std::vector<std::string> classesWithoutImages;
    std::vector<std::string> classNames;
};

// Top-1 accuracy of "a photo of a {class}." alone on [M, d] embeddings: zero-shot CLIP.
double zeroShotAccuracy(const std::vector<float>& images, const std::vector<int>& labels,
                        const std::vector<float>& templates, int d)
{
    const std::size_t classes = templates.size() / static_cast<std::size_t>(d);
    int correct = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float* x = images.data() + i * static_cast<std::size_t>(d);
        std::size_t best = 0;
        double bestScore = -1e300;
        for (std::size_t c = 0; c < classes; ++c) {
            const float* t = templates.data() + c * static_cast<std::size_t>(d);
            double dot = 0.0;
            for (int k = 0; k < d; ++k)
                dot += static_cast<double>(x[k]) * t[k];
            if (dot > bestScore) {
                bestScore = dot;
                best = c;
            }
        }
        correct += static_cast<int>(best) == labels[i];
    }
    return labels.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(labels.size());
}

// Builds the trainer's input from the cache: the run's few-shot set (drawn now for a new run,
// the stored one on resume), templates and descriptions of the training classes, and the
// validation images.
Result<PreparedRun> prepareRun(store::Project& project, const TrainConfig& config,
                               const std::vector<std::int64_t>& trainingClassIds, const std::string& fingerprint,
                               std::optional<std::int64_t> storedSetId)
{
    PreparedRun prepared;
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::map<std::int64_t, const store::ClassRecord*> byId;
    for (const auto& cls : classes.value())
        byId[cls.id] = &cls;
    std::vector<store::ClassRecord> trainClasses;
    for (const std::int64_t id : trainingClassIds)
        if (byId.count(id))
            trainClasses.push_back(*byId[id]);
    if (trainClasses.size() < 2)
        return makeError(ErrorCode::InvalidArgument, "training needs at least two classes with images", project.path());
    std::map<std::int64_t, int> labelOf;
    for (const auto& cls : trainClasses) {
        labelOf[cls.id] = static_cast<int>(prepared.classIds.size());
        prepared.classIds.push_back(cls.id);
        prepared.classNames.push_back(cls.name);
    }

    auto model = project.model();
    if (!model)
        return model.error();
    const double logitScaleLog =
        model.value() ? model.value()->info.value("logit_scale_log", std::log(100.0)) : std::log(100.0);

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

    // The few-shot set: the run's own on resume, else drawn from the data as it is now.
    if (storedSetId) {
        auto stored = project.fewShotSetById(*storedSetId);
        if (!stored)
            return stored.error();
        if (!stored.value())
            return makeError(ErrorCode::Database, "the run's few-shot set is missing from the project", project.path());
        prepared.set = *stored.value();
    } else {
        auto drawn = data::drawFewShot(project, config.shots, config.seed, prepared.classIds);
        if (!drawn)
            return drawn.error();
        prepared.set = std::move(drawn).value();
    }

    std::vector<std::string> hashes;
    std::vector<int> perClass(trainClasses.size(), 0);
    for (std::size_t i = 0; i < prepared.set.imageIds.size(); ++i) {
        const auto classId = prepared.set.classIds[i];
        if (!labelOf.count(classId))
            continue; // a class removed since the run started
        auto image = project.image(prepared.set.imageIds[i]);
        if (!image)
            return image.error();
        if (!image.value())
            continue; // an image removed since the run started
        hashes.push_back(image.value()->contentHash);
        data.sampleLabels.push_back(labelOf[classId]);
        ++perClass[static_cast<std::size_t>(labelOf[classId])];
    }
    if (hashes.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "there are no training images in the training classes: label some images and put them in "
                         "the train split",
                         project.path());
    for (std::size_t c = 0; c < trainClasses.size(); ++c)
        if (perClass[c] == 0)
            prepared.classesWithoutImages.push_back(trainClasses[c].name);
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
                             "training images lack cached views (" + std::to_string(batch->missing.size())
                                 + " missing for view " + std::to_string(viewIndex) + "); encode the project first",
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
            prepared.zeroShotValAccuracy =
                zeroShotAccuracy(data.validationEmbeddings, data.validationLabels, data.templates, d);
        }
    }
    return prepared;
}

// "Run 5: 6 classes, 76 training images (16 per class; "hexagon" 12), 30 validation images
// (zero-shot CLIP 84.4 % on them)."
std::string describePreparedRun(std::int64_t runId, const PreparedRun& prepared, const TrainConfig& config)
{
    const auto& data = prepared.data;
    std::map<int, int> perClass;
    for (int label : data.sampleLabels)
        ++perClass[label];
    std::string line = "Run " + std::to_string(runId) + ": " + std::to_string(data.classCount) + " classes, "
                       + std::to_string(data.sampleLabels.size()) + " training images";
    if (config.shots > 0) {
        std::string fewer;
        for (int c = 0; c < data.classCount; ++c) {
            const int count = perClass.count(c) ? perClass[c] : 0;
            if (count > 0 && count < config.shots)
                fewer += std::string(fewer.empty() ? "" : ", ") + "\""
                         + prepared.classNames[static_cast<std::size_t>(c)] + "\" " + std::to_string(count);
        }
        line += " (" + std::to_string(config.shots) + " per class" + (fewer.empty() ? "" : "; fewer: " + fewer) + ")";
    }
    if (!data.validationLabels.empty()) {
        line += ", " + std::to_string(data.validationLabels.size()) + " validation images";
        if (prepared.zeroShotValAccuracy)
            line += " (zero-shot CLIP " + percent(*prepared.zeroShotValAccuracy) + " on them)";
    } else {
        line += ", no validation images (the last epoch is kept)";
    }
    line += ".";
    if (!prepared.classesWithoutImages.empty()) {
        line += " No training images in:";
        for (const auto& name : prepared.classesWithoutImages)
            line += " \"" + name + "\"";
        line += " (they are learned from their names alone).";
    }
    return line;
}

// After training: best and last validation accuracy, the warning when the run ended below
// zero-shot CLIP, and the training facts merged into the run's summary.
Status recordTrainingOutcome(store::Project& project, const PreparedRun& prepared, RunOutcome& outcome)
{
    auto run = project.run(outcome.runId);
    if (!run)
        return run.error();
    auto metrics = project.epochMetrics(outcome.runId);
    if (!metrics)
        return metrics.error();
    outcome.zeroShotValAccuracy = prepared.zeroShotValAccuracy;
    if (!metrics->empty() && metrics->back().valAccuracy)
        outcome.lastValAccuracy = metrics->back().valAccuracy;
    if (run.value() && run.value()->bestEpoch >= 0) {
        outcome.bestEpoch = run.value()->bestEpoch;
        for (const auto& m : metrics.value())
            if (m.epoch == *outcome.bestEpoch)
                outcome.bestValAccuracy = m.valAccuracy;
    }
    outcome.warning = belowZeroShotWarning(outcome);
    nlohmann::json summary = run.value() ? run.value()->summary : nlohmann::json::object();
    if (!summary.is_object())
        summary = nlohmann::json::object();
    summary["training_images"] = outcome.trainingImages;
    summary["training_classes"] = outcome.trainingClasses;
    summary["learned_parameters"] = outcome.learnedParameters;
    auto setOptional = [&summary](const char* key, const auto& value) {
        if (value)
            summary[key] = *value;
        else
            summary.erase(key);
    };
    setOptional("zero_shot_val_accuracy", outcome.zeroShotValAccuracy);
    setOptional("best_val_accuracy", outcome.bestValAccuracy);
    setOptional("last_val_accuracy", outcome.lastValAccuracy);
    if (outcome.bestEpoch)
        summary["best_epoch"] = *outcome.bestEpoch + 1;
    else
        summary.erase("best_epoch");
    if (!outcome.warning.empty())
        summary["warning"] = outcome.warning;
    else
        summary.erase("warning");
    return project.setRunSummary(outcome.runId, summary);
}

// A baseline is fitted in one go and stored as one epoch whose checkpoint holds its parameters.
Result<RunOutcome> fitBaselineRun(store::Project& project, std::int64_t runId, const PreparedRun& prepared,
                                  const TrainConfig& config, Method method, const RunCallbacks& callbacks,
                                  const StopTokenPtr& stop)
{
    const auto started = std::chrono::steady_clock::now();
    auto model = fitBaseline(method, prepared.data, config.seed, {}, stop);
    if (!model) {
        const bool cancelledByUser = model.error().code == ErrorCode::Cancelled;
        (void)project.setRunStatus(runId, cancelledByUser ? store::RunStatus::Cancelled : store::RunStatus::Failed,
                                   cancelledByUser ? std::string() : model.error().toString());
        if (cancelledByUser) {
            RunOutcome outcome;
            outcome.runId = runId;
            outcome.stopped = true;
            return outcome;
        }
        return model.error();
    }
    EpochMetrics metrics;
    metrics.valAccuracy = model->validationAccuracy;
    metrics.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (auto status = project.commitEpoch(runId, metrics, model->tensors); !status) {
        (void)project.setRunStatus(runId, store::RunStatus::Failed, status.error().toString());
        return status.error();
    }
    if (callbacks.onEpoch)
        callbacks.onEpoch(runId, metrics);
    if (callbacks.onLog) {
        std::string line = std::string("Fitted ") + methodName(method);
        if (method == Method::LinearProbe)
            line += " (L2 strength " + std::to_string(model->chosenWeightDecay) + " chosen on validation)";
        if (method == Method::TipAdapter || method == Method::TipAdapterF)
            line += " (alpha " + std::to_string(model->alpha) + ", beta " + std::to_string(model->beta) + ")";
        if (model->validationAccuracy)
            line += ": " + percent(*model->validationAccuracy) + " on the validation images";
        callbacks.onLog(line + ".");
    }
    RunOutcome outcome;
    outcome.runId = runId;
    outcome.epochsCompleted = 1;
    outcome.trainingClasses = prepared.data.classCount;
    outcome.trainingImages = static_cast<int>(prepared.data.sampleLabels.size());
    outcome.learnedParameters = model->learnedParameters;
    if (auto status = recordTrainingOutcome(project, prepared, outcome); !status)
        return status.error();
    // Record the hyper-parameters chosen on validation with the run.
    if (auto run = project.run(runId); run && run.value()) {
        auto summary = run.value()->summary;
        if (method == Method::LinearProbe)
            summary["probe_weight_decay"] = model->chosenWeightDecay;
        if (method == Method::TipAdapter || method == Method::TipAdapterF) {
            summary["tip_alpha"] = model->alpha;
            summary["tip_beta"] = model->beta;
        }
        summary.erase("warning"); // one fitted state: nothing to keep instead
        if (auto status = project.setRunSummary(runId, summary); !status)
            return status.error();
    }
    outcome.warning.clear();
    if (auto s = project.setRunStatus(runId, store::RunStatus::Finished); !s)
        return s.error();
    return outcome;
}

Result<RunOutcome> runTraining(store::Project& project, std::int64_t runId, const PreparedRun& prepared,
                               const TrainConfig& config, const RunCallbacks& callbacks, const StopTokenPtr& stop,
                               const TrainState* resume, Method method = Method::Aape)
{
    if (auto status = project.setRunStatus(runId, store::RunStatus::Running); !status)
        return status.error();
    if (callbacks.onLog)
        callbacks.onLog(describePreparedRun(runId, prepared, config));
    if (callbacks.onStart) {
        RunPlan plan;
        plan.classes = prepared.data.classCount;
        plan.images = static_cast<int>(prepared.data.sampleLabels.size());
        plan.validationImages = static_cast<int>(prepared.data.validationLabels.size());
        plan.zeroShotValAccuracy = prepared.zeroShotValAccuracy;
        plan.firstEpoch = resume ? resume->epochsCompleted : 0;
        plan.epochs = method == Method::Aape ? config.epochs : 1;
        callbacks.onStart(runId, plan);
    }
    if (method != Method::Aape)
        return fitBaselineRun(project, runId, prepared, config, method, callbacks, stop);
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
        if (auto status = project.commitEpoch(runId, metrics, state.tensors); !status) {
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
    outcome.trainingClasses = prepared.data.classCount;
    outcome.trainingImages = static_cast<int>(prepared.data.sampleLabels.size());
    outcome.learnedParameters = aapeLearnedParameters(trained->state);
    if (auto status = recordTrainingOutcome(project, prepared, outcome); !status)
        return status.error();
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
    // The cached embeddings of the last encode, in the precision it ran at; the run keeps the key.
    const std::string fingerprint = model.value()->cacheKey();
    const std::string precision = model.value()->precision();

    // Training classes in the project's order: all, or the base half for base-to-new.
    auto classes = project.classes();
    if (!classes)
        return classes.error();
    std::set<std::int64_t> base;
    nlohmann::json baseToNewRule;
    if (request.baseToNew) {
        auto split = data::assignBaseNew(project);
        if (!split)
            return split.error();
        base.insert(split->base.begin(), split->base.end());
        std::map<std::int64_t, std::string> names;
        for (const auto& cls : classes.value())
            names[cls.id] = cls.name;
        nlohmann::json baseNames = nlohmann::json::array(), newNames = nlohmann::json::array();
        for (auto id : split->base)
            baseNames.push_back(names[id]);
        for (auto id : split->novel)
            newNames.push_back(names[id]);
        baseToNewRule = {
            {"order", data::baseNewOrderName(split->order)}, {"base_classes", baseNames}, {"new_classes", newNames}};
        if (callbacks.onLog) {
            std::string line = std::string("Base-to-new: classes in ")
                               + (split->order == data::BaseNewOrder::ByLabel
                                      ? "label order (the CoOp split's labels, CoOp's rule)"
                                      : "natural name order (case-insensitive, numbers by value)")
                               + "; the first " + std::to_string(split->base.size()) + " are base:";
            for (std::size_t i = 0; i < baseNames.size(); ++i)
                line += (i ? ", " : " ") + baseNames[i].get<std::string>();
            callbacks.onLog(line + ".");
        }
    }
    std::vector<std::int64_t> trainingClassIds;
    for (const auto& cls : classes.value())
        if (!request.baseToNew || base.count(cls.id))
            trainingClassIds.push_back(cls.id);
    auto prepared = prepareRun(project, request.config, trainingClassIds, fingerprint, std::nullopt);
    if (!prepared)
        return prepared.error();
    auto setId = project.saveFewShotSet(prepared->set);
    if (!setId)
        return setId.error();
    prepared->set.id = setId.value();

    store::RunSpec spec;
    spec.config = toJson(request.config);
    spec.config["base_to_new"] = request.baseToNew;
    if (request.baseToNew)
        spec.config["base_to_new_rule"] = baseToNewRule;
    spec.config["training_classes"] = prepared->classIds;
    spec.config["keep_epoch"] = epochChoiceName(request.keep);
    spec.config["method"] = methodName(request.method);
    spec.config["precision"] = precision;
    spec.seed = request.config.seed;
    spec.group = request.group;
    spec.fewShotSetId = prepared->set.id;
    spec.modelFingerprint = fingerprint;
    if (request.name.empty()) {
        // Named after the id it is about to get (ids are never reused while a newer run exists).
        auto runs = project.runs();
        if (!runs)
            return runs.error();
        spec.name = "run " + std::to_string(runs->empty() ? 1 : runs->front().id + 1);
    } else {
        spec.name = request.name;
    }
    auto runId = project.createRun(spec);
    if (!runId)
        return runId.error();
    return runTraining(project, runId.value(), prepared.value(), request.config, callbacks, stop, nullptr,
                       request.method);
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
    if (const auto method = parseMethod(record.config.value("method", "aape")); method && *method != Method::Aape)
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " is a " + methodName(*method)
                             + " baseline, fitted in one go: there is nothing to resume; train it again",
                         project.path());
    if (!record.fewShotSetId)
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " no longer has its training images; start a new run",
                         project.path());
    auto config = trainConfigFromJson(record.config);
    if (!config)
        return config.error();
    std::vector<std::int64_t> trainingClassIds;
    if (record.config.contains("training_classes") && record.config["training_classes"].is_array())
        for (const auto& id : record.config["training_classes"])
            if (id.is_number_integer())
                trainingClassIds.push_back(id.get<std::int64_t>());
    if (trainingClassIds.empty()) { // runs from before the classes were recorded trained on all
        auto classes = project.classes();
        if (!classes)
            return classes.error();
        for (const auto& cls : classes.value())
            trainingClassIds.push_back(cls.id);
    }
    auto prepared = prepareRun(project, config.value(), trainingClassIds, record.modelFingerprint, record.fewShotSetId);
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
        callbacks.onLog("resuming run " + std::to_string(runId) + " after epoch "
                        + std::to_string(state.epochsCompleted));
    return runTraining(project, runId, prepared.value(), config.value(), callbacks, stop, &state);
}

} // namespace aape::workflow
