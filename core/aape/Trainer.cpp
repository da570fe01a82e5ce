#include "aape/aape/Trainer.h"

#include "aape/Blas.h"
#include "aape/Modules.h"
#include "aape/Simd.h"
#include "aape/util/Json.h"

#include <nlohmann/json.hpp>

#if defined(__linux__)
#include <dlfcn.h>
#endif

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <numeric>
#include <thread>
#include <type_traits>
#include <stdexcept>
#include <limits>

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
    {
    }
    std::uint64_t next() { return m_state = splitMix64(m_state); }
    std::int64_t below(std::int64_t bound) { return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(bound)); }

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

// OpenBLAS (Debian's LibTorch uses it) runs its own thread pool next to LibTorch's OpenMP
// pool; the two spin against each other, and on a busy 2-core machine a small bmm took
// 400 ms instead of 1 ms. Keep BLAS single-threaded: LibTorch parallelises around it.
void limitBlasThreads()
{
#if defined(__linux__)
    using SetThreads = void (*)(int);
    if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
        set(1);
#endif
}

// PyTorch's SGD: buf = m·buf + (g + wd·p); p −= lr·buf (buf starts at 0, so the first step
// gives buf = g as there), with g = grad + extra when a second partial gradient is given.
// On the CPU in one pass over memory: with ~2M parameters the separate tensor ops were a
// large part of each step.
// One contiguous run of the update below; e may be null.
AAPE_SIMD_CLONES
void sgdRun(float* __restrict p, const float* __restrict g, const float* __restrict e, float* __restrict b,
            std::int64_t count, float momentum, float weightDecay, float lr)
{
    if (e) {
        for (std::int64_t i = 0; i < count; ++i) {
            const float v = momentum * b[i] + ((g[i] + e[i]) + weightDecay * p[i]);
            b[i] = v;
            p[i] -= lr * v;
        }
    } else {
        for (std::int64_t i = 0; i < count; ++i) {
            const float v = momentum * b[i] + (g[i] + weightDecay * p[i]);
            b[i] = v;
            p[i] -= lr * v;
        }
    }
}

void sgdUpdate(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& buffer, double lr, double momentum,
               double weightDecay, const torch::Tensor& extra = {})
{
    // The fused loop takes float CPU tensors whose rows are contiguous (a narrow of a matrix's
    // columns, such as the combiner's image half, included).
    const auto rows = [&](const torch::Tensor& t) -> std::int64_t {
        if (!t.defined())
            return 0;
        if (!t.device().is_cpu() || t.scalar_type() != torch::kFloat || !t.sizes().equals(param.sizes()))
            return -1;
        if (t.is_contiguous())
            return 1;
        return t.dim() == 2 && t.stride(1) == 1 ? t.size(0) : -1;
    };
    const auto rowCount = rows(param);
    if (rowCount < 0 || rows(grad) < 0 || rows(buffer) < 0 || rows(extra) < 0) {
        const auto g = (extra.defined() ? grad + extra : grad).add(param, weightDecay);
        buffer.mul_(momentum).add_(g);
        param.add_(buffer, -lr);
        return;
    }
    const bool matrix = param.dim() == 2;
    const std::int64_t count = matrix ? param.size(0) : 1;
    const std::int64_t width = matrix ? param.size(1) : param.numel();
    const auto stride = [&](const torch::Tensor& t) { return matrix && t.defined() ? t.stride(0) : 0; };
    float* p = param.data_ptr<float>();
    const float* g = grad.data_ptr<float>();
    const float* e = extra.defined() ? extra.data_ptr<float>() : nullptr;
    float* b = buffer.data_ptr<float>();
    const std::int64_t ps = stride(param), gs = stride(grad), es = stride(extra), bs = stride(buffer);
    const auto wd = static_cast<float>(weightDecay);
    const auto m = static_cast<float>(momentum);
    const auto step = static_cast<float>(lr);
    for (std::int64_t r = 0; r < count; ++r)
        sgdRun(p + r * ps, g + r * gs, e ? e + r * es : nullptr, b + r * bs, width, m, wd, step);
}

Status validate(const TrainingData& data, const TrainConfig& config)
{
    const auto bad = [](const std::string& message) {
        return makeError(ErrorCode::InvalidArgument, message);
    };
    const auto d = static_cast<std::size_t>(std::max(0, data.dim));
    if (data.dim <= 0 || data.classCount <= 0)
        return bad("The training data has no classes or no embedding dimension; encode the dataset first.");
    if (data.templates.size() != static_cast<std::size_t>(data.classCount) * d)
        return bad("The class template embeddings do not match the number of classes; re-encode the class names.");
    if (!data.descriptions.empty() && data.descriptions.size() != static_cast<std::size_t>(data.classCount))
        return bad("The description embeddings do not match the number of classes; re-encode the descriptions.");
    for (const auto& p : data.descriptions)
        if (p.size() % d != 0)
            return bad("A class's description embeddings are not a whole number of vectors; re-encode the descriptions.");
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
        return makeError(ErrorCode::Device, "The device ran out of memory during training; lower the batch size or train on the CPU.",
                         {}, what.substr(0, what.find('\n')));
    return makeError(ErrorCode::Internal, "Training failed unexpectedly; please report it together with the log file.",
                     {}, what);
}

