#include "aape/explore/LabelQuality.h"

#include "explore/Linear.h"

#include "aape/aape/Evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>

namespace aape::explore {

namespace {

// The labelled images a model can judge: those of classes with at least two labelled images
// (a class's only image has nothing of its class to be compared with when it is held out).
struct LabelledSet {
    std::vector<std::size_t> indices; // into the collection
    std::vector<int> labels;          // class index into collection.classes, parallel to indices
    int classCount = 0;
};

LabelledSet labelledSet(const EmbeddedCollection& collection)
{
    std::map<std::int64_t, int> classIndex;
    for (std::size_t c = 0; c < collection.classes.size(); ++c)
        classIndex[collection.classes[c].id] = static_cast<int>(c);
    std::vector<int> counts(collection.classes.size(), 0);
    for (const auto& image : collection.images)
        if (image.classId && classIndex.count(*image.classId))
            ++counts[static_cast<std::size_t>(classIndex[*image.classId])];
    LabelledSet set;
    set.classCount = static_cast<int>(collection.classes.size());
    for (std::size_t i = 0; i < collection.size(); ++i) {
        const auto& classId = collection.images[i].classId;
        if (!classId || !classIndex.count(*classId))
            continue;
        const int label = classIndex[*classId];
        if (counts[static_cast<std::size_t>(label)] < 2)
            continue;
        set.indices.push_back(i);
        set.labels.push_back(label);
    }
    return set;
}

Status checkJudgeable(const EmbeddedCollection& collection, const LabelledSet& set)
{
    std::vector<bool> present(static_cast<std::size_t>(set.classCount), false);
    for (int label : set.labels)
        present[static_cast<std::size_t>(label)] = true;
    if (std::count(present.begin(), present.end(), true) < 2)
        return makeError(ErrorCode::InvalidArgument,
                         "Label review needs at least two classes with two or more encoded, labelled images each; "
                         "label more images (or encode them with: aape encode "
                             + collection.projectPath + ")",
                         collection.projectPath);
    return {};
}

std::vector<float> gatherRows(const EmbeddedCollection& collection, const std::vector<std::size_t>& indices)
{
    const auto d = static_cast<std::size_t>(collection.dim);
    std::vector<float> rows(indices.size() * d);
    for (std::size_t i = 0; i < indices.size(); ++i)
        std::copy(collection.row(indices[i]), collection.row(indices[i]) + d, rows.begin() + i * d);
    return rows;
}

// Linear discriminant analysis: logits_c(x) = w_c·x + b_c with w_c = Σ⁻¹m_c and
// b_c = −½ m_cᵀΣ⁻¹m_c + log π_c; classes without training images never win.
struct LdaModel {
    int classCount = 0;
    std::vector<float> weights; // [C, d]
    std::vector<float> bias;    // [C]
};

Result<LdaModel> fitLda(const EmbeddedCollection& collection, const std::vector<std::size_t>& indices,
                        const std::vector<int>& labels, int classCount)
{
    const int d = collection.dim;
    const auto rows = gatherRows(collection, indices);
    auto reference = makeOodReference(rows, labels, classCount, d);
    if (!reference)
        return makeError(ErrorCode::Internal,
                         "The class model for label review could not be fitted; please report it together with the "
                         "log file.",
                         collection.projectPath, reference.error().message + " " + reference.error().detail);
    LdaModel model;
    model.classCount = classCount;
    model.weights.resize(static_cast<std::size_t>(classCount) * static_cast<std::size_t>(d));
    detail::multiply(false, false, classCount, d, d, reference->means.data(), d, reference->precision.data(), d,
                     model.weights.data(), d);
    std::vector<int> counts(static_cast<std::size_t>(classCount), 0);
    for (int label : labels)
        ++counts[static_cast<std::size_t>(label)];
    model.bias.resize(static_cast<std::size_t>(classCount));
    for (int c = 0; c < classCount; ++c) {
        const auto cc = static_cast<std::size_t>(c);
        if (counts[cc] == 0) {
            model.bias[cc] = -std::numeric_limits<float>::infinity();
            continue;
        }
        double quadratic = 0.0;
        for (int k = 0; k < d; ++k) {
            const std::size_t at = cc * static_cast<std::size_t>(d) + static_cast<std::size_t>(k);
            quadratic += static_cast<double>(model.weights[at]) * reference->means[at];
        }
        model.bias[cc] = static_cast<float>(
            -0.5 * quadratic + std::log(static_cast<double>(counts[cc]) / static_cast<double>(labels.size())));
    }
    return model;
}

// [indices.size(), C] logits.
std::vector<float> ldaLogits(const LdaModel& model, const EmbeddedCollection& collection,
                             const std::vector<std::size_t>& indices)
{
    const int d = collection.dim;
    const auto rows = gatherRows(collection, indices);
    const auto n = static_cast<std::int64_t>(indices.size());
    std::vector<float> logits(indices.size() * static_cast<std::size_t>(model.classCount));
    if (n == 0)
        return logits;
    detail::multiply(false, true, n, model.classCount, d, rows.data(), d, model.weights.data(), d, logits.data(),
                     model.classCount);
    for (std::size_t i = 0; i < indices.size(); ++i)
        for (int c = 0; c < model.classCount; ++c)
            logits[i * static_cast<std::size_t>(model.classCount) + static_cast<std::size_t>(c)] +=
                model.bias[static_cast<std::size_t>(c)];
    return logits;
}

// Softmax of logits·beta, one row of C.
void softmaxRow(const float* logits, int classCount, double beta, float* out)
{
    double top = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < classCount; ++c)
        top = std::max(top, beta * logits[c]);
    double sum = 0.0;
    for (int c = 0; c < classCount; ++c) {
        const double e = std::isfinite(logits[c]) ? std::exp(beta * logits[c] - top) : 0.0;
        out[c] = static_cast<float>(e);
        sum += e;
    }
    for (int c = 0; c < classCount; ++c)
        out[c] = static_cast<float>(out[c] / sum);
}

// Share of each label assumed wrong when fitting the temperature. The labels under review are
// noisy by assumption; and without it, classes that the out-of-fold model separates perfectly
// would drive the temperature to zero and every probability to 0 or 1.
constexpr double kLabelSmoothing = 0.05;

// Cross-entropy of softmax(beta·logits) against the given labels smoothed by kLabelSmoothing
// (spread over the classes the model can predict); convex in beta.
double negativeLogLikelihood(const std::vector<float>& logits, const std::vector<int>& labels, int classCount,
                             double beta)
{
    double total = 0.0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float* row = logits.data() + i * static_cast<std::size_t>(classCount);
        double top = -std::numeric_limits<double>::infinity();
        int finite = 0;
        double finiteSum = 0.0;
        for (int c = 0; c < classCount; ++c) {
            if (!std::isfinite(row[c]))
                continue;
            top = std::max(top, beta * row[c]);
            ++finite;
            finiteSum += row[c];
        }
        if (finite == 0)
            continue;
        double sum = 0.0;
        for (int c = 0; c < classCount; ++c)
            if (std::isfinite(row[c]))
                sum += std::exp(beta * row[c] - top);
        const double logPartition = top + std::log(sum);
        const float given = row[labels[i]];
        const double givenTerm = std::isfinite(given) ? logPartition - beta * given : 50.0;
        const double uniformTerm = logPartition - beta * finiteSum / finite;
        total += (1.0 - kLabelSmoothing) * givenTerm + kLabelSmoothing * uniformTerm;
    }
    return total / static_cast<double>(std::max<std::size_t>(1, labels.size()));
}

