#include "aape/aape/Trainer.h"

#include "aape/Modules.h"
#include "aape/TrainStep.h"
#include "aape/fast/Blas.h"
#include "aape/util/Json.h"

#include <nlohmann/json.hpp>

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace aape {

namespace {

using detail::toTensor;

std::uint64_t splitMix64(std::uint64_t value)
{
    value += 0x9E3779B97F4A7C15ULL;
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
}

// A small generator whose stream is fixed by (seed, epoch) alone, on every platform.
class EpochRandom final {
public:
    EpochRandom(std::uint64_t seed, int epoch)
        : m_state(splitMix64(seed ^ splitMix64(static_cast<std::uint64_t>(epoch) + 1)))
    {}
    std::uint64_t next() { return m_state = splitMix64(m_state); }
    std::int64_t below(std::int64_t bound)
    {
        return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(bound));
    }

private:
    std::uint64_t m_state;
};

// CoOp's (Dassl's) schedule: constant warm-up, then cosine annealing over all epochs.
double learningRateAt(const TrainConfig& config, int epoch)
{
    if (epoch < config.warmupEpochs)
        return config.warmupLearningRate;
    const double pi = std::acos(-1.0);
    return 0.5 * config.learningRate * (1.0 + std::cos(pi * epoch / std::max(1, config.epochs)));
}

Status validate(const TrainingData& data, const TrainConfig& config)
{
    const auto bad = [](const std::string& message) { return makeError(ErrorCode::InvalidArgument, message); };
    const auto d = static_cast<std::size_t>(std::max(0, data.dim));
    if (data.dim <= 0 || data.classCount <= 0)
        return bad("The training data has no classes or no embedding dimension; encode the dataset first.");
    if (data.templates.size() != static_cast<std::size_t>(data.classCount) * d)
        return bad("The class template embeddings do not match the number of classes; re-encode the class names.");
    if (!data.descriptions.empty() && data.descriptions.size() != static_cast<std::size_t>(data.classCount))
        return bad("The description embeddings do not match the number of classes; re-encode the descriptions.");
    for (const auto& p : data.descriptions)
        if (p.size() % d != 0)
            return bad(
                "A class's description embeddings are not a whole number of vectors; re-encode the descriptions.");
    if (data.sampleLabels.empty())
        return bad("There are no training images; label some images or choose more shots.");
    if (data.viewsPerSample <= 0
        || data.sampleViews.size() != data.sampleLabels.size() * static_cast<std::size_t>(data.viewsPerSample) * d)
        return bad("The cached image views do not match the training images; re-encode the training images.");
    for (int label : data.sampleLabels)
        if (label < 0 || label >= data.classCount)
            return bad("A training image has a label outside the class list; check the dataset's labels.");
    if (data.validationEmbeddings.size() != data.validationLabels.size() * d)
        return bad("The validation embeddings do not match the validation labels; re-encode the validation images.");
    for (int label : data.validationLabels)
        if (label < 0 || label >= data.classCount)
            return bad("A validation image has a label outside the class list; check the dataset's labels.");
    if (data.dim % 16 != 0)
        return bad("The embedding dimension must be a multiple of 16 for the prompt generator (d → d/16 → d).");
    if (config.epochs <= 0 || config.batchSize <= 0 || config.learningRate <= 0 || config.momentum < 0
        || config.weightDecay < 0 || config.warmupEpochs < 0 || config.threads < 0)
        return bad("The training settings are out of range; epochs, batch size and learning rate must be positive.");
    if (config.device != "auto" && config.device != "cpu" && config.device != "cuda")
        return bad("The device must be auto, cpu or cuda.");
    if (config.device == "cuda" && !torch::cuda::is_available())
        return makeError(ErrorCode::Device, "CUDA was requested but no usable GPU is visible; choose cpu or auto.");
    return {};
}

Error fromException(const std::exception& e)
{
    const std::string what = e.what();
    if (what.find("out of memory") != std::string::npos)
        return makeError(ErrorCode::Device,
                         "The device ran out of memory during training; lower the batch size or train on the CPU.", {},
                         what.substr(0, what.find('\n')));
    return makeError(ErrorCode::Internal, "Training failed unexpectedly; please report it together with the log file.",
                     {}, what);
}

class TrainerRun final {
public:
    TrainerRun(const TrainingData& data, const TrainConfig& config)
        : m_data(data)
        , m_config(config)
        , m_c(data, config, config.device == "cpu" || !torch::cuda::is_available() ? torch::kCPU : torch::kCUDA)
    {}

    Result<TrainResult> run(const TrainCallbacks& callbacks, const StopTokenPtr& stop, const TrainState* resume)
    {
        const int d = m_data.dim;
        const int c = m_data.classCount;
        torch::manual_seed(m_config.seed);
        m_c.net = detail::AapeNet(d, aggregatorHeadCount(d),
                                  resume ? detail::aggregatorFfnWidth(d, *resume) : detail::aggregatorFfnWidth(d));
        m_c.net->to(m_c.device);
        for (auto& item : m_c.net->named_parameters()) {
            const auto index = m_c.params.size();
            m_c.names.push_back(item.key());
            m_c.params.push_back(item.value());
            m_c.momentum.push_back(torch::zeros_like(item.value()));
            if (item.key().rfind("aggregator.", 0) == 0) {
                m_c.aggregatorIndex.push_back(index);
                m_c.aggregatorParams.push_back(item.value());
            } else {
                m_c.headIndex.push_back(index);
            }
        }
        // Two CPU threads split each step (see TrainStep.h); each runs single-threaded kernels.
        const int threads = m_config.threads > 0 ? m_config.threads : at::get_num_threads();
        std::optional<detail::ThreadCountGuard> singleThreaded;
        if (m_c.device.is_cpu() && threads >= 2) {
            singleThreaded.emplace(1);
            m_c.worker = std::make_unique<detail::StepWorker>();
        }
        int startEpoch = 0;
        if (resume) {
            if (auto status = loadResume(*resume); !status.ok())
                return status.error();
            startEpoch = resume->epochsCompleted;
        }

        m_c.templates = toTensor(m_data.templates, {c, d}).to(m_c.device);
        m_handWritten = m_c.device.is_cpu() && !m_config.literal;
        if (!m_config.literal) {
            const auto found = std::find(m_c.names.begin(), m_c.names.end(), "g.weight");
            m_c.combinerWeight = static_cast<std::size_t>(found - m_c.names.begin());
            m_c.classTerm.reset(m_c.templates);
        }
        std::vector<torch::Tensor> descriptions;
        for (int k = 0; k < c; ++k) {
            const bool has = k < static_cast<int>(m_data.descriptions.size()) && !m_data.descriptions[k].empty();
            const auto& values =
                has ? m_data.descriptions[k]
                    : std::vector<float>(m_data.templates.begin() + k * d, m_data.templates.begin() + (k + 1) * d);
            descriptions.push_back(toTensor(values, {static_cast<std::int64_t>(values.size() / d), d}));
        }
        m_c.bank = detail::makeDescriptionBank(descriptions, d, m_c.device);
        if (m_config.literal)
            for (auto& p : descriptions)
                m_c.literalDescriptions.push_back(p.to(m_c.device));
        const auto sampleCount = static_cast<std::int64_t>(m_data.sampleLabels.size());
        const std::int64_t views = m_data.viewsPerSample;
        m_views = toTensor(m_data.sampleViews, {sampleCount * views, d}).to(m_c.device);
        if (!m_data.validationLabels.empty()) {
            m_valX =
                toTensor(m_data.validationEmbeddings, {static_cast<std::int64_t>(m_data.validationLabels.size()), d})
                    .to(m_c.device);
            m_valY =
                torch::tensor(std::vector<std::int64_t>(m_data.validationLabels.begin(), m_data.validationLabels.end()))
                    .to(m_c.device);
        }

        const std::int64_t batch = m_config.batchSize;
        // As Dassl's loader: drop the last partial batch when there is at least one full one.
        const std::int64_t stepsPerEpoch = sampleCount >= batch ? sampleCount / batch : 1;
        const std::int64_t batchRows = sampleCount >= batch ? batch : sampleCount;
        const int totalSteps = static_cast<int>(stepsPerEpoch * m_config.epochs);

        TrainResult result;
        const bool keepSnapshot = static_cast<bool>(stop) || static_cast<bool>(callbacks.onEpoch);
        if (keepSnapshot)
            result.state = snapshot(startEpoch);
        if (callbacks.onLog)
            callbacks.onLog("Training " + std::to_string(c) + " classes, " + std::to_string(sampleCount)
                            + " images, epochs " + std::to_string(startEpoch + 1) + "–"
                            + std::to_string(m_config.epochs) + " on " + (m_c.device.is_cuda() ? "cuda" : "cpu")
                            + (m_config.literal ? " (literal baseline)" : ""));

        for (int epoch = startEpoch; epoch < m_config.epochs; ++epoch) {
            const auto started = std::chrono::steady_clock::now();
            const double lr = learningRateAt(m_config, epoch);
            EpochRandom random(m_config.seed, epoch);
            std::vector<std::int64_t> order(static_cast<std::size_t>(sampleCount));
            std::iota(order.begin(), order.end(), 0);
            for (std::int64_t i = sampleCount - 1; i > 0; --i)
                std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(random.below(i + 1))]);
            std::vector<std::int64_t> rows(order.size());
            for (std::size_t i = 0; i < order.size(); ++i)
                rows[i] = order[i] * views + random.below(views);
            const auto epochX = m_views.index_select(0, torch::tensor(rows).to(m_c.device)); // [S, d]

            if (!m_config.literal)
                m_c.classTerm.begin(m_c.params[m_c.combinerWeight], m_c.momentum[m_c.combinerWeight]);
            auto sums = torch::zeros({5}, torch::TensorOptions().dtype(torch::kDouble).device(m_c.device));
            std::int64_t seen = 0;
            for (std::int64_t step = 0; step < stepsPerEpoch; ++step) {
                if (stopRequested(stop)) {
                    result.stopped = true;
                    if (callbacks.onLog)
                        callbacks.onLog("Stopped during epoch " + std::to_string(epoch + 1)
                                        + "; keeping the weights of epoch " + std::to_string(epoch) + ".");
                    return result;
                }
                std::vector<int> labels(static_cast<std::size_t>(batchRows));
                for (std::int64_t i = 0; i < batchRows; ++i)
                    labels[static_cast<std::size_t>(i)] = m_data.sampleLabels[static_cast<std::size_t>(
                        order[static_cast<std::size_t>(step * batchRows + i)])];
                const auto x = epochX.narrow(0, step * batchRows, batchRows);
                sums += m_handWritten ? detail::handWrittenStep(m_c, x, labels, lr)
                                      : detail::autogradStep(m_c, x, labels, lr);
                seen += batchRows;
                if (callbacks.onStep)
                    callbacks.onStep(static_cast<int>(epoch * stepsPerEpoch + step + 1), totalSteps);
            }

            {
                torch::NoGradGuard noGrad;
                m_c.classTerm.end(m_c.params[m_c.combinerWeight], m_c.momentum[m_c.combinerWeight]);
            }
            const auto totals = sums.cpu();
            const auto* t = totals.data_ptr<double>();
            EpochMetrics metrics;
            metrics.epoch = epoch;
            const double steps = static_cast<double>(stepsPerEpoch);
            metrics.taskLoss = t[0] / steps;
            metrics.distillLoss = t[1] / steps;
            metrics.aggReward = t[2] / steps;
            metrics.totalLoss = metrics.taskLoss + m_config.distillWeight * metrics.distillLoss
                                - m_config.rewardScale * metrics.aggReward;
            metrics.trainAccuracy = t[3] / static_cast<double>(seen);
            metrics.learningRate = lr;
            if (m_valX.defined())
                metrics.valAccuracy = validationAccuracy();
            metrics.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            result.history.push_back(metrics);
            if (keepSnapshot) {
                result.state = snapshot(epoch + 1);
                if (callbacks.onEpoch)
                    callbacks.onEpoch(metrics, result.state);
            }
        }
        if (!keepSnapshot)
            result.state = snapshot(m_config.epochs);
        return result;
    }

