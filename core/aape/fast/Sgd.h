#pragma once
// The trainer's SGD with momentum and weight decay, as PyTorch's torch.optim.SGD computes it.
// Any thread, one parameter at a time per thread.

#include <torch/torch.h>

namespace aape::detail {

// PyTorch's SGD: buf = m·buf + (g + wd·p); p −= lr·buf (buf starts at 0, so the first step
// gives buf = g as there), with g = grad + extra when a second partial gradient is given.
// Float CPU tensors whose rows are contiguous take one fused pass over memory (with ~2M
// parameters the separate tensor operations were a large part of each step); anything else
// (CUDA, strided) takes the same update as tensor operations.
void sgdUpdate(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& buffer, double lr, double momentum,
               double weightDecay, const torch::Tensor& extra = {});

} // namespace aape::detail
