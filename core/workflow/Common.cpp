#include "workflow/Common.h"

#include <map>

namespace aape::workflow::detail {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void report(const ProgressCallback& progress, const std::string& stage, std::size_t done, std::size_t total)
{
    if (progress)
        progress({stage, done, total});
}

Error cancelled()
{
    return makeError(ErrorCode::Cancelled, "stopped by the user; the work done so far is kept");
}

Result<std::vector<float>> textRows(store::Project& project, const std::string& fingerprint,
                                    const std::vector<std::string>& texts)
{
    auto batch = project.textEmbeddings(fingerprint, texts);
    if (!batch)
        return batch.error();
    if (!batch->missing.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "some descriptions or class names have no cached embedding yet (e.g. \""
                             + texts[batch->missing.front()] + "\"); encode the project first",
                         project.path());
    return batch->values;
}

Result<RunContext> loadRunContext(store::Project& project, std::int64_t runId, std::optional<EpochChoice> choice)
{
    RunContext context;
    auto run = project.run(runId);
    if (!run)
        return run.error();
    if (!run.value())
        return makeError(ErrorCode::InvalidArgument, "there is no run " + std::to_string(runId) + " in this project",
                         project.path());
    context.run = *run.value();
    // The run's own choice unless the caller overrides it; the best epoch needs a validation
    // split and its kept checkpoint (runs trained before best epochs were kept have only the last).
    context.requestedChoice = choice.value_or(
        parseEpochChoice(context.run.config.value("keep_epoch", std::string("best"))).value_or(EpochChoice::Best));
    std::optional<store::Checkpoint> stored;
    if (context.requestedChoice == EpochChoice::Best && context.run.bestEpoch >= 0) {
        auto best = project.checkpointAt(runId, context.run.bestEpoch);
        if (!best)
            return best.error();
        stored = std::move(best).value();
    }
    context.choice = stored ? EpochChoice::Best : EpochChoice::Last;
    if (!stored) {
        auto last = project.latestCheckpoint(runId);
        if (!last)
            return last.error();
        stored = std::move(last).value();
    }
    if (!stored)
        return makeError(ErrorCode::InvalidArgument,
                         "run " + std::to_string(runId) + " has no completed epoch yet; train it first",
                         project.path());
    context.epoch = stored->epoch;
    context.state.epochsCompleted = stored->epoch + 1;
    context.state.tensors = std::move(stored->tensors);
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
        // The precision of the embeddings this run trained on (runs before precisions: fp32).
        context.modelInfo["precision"] = context.run.config.value("precision", std::string("fp32"));
        context.logitScale =
            static_cast<float>(std::exp(model.value()->info.value("logit_scale_log", std::log(100.0))));
    }
    return context;
}

Result<OodReference> oodReferenceFor(store::Project& project, const RunContext& context)
{
    if (!context.run.fewShotSetId)
        return OodReference{};
    auto set = project.fewShotSetById(*context.run.fewShotSetId);
    if (!set)
        return set.error();
    if (!set.value())
        return OodReference{};
    std::map<std::int64_t, int> labelOf;
    for (std::size_t c = 0; c < context.trainingClassIds.size(); ++c)
        labelOf[context.trainingClassIds[c]] = static_cast<int>(c);
    std::vector<std::string> hashes;
    std::vector<int> labels;
    for (std::size_t i = 0; i < set.value()->imageIds.size(); ++i) {
        const auto label = labelOf.find(set.value()->classIds[i]);
        if (label == labelOf.end())
            continue;
        auto image = project.image(set.value()->imageIds[i]);
        if (!image)
            return image.error();
        if (!image.value())
            continue; // removed since the run trained
        hashes.push_back(image.value()->contentHash);
        labels.push_back(label->second);
    }
    if (hashes.empty())
        return OodReference{};
    auto embeddings = project.imageEmbeddings(context.run.modelFingerprint, hashes, 0);
    if (!embeddings)
        return embeddings.error();
    if (!embeddings->missing.empty())
        return OodReference{};
    return makeOodReference(embeddings->values, labels, static_cast<int>(context.trainingClassIds.size()),
                            embeddings->dim);
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

} // namespace aape::workflow::detail