private:
    double validationAccuracy()
    {
        torch::NoGradGuard noGrad;
        const auto generated = m_c.net->h->forward(m_valX);
        const auto logits = detail::aapeLogits(*m_c.net, m_valX, generated, m_c.templates, m_data.logitScale);
        return (logits.argmax(1) == m_valY).to(torch::kDouble).mean().item<double>();
    }

    TrainState snapshot(int epochsCompleted) const
    {
        TrainState state;
        state.epochsCompleted = epochsCompleted;
        for (std::size_t i = 0; i < m_c.params.size(); ++i)
            state.tensors.push_back(detail::toNamed(m_c.names[i], m_c.params[i]));
        for (std::size_t i = 0; i < m_c.params.size(); ++i)
            state.tensors.push_back(detail::toNamed("optimizer.momentum." + m_c.names[i], m_c.momentum[i]));
        return state;
    }

    Status loadResume(const TrainState& resume)
    {
        const auto bad = [](const std::string& detail) {
            return makeError(ErrorCode::BadFormat,
                             "The checkpoint does not fit this run's data or settings; start a new run.", {}, detail);
        };
        if (resume.epochsCompleted < 0 || resume.epochsCompleted > m_config.epochs)
            return bad("epochsCompleted " + std::to_string(resume.epochsCompleted) + " outside 0.."
                       + std::to_string(m_config.epochs));
        if (auto problem = detail::loadParameters(*m_c.net, resume, {""}); !problem.empty())
            return bad(problem);
        torch::NoGradGuard noGrad;
        for (std::size_t i = 0; i < m_c.params.size(); ++i) {
            const auto* stored = resume.find("optimizer.momentum." + m_c.names[i]);
            if (!stored || stored->shape != m_c.params[i].sizes().vec())
                return bad("momentum buffer of '" + m_c.names[i] + "' missing or of the wrong shape");
            m_c.momentum[i].copy_(toTensor(stored->values, stored->shape));
        }
        return {};
    }

    const TrainingData& m_data;
    const TrainConfig& m_config;
    detail::StepContext m_c;    // what the steps share (modules, parameters, inputs)
    bool m_handWritten = false; // CPU fast form: gradients by hand, not autograd
    torch::Tensor m_views;      // [S·V, d]
    torch::Tensor m_valX, m_valY;
};
} // namespace

