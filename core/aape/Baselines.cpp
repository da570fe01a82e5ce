#include "aape/aape/Baselines.h"

#include "aape/Modules.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aape {

namespace {

using detail::toTensor;

// [N, d] rows of a flat vector.
torch::Tensor matrix(const std::vector<float>& values, int dim)
{
    return toTensor(values, {static_cast<std::int64_t>(values.size() / static_cast<std::size_t>(dim)), dim});
}

torch::Tensor normaliseRows(const torch::Tensor& t)
{
    return torch::nn::functional::normalize(t, torch::nn::functional::NormalizeFuncOptions().dim(1));
}

// CuPL: each class's weight is the L2-normalised mean of its (L2-normalised) description
// embeddings; a class without descriptions keeps its template.
torch::Tensor cuplWeights(const torch::Tensor& templates, const std::vector<std::vector<float>>& descriptions, int dim)
{
    std::vector<torch::Tensor> rows;
    for (std::int64_t c = 0; c < templates.size(0); ++c) {
        const auto k = static_cast<std::size_t>(c);
        if (k < descriptions.size() && !descriptions[k].empty())
            rows.push_back(matrix(descriptions[k], dim).mean(0));
        else
            rows.push_back(templates[c]);
    }
    return normaliseRows(torch::stack(rows));
}

double accuracy(const torch::Tensor& logits, const torch::Tensor& labels)
{
    if (labels.numel() == 0)
        return 0.0;
    return (logits.argmax(1) == labels).to(torch::kDouble).mean().item<double>();
}

const NamedTensor* findTensor(const std::vector<NamedTensor>& tensors, const std::string& name)
{
    for (const auto& t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

torch::Tensor tensorOf(const std::vector<NamedTensor>& tensors, const std::string& name)
{
    const auto* found = findTensor(tensors, name);
    if (!found)
        throw std::invalid_argument("the run's checkpoint lacks \"" + name + "\"");
    return toTensor(found->values, found->shape);
}

// Multinomial logistic regression, mean cross-entropy + λ/2·|W|² (the bias unregularised), by
// L-BFGS with a strong-Wolfe line search from zero: a convex problem, so the optimum does not
// depend on the start and the fit is deterministic.
std::pair<torch::Tensor, torch::Tensor> fitProbe(const torch::Tensor& x, const torch::Tensor& y, std::int64_t classes,
                                                 double weightDecay, int iterations)
{
    auto weight = torch::zeros({classes, x.size(1)}, torch::requires_grad());
    auto bias = torch::zeros({classes}, torch::requires_grad());
    torch::optim::LBFGS optimiser({weight, bias}, torch::optim::LBFGSOptions(1.0)
                                                      .max_iter(iterations)
                                                      .tolerance_grad(1e-9)
                                                      .tolerance_change(1e-12)
                                                      .history_size(20)
                                                      .line_search_fn("strong_wolfe"));
    auto closure = [&] {
        optimiser.zero_grad();
        auto loss =
            torch::cross_entropy_loss(torch::addmm(bias, x, weight.t()), y) + 0.5 * weightDecay * weight.square().sum();
        loss.backward();
        return loss;
    };
    optimiser.step(closure);
    return {weight.detach(), bias.detach()};
}

// Tip-Adapter's logits: CLIP's plus α·exp(−β(1 − cos(x, key)))·values.
torch::Tensor tipLogits(const torch::Tensor& x, const torch::Tensor& templates, const torch::Tensor& keys,
                        const torch::Tensor& values, double alpha, double beta, double logitScale)
{
    const auto affinity = torch::mm(x, keys.t());
    const auto cache = torch::exp(-beta * (1.0 - affinity));
    return torch::mm(x, templates.t()) * logitScale + alpha * torch::mm(cache, values);
}

} // namespace

const std::vector<Method>& allMethods()
{
    static const std::vector<Method> methods = {Method::ZeroShot,   Method::Cupl,        Method::LinearProbe,
                                                Method::TipAdapter, Method::TipAdapterF, Method::Aape};
    return methods;
}

const char* methodName(Method method)
{
    switch (method) {
    case Method::Aape: return "aape";
    case Method::ZeroShot: return "zero-shot";
    case Method::Cupl: return "cupl";
    case Method::LinearProbe: return "linear-probe";
    case Method::TipAdapter: return "tip-adapter";
    case Method::TipAdapterF: return "tip-adapter-f";
    }
    return "aape";
}

std::optional<Method> parseMethod(std::string_view name)
{
    for (Method method : allMethods())
        if (name == methodName(method))
            return method;
    return std::nullopt;
}

bool answersNewClasses(Method method)
{
    return method == Method::Aape || method == Method::ZeroShot || method == Method::Cupl;
}

Result<BaselineModel> fitBaseline(Method method, const TrainingData& data, std::uint64_t seed,
                                  const BaselineSettings& settings, const StopTokenPtr& stop)
{
    if (method == Method::Aape)
        return makeError(ErrorCode::InvalidArgument, "AAPE is trained by the trainer, not fitted as a baseline.");
    const int d = data.dim;
    if (d <= 0 || data.classCount < 2 || data.templates.size() != static_cast<std::size_t>(data.classCount) * d
        || data.sampleLabels.empty() || data.viewsPerSample <= 0
        || data.sampleViews.size() != data.sampleLabels.size() * static_cast<std::size_t>(data.viewsPerSample) * d)
        return makeError(ErrorCode::InvalidArgument,
                         "The training data does not fit together (classes, templates, images, views); re-encode the "
                         "project and try again.");
    try {
        torch::NoGradGuard noGradOutside;
        torch::manual_seed(seed);
        const auto classes = static_cast<std::int64_t>(data.classCount);
        const auto samples = static_cast<std::int64_t>(data.sampleLabels.size());
        const std::int64_t views = data.viewsPerSample;
        const auto templates = matrix(data.templates, d);
        const auto allViews = toTensor(data.sampleViews, {samples * views, d}); // [S·V, d]
        const auto sampleLabels =
            torch::tensor(std::vector<std::int64_t>(data.sampleLabels.begin(), data.sampleLabels.end()));
        const auto viewLabels = sampleLabels.repeat_interleave(views);
        torch::Tensor valX, valY;
        if (!data.validationLabels.empty()) {
            valX = matrix(data.validationEmbeddings, d);
            valY = torch::tensor(std::vector<std::int64_t>(data.validationLabels.begin(), data.validationLabels.end()));
        }
        const auto scale = static_cast<double>(data.logitScale);

        BaselineModel model;
        model.method = method;
        switch (method) {
        case Method::Aape: break;
        case Method::ZeroShot:
            if (valX.defined())
                model.validationAccuracy = accuracy(torch::mm(valX, templates.t()), valY);
            break;
        case Method::Cupl:
            if (valX.defined())
                model.validationAccuracy =
                    accuracy(torch::mm(valX, cuplWeights(templates, data.descriptions, d).t()), valY);
            break;
        case Method::LinearProbe: {
            // Without a validation split, the middle of the grid.
            const auto& grid = settings.probeWeightDecays;
            std::vector<double> candidates = valX.defined() ? grid : std::vector<double>{grid[grid.size() / 2]};
            double best = -1.0;
            torch::Tensor bestWeight, bestBias;
            for (const double lambda : candidates) {
                if (stopRequested(stop))
                    return makeError(ErrorCode::Cancelled, "stopped by the user; nothing was saved for this run");
                torch::AutoGradMode gradients(true);
                auto [weight, bias] = fitProbe(allViews, viewLabels, classes, lambda, settings.probeIterations);
                const double score = valX.defined() ? accuracy(torch::addmm(bias, valX, weight.t()), valY) : 0.0;
                // The largest λ among equals: the simplest model that does as well.
                if (score >= best) {
                    best = score;
                    bestWeight = weight;
                    bestBias = bias;
                    model.chosenWeightDecay = lambda;
                }
            }
            if (valX.defined())
                model.validationAccuracy = best;
            model.tensors.push_back(detail::toNamed("probe.weight", bestWeight));
            model.tensors.push_back(detail::toNamed("probe.bias", bestBias));
            model.learnedParameters = classes * d + classes;
            break;
        }
        case Method::TipAdapter:
        case Method::TipAdapterF: {
            // The cache: one key per training image (its views averaged, as Tip-Adapter averages
            // its augmented epochs), its one-hot label as the value.
            auto keys = normaliseRows(allViews.reshape({samples, views, d}).mean(1));
            const auto values = torch::one_hot(sampleLabels, classes).to(torch::kFloat);
            double alpha = settings.tipAlpha, beta = settings.tipBeta;
            if (method == Method::TipAdapterF) {
                torch::AutoGradMode gradients(true);
                auto trainable = keys.clone().requires_grad_(true);
                torch::optim::AdamW optimiser({trainable},
                                              torch::optim::AdamWOptions(settings.tipLearningRate).eps(1e-4));
                const std::int64_t batch = std::min<std::int64_t>(settings.tipBatchSize, samples);
                const std::int64_t stepsPerEpoch = (samples + batch - 1) / batch;
                const std::int64_t totalSteps = stepsPerEpoch * settings.tipEpochs;
                std::int64_t step = 0;
                auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
                for (int epoch = 0; epoch < settings.tipEpochs; ++epoch) {
                    if (stopRequested(stop))
                        return makeError(ErrorCode::Cancelled, "stopped by the user; nothing was saved for this run");
                    // A random cached view of every image, in a random order: the augmentation.
                    const auto order = torch::randperm(samples, generator);
                    const auto view = torch::randint(views, {samples}, generator);
                    const auto rows = order * views + view.index_select(0, order);
                    const auto epochX = allViews.index_select(0, rows);
                    const auto epochY = sampleLabels.index_select(0, order);
                    for (std::int64_t start = 0; start < samples; start += batch, ++step) {
                        const auto length = std::min(batch, samples - start);
                        // Cosine annealing over all steps, as Tip-Adapter's CosineAnnealingLR.
                        const double pi = std::acos(-1.0);
                        for (auto& group : optimiser.param_groups())
                            static_cast<torch::optim::AdamWOptions&>(group.options())
                                .lr(0.5 * settings.tipLearningRate
                                    * (1.0
                                       + std::cos(pi * static_cast<double>(step) / static_cast<double>(totalSteps))));
                        optimiser.zero_grad();
                        const auto x = epochX.narrow(0, start, length);
                        auto loss =
                            torch::cross_entropy_loss(tipLogits(x, templates, trainable, values, alpha, beta, scale),
                                                      epochY.narrow(0, start, length));
                        loss.backward();
                        optimiser.step();
                    }
                }
                keys = trainable.detach();
                model.learnedParameters = samples * d;
            }
            // Both Tip-Adapters then search α and β on the validation split (the published grid
            // and code: β over 200 steps of [0.1, 7), α over 20 of [0.1, 3)).
            if (valX.defined()) {
                double best = -1.0;
                const auto affinity = torch::mm(valX, keys.t());
                const auto clip = torch::mm(valX, templates.t()) * scale;
                for (int b = 0; b < 200; ++b) {
                    if (b % 20 == 0 && stopRequested(stop))
                        return makeError(ErrorCode::Cancelled, "stopped by the user; nothing was saved for this run");
                    const double candidateBeta = 0.1 + b * (7.0 - 0.1) / 200.0;
                    const auto cache = torch::mm(torch::exp(-candidateBeta * (1.0 - affinity)), values);
                    for (int a = 0; a < 20; ++a) {
                        const double candidateAlpha = 0.1 + a * (3.0 - 0.1) / 20.0;
                        const double score = accuracy(clip + candidateAlpha * cache, valY);
                        if (score > best) {
                            best = score;
                            alpha = candidateAlpha;
                            beta = candidateBeta;
                        }
                    }
                }
            }
            model.alpha = alpha;
            model.beta = beta;
            model.tensors.push_back(detail::toNamed("tip.keys", keys));
            model.tensors.push_back(detail::toNamed("tip.values", values));
            model.tensors.push_back(detail::toNamed("tip.alpha", torch::tensor(static_cast<float>(alpha))));
            model.tensors.push_back(detail::toNamed("tip.beta", torch::tensor(static_cast<float>(beta))));
            if (valX.defined())
                model.validationAccuracy = accuracy(tipLogits(valX, templates, keys, values, alpha, beta, scale), valY);
            break;
        }
        }
        return model;
    } catch (const std::exception& e) { // c10::Error included
        return makeError(ErrorCode::Internal, std::string("Fitting ") + methodName(method) + " failed.", {}, e.what());
    }
}

Result<std::vector<float>> baselineLogits(Method method, const std::vector<NamedTensor>& tensors,
                                          const std::vector<float>& images, int dim,
                                          const std::vector<float>& templates,
                                          const std::vector<std::vector<float>>& descriptions, float logitScale)
{
    try {
        torch::NoGradGuard noGrad;
        if (dim <= 0 || images.size() % static_cast<std::size_t>(dim) != 0
            || templates.size() % static_cast<std::size_t>(dim) != 0)
            return makeError(ErrorCode::ShapeMismatch, "Image and class embeddings have different sizes.");
        const auto x = matrix(images, dim);
        const auto t = matrix(templates, dim);
        const double scale = logitScale;
        torch::Tensor logits;
        switch (method) {
        case Method::Aape: return makeError(ErrorCode::InvalidArgument, "AAPE runs are evaluated by the evaluator.");
        case Method::ZeroShot: logits = torch::mm(x, t.t()) * scale; break;
        case Method::Cupl: logits = torch::mm(x, cuplWeights(t, descriptions, dim).t()) * scale; break;
        case Method::LinearProbe: {
            const auto weight = tensorOf(tensors, "probe.weight");
            if (weight.size(0) != t.size(0))
                return makeError(ErrorCode::InvalidArgument,
                                 "A linear probe answers only the classes it was fitted on.");
            logits = torch::addmm(tensorOf(tensors, "probe.bias"), x, weight.t());
            break;
        }
        case Method::TipAdapter:
        case Method::TipAdapterF: {
            const auto values = tensorOf(tensors, "tip.values");
            if (values.size(1) != t.size(0))
                return makeError(ErrorCode::InvalidArgument,
                                 "A Tip-Adapter answers only the classes it was fitted on.");
            logits =
                tipLogits(x, t, tensorOf(tensors, "tip.keys"), values, tensorOf(tensors, "tip.alpha").item<double>(),
                          tensorOf(tensors, "tip.beta").item<double>(), scale);
            break;
        }
        }
        return detail::toVector(logits.contiguous());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadFormat,
                         std::string("The run's ") + methodName(method)
                             + " parameters cannot be used; train the run again.",
                         {}, e.what());
    }
}

long long aapeLearnedParameters(const TrainState& state)
{
    long long count = 0;
    for (const auto& t : state.tensors)
        if (t.name.rfind("optimizer.", 0) != 0)
            count += static_cast<long long>(t.values.size());
    return count;
}

} // namespace aape
