#include "aape/aape/Evaluator.h"

#include "aape/Modules.h"
#include "aape/aape/Trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aape {

namespace {

using detail::toTensor;

// 1 − the largest cosine of each image [N, d] with the rows of `references` [P, d]; rows of
// zeros (classes without training images) are near nothing.
torch::Tensor oneMinusMaxCosine(const torch::Tensor& x, const torch::Tensor& references)
{
    return 1.0 - torch::mm(x, references.t()).amax(1);
}

// min_c (x − m_c)ᵀ P (x − m_c) over the classes with a mean, for images [N, d].
torch::Tensor minMahalanobis(const torch::Tensor& x, const torch::Tensor& means, const torch::Tensor& precision)
{
    const auto xp = torch::mm(x, precision);                                         // [N, d]
    const auto own = (xp * x).sum(1, /*keepdim=*/true);                              // [N, 1]
    const auto cross = torch::mm(xp, means.t());                                     // [N, P]
    const auto meanTerm = (torch::mm(means, precision) * means).sum(1).unsqueeze(0); // [1, P]
    auto distance = own - 2.0 * cross + meanTerm;
    const auto absent = (means.norm(2, 1) == 0).unsqueeze(0).expand_as(distance);
    distance = distance.masked_fill(absent, std::numeric_limits<float>::infinity());
    return distance.amin(1);
}

Status checkReference(OodScoreKind kind, const OodReference& reference, std::int64_t d)
{
    if (!oodScoreNeedsReference(kind))
        return {};
    if (reference.empty() || reference.dim != d || reference.prototypes.size() % static_cast<std::size_t>(d) != 0)
        return makeError(ErrorCode::InvalidArgument,
                         std::string("The ") + oodScoreName(kind)
                             + " OOD score needs the run's training images; evaluate a run trained with this version "
                               "of AAPE Studio, or choose --ood max_softmax.");
    if (kind == OodScoreKind::Mahalanobis
        && (reference.means.size() != reference.prototypes.size()
            || reference.precision.size() != static_cast<std::size_t>(d * d)))
        return makeError(ErrorCode::InvalidArgument,
                         "The mahalanobis OOD score needs the training images' covariance, which this model does not "
                         "carry; choose another score.");
    return {};
}

// Scores [N] from the embeddings [N, d] and logits [N, C] as tensors.
torch::Tensor scoreTensor(OodScoreKind kind, const torch::Tensor& x, const torch::Tensor& logits, float logitScale,
                          const OodReference& reference, float energyTemperature)
{
    const auto d = x.size(1);
    switch (kind) {
    case OodScoreKind::MaxSoftmax: return 1.0 - torch::softmax(logits, 1).amax(1);
    case OodScoreKind::Energy: {
        const double t = energyTemperature > 0 ? energyTemperature : 1.0;
        return -t * torch::logsumexp(logits / t, 1);
    }
    case OodScoreKind::MaxCosine: return 1.0 - logits.amax(1) / logitScale;
    case OodScoreKind::Prototype:
        return oneMinusMaxCosine(x, toTensor(reference.prototypes, {reference.classCount(), d}));
    case OodScoreKind::Mahalanobis:
        return minMahalanobis(x, toTensor(reference.means, {reference.classCount(), d}),
                              toTensor(reference.precision, {d, d}));
    }
    return torch::zeros({x.size(0)});
}

// The trained heads' logits [N, C] for images x [N, d] among templates [C, d]; `generated`
// receives h(x) when given.
Result<torch::Tensor> headLogits(const TrainState& state, int dim, const torch::Tensor& x,
                                 const torch::Tensor& templates, float logitScale, torch::Tensor* generated = nullptr)
{
    detail::AapeNet net(dim, aggregatorHeadCount(dim), detail::aggregatorFfnWidth(dim, state));
    if (auto problem = detail::loadParameters(*net, state, {"h.", "g."}); !problem.empty())
        return makeError(ErrorCode::BadFormat,
                         "The trained model does not fit these embeddings; evaluate with the CLIP model it was "
                         "trained with.",
                         {}, problem);
    const auto h = net->h->forward(x);
    if (generated)
        *generated = h;
    return detail::aapeLogits(*net, x, h, templates, logitScale);
}

} // namespace