int aggregatorHeadCount(int dim)
{
    for (int heads = 8; heads > 1; --heads)
        if (dim % heads == 0)
            return heads;
    return 1;
}

int paperEpochsForShots(int shots)
{
    if (shots == 1)
        return 50;
    if (shots >= 2 && shots <= 4)
        return 100;
    return 200;
}

nlohmann::json toJson(const TrainConfig& config)
{
    return nlohmann::json{
        {"shots", config.shots},
        {"epochs", config.epochs},
        {"batch_size", config.batchSize},
        {"learning_rate", config.learningRate},
        {"momentum", config.momentum},
        {"weight_decay", config.weightDecay},
        {"warmup_epochs", config.warmupEpochs},
        {"warmup_learning_rate", config.warmupLearningRate},
        {"distill_weight", config.distillWeight},
        {"distill_form", config.distillForm == TrainConfig::DistillForm::SquaredNorm ? "squared_norm" : "mean_square"},
        {"reward_scale", config.rewardScale},
        {"augmented_views", config.augmentedViews},
        {"seed", config.seed},
        {"device", config.device},
        {"threads", config.threads},
        {"literal", config.literal},
    };
}

Result<TrainConfig> trainConfigFromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        return makeError(ErrorCode::BadFormat, "The training settings are not a JSON object; fix or remove them.");
    TrainConfig config;
    try {
        // Numbers are range-checked before conversion (a float such as 1e116 read into an int
        // is undefined behaviour); other types throw type_error, reported below.
        const auto read = [&](const char* key, auto& field) {
            using Field = std::decay_t<decltype(field)>;
            if (!json.contains(key))
                return;
            const auto& value = json.at(key);
            if constexpr (std::is_same_v<Field, int>) {
                auto number =
                    intMember(json, key, field, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(), {});
                if (!number)
                    throw std::invalid_argument(number.error().message);
                field = number.value();
            } else if constexpr (std::is_same_v<Field, double>) {
                auto number = doubleMember(json, key, field, -1e300, 1e300, {});
                if (!number)
                    throw std::invalid_argument(number.error().message);
                field = number.value();
            } else if constexpr (std::is_same_v<Field, std::uint64_t>) {
                if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
                    throw std::invalid_argument(std::string("\"") + key + "\" must be a whole number of 0 or more");
                field = value.get<std::uint64_t>();
            } else {
                value.get_to(field);
            }
        };
        read("shots", config.shots);
        read("epochs", config.epochs);
        read("batch_size", config.batchSize);
        read("learning_rate", config.learningRate);
        read("momentum", config.momentum);
        read("weight_decay", config.weightDecay);
        read("warmup_epochs", config.warmupEpochs);
        read("warmup_learning_rate", config.warmupLearningRate);
        read("distill_weight", config.distillWeight);
        // Runs recorded before the form was a setting were trained with the mean square.
        std::string distillForm = "mean_square";
        read("distill_form", distillForm);
        if (distillForm != "squared_norm" && distillForm != "mean_square")
            throw std::invalid_argument("\"distill_form\" must be \"squared_norm\" or \"mean_square\"");
        config.distillForm = distillForm == "squared_norm" ? TrainConfig::DistillForm::SquaredNorm
                                                           : TrainConfig::DistillForm::MeanSquare;
        read("reward_scale", config.rewardScale);
        read("augmented_views", config.augmentedViews);
        read("seed", config.seed);
        read("device", config.device);
        read("threads", config.threads);
        read("literal", config.literal);
    } catch (const std::exception& e) { // nlohmann::json::exception and the range errors above
        return makeError(ErrorCode::BadFormat,
                         "A training setting has the wrong type; fix it or remove it to use the default.", {},
                         e.what());
    }
    // shots 0 trains on all train images and 0 views on the plain images: both are valid.
    if (config.shots < 0 || config.epochs <= 0 || config.batchSize <= 0 || config.learningRate <= 0
        || config.augmentedViews < 0 || config.threads < 0
        || (config.device != "auto" && config.device != "cpu" && config.device != "cuda"))
        return makeError(ErrorCode::InvalidArgument,
                         "A training setting is out of range; check shots, epochs, batch size, "
                         "learning rate, views, threads and device.");
    return config;
}

Result<TrainResult> train(const TrainingData& data, const TrainConfig& config, const TrainCallbacks& callbacks,
                          const StopTokenPtr& stop, const TrainState* resume)
{
    try {
        if (auto status = validate(data, config); !status.ok())
            return status.error();
        if (config.threads > 0)
            torch::set_num_threads(config.threads);
        detail::limitBlasThreads();
        TrainerRun run(data, config);
        return run.run(callbacks, stop, resume);
    } catch (const std::exception& e) { // c10::Error included
        return fromException(e);
    }
}

} // namespace aape