// The inverse temperature that makes the out-of-fold probabilities honest: the NLL is convex in
// beta, so a golden-section search over log(beta) finds its minimum.
double fitInverseTemperature(const std::vector<float>& logits, const std::vector<int>& labels, int classCount)
{
    double lo = std::log(1e-5), hi = std::log(1e2);
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    double fa = negativeLogLikelihood(logits, labels, classCount, std::exp(a));
    double fb = negativeLogLikelihood(logits, labels, classCount, std::exp(b));
    for (int iteration = 0; iteration < 60; ++iteration) {
        if (fa < fb) {
            hi = b;
            b = a;
            fb = fa;
            a = hi - ratio * (hi - lo);
            fa = negativeLogLikelihood(logits, labels, classCount, std::exp(a));
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + ratio * (hi - lo);
            fb = negativeLogLikelihood(logits, labels, classCount, std::exp(b));
        }
    }
    return std::exp((lo + hi) / 2.0);
}

// Out-of-fold logits [n, C] of the labelled set (stratified folds) and the inverse temperature
// fitted on them.
struct OutOfFold {
    std::vector<float> logits;
    double beta = 1.0;
};

Result<OutOfFold> outOfFold(const EmbeddedCollection& collection, const LabelledSet& set, int folds, std::uint64_t seed,
                            const std::function<void(std::size_t, std::size_t)>& progress, const StopTokenPtr& stop)
{
    folds = std::max(2, folds);
    std::vector<int> foldOf(set.indices.size(), 0);
    std::mt19937_64 rng(seed);
    for (int label = 0; label < set.classCount; ++label) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < set.labels.size(); ++i)
            if (set.labels[i] == label)
                members.push_back(i);
        std::shuffle(members.begin(), members.end(), rng);
        for (std::size_t m = 0; m < members.size(); ++m)
            foldOf[members[m]] = static_cast<int>(m % static_cast<std::size_t>(folds));
    }
    OutOfFold result;
    const auto classes = static_cast<std::size_t>(set.classCount);
    result.logits.assign(set.indices.size() * classes, 0.0f);
    for (int fold = 0; fold < folds; ++fold) {
        if (stopRequested(stop))
            return makeError(ErrorCode::Cancelled, "Label review was stopped.");
        std::vector<std::size_t> trainIndices, heldOut, heldOutRows;
        std::vector<int> trainLabels;
        for (std::size_t i = 0; i < set.indices.size(); ++i) {
            if (foldOf[i] == fold) {
                heldOut.push_back(set.indices[i]);
                heldOutRows.push_back(i);
            } else {
                trainIndices.push_back(set.indices[i]);
                trainLabels.push_back(set.labels[i]);
            }
        }
        if (heldOut.empty())
            continue;
        auto model = fitLda(collection, trainIndices, trainLabels, set.classCount);
        if (!model)
            return model.error();
        const auto logits = ldaLogits(model.value(), collection, heldOut);
        for (std::size_t r = 0; r < heldOutRows.size(); ++r)
            std::copy(logits.begin() + static_cast<std::ptrdiff_t>(r * classes),
                      logits.begin() + static_cast<std::ptrdiff_t>((r + 1) * classes),
                      result.logits.begin() + static_cast<std::ptrdiff_t>(heldOutRows[r] * classes));
        if (progress)
            progress(static_cast<std::size_t>(fold + 1), static_cast<std::size_t>(folds));
    }
    result.beta = fitInverseTemperature(result.logits, set.labels, set.classCount);
    return result;
}

} // namespace

