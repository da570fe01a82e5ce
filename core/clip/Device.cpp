#include "aape/clip/ClipModel.h"

#include <torch/torch.h>

namespace aape::clip {

const char* deviceKindName(DeviceKind kind)
{
    switch (kind) {
    case DeviceKind::Auto: return "auto";
    case DeviceKind::Cpu: return "cpu";
    case DeviceKind::Cuda: return "cuda";
    }
    return "auto";
}

Result<DeviceKind> parseDeviceKind(const std::string& text)
{
    if (text == "auto" || text.empty())
        return DeviceKind::Auto;
    if (text == "cpu")
        return DeviceKind::Cpu;
    if (text == "cuda" || text == "gpu")
        return DeviceKind::Cuda;
    return makeError(ErrorCode::InvalidArgument, "unknown device '" + text + "'; use auto, cpu or cuda");
}

bool cudaAvailable()
{
    try {
        return torch::cuda::is_available();
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace aape::clip

namespace aape::clip::detail {

Result<torch::Device> resolveTorchDevice(DeviceKind kind)
{
    const bool cuda = cudaAvailable();
    switch (kind) {
    case DeviceKind::Cpu: return torch::Device(torch::kCPU);
    case DeviceKind::Cuda:
        if (!cuda)
            return makeError(ErrorCode::Device,
                             "CUDA was requested but no usable GPU was found (this build of LibTorch may be CPU-only); "
                             "choose the CPU or build against a CUDA LibTorch");
        return torch::Device(torch::kCUDA, 0);
    case DeviceKind::Auto: break;
    }
    return cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

std::string describeDevice(const torch::Device& device)
{
    if (device.is_cuda())
        return "cuda:" + std::to_string(device.index() < 0 ? 0 : device.index());
    return "cpu";
}

} // namespace aape::clip::detail