// SGD with momentum and weight decay on the combiner's class half A (w_c = relu(A·t_c + …))
// without ever forming A·T or its gradient Gᵀ·T by a d×d×C product each step.
//
// A enters the loss only through a = T·Aᵀ [C, d], so every gradient step adds a multiple of
// Gᵀ·T to A, and weight decay and momentum keep A and its buffer v in the span
//   A = α·A₀ + β·v₀ + Xᵀ·T,   v = γ·A₀ + δ·v₀ + Yᵀ·T     (X, Y: [C, d])
// of their values A₀, v₀ at the start of the epoch. The class term is then
//   a = α·(T·A₀ᵀ) + β·(T·v₀ᵀ) + K·X   with K = T·Tᵀ [C, C] fixed,
// one C×C×d product a step instead of two C×d×d ones (196 classes, d = 512: 20 M instead of
// 103 M multiply-adds). PyTorch's update v' = μ·v + G + wd·A, A' = A − lr·v' becomes
//   Y' = μ·Y + G_a + wd·X,  X' = X − lr·Y',  γ' = μ·γ + wd·α,  δ' = μ·δ + wd·β,
//   α' = α − lr·γ',  β' = β − lr·δ'
// with G_a = ∂L/∂a. The same iterates in exact arithmetic; A and v are written back at the end
// of every epoch (before the checkpoint), so resume and evaluation see ordinary weights.
class ClassTermTracker final {
public:
    void reset(const torch::Tensor& templates)
    {
        m_templates = templates;
        m_gram = torch::mm(templates, templates.t());
        m_active = false;
    }

    // Starts a segment from the current A (weight's first d columns) and its momentum buffer.
    void begin(const torch::Tensor& weight, const torch::Tensor& momentum)
    {
        const auto d = weight.size(0);
        const auto a0 = weight.narrow(1, 0, d);
        const auto v0 = momentum.narrow(1, 0, d);
        m_a0 = a0.clone();
        m_v0 = v0.clone();
        m_termA0 = torch::mm(m_templates, m_a0.t());
        m_termV0 = torch::mm(m_templates, m_v0.t());
        m_x = torch::zeros_like(m_termA0);
        m_y = torch::zeros_like(m_termA0);
        m_alpha = 1.0;
        m_beta = 0.0;
        m_gamma = 0.0;
        m_delta = 1.0;
        m_active = true;
    }

    bool active() const { return m_active; }

    // a = T·Aᵀ for the current A, [C, d].
    torch::Tensor classTerm() const
    {
        if (m_gram.is_cpu() && m_gram.scalar_type() == torch::kFloat)
            return detail::gemm(m_gram, false, m_x, false).add_(m_termA0, m_alpha).add_(m_termV0, m_beta);
        return torch::addmm(m_termA0 * m_alpha + m_termV0 * m_beta, m_gram, m_x);
    }

    void step(const torch::Tensor& gradClassTerm, double lr, double momentum, double weightDecay)
    {
        m_y.mul_(momentum).add_(gradClassTerm).add_(m_x, weightDecay);
        m_x.add_(m_y, -lr);
        m_gamma = momentum * m_gamma + weightDecay * m_alpha;
        m_delta = momentum * m_delta + weightDecay * m_beta;
        m_alpha -= lr * m_gamma;
        m_beta -= lr * m_delta;
    }

    // Writes A and v back into the parameter and its buffer and ends the segment.
    void end(torch::Tensor& weight, torch::Tensor& momentum)
    {
        if (!m_active)
            return;
        const auto d = weight.size(0);
        weight.narrow(1, 0, d).copy_(torch::addmm(m_a0 * m_alpha + m_v0 * m_beta, m_x.t(), m_templates));
        momentum.narrow(1, 0, d).copy_(torch::addmm(m_a0 * m_gamma + m_v0 * m_delta, m_y.t(), m_templates));
        m_active = false;
    }

private:
    torch::Tensor m_templates, m_gram;  // T [C, d], K = T·Tᵀ [C, C]
    torch::Tensor m_a0, m_v0;           // A₀, v₀ [d, d]
    torch::Tensor m_termA0, m_termV0;   // T·A₀ᵀ, T·v₀ᵀ [C, d]
    torch::Tensor m_x, m_y;             // [C, d]
    double m_alpha = 1.0, m_beta = 0.0, m_gamma = 0.0, m_delta = 1.0;
    bool m_active = false;
};