Result<std::vector<LabelMistake>> rankLabelMistakes(const EmbeddedCollection& collection,
                                                    const LabelReviewOptions& options)
{
    const LabelledSet set = labelledSet(collection);
    if (auto status = checkJudgeable(collection, set); !status)
        return status.error();
    auto oof = outOfFold(collection, set, options.folds, options.seed, options.progress, options.stop);
    if (!oof)
        return oof.error();

    const int classCount = set.classCount;
    const auto classes = static_cast<std::size_t>(classCount);
    std::vector<float> probabilities(set.indices.size() * classes);
    for (std::size_t i = 0; i < set.indices.size(); ++i)
        softmaxRow(oof->logits.data() + i * classes, classCount, oof->beta, probabilities.data() + i * classes);

    // Confident learning's per-class threshold: the mean self-confidence of the class's images.
    std::vector<double> thresholdSum(classes, 0.0);
    std::vector<int> thresholdCount(classes, 0);
    for (std::size_t i = 0; i < set.indices.size(); ++i) {
        const auto label = static_cast<std::size_t>(set.labels[i]);
        thresholdSum[label] += probabilities[i * classes + label];
        ++thresholdCount[label];
    }

    std::vector<LabelMistake> ranked;
    ranked.reserve(set.indices.size());
    for (std::size_t i = 0; i < set.indices.size(); ++i) {
        const float* p = probabilities.data() + i * classes;
        const auto label = static_cast<std::size_t>(set.labels[i]);
        const auto suggested = static_cast<std::size_t>(std::max_element(p, p + classCount) - p);
        LabelMistake mistake;
        mistake.index = set.indices[i];
        mistake.givenClassId = collection.classes[label].id;
        mistake.suggestedClassId = collection.classes[suggested].id;
        mistake.givenProbability = p[label];
        mistake.suggestedProbability = p[suggested];
        const double threshold =
            thresholdCount[suggested] > 0 ? thresholdSum[suggested] / thresholdCount[suggested] : 1.0;
        mistake.likelyError = suggested != label && p[suggested] >= threshold;
        ranked.push_back(mistake);
    }
    std::sort(ranked.begin(), ranked.end(), [](const LabelMistake& a, const LabelMistake& b) {
        if (a.givenProbability != b.givenProbability)
            return a.givenProbability < b.givenProbability;
        return a.index < b.index;
    });
    return ranked;
}