const std::vector<OodScoreKind>& allOodScoreKinds()
{
    static const std::vector<OodScoreKind> kinds = {OodScoreKind::MaxSoftmax, OodScoreKind::Energy,
                                                    OodScoreKind::MaxCosine, OodScoreKind::Prototype,
                                                    OodScoreKind::Mahalanobis};
    return kinds;
}

const char* oodScoreName(OodScoreKind kind)
{
    switch (kind) {
    case OodScoreKind::MaxSoftmax: return "max_softmax";
    case OodScoreKind::Energy: return "energy";
    case OodScoreKind::MaxCosine: return "max_cosine";
    case OodScoreKind::Prototype: return "prototype";
    case OodScoreKind::Mahalanobis: return "mahalanobis";
    }
    return "unknown";
}

std::optional<OodScoreKind> parseOodScoreKind(const std::string& name)
{
    for (auto kind : allOodScoreKinds())
        if (name == oodScoreName(kind))
            return kind;
    return std::nullopt;
}

bool oodScoreNeedsReference(OodScoreKind kind)
{
    return kind == OodScoreKind::Prototype || kind == OodScoreKind::Mahalanobis;
}

Result<OodReference> makeOodReference(const std::vector<float>& images, const std::vector<int>& labels, int classCount,
                                      int dim)
{
    const auto d = static_cast<std::int64_t>(dim);
    if (d <= 0 || classCount <= 0 || images.empty() || images.size() % static_cast<std::size_t>(d) != 0
        || images.size() / static_cast<std::size_t>(d) != labels.size())
        return makeError(ErrorCode::InvalidArgument,
                         "There are no training images to compare new images with; train the run first.");
    try {
        torch::NoGradGuard noGrad;
        const auto n = static_cast<std::int64_t>(labels.size());
        const auto x = toTensor(images, {n, d});
        std::vector<std::int64_t> labels64(labels.begin(), labels.end());
        for (auto label : labels64)
            if (label < 0 || label >= classCount)
                return makeError(ErrorCode::InvalidArgument, "A training image has no class of the run.");
        const auto y = torch::tensor(labels64, torch::kLong);
        const auto counts = torch::bincount(y, {}, classCount).to(torch::kFloat32); // [C]
        const auto sums = torch::zeros({classCount, d}).index_add_(0, y, x);
        const auto means = sums / counts.clamp_min(1.0f).unsqueeze(1); // [C, d]; zero without images
        const auto prototypes = means / means.norm(2, 1, true).clamp_min(1e-12);

        // Shared covariance of the residuals from the class means, shrunk towards μI by
        // Ledoit and Wolf's rule (2004): a few shots per class give far fewer images than
        // dimensions, and the sample covariance alone would not be invertible.
        const auto residual = x - means.index_select(0, y);                             // [N, d]
        const auto sample = torch::mm(residual.t(), residual) / static_cast<double>(n); // [d, d]
        const auto identity = torch::eye(d);
        const double mu = sample.trace().item<double>() / static_cast<double>(d);
        const double delta = (sample - mu * identity).pow(2).sum().item<double>() / static_cast<double>(d);
        // (1/n²) Σ_k ‖r_k r_kᵀ − S‖²_F / d, with ‖r rᵀ − S‖² = ‖r‖⁴ − 2 rᵀSr + ‖S‖².
        const auto norms = residual.pow(2).sum(1);
        const auto quadratic = (torch::mm(residual, sample) * residual).sum(1);
        const double sampleNorm = sample.pow(2).sum().item<double>();
        const double count = static_cast<double>(n);
        const double beta = ((norms.pow(2) - 2.0 * quadratic).sum().item<double>() + count * sampleNorm)
                            / (count * count * static_cast<double>(d));
        const double shrinkage = delta > 0.0 ? std::clamp(beta / delta, 0.0, 1.0) : 1.0;
        const double floor = std::max(mu, 1e-6); // all residuals zero (one image per class): a sphere
        const auto shrunk = (1.0 - shrinkage) * sample + shrinkage * floor * identity;
        const auto precision = torch::inverse(shrunk.to(torch::kFloat64)).to(torch::kFloat32);

        OodReference reference;
        reference.dim = dim;
        reference.prototypes = detail::toVector(prototypes);
        reference.means = detail::toVector(means);
        reference.precision = detail::toVector(precision);
        return reference;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "The training images' summary for the OOD score could not be computed; please report it "
                         "together with the log file.",
                         {}, e.what());
    }
}