// A second CPU thread for the trainer: runs one task at a time beside the calling thread.
// The aggregator and the h/g heads have disjoint parameters, so a step splits into two
// independent halves; each thread runs single-threaded kernels, which on small matrices
// (32 × 512 × 512) scales far better than two OpenMP threads inside every operation.
class StepWorker final {
public:
    StepWorker()
        : m_thread([this] { loop(); })
    {
    }
    StepWorker(const StepWorker&) = delete;
    StepWorker& operator=(const StepWorker&) = delete;
    ~StepWorker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

    void start(std::function<void()> task)
    {
        {
            std::lock_guard lock(m_mutex);
            m_task = std::move(task);
            m_busy = true;
        }
        m_wake.notify_all();
    }

    // Waits for the task given to start(); rethrows what it threw.
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return !m_busy; });
        if (auto error = std::exchange(m_error, nullptr))
            std::rethrow_exception(error);
    }

private:
    void loop()
    {
        at::set_num_threads(1);  // this thread's OpenMP team: the other core is the caller's
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [this] { return m_quit || m_busy; });
            if (m_quit)
                return;
            auto task = std::move(m_task);
            lock.unlock();
            std::exception_ptr error;
            try {
                task();
            } catch (...) {
                error = std::current_exception();
            }
            lock.lock();
            m_error = error;
            m_busy = false;
            m_done.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::function<void()> m_task;
    std::exception_ptr m_error;
    bool m_busy = false;
    bool m_quit = false;
    std::thread m_thread;  // last: starts after the members it uses exist
};

// Restores the calling thread's intra-op thread count when a run ends.
class ThreadCountGuard final {
public:
    explicit ThreadCountGuard(int threads)
        : m_previous(at::get_num_threads())
    {
        at::set_num_threads(threads);
    }
    ThreadCountGuard(const ThreadCountGuard&) = delete;
    ThreadCountGuard& operator=(const ThreadCountGuard&) = delete;
    ~ThreadCountGuard() { at::set_num_threads(m_previous); }

private:
    int m_previous;
};

// The aggregator's share of one step for some of the batch's classes: forward, the CLIP
// reward on the batch rows of those classes, and the gradient of −s·reward/B.
struct AggregatorJob {
    std::vector<std::int64_t> classes;  // class ids, ascending
    std::vector<std::int64_t> rows;     // batch rows whose class is in `classes`
    std::vector<std::int64_t> slots;    // per row: its class's index in `classes`
    torch::Tensor rowIndex;             // `rows` as a tensor on the training device
    torch::Tensor rowSummaries;         // [rows, d]: p^a of each row's class, detached
    torch::Tensor rewardSum;            // Σ over rows of max(cos(x, p^a), 0), detached
    std::vector<torch::Tensor> grads;   // per aggregator parameter; undefined when unused
    detail::AggregatorRewardGradient gradient;  // the hand-written CPU form's instead of grads
};

// Share of a batch's classes that the worker thread's aggregator job takes; the calling
// thread takes the rest and the h/g heads (measured on the 196-class benchmark).
constexpr double kWorkerClassShare = 0.7;

class TrainerRun final {
public:
    TrainerRun(const TrainingData& data, const TrainConfig& config)
        : m_data(data)
        , m_config(config)
        , m_device(config.device == "cpu" || !torch::cuda::is_available() ? torch::kCPU : torch::kCUDA)
    {
    }

