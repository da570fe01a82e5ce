#include "aape/demo/ToyPretraining.h"

#include "clip/ClipTowers.h"
#include "clip/ClipWeights.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <numeric>

namespace aape::clip {

namespace {

constexpr double kMaxLogitScaleLog = 4.6052; // log(100), CLIP's clamp

// Pads the captions to the batch's longest one and finds the pooling position of each: the
// first occurrence of its largest id (EOT), as ClipModel::encodeTokens and CLIP do.
std::pair<torch::Tensor, torch::Tensor> tokenTensors(const std::vector<std::vector<std::int32_t>>& tokens)
{
    const auto n = static_cast<std::int64_t>(tokens.size());
    std::int64_t length = 1;
    for (const auto& seq : tokens)
        length = std::max<std::int64_t>(length, static_cast<std::int64_t>(seq.size()));
    auto ids = torch::zeros({n, length}, torch::kInt64);
    auto eot = torch::zeros({n}, torch::kInt64);
    auto idsAccess = ids.accessor<std::int64_t, 2>();
    auto eotAccess = eot.accessor<std::int64_t, 1>();
    for (std::int64_t row = 0; row < n; ++row) {
        const auto& seq = tokens[static_cast<std::size_t>(row)];
        std::int64_t best = 0;
        for (std::size_t j = 0; j < seq.size(); ++j) {
            idsAccess[row][static_cast<std::int64_t>(j)] = seq[j];
            if (seq[j] > seq[static_cast<std::size_t>(best)])
                best = static_cast<std::int64_t>(j);
        }
        eotAccess[row] = best;
    }
    return {ids, eot};
}

Status checkBatch(const ToyBatch& batch, const ToyPretrainConfig& config)
{
    const auto size = static_cast<std::size_t>(config.config.vision.imageSize);
    const auto rows = batch.tokens.size();
    if (rows < 2 || batch.pixels.size() != rows * 3 * size * size)
        return makeError(ErrorCode::InvalidArgument,
                         "a pretraining batch needs at least two image/caption pairs with images of the model's size");
    for (const auto& seq : batch.tokens) {
        if (seq.empty() || static_cast<int>(seq.size()) > config.config.text.contextLength)
            return makeError(ErrorCode::InvalidArgument, "a caption is empty or longer than the model's context");
        for (auto id : seq)
            if (id < 0 || id >= config.config.text.vocabSize)
                return makeError(ErrorCode::InvalidArgument,
                                 "a caption token is outside the model's vocabulary; the tokenizer does not match");
    }
    return {};
}

} // namespace

Result<ToyPretrainResult> pretrainToyClip(const ToyPretrainConfig& config, const ImageNormalisation& normalisation,
                                          const ToyPretrainCallbacks& callbacks, const std::string& folder,
                                          const StopTokenPtr& stop)
{
    if (!callbacks.nextBatch)
        return makeError(ErrorCode::InvalidArgument, "toy pretraining needs a source of batches");
    if (config.steps <= 0 || config.batchSize < 2)
        return makeError(ErrorCode::InvalidArgument,
                         "toy pretraining needs at least one step and a batch of two or more");
    try {
        if (config.threads > 0)
            torch::set_num_threads(config.threads);
        torch::manual_seed(config.seed);
        auto initial = detail::randomWeights(config.config, config.seed, false, config.initialLogitScaleLog);
        auto towers = detail::ClipTowers::fromWeights(initial, config.config, torch::kCPU, torch::kFloat32);
        auto logitScaleLog = initial.at("logit_scale").clone().requires_grad_(true);

        // Decay matrices only; LayerNorm parameters, biases and the temperature keep theirs.
        std::vector<torch::Tensor> decayed, kept{logitScaleLog};
        ToyPretrainResult result;
        for (auto& tensor : towers.parameters()) {
            tensor.requires_grad_(true);
            (tensor.dim() >= 2 ? decayed : kept).push_back(tensor);
            result.parameterCount += tensor.numel();
        }
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(decayed,
                            std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(config.learningRate)
                                                                             .betas({0.9, 0.98})
                                                                             .eps(1e-6)
                                                                             .weight_decay(config.weightDecay)));
        groups.emplace_back(
            kept, std::make_unique<torch::optim::AdamWOptions>(
                      torch::optim::AdamWOptions(config.learningRate).betas({0.9, 0.98}).eps(1e-6).weight_decay(0.0)));
        torch::optim::AdamW optimiser(std::move(groups));
        std::vector<torch::Tensor> all = decayed;
        all.insert(all.end(), kept.begin(), kept.end());

        const auto start = std::chrono::steady_clock::now();
        std::deque<double> recentLosses;
        ToyBatch batch;
        const int size = config.config.vision.imageSize;
        for (int step = 0; step < config.steps; ++step) {
            if (stopRequested(stop)) {
                result.stopped = true;
                return result;
            }
            batch.pixels.clear();
            batch.tokens.clear();
            if (auto status = callbacks.nextBatch(step, batch); !status)
                return status.error();
            if (auto status = checkBatch(batch, config); !status)
                return status.error();
            const double warm = std::min(1.0, (step + 1.0) / std::max(1, config.warmupSteps));
            const double progress = static_cast<double>(step) / config.steps;
            const double lr = config.learningRate * warm * 0.5 * (1.0 + std::cos(M_PI * progress));
            for (auto& group : optimiser.param_groups())
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);

            const auto n = static_cast<std::int64_t>(batch.tokens.size());
            auto pixels = torch::from_blob(batch.pixels.data(), {n, 3, size, size}, torch::kFloat32);
            auto [ids, eot] = tokenTensors(batch.tokens);
            auto images = torch::nn::functional::normalize(towers.encodeImageBatch(pixels),
                                                           torch::nn::functional::NormalizeFuncOptions().dim(1));
            auto texts = torch::nn::functional::normalize(towers.encodeTextBatch(ids, eot),
                                                          torch::nn::functional::NormalizeFuncOptions().dim(1));
            auto logits = logitScaleLog.exp() * torch::matmul(images, texts.t()); // [B, B], image rows
            auto labels = torch::arange(n, torch::kInt64);
            auto loss = 0.5
                        * (torch::nn::functional::cross_entropy(logits, labels)
                           + torch::nn::functional::cross_entropy(logits.t(), labels));
            optimiser.zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(all, 1.0);
            optimiser.step();
            {
                torch::NoGradGuard noGrad;
                logitScaleLog.clamp_(0.0, kMaxLogitScaleLog);
            }

            const double lossValue = loss.item<double>();
            recentLosses.push_back(lossValue);
            if (recentLosses.size() > 50)
                recentLosses.pop_front();
            result.steps = step + 1;
            if (callbacks.onProgress) {
                ToyPretrainProgress report;
                report.step = step + 1;
                report.totalSteps = config.steps;
                report.loss = lossValue;
                report.batchAccuracy = logits.argmax(1).eq(labels).to(torch::kFloat64).mean().item<double>();
                report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                callbacks.onProgress(report);
            }
        }
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        result.finalLoss = std::accumulate(recentLosses.begin(), recentLosses.end(), 0.0)
                           / static_cast<double>(std::max<std::size_t>(1, recentLosses.size()));
        result.logitScaleLog = logitScaleLog.item<float>();

        torch::NoGradGuard noGrad;
        auto trained = towers.toWeights();
        trained["logit_scale"] = logitScaleLog.detach().clone();
        if (auto status = detail::writeHuggingFace(folder, config.config, normalisation, trained); !status)
            return status.error();
        return result;
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::Internal,
                         "Pretraining the demo's toy CLIP failed unexpectedly; please report it together with the log "
                         "file.",
                         folder, e.what_without_backtrace());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal,
                         "Pretraining the demo's toy CLIP failed unexpectedly; please report it together with the log "
                         "file.",
                         folder, e.what());
    }
}

} // namespace aape::clip
