#pragma once
// Private: turns the user's device choice into a torch::Device, with a clear error when
// CUDA was asked for but this LibTorch build or machine has none.

#include "aape/clip/ClipModel.h"

#include <torch/torch.h>

namespace aape::clip::detail {

Result<torch::Device> resolveTorchDevice(DeviceKind kind);
std::string describeDevice(const torch::Device& device);

} // namespace aape::clip::detail