Result<std::vector<float>> oodScores(OodScoreKind kind, const std::vector<float>& images,
                                     const std::vector<float>& logits, int dim, float logitScale,
                                     const OodReference& reference, float energyTemperature)
{
    const auto d = static_cast<std::int64_t>(dim);
    if (d <= 0 || images.size() % static_cast<std::size_t>(d) != 0)
        return makeError(ErrorCode::ShapeMismatch, "The image embeddings do not match the model's dimension.");
    const auto n = static_cast<std::int64_t>(images.size()) / d;
    if (n == 0)
        return std::vector<float>{};
    if (logits.empty() || logits.size() % static_cast<std::size_t>(n) != 0)
        return makeError(ErrorCode::ShapeMismatch, "The class scores do not match the images.");
    if (auto status = checkReference(kind, reference, d); !status)
        return status.error();
    try {
        torch::NoGradGuard noGrad;
        const auto c = static_cast<std::int64_t>(logits.size()) / n;
        return detail::toVector(scoreTensor(kind, toTensor(images, {n, d}), toTensor(logits, {n, c}), logitScale,
                                            reference, energyTemperature));
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "The OOD score could not be computed; please report it together with "
                         "the log file.",
                         {}, e.what());
    }
}

double auroc(const std::vector<float>& inDistribution, const std::vector<float>& outOfDistribution)
{
    if (inDistribution.empty() || outOfDistribution.empty())
        return std::numeric_limits<double>::quiet_NaN();
    // Mann–Whitney U from ranks of the pooled scores (ties get their average rank).
    std::vector<std::pair<float, bool>> pooled; // score, is OOD
    pooled.reserve(inDistribution.size() + outOfDistribution.size());
    for (float v : inDistribution)
        pooled.emplace_back(v, false);
    for (float v : outOfDistribution)
        pooled.emplace_back(v, true);
    std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    double rankSumOut = 0.0;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        while (j < pooled.size() && pooled[j].first == pooled[i].first)
            ++j;
        const double rank = 0.5 * static_cast<double>(i + 1 + j); // average of ranks i+1..j
        for (std::size_t k = i; k < j; ++k)
            if (pooled[k].second)
                rankSumOut += rank;
        i = j;
    }
    const double nOut = static_cast<double>(outOfDistribution.size());
    const double nIn = static_cast<double>(inDistribution.size());
    return (rankSumOut - nOut * (nOut + 1.0) / 2.0) / (nOut * nIn);
}

Result<std::vector<OodSeparation>> measureOodSeparation(const TrainState& state, const EvalInput& input,
                                                        const std::vector<float>& outOfDistribution)
{
    const auto d = static_cast<std::int64_t>(input.dim);
    if (d <= 0 || input.templates.empty() || input.templates.size() % static_cast<std::size_t>(d) != 0
        || input.images.empty() || input.images.size() % static_cast<std::size_t>(d) != 0 || outOfDistribution.empty()
        || outOfDistribution.size() % static_cast<std::size_t>(d) != 0)
        return makeError(ErrorCode::InvalidArgument,
                         "Measuring the OOD score needs images of trained and of untrained classes; encode the "
                         "project first.");
    try {
        torch::NoGradGuard noGrad;
        const auto c = static_cast<std::int64_t>(input.templates.size()) / d;
        const auto nIn = static_cast<std::int64_t>(input.images.size()) / d;
        const auto nOut = static_cast<std::int64_t>(outOfDistribution.size()) / d;
        const auto x = torch::cat({toTensor(input.images, {nIn, d}), toTensor(outOfDistribution, {nOut, d})});
        auto logits = headLogits(state, input.dim, x, toTensor(input.templates, {c, d}), input.logitScale);
        if (!logits)
            return logits.error();
        std::vector<OodSeparation> out;
        for (auto kind : allOodScoreKinds()) {
            if (oodScoreNeedsReference(kind) && !checkReference(kind, input.oodReference, d))
                continue;
            const auto scores =
                detail::toVector(scoreTensor(kind, x, logits.value(), input.logitScale, input.oodReference, 1.0f));
            const std::vector<float> in(scores.begin(), scores.begin() + nIn);
            const std::vector<float> ood(scores.begin() + nIn, scores.end());
            out.push_back({kind, auroc(in, ood)});
        }
        return out;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "Measuring the OOD score failed unexpectedly; please report it together with the log file.",
                         {}, e.what());
    }
}