    Result<TrainResult> run(const TrainCallbacks& callbacks, const StopTokenPtr& stop, const TrainState* resume)
    {
        const int d = m_data.dim;
        const int c = m_data.classCount;
        torch::manual_seed(m_config.seed);
        m_net = detail::AapeNet(d, aggregatorHeadCount(d),
                                resume ? detail::aggregatorFfnWidth(d, *resume) : detail::aggregatorFfnWidth(d));
        m_net->to(m_device);
        for (auto& item : m_net->named_parameters()) {
            const auto index = m_params.size();
            m_names.push_back(item.key());
            m_params.push_back(item.value());
            m_momentum.push_back(torch::zeros_like(item.value()));
            if (item.key().rfind("aggregator.", 0) == 0) {
                m_aggregatorIndex.push_back(index);
                m_aggregatorParams.push_back(item.value());
            } else {
                m_headIndex.push_back(index);
            }
        }
        // Two CPU threads split each step (see trainStep); each runs single-threaded kernels.
        const int threads = m_config.threads > 0 ? m_config.threads : at::get_num_threads();
        std::optional<ThreadCountGuard> singleThreaded;
        if (m_device.is_cpu() && threads >= 2) {
            singleThreaded.emplace(1);
            m_worker = std::make_unique<StepWorker>();
        }
        int startEpoch = 0;
        if (resume) {
            if (auto status = loadResume(*resume); !status.ok())
                return status.error();
            startEpoch = resume->epochsCompleted;
        }

        m_templates = toTensor(m_data.templates, {c, d}).to(m_device);
        m_handWritten = m_device.is_cpu() && !m_config.literal;
        if (!m_config.literal) {
            const auto found = std::find(m_names.begin(), m_names.end(), "g.weight");
            m_combinerWeight = static_cast<std::size_t>(found - m_names.begin());
            m_classTerm.reset(m_templates);
        }
        std::vector<torch::Tensor> descriptions;
        for (int k = 0; k < c; ++k) {
            const bool has = k < static_cast<int>(m_data.descriptions.size()) && !m_data.descriptions[k].empty();
            const auto& values = has ? m_data.descriptions[k]
                                     : std::vector<float>(m_data.templates.begin() + k * d,
                                                          m_data.templates.begin() + (k + 1) * d);
            descriptions.push_back(toTensor(values, {static_cast<std::int64_t>(values.size() / d), d}));
        }
        m_bank = detail::makeDescriptionBank(descriptions, d, m_device);
        if (m_config.literal)
            for (auto& p : descriptions)
                m_literalDescriptions.push_back(p.to(m_device));
        const auto sampleCount = static_cast<std::int64_t>(m_data.sampleLabels.size());
        const std::int64_t views = m_data.viewsPerSample;
        m_views = toTensor(m_data.sampleViews, {sampleCount * views, d}).to(m_device);
        if (!m_data.validationLabels.empty()) {
            m_valX = toTensor(m_data.validationEmbeddings, {static_cast<std::int64_t>(m_data.validationLabels.size()), d}).to(m_device);
            m_valY = torch::tensor(std::vector<std::int64_t>(m_data.validationLabels.begin(), m_data.validationLabels.end())).to(m_device);
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
                            + " images, epochs " + std::to_string(startEpoch + 1) + "–" + std::to_string(m_config.epochs)
                            + " on " + (m_device.is_cuda() ? "cuda" : "cpu")
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
            const auto epochX = m_views.index_select(0, torch::tensor(rows).to(m_device));  // [S, d]

            if (!m_config.literal)
                m_classTerm.begin(m_params[m_combinerWeight], m_momentum[m_combinerWeight]);
            auto sums = torch::zeros({5}, torch::TensorOptions().dtype(torch::kDouble).device(m_device));
            std::int64_t seen = 0;
            for (std::int64_t step = 0; step < stepsPerEpoch; ++step) {
                if (stopRequested(stop)) {
                    result.stopped = true;
                    if (callbacks.onLog)
                        callbacks.onLog("Stopped during epoch " + std::to_string(epoch + 1) + "; keeping the weights of epoch "
                                        + std::to_string(epoch) + ".");
                    return result;
                }
                std::vector<int> labels(static_cast<std::size_t>(batchRows));
                for (std::int64_t i = 0; i < batchRows; ++i)
                    labels[static_cast<std::size_t>(i)] = m_data.sampleLabels[static_cast<std::size_t>(order[static_cast<std::size_t>(step * batchRows + i)])];
                const auto x = epochX.narrow(0, step * batchRows, batchRows);
                sums += trainStep(x, labels, lr);
                seen += batchRows;
                if (callbacks.onStep)
                    callbacks.onStep(static_cast<int>(epoch * stepsPerEpoch + step + 1), totalSteps);
            }

            {
                torch::NoGradGuard noGrad;
                m_classTerm.end(m_params[m_combinerWeight], m_momentum[m_combinerWeight]);
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
    // The aggregator's forward pass and reward gradient for `job`'s classes (either thread).
    void runAggregatorJob(AggregatorJob& job, const torch::Tensor& x, std::int64_t batchRows)
    {
        job.grads.clear();
        if (job.classes.empty()) {
            job.rewardSum = torch::zeros({}, x.options());
            job.rowSummaries = torch::empty({0, x.size(1)}, x.options());
            return;
        }
        if (m_handWritten) {
            job.rowIndex = torch::tensor(job.rows).to(m_device);
            const auto xs = x.index_select(0, job.rowIndex);
            job.gradient = detail::aggregatorRewardGradient(*m_net->aggregator, m_bank, job.classes, xs, job.slots,
                                                            -m_config.rewardScale / static_cast<double>(batchRows));
            job.rowSummaries = job.gradient.summaries.index_select(0, torch::tensor(job.slots));
            job.rewardSum = job.gradient.rewardSum;
            return;
        }
        torch::Tensor summaries;  // [classes, d]
        if (m_config.literal) {
            std::vector<torch::Tensor> rows;
            for (auto k : job.classes)
                rows.push_back(m_net->aggregator->forwardLiteral(m_literalDescriptions[static_cast<std::size_t>(k)]).first);
            summaries = torch::stack(rows);
        } else {
            summaries = m_net->aggregator->forward(m_bank, torch::tensor(job.classes).to(m_device)).summary;
        }
        job.rowIndex = torch::tensor(job.rows).to(m_device);
        const auto pa = summaries.index_select(0, torch::tensor(job.slots).to(m_device));
        const auto xs = x.index_select(0, job.rowIndex);
        const auto rewardSum = torch::relu(torch::cosine_similarity(xs, pa, 1)).sum();
        // L_agg = −s·mean over the batch: this job's rows contribute their sum over B.
        const auto loss = rewardSum * (-m_config.rewardScale / static_cast<double>(batchRows));
        job.grads = torch::autograd::grad({loss}, m_aggregatorParams, {}, false, false, true);
        job.rowSummaries = pa.detach();
        job.rewardSum = rewardSum.detach();
    }

    // SGD on the aggregator with the two jobs' gradients, summed in a fixed order so that the
    // result does not depend on which thread ran which job.
    void updateAggregator(const AggregatorJob& first, const AggregatorJob& second, double lr)
    {
        torch::NoGradGuard noGrad;
        for (std::size_t k = 0; k < m_aggregatorParams.size(); ++k) {
            const auto& a = k < first.grads.size() ? first.grads[k] : torch::Tensor();
            const auto& b = k < second.grads.size() ? second.grads[k] : torch::Tensor();
            if (!a.defined() && !b.defined())
                continue;
            if (a.defined() && b.defined())
                sgdUpdate(m_aggregatorParams[k], a.contiguous(), m_momentum[m_aggregatorIndex[k]], lr,
                          m_config.momentum, m_config.weightDecay, b.contiguous());
            else
                sgdUpdate(m_aggregatorParams[k], (a.defined() ? a : b).contiguous(), m_momentum[m_aggregatorIndex[k]],
                          lr, m_config.momentum, m_config.weightDecay);
        }
    }

    // The hand-written form's aggregator update: each weight matrix's gradient from both jobs'
    // rows in one product, folded into its momentum buffer (buffer = μ·buffer + G), then
    // buffer += wd·p, p −= lr·buffer: PyTorch's SGD, without a gradient tensor in between.
    // `weights` picks which of the six matrices; `vectors` adds the remaining parameters.
    void updateAggregatorHandWritten(const AggregatorJob (&jobs)[2], std::initializer_list<std::size_t> weights,
                                     bool vectors, double lr)
    {
        torch::NoGradGuard noGrad;
        // Rows in class order: the worker's job holds the lower class ids.
        const AggregatorJob* ordered[2] = {&jobs[1], &jobs[0]};
        for (const auto w : weights) {
            detail::WeightGradient combined;
            std::vector<torch::Tensor> outputGrads, inputs;
            for (const auto* job : ordered)
                if (!job->classes.empty()) {
                    const auto& term = job->gradient.weights[w];
                    combined.parameter = term.parameter;
                    combined.firstRow = term.firstRow;
                    outputGrads.push_back(term.outputGrad);
                    inputs.push_back(term.input);
                }
            if (outputGrads.empty())
                continue;
            combined.outputGrad = outputGrads.size() == 1 ? outputGrads[0] : torch::cat(outputGrads);
            combined.input = inputs.size() == 1 ? inputs[0] : torch::cat(inputs);
            detail::sgdStepWeightGradient(combined, momentumOf(combined.parameter), static_cast<float>(m_config.momentum),
                                          static_cast<float>(m_config.weightDecay), static_cast<float>(lr));
        }
        if (!vectors)
            return;
        const auto count = jobs[0].classes.empty() ? jobs[1].gradient.vectors.size() : jobs[0].gradient.vectors.size();
        for (std::size_t k = 0; k < count; ++k) {
            torch::Tensor param, first, second;
            for (const auto* job : ordered)
                if (!job->classes.empty()) {
                    param = job->gradient.vectors[k].first;
                    (first.defined() ? second : first) = job->gradient.vectors[k].second;
                }
            sgdUpdate(param, first, momentumOf(param), lr, m_config.momentum, m_config.weightDecay, second);
        }
    }

    torch::Tensor& momentumOf(const torch::Tensor& param)
    {
        for (std::size_t i = 0; i < m_params.size(); ++i)
            if (m_params[i].is_same(param))
                return m_momentum[i];
        throw std::logic_error("momentumOf: not a parameter of this run");
    }

    // One SGD step; returns [task, distill, reward, correct, 0] as doubles on the device.
    // Split in two: the aggregator's job for some of the batch's classes runs on the worker
    // thread (when there is one) while this thread runs the rest of the classes and h/g; the
    // aggregator's update then overlaps h/g's. Without a worker the same jobs run in turn,
    // with identical results.
    torch::Tensor trainStep(const torch::Tensor& x, const std::vector<int>& labels, double lr)
    {
        const auto batchRows = static_cast<std::int64_t>(labels.size());
        std::vector<std::int64_t> classes(labels.begin(), labels.end());
        std::sort(classes.begin(), classes.end());
        classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
        const auto workerClasses = static_cast<std::size_t>(std::lround(kWorkerClassShare * static_cast<double>(classes.size())));
        AggregatorJob jobs[2];  // [0]: this thread's, [1]: the worker's
        jobs[1].classes.assign(classes.begin(), classes.begin() + static_cast<std::ptrdiff_t>(workerClasses));
        jobs[0].classes.assign(classes.begin() + static_cast<std::ptrdiff_t>(workerClasses), classes.end());
        // The worker takes the lowest class ids: those below the main job's first class.
        const std::int64_t firstMainClass =
            workerClasses < classes.size() ? classes[workerClasses] : std::numeric_limits<std::int64_t>::max();
        for (std::int64_t row = 0; row < batchRows; ++row) {
            const auto label = static_cast<std::int64_t>(labels[static_cast<std::size_t>(row)]);
            auto& job = jobs[label < firstMainClass ? 1 : 0];
            job.rows.push_back(row);
            job.slots.push_back(std::lower_bound(job.classes.begin(), job.classes.end(), label) - job.classes.begin());
        }

        const auto runWorkerJob = [&] { runAggregatorJob(jobs[1], x, batchRows); };
        if (m_worker)
            m_worker->start(runWorkerJob);
        else
            runWorkerJob();
        runAggregatorJob(jobs[0], x, batchRows);

        if (m_handWritten)
            return headStep(x, labels, jobs, lr);

        // h/g: everything but the distillation target, which needs both jobs' summaries.
        const auto y = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end())).to(m_device);
        const auto generated = m_net->h->forward(x);  // [B, d]: h(x)
        torch::Tensor classTerm;  // a = T·Aᵀ as a leaf: its gradient drives ClassTermTracker
        torch::Tensor logits;
        if (m_config.literal) {
            logits = detail::aapeLogitsLiteral(*m_net, x, generated, m_templates, m_data.logitScale);
        } else {
            const auto d = x.size(1);
            {
                torch::NoGradGuard noGrad;
                classTerm = m_classTerm.classTerm();
            }
            classTerm.requires_grad_(true);
            const auto& weight = m_net->g->weight;
            const auto imageTerm = torch::addmm(m_net->g->bias, generated, weight.narrow(1, d, d).t());
            logits = detail::combinerCosine(classTerm, imageTerm, x) * m_data.logitScale;
        }
        const auto task = torch::cross_entropy_loss(logits, y);

        if (m_worker)
            m_worker->wait();
        auto target = torch::empty_like(x);  // p^a of each row's class, no gradient (stopgrad)
        for (const auto& job : jobs)
            if (!job.rows.empty())
                target.index_copy_(0, job.rowIndex,
                                   torch::nn::functional::normalize(
                                       job.rowSummaries, torch::nn::functional::NormalizeFuncOptions().dim(1)));
        // Mean over dimensions and batch, as the reference code's F.mse_loss.
        const auto distill = torch::mse_loss(generated, target);
        const auto loss = task + m_config.distillWeight * distill;
        loss.backward();

        const auto runWorkerUpdate = [&] { updateAggregator(jobs[0], jobs[1], lr); };
        if (m_worker)
            m_worker->start(runWorkerUpdate);
        else
            runWorkerUpdate();
        {
            torch::NoGradGuard noGrad;
            for (const auto i : m_headIndex) {
                auto& p = m_params[i];
                auto& grad = p.mutable_grad();
                if (!grad.defined())
                    continue;
                if (classTerm.defined() && i == m_combinerWeight) {
                    // B, the image half, as usual; A, the class half, through the tracker.
                    const auto d = p.size(0);
                    auto imageHalf = p.narrow(1, d, d);
                    auto imageMomentum = m_momentum[i].narrow(1, d, d);
                    sgdUpdate(imageHalf, grad.narrow(1, d, d), imageMomentum, lr, m_config.momentum,
                              m_config.weightDecay);
                } else {
                    sgdUpdate(p, grad, m_momentum[i], lr, m_config.momentum, m_config.weightDecay);
                }
                grad.reset();
            }
            if (classTerm.defined())
                m_classTerm.step(classTerm.grad(), lr, m_config.momentum, m_config.weightDecay);
        }
        if (m_worker)
            m_worker->wait();

        const auto reward = (jobs[0].rewardSum + jobs[1].rewardSum) / static_cast<double>(batchRows);
        const auto correct = (logits.detach().argmax(1) == y).sum();
        return torch::stack({task.detach(), distill.detach(), reward, correct.to(torch::kFloat),
                             torch::zeros({}, task.options())})
            .to(torch::kDouble);
    }

    // trainStep's h/g half on the CPU, differentiated by hand (the aggregator jobs are running
    // or done): the same loss as the autograd form, CE(logits, y) + λ·mean((h(x) − p̂^a)²),
    // without autograd's per-operation overhead. Then waits for the worker and updates.
    torch::Tensor headStep(const torch::Tensor& x, const std::vector<int>& labels, AggregatorJob (&jobs)[2], double lr)
    {
        torch::NoGradGuard noGrad;
        const auto batchRows = x.size(0);
        const auto d = x.size(1);
        const auto y = torch::tensor(std::vector<std::int64_t>(labels.begin(), labels.end()));
        auto& h = *m_net->h;
        auto& gWeight = m_net->g->weight;
        const auto w1 = h.fc1->weight.detach();
        const auto w2 = h.fc2->weight.detach();
        const auto imageHalf = gWeight.detach().narrow(1, d, d);  // B
        const auto f1 = detail::gemm(x, false, w1, true, h.fc1->bias.detach());
        const auto hidden = torch::relu(f1);
        const auto generated = detail::gemm(hidden, false, w2, true, h.fc2->bias.detach());  // h(x)
        const auto imageTerm = detail::gemm(generated, false, imageHalf, true, m_net->g->bias.detach());
        const auto classTerm = m_classTerm.classTerm();
        const auto xs = x.contiguous();
        const auto parts = detail::combinerCosineForward(classTerm, imageTerm, xs);
        const auto logits = parts.cosine * m_data.logitScale;
        const auto logProb = torch::log_softmax(logits, 1);
        const auto task = -logProb.gather(1, y.unsqueeze(1)).mean();
        // ∂CE/∂cos = scale·(softmax − onehot)/B
        auto gradCos = logProb.exp();
        gradCos.scatter_add_(1, y.unsqueeze(1), torch::full({batchRows, 1}, -1.0f));
        gradCos.mul_(m_data.logitScale / static_cast<double>(batchRows));
        auto gradClassTerm = torch::zeros_like(classTerm);
        auto gradImageTerm = torch::zeros_like(imageTerm);
        detail::combinerCosineBackward(classTerm, imageTerm, xs, (gradCos * parts.invDen).contiguous(),
                                       (gradCos * parts.ratio).contiguous(), gradClassTerm, gradImageTerm);

        if (m_worker)
            m_worker->wait();
        auto target = torch::empty_like(x);  // p^a/|p^a| of each row's class (stopgrad)
        for (const auto& job : jobs)
            if (!job.rows.empty())
                target.index_copy_(0, job.rowIndex,
                                   torch::nn::functional::normalize(
                                       job.rowSummaries, torch::nn::functional::NormalizeFuncOptions().dim(1)));
        const auto difference = generated - target;
        const auto distill = difference.square().mean();
        // The worker updates W_q, W_k, W_v and FFN1; this thread W_o, FFN2 and the vectors,
        // then h and g. Each update reads and writes its weights and momentum (memory bound:
        // 8 MB for the two FFN matrices at d = 512), so the FFN is split between the threads.
        const auto runWorkerUpdate = [&] { updateAggregatorHandWritten(jobs, {0, 1, 2, 4}, false, lr); };
        if (m_worker)
            m_worker->start(runWorkerUpdate);
        else
            runWorkerUpdate();
        updateAggregatorHandWritten(jobs, {3, 5}, true, lr);

        // ∂/∂h(x): the distillation term (mean over B·d) and the combiner's image term.
        auto gradGenerated = detail::gemm(gradImageTerm, false, imageHalf, false)
                                 .add_(difference, 2.0 * m_config.distillWeight / static_cast<double>(difference.numel()));
        const auto gradBias = gradImageTerm.sum(0);
        const auto gradW2 = detail::gemm(gradGenerated, true, hidden, false);
        const auto gradB2 = gradGenerated.sum(0);
        const auto gradF1 = detail::gemm(gradGenerated, false, w2, false).masked_fill_(f1.le(0), 0.0f);
        const auto gradW1 = detail::gemm(gradF1, true, xs, false);
        const auto gradB1 = gradF1.sum(0);

        const auto update = [&](torch::Tensor& param, const torch::Tensor& grad) {
            for (const auto i : m_headIndex)
                if (m_params[i].is_same(param)) {
                    sgdUpdate(m_params[i], grad, m_momentum[i], lr, m_config.momentum, m_config.weightDecay);
                    return;
                }
        };
        update(h.fc1->weight, gradW1);
        update(h.fc1->bias, gradB1);
        update(h.fc2->weight, gradW2);
        update(h.fc2->bias, gradB2);
        update(m_net->g->bias, gradBias);
        {
            // B, the image half: its gradient (∂L/∂u)ᵀ·h(x) goes straight into the momentum
            // buffer, as the aggregator's weights do (updateAggregatorHandWritten).
            auto imageWeight = gWeight.narrow(1, d, d);
            auto imageMomentum = m_momentum[m_combinerWeight].narrow(1, d, d);
            detail::sgemmSgd(true, d, d, batchRows, 1.0f, gradImageTerm.data_ptr<float>(), d,
                             generated.data_ptr<float>(), d, static_cast<float>(m_config.momentum),
                             imageMomentum.data_ptr<float>(), imageMomentum.stride(0), imageWeight.data_ptr<float>(),
                             imageWeight.stride(0), static_cast<float>(m_config.weightDecay), static_cast<float>(lr));
        }
        m_classTerm.step(gradClassTerm, lr, m_config.momentum, m_config.weightDecay);
        if (m_worker)
            m_worker->wait();

        const auto reward = (jobs[0].rewardSum + jobs[1].rewardSum) / static_cast<double>(batchRows);
        const auto correct = (logits.argmax(1) == y).sum();
        return torch::stack({task, distill, reward, correct.to(torch::kFloat), torch::zeros({}, task.options())})
            .to(torch::kDouble);
    }

    double validationAccuracy()
    {
        torch::NoGradGuard noGrad;
        const auto generated = m_net->h->forward(m_valX);
        const auto logits = detail::aapeLogits(*m_net, m_valX, generated, m_templates, m_data.logitScale);
        return (logits.argmax(1) == m_valY).to(torch::kDouble).mean().item<double>();
    }

    TrainState snapshot(int epochsCompleted) const
    {
        TrainState state;
        state.epochsCompleted = epochsCompleted;
        for (std::size_t i = 0; i < m_params.size(); ++i)
            state.tensors.push_back(detail::toNamed(m_names[i], m_params[i]));
        for (std::size_t i = 0; i < m_params.size(); ++i)
            state.tensors.push_back(detail::toNamed("optimizer.momentum." + m_names[i], m_momentum[i]));
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
        if (auto problem = detail::loadParameters(*m_net, resume, {""}); !problem.empty())
            return bad(problem);
        torch::NoGradGuard noGrad;
        for (std::size_t i = 0; i < m_params.size(); ++i) {
            const auto* stored = resume.find("optimizer.momentum." + m_names[i]);
            if (!stored || stored->shape != m_params[i].sizes().vec())
                return bad("momentum buffer of '" + m_names[i] + "' missing or of the wrong shape");
            m_momentum[i].copy_(toTensor(stored->values, stored->shape));
        }
        return {};
    }

    const TrainingData& m_data;
    const TrainConfig& m_config;
    torch::Device m_device;
    detail::AapeNet m_net{nullptr};
    std::vector<std::string> m_names;
    std::vector<torch::Tensor> m_params;
    std::vector<torch::Tensor> m_momentum;  // SGD momentum buffers, same order as m_params
    std::vector<std::size_t> m_aggregatorIndex;     // indices of the aggregator's parameters
    std::vector<torch::Tensor> m_aggregatorParams;  // the same parameters
    std::vector<std::size_t> m_headIndex;           // indices of h's and g's parameters
    std::unique_ptr<StepWorker> m_worker;           // second CPU thread, when there is one
    torch::Tensor m_templates;              // [C, d]
    ClassTermTracker m_classTerm;           // fast form: A's updates without A·T products
    std::size_t m_combinerWeight = 0;       // index of "g.weight" in m_params
    bool m_handWritten = false;             // CPU fast form: gradients by hand, not autograd
    detail::DescriptionBank m_bank;
    std::vector<torch::Tensor> m_literalDescriptions;  // per class [n_c, d], literal mode only
    torch::Tensor m_views;                  // [S·V, d]
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
                auto number = intMember(json, key, field, std::numeric_limits<int>::min(), std::numeric_limits<int>::max(), {});
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
        read("reward_scale", config.rewardScale);
        read("augmented_views", config.augmentedViews);
        read("seed", config.seed);
        read("device", config.device);
        read("threads", config.threads);
        read("literal", config.literal);
    } catch (const std::exception& e) {  // nlohmann::json::exception and the range errors above
        return makeError(ErrorCode::BadFormat, "A training setting has the wrong type; fix it or remove it to use the default.",
                         {}, e.what());
    }
    if (config.shots <= 0 || config.epochs <= 0 || config.batchSize <= 0 || config.learningRate <= 0
        || config.augmentedViews <= 0 || config.threads < 0
        || (config.device != "auto" && config.device != "cpu" && config.device != "cuda"))
        return makeError(ErrorCode::InvalidArgument, "A training setting is out of range; check shots, epochs, batch size, "
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
        limitBlasThreads();
        TrainerRun run(data, config);
        return run.run(callbacks, stop, resume);
    } catch (const std::exception& e) {  // c10::Error included
        return fromException(e);
    }
}

} // namespace aape
