#pragma once
// One optimisation step of AAPE training on the state a run shares with its step. Two forms,
// chosen once per run by TrainerRun (Trainer.cpp), never mixed:
//   autogradStep     LibTorch's autograd; any device; also the paper's literal equations.
//   handWrittenStep  the CPU fast path (core/aape/fast): gradients by hand, fused SGD, own kernels.
// Both split a step over two threads when the run has a StepWorker, with results identical to
// one thread. Private to core/aape; the run's calling thread only.

#include "aape/ClassTermTracker.h"
#include "aape/Modules.h"
#include "aape/aape/Trainer.h"
#include "aape/fast/HandWritten.h"
#include "aape/fast/StepWorker.h"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aape::detail {

// The aggregator's share of one step for some of the batch's classes: forward, the CLIP
// reward on the batch rows of those classes, and the gradient of −s·reward/B.
struct AggregatorJob {
    std::vector<std::int64_t> classes; // class ids, ascending
    std::vector<std::int64_t> rows;    // batch rows whose class is in `classes`
    std::vector<std::int64_t> slots;   // per row: its class's index in `classes`
    torch::Tensor rowIndex;            // `rows` as a tensor on the training device
    torch::Tensor rowSummaries;        // [rows, d]: p^a of each row's class, detached
    torch::Tensor rewardSum;           // Σ over rows of max(cos(x, p^a), 0), detached
    std::vector<torch::Tensor> grads;  // per aggregator parameter; undefined when unused
    AggregatorRewardGradient gradient; // the hand-written CPU form's instead of grads
};

// Share of a batch's classes that the worker thread's aggregator job takes; the calling
// thread takes the rest and the h/g heads (measured on the 196-class benchmark).
constexpr double kWorkerClassShare = 0.7;

// What a run's steps read and write: the modules, their parameters and momentum buffers, and
// the run's frozen inputs on the device.
struct StepContext {
    StepContext(const TrainingData& trainingData, const TrainConfig& trainConfig, torch::Device trainingDevice)
        : data(trainingData)
        , config(trainConfig)
        , device(trainingDevice)
    {}

    const TrainingData& data;
    const TrainConfig& config;
    torch::Device device;
    AapeNet net{nullptr};
    std::vector<std::string> names;
    std::vector<torch::Tensor> params;
    std::vector<torch::Tensor> momentum;         // SGD momentum buffers, same order as params
    std::vector<std::size_t> aggregatorIndex;    // indices of the aggregator's parameters
    std::vector<torch::Tensor> aggregatorParams; // the same parameters
    std::vector<std::size_t> headIndex;          // indices of h's and g's parameters
    std::unique_ptr<StepWorker> worker;          // second CPU thread, when there is one
    torch::Tensor templates;                     // [C, d]
    ClassTermTracker classTerm;                  // A's updates without A·T products (not literal)
    std::size_t combinerWeight = 0;              // index of "g.weight" in params
    DescriptionBank bank;
    std::vector<torch::Tensor> literalDescriptions; // per class [n_c, d], literal mode only

    // The momentum buffer of a registered parameter.
    torch::Tensor& momentumOf(const torch::Tensor& param);
};

// Splits a batch's distinct classes between the worker's job (jobs[1], the lowest class ids,
// kWorkerClassShare of them) and the calling thread's (jobs[0]), with each row in its class's job.
void assignJobs(const std::vector<int>& labels, AggregatorJob (&jobs)[2]);

// One SGD step on batch x [B, d] with labels; returns [task, distill, reward, correct, 0] as
// doubles on the device.
torch::Tensor autogradStep(StepContext& c, const torch::Tensor& x, const std::vector<int>& labels, double lr);
torch::Tensor handWrittenStep(StepContext& c, const torch::Tensor& x, const std::vector<int>& labels, double lr);

} // namespace aape::detail