Result<EvalReport> evaluate(const TrainState& state, const EvalInput& input, const EvalOptions& options)
{
    const auto d = static_cast<std::int64_t>(input.dim);
    if (d <= 0 || d % 16 != 0 || input.templates.empty() || input.templates.size() % static_cast<std::size_t>(d) != 0
        || input.images.size() % static_cast<std::size_t>(d) != 0)
        return makeError(
            ErrorCode::InvalidArgument,
            "The embeddings to evaluate are empty or of the wrong size; encode the images and class names first.");
    const auto c = static_cast<std::int64_t>(input.templates.size()) / d;
    const auto n = static_cast<std::int64_t>(input.images.size()) / d;
    if (!input.labels.empty() && static_cast<std::int64_t>(input.labels.size()) != n)
        return makeError(ErrorCode::InvalidArgument, "The labels do not match the images to evaluate.");
    try {
        torch::NoGradGuard noGrad;
        const bool haveAggregator = state.find("aggregator.in_proj_weight") != nullptr;

        const auto x = toTensor(input.images, {n, d});
        const auto templates = toTensor(input.templates, {c, d});
        torch::Tensor generated;
        auto logitsOr = headLogits(state, input.dim, x, templates, input.logitScale, &generated); // [N, C]
        if (!logitsOr)
            return logitsOr.error();
        const auto& logits = logitsOr.value();
        const auto probs = torch::softmax(logits, 1);
        const auto k = std::min<std::int64_t>(std::max(1, options.topK), c);
        const auto [topP, topI] = probs.topk(k, 1);
        const auto predicted = topI.select(1, 0).contiguous();
        const auto zeroShot = torch::mm(x, templates.t()).argmax(1).contiguous();
        // The default needs the run's training images; without them (runs of older versions)
        // the score falls back to the one that needs nothing else.
        OodScoreKind oodKind = options.oodScore;
        if (oodScoreNeedsReference(oodKind) && !checkReference(oodKind, input.oodReference, d)) {
            if (options.oodScore != kDefaultOodScore)
                return checkReference(oodKind, input.oodReference, d).error();
            oodKind = OodScoreKind::MaxSoftmax;
        }
        const auto ood =
            scoreTensor(oodKind, x, logits, input.logitScale, input.oodReference, options.energyTemperature)
                .contiguous();
        const auto cosTemplate = torch::cosine_similarity(x, templates.index_select(0, predicted), 1);
        const auto cosGenerated = torch::cosine_similarity(x, generated, 1);

        // Class-level attention, averaged over heads: [C, m].
        const bool attention =
            options.attention && haveAggregator && input.descriptions.size() == static_cast<std::size_t>(c);
        std::vector<torch::Tensor> descriptions;
        torch::Tensor classAttention;
        if (attention) {
            for (std::int64_t k2 = 0; k2 < c; ++k2) {
                const auto& p = input.descriptions[static_cast<std::size_t>(k2)];
                descriptions.push_back(p.empty() ? templates[k2].unsqueeze(0).clone()
                                                 : toTensor(p, {static_cast<std::int64_t>(p.size()) / d, d}));
            }
            const auto bank = detail::makeDescriptionBank(descriptions, input.dim, torch::kCPU);
            detail::AapeNet net(input.dim, aggregatorHeadCount(input.dim),
                                detail::aggregatorFfnWidth(input.dim, state));
            if (auto problem = detail::loadParameters(*net, state, {}); !problem.empty())
                return makeError(ErrorCode::BadFormat,
                                 "The trained model does not fit these embeddings; evaluate with the CLIP model it "
                                 "was trained with.",
                                 {}, problem);
            classAttention = net->aggregator->forward(bank, torch::arange(c)).attention.mean(1);
        }
        const auto describe = [&](std::int64_t image, int cls) {
            DescriptionAttention out;
            out.classIndex = cls;
            if (!attention || cls < 0)
                return out;
            const auto& p = descriptions[static_cast<std::size_t>(cls)];
            const auto prior = classAttention[cls].narrow(0, 0, p.size(0));
            const auto match = torch::softmax(torch::mv(p, x[image]) * input.logitScale, 0);
            const auto weighted = prior * match;
            out.classLevel = detail::toVector(prior / prior.sum());
            out.imageLevel = detail::toVector(weighted / weighted.sum().clamp_min(1e-30));
            return out;
        };

        EvalReport report;
        report.classCount = static_cast<int>(c);
        report.oodScore = oodKind;
        report.perClassAccuracy.assign(static_cast<std::size_t>(c), 0.0);
        report.perClassCount.assign(static_cast<std::size_t>(c), 0);
        report.confusion.assign(static_cast<std::size_t>(c * c), 0);
        const auto* pred = predicted.data_ptr<std::int64_t>();
        const auto* zs = zeroShot.data_ptr<std::int64_t>();
        const auto topPv = topP.contiguous();
        const auto topIv = topI.contiguous();
        int labelled = 0, correct = 0, zeroShotCorrect = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            ImageEvaluation e;
            e.predicted = static_cast<int>(pred[i]);
            e.zeroShot = static_cast<int>(zs[i]);
            for (std::int64_t j = 0; j < k; ++j) {
                e.topClasses.push_back(static_cast<int>(topIv[i][j].item<std::int64_t>()));
                e.topProbabilities.push_back(topPv[i][j].item<float>());
            }
            e.oodScore = ood[i].item<float>();
            e.cosTemplate = cosTemplate[i].item<float>();
            e.cosGenerated = cosGenerated[i].item<float>();
            const int label = input.labels.empty() ? -1 : input.labels[static_cast<std::size_t>(i)];
            e.predictedAttention = describe(i, e.predicted);
            if (label >= 0 && label < c) {
                e.trueAttention = describe(i, label);
                ++labelled;
                correct += e.predicted == label;
                zeroShotCorrect += e.zeroShot == label;
                report.perClassCount[static_cast<std::size_t>(label)] += 1;
                report.perClassAccuracy[static_cast<std::size_t>(label)] += e.predicted == label;
                report.confusion[static_cast<std::size_t>(label * c + e.predicted)] += 1;
            }
            report.images.push_back(std::move(e));
        }
        for (std::size_t j = 0; j < report.perClassAccuracy.size(); ++j)
            report.perClassAccuracy[j] = report.perClassCount[j] > 0
                                             ? report.perClassAccuracy[j] / report.perClassCount[j]
                                             : std::numeric_limits<double>::quiet_NaN();
        report.accuracy = labelled > 0 ? double(correct) / labelled : 0.0;
        report.zeroShotAccuracy = labelled > 0 ? double(zeroShotCorrect) / labelled : 0.0;
        return report;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "Evaluation failed unexpectedly; please report it together with the log file.", {}, e.what());
    }
}

