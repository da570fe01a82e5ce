#pragma once
// The hand-written gradients of the CPU training step (AggregatorGradient.cpp): the
// aggregator's reward gradient without autograd, and weight gradients kept as unevaluated
// products that go straight into the momentum buffers. Private to core/aape; one thread per
// call, the trainer's two threads work on disjoint classes.

#include "aape/Modules.h"

#include <torch/torch.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace aape::detail {

// A weight matrix's gradient as a product, kept unevaluated so that the trainer can sum
// several jobs' rows in one product and fold it into the momentum buffer: rows
// [firstRow, firstRow + R) of `parameter` get, for each block b of B,
//   rows b·R/B … (b+1)·R/B:  outputGrad[:, those columns]ᵀ · input[:, b, :]
// (B = 1 for a linear layer; B = heads for W_k and W_v, which act per head).
struct WeightGradient {
    torch::Tensor parameter; // the registered parameter, [rows, cols]
    std::int64_t firstRow = 0;
    torch::Tensor outputGrad; // [U, R]
    torch::Tensor input;      // [U, B, cols]
};
// target (shaped as the parameter, rows contiguous) ← beta·target + the gradient, on the
// term's rows; beta = 0 ignores what target held.
void accumulateWeightGradient(const WeightGradient& term, torch::Tensor& target, float beta);
// A momentum-SGD step on the term's rows of its parameter, with `buffer` its momentum (shaped as
// the parameter, rows contiguous): buffer = momentum·buffer + gradient + weightDecay·param;
// param −= lr·buffer (the gradient fused into the update, see sgemmSgd in Blas.h).
void sgdStepWeightGradient(const WeightGradient& term, torch::Tensor& buffer, float momentum, float weightDecay,
                           float lr);

// The aggregator's share of a training step on the CPU, without autograd: the forward pass
// for `classes` (ids into `bank`), the reward Σ_r relu(cos(x_r, p^a of classes[slots[r]]))
// and the gradient of coefficient·reward for every aggregator parameter. Same numbers as
// forward() and autograd up to rounding (see AggregatorGradient.cpp for why it exists).
struct AggregatorRewardGradient {
    torch::Tensor summaries;                                      // [U, d]: p^a of each class
    torch::Tensor rewardSum;                                      // scalar
    std::vector<WeightGradient> weights;                          // W_q, W_k, W_v, W_o, fc1, fc2
    std::vector<std::pair<torch::Tensor, torch::Tensor>> vectors; // (parameter, gradient): the rest
};
AggregatorRewardGradient aggregatorRewardGradient(AggregatorImpl& aggregator, const DescriptionBank& bank,
                                                  const std::vector<std::int64_t>& classes, const torch::Tensor& xRows,
                                                  const std::vector<std::int64_t>& slots, double coefficient);

} // namespace aape::detail