Result<SuggestReport> suggestImagesToLabel(const EmbeddedCollection& collection, const SuggestOptions& options)
{
    const LabelledSet set = labelledSet(collection);
    if (auto status = checkJudgeable(collection, set); !status)
        return status.error();
    std::vector<std::size_t> unlabelled, labelled;
    for (std::size_t i = 0; i < collection.size(); ++i)
        (collection.images[i].classId ? labelled : unlabelled).push_back(i);
    SuggestReport report;
    report.unlabelled = static_cast<int>(unlabelled.size());
    if (unlabelled.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "Every encoded image of the project is labelled, so there is nothing to suggest; import "
                         "images without labels first (a CSV with an empty label, or a folder of images)",
                         collection.projectPath);

    // Class probabilities of the unlabelled images: the run's, or the embedding model's.
    std::vector<float> probabilities;
    std::vector<std::int64_t> classIds;
    if (options.runProbabilities) {
        auto fromRun = options.runProbabilities(unlabelled);
        if (!fromRun)
            return fromRun.error();
        classIds = options.runClassIds;
        if (classIds.empty() || fromRun->size() != unlabelled.size() * classIds.size())
            return makeError(ErrorCode::Internal, "The run's probabilities do not match its classes.",
                             collection.projectPath);
        probabilities = std::move(fromRun).value();
        report.fromRun = true;
    } else {
        auto oof = outOfFold(collection, set, options.folds, options.seed, options.progress, options.stop);
        if (!oof)
            return oof.error();
        auto model = fitLda(collection, set.indices, set.labels, set.classCount);
        if (!model)
            return model.error();
        const auto logits = ldaLogits(model.value(), collection, unlabelled);
        const auto count = static_cast<std::size_t>(set.classCount);
        probabilities.resize(unlabelled.size() * count);
        for (std::size_t u = 0; u < unlabelled.size(); ++u)
            softmaxRow(logits.data() + u * count, set.classCount, oof->beta, probabilities.data() + u * count);
        for (std::size_t c = 0; c < count; ++c)
            classIds.push_back(collection.classes[c].id);
    }
    const std::size_t classes = classIds.size();
    std::vector<float> uncertainty(unlabelled.size()), top(unlabelled.size());
    std::vector<std::size_t> guess(unlabelled.size());
    for (std::size_t u = 0; u < unlabelled.size(); ++u) {
        const float* p = probabilities.data() + u * classes;
        std::size_t first = 0, second = classes > 1 ? 1 : 0;
        if (p[second] > p[first])
            std::swap(first, second);
        for (std::size_t c = 2; c < classes; ++c) {
            if (p[c] > p[first]) {
                second = first;
                first = c;
            } else if (p[c] > p[second]) {
                second = c;
            }
        }
        uncertainty[u] = 1.0f - (p[first] - p[second]);
        top[u] = p[first];
        guess[u] = first;
    }

    // Distance of each unlabelled image to its nearest labelled image, in tiles of the product.
    if (stopRequested(options.stop))
        return makeError(ErrorCode::Cancelled, "The suggestion was stopped.");
    const int d = collection.dim;
    const auto unlabelledRows = gatherRows(collection, unlabelled);
    const auto labelledRows = gatherRows(collection, labelled);
    std::vector<float> distance(unlabelled.size(), 2.0f);
    const auto labelledCount = static_cast<std::int64_t>(labelled.size());
    // Tiles of at most 4 M cosines (16 MB), whatever the number of labelled images.
    const std::int64_t tileRows = std::max<std::int64_t>(
        1, std::min<std::int64_t>(1024, (std::int64_t{1} << 22) / std::max<std::int64_t>(1, labelledCount)));
    std::vector<float> tile(static_cast<std::size_t>(tileRows) * labelled.size());
    for (std::int64_t r0 = 0; r0 < static_cast<std::int64_t>(unlabelled.size()); r0 += tileRows) {
        const std::int64_t rows = std::min(tileRows, static_cast<std::int64_t>(unlabelled.size()) - r0);
        detail::multiply(false, true, rows, labelledCount, d, unlabelledRows.data() + r0 * d, d, labelledRows.data(), d,
                         tile.data(), labelledCount);
        for (std::int64_t i = 0; i < rows; ++i) {
            const float* line = tile.data() + i * labelledCount;
            const float best = labelledCount > 0 ? *std::max_element(line, line + labelledCount) : -1.0f;
            distance[static_cast<std::size_t>(r0 + i)] = std::max(0.0f, 1.0f - best);
        }
    }

    const auto wanted = std::min(unlabelled.size(), static_cast<std::size_t>(std::max(0, options.count)));
    std::vector<bool> chosen(unlabelled.size(), false);
    for (std::size_t step = 0; step < wanted; ++step) {
        std::size_t best = unlabelled.size();
        float bestScore = -1.0f;
        for (std::size_t u = 0; u < unlabelled.size(); ++u) {
            if (chosen[u])
                continue;
            const float score = uncertainty[u] * distance[u];
            if (score > bestScore) {
                bestScore = score;
                best = u;
            }
        }
        chosen[best] = true;
        LabelSuggestion suggestion;
        suggestion.index = unlabelled[best];
        suggestion.predictedClassId = classIds[guess[best]];
        suggestion.probability = top[best];
        suggestion.uncertainty = uncertainty[best];
        suggestion.distance = distance[best];
        suggestion.score = bestScore;
        report.suggestions.push_back(suggestion);
        // The chosen image now counts as labelled: its neighbours become less urgent.
        const float* picked = collection.row(unlabelled[best]);
        for (std::size_t u = 0; u < unlabelled.size(); ++u) {
            if (chosen[u])
                continue;
            const float* row = collection.row(unlabelled[u]);
            float dot = 0.0f;
            for (int k = 0; k < d; ++k)
                dot += row[k] * picked[k];
            distance[u] = std::min(distance[u], std::max(0.0f, 1.0f - dot));
        }
    }
    return report;
}

} // namespace aape::explore
