#include "aape/aape/Evaluator.h"

#include "aape/aape/Trainer.h"
#include "aape/Modules.h"

#include <cmath>
#include <limits>

namespace aape {

namespace {

using detail::toTensor;

} // namespace

Result<EvalReport> evaluate(const TrainState& state, const EvalInput& input, const EvalOptions& options)
{
    const auto d = static_cast<std::int64_t>(input.dim);
    if (d <= 0 || d % 16 != 0 || input.templates.empty() || input.templates.size() % static_cast<std::size_t>(d) != 0
        || input.images.size() % static_cast<std::size_t>(d) != 0)
        return makeError(ErrorCode::InvalidArgument, "The embeddings to evaluate are empty or of the wrong size; encode the images and class names first.");
    const auto c = static_cast<std::int64_t>(input.templates.size()) / d;
    const auto n = static_cast<std::int64_t>(input.images.size()) / d;
    if (!input.labels.empty() && static_cast<std::int64_t>(input.labels.size()) != n)
        return makeError(ErrorCode::InvalidArgument, "The labels do not match the images to evaluate.");
    try {
        torch::NoGradGuard noGrad;
        detail::AapeNet net(input.dim, aggregatorHeadCount(input.dim), detail::aggregatorFfnWidth(input.dim, state));
        if (auto problem = detail::loadParameters(*net, state, {"h.", "g."}); !problem.empty())
            return makeError(ErrorCode::BadFormat, "The trained model does not fit these embeddings; evaluate with the CLIP model it was trained with.",
                             {}, problem);
        const bool haveAggregator = state.find("aggregator.in_proj_weight") != nullptr;

        const auto x = toTensor(input.images, {n, d});
        const auto templates = toTensor(input.templates, {c, d});
        const auto generated = net->h->forward(x);
        const auto logits = detail::aapeLogits(*net, x, generated, templates, input.logitScale);  // [N, C]
        const auto probs = torch::softmax(logits, 1);
        const auto k = std::min<std::int64_t>(std::max(1, options.topK), c);
        const auto [topP, topI] = probs.topk(k, 1);
        const auto predicted = topI.select(1, 0).contiguous();
        const auto zeroShot = torch::mm(x, templates.t()).argmax(1).contiguous();
        torch::Tensor ood;
        if (options.oodScore == OodScoreKind::Energy) {
            const double t = options.energyTemperature > 0 ? options.energyTemperature : 1.0;
            ood = -t * torch::logsumexp(logits / t, 1);
        } else {
            ood = 1.0 - topP.select(1, 0);
        }
        const auto cosTemplate = torch::cosine_similarity(x, templates.index_select(0, predicted), 1);
        const auto cosGenerated = torch::cosine_similarity(x, generated, 1);

        // Class-level attention, averaged over heads: [C, m].
        const bool attention = options.attention && haveAggregator
                               && input.descriptions.size() == static_cast<std::size_t>(c);
        std::vector<torch::Tensor> descriptions;
        torch::Tensor classAttention;
        if (attention) {
            for (std::int64_t k2 = 0; k2 < c; ++k2) {
                const auto& p = input.descriptions[static_cast<std::size_t>(k2)];
                descriptions.push_back(p.empty() ? templates[k2].unsqueeze(0).clone()
                                                 : toTensor(p, {static_cast<std::int64_t>(p.size()) / d, d}));
            }
            const auto bank = detail::makeDescriptionBank(descriptions, input.dim, torch::kCPU);
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
        return makeError(ErrorCode::Internal, "Evaluation failed inside LibTorch; see the details.", {}, e.what());
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
    std::vector<int> remap(input.templates.size() / std::max<std::size_t>(d, 1), -1);
    for (std::size_t j = 0; j < classes.size(); ++j) {
        const auto c = static_cast<std::size_t>(classes[j]);
        remap[c] = static_cast<int>(j);
        out.templates.insert(out.templates.end(), input.templates.begin() + c * d, input.templates.begin() + (c + 1) * d);
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
