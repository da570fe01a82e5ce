#include "aape/workflow/Evaluate.h"

#include "aape/aape/Baselines.h"
#include "aape/data/Protocol.h"
#include "workflow/Common.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace aape::workflow {

using detail::cancelled;
using detail::fillClassEmbeddings;
using detail::loadRunContext;
using detail::report;

namespace {

// Classes by softmax probability, highest first.
std::vector<std::pair<std::size_t, double>> rankSoftmax(const float* logits, std::size_t count)
{
    const float top = *std::max_element(logits, logits + count);
    std::vector<std::pair<std::size_t, double>> ranked(count);
    double sum = 0.0;
    for (std::size_t k = 0; k < count; ++k) {
        ranked[k] = {k, std::exp(static_cast<double>(logits[k]) - top)};
        sum += ranked[k].second;
    }
    for (auto& r : ranked)
        r.second /= sum;
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return ranked;
}

double templateCosine(const EvalInput& input, std::size_t image, std::size_t cls)
{
    const auto d = static_cast<std::size_t>(input.dim);
    double dot = 0.0;
    for (std::size_t j = 0; j < d; ++j)
        dot += static_cast<double>(input.images[image * d + j]) * input.templates[cls * d + j];
    return dot;
}

// Zero-shot CLIP: the class whose template is nearest the image.
std::size_t nearestTemplate(const EvalInput& input, std::size_t image, std::size_t classCount)
{
    std::size_t best = 0;
    double bestCosine = -2.0;
    for (std::size_t k = 0; k < classCount; ++k)
        if (const double cosine = templateCosine(input, image, k); cosine > bestCosine) {
            best = k;
            bestCosine = cosine;
        }
    return best;
}

} // namespace

Result<EvaluateSummary> evaluateRun(store::Project& project, std::int64_t runId, const EvaluateOptions& options)
{
    auto context = loadRunContext(project, runId, options.epoch);
    if (!context)
        return context.error();
    const std::string& fingerprint = context->run.modelFingerprint;
    const bool baseToNew = context->run.config.value("base_to_new", false);
    const Method method = parseMethod(context->run.config.value("method", "aape")).value_or(Method::Aape);
    auto reference = detail::oodReferenceFor(project, context.value());
    if (!reference)
        return reference.error();

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
        // The probe and the Tip-Adapters cannot score classes they were not fitted on.
        if (!novel.empty() && answersNewClasses(method))
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
    std::vector<EvalInput> inputs(groups.size()); // kept for measuring the OOD score's separation
    // A baseline's OOD score is 1 − max softmax (it has no prototypes of its own).
    OodScoreKind usedOodScore = method == Method::Aape ? options.oodScore : OodScoreKind::MaxSoftmax;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (stopRequested(options.stop))
            return cancelled();
        const auto& classes = groups[g];
        std::map<std::int64_t, int> labelOf;
        for (std::size_t c = 0; c < classes.size(); ++c)
            labelOf[classes[c].id] = static_cast<int>(c);
        EvalInput& input = inputs[g];
        input.logitScale = context->logitScale;
        input.oodReference = reference.value();
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
                             std::to_string(embeddings->missing.size())
                                 + " evaluation images have no cached embedding; encode the project first",
                             project.path());
        input.images = embeddings->values;
        if (method != Method::Aape) {
            // A baseline keeps per-image predictions like AAPE (for the per-class comparison and
            // for `aape inspect`), with the score every classifier has for OOD: 1 − max softmax.
            // It has no generated prompt, so cos_aape is its own class weight's cosine where the
            // method has one (zero-shot: the template; CuPL: the description mean), else 0.
            auto logits = baselineLogits(method, context->state.tensors, input.images, input.dim, input.templates,
                                         input.descriptions, input.logitScale);
            if (!logits)
                return logits.error();
            const auto c = logits->size() / members.size();
            const bool cosineLogits = method == Method::ZeroShot || method == Method::Cupl;
            int groupCorrect = 0;
            for (std::size_t i = 0; i < members.size(); ++i) {
                const float* row = logits->data() + i * c;
                const auto ranked = rankSoftmax(row, c);
                const auto predicted = ranked.front().first;
                const auto zeroShot = nearestTemplate(input, i, c);
                store::PredictionRecord record;
                record.imageId = members[i]->id;
                record.split = evaluatedSplit;
                record.trueClassId = members[i]->classId;
                record.predictedClassId = classes[predicted].id;
                record.probability = ranked.front().second;
                record.oodScore = 1.0 - record.probability;
                record.cosTemplate = templateCosine(input, i, predicted);
                record.cosAape = cosineLogits ? row[predicted] / input.logitScale : 0.0;
                record.zeroShotClassId = classes[zeroShot].id;
                for (std::size_t k = 0; k < ranked.size() && k < static_cast<std::size_t>(std::max(options.topK, 1));
                     ++k)
                    record.topK.push_back({classes[ranked[k].first].id, ranked[k].second});
                predictions.push_back(record);
                groupCorrect += static_cast<int>(predicted) == input.labels[i];
                zeroShotCorrect += static_cast<int>(zeroShot) == input.labels[i];
                ++total;
            }
            correct += groupCorrect;
            groupAccuracy.push_back(static_cast<double>(groupCorrect) / static_cast<double>(members.size()));
            report(options.progress, "evaluating", g + 1, groups.size());
            continue;
        }
        EvalOptions evalOptions;
        evalOptions.topK = options.topK;
        evalOptions.oodScore = options.oodScore;
        auto evaluation = evaluate(context->state, input, evalOptions);
        if (!evaluation)
            return evaluation.error();
        usedOodScore = evaluation->oodScore;
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
    summary.evaluatedEpoch = context->epoch;
    summary.epochChoice = context->choice;
    summary.summary = context->run.summary.is_object() ? context->run.summary : nlohmann::json::object();
    for (const char* stale : {"base_accuracy", "new_accuracy", "harmonic_mean"})
        summary.summary.erase(stale);
    summary.summary["accuracy"] = summary.accuracy;
    summary.summary["zero_shot_accuracy"] = summary.zeroShotAccuracy;
    summary.summary["evaluated_images"] = total;
    summary.summary["evaluated_split"] = store::splitName(evaluatedSplit);
    summary.summary["epochs"] = context->run.lastEpoch + 1;
    summary.summary["evaluated_epoch"] = context->epoch + 1;
    summary.summary["epoch_choice"] = epochChoiceName(context->choice);
    summary.oodScore = usedOodScore;
    summary.summary.erase("ood_auroc");
    summary.summary["ood_score"] = oodScoreName(usedOodScore);
    // Base-to-new: the new classes' images are out of distribution for the classifier of the
    // base classes, a planted case that says how well each OOD score separates.
    if (method == Method::Aape && baseToNew && inputs.size() == 2 && !inputs[0].images.empty()
        && !inputs[1].images.empty()) {
        auto separation = measureOodSeparation(context->state, inputs[0], inputs[1].images);
        if (!separation)
            return separation.error();
        summary.oodSeparation = separation.value();
        nlohmann::json aurocs = nlohmann::json::object();
        for (const auto& s : separation.value())
            aurocs[oodScoreName(s.kind)] = s.auroc;
        summary.summary["ood_auroc"] = aurocs;
    }
    if (baseToNew && groupAccuracy.size() == 1 && !answersNewClasses(method)) {
        summary.baseAccuracy = groupAccuracy[0];
        summary.summary["base_accuracy"] = *summary.baseAccuracy;
    }
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

} // namespace aape::workflow