std::pair<std::vector<int>, std::vector<int>> splitBaseNew(int classCount)
{
    std::pair<std::vector<int>, std::vector<int>> split;
    const int base = (classCount + 1) / 2;
    for (int c = 0; c < classCount; ++c)
        (c < base ? split.first : split.second).push_back(c);
    return split;
}

EvalInput restrictToClasses(const EvalInput& input, const std::vector<int>& classes)
{
    const auto d = static_cast<std::size_t>(input.dim);
    EvalInput out;
    out.dim = input.dim;
    out.logitScale = input.logitScale;
    out.oodReference = input.oodReference; // the run's training images, whichever classes are scored
    std::vector<int> remap(input.templates.size() / std::max<std::size_t>(d, 1), -1);
    for (std::size_t j = 0; j < classes.size(); ++j) {
        const auto c = static_cast<std::size_t>(classes[j]);
        remap[c] = static_cast<int>(j);
        out.templates.insert(out.templates.end(), input.templates.begin() + c * d,
                             input.templates.begin() + (c + 1) * d);
        if (c < input.descriptions.size())
            out.descriptions.push_back(input.descriptions[c]);
    }
    if (out.descriptions.size() != classes.size())
        out.descriptions.clear();
    for (std::size_t i = 0; i < input.labels.size(); ++i) {
        const int label = input.labels[i];
        if (label < 0 || remap[static_cast<std::size_t>(label)] < 0)
            continue;
        out.labels.push_back(remap[static_cast<std::size_t>(label)]);
        out.images.insert(out.images.end(), input.images.begin() + i * d, input.images.begin() + (i + 1) * d);
    }
    return out;
}

double harmonicMean(double base, double novel)
{
    return base + novel > 0.0 ? 2.0 * base * novel / (base + novel) : 0.0;
}

} // namespace aape
