#include "aape/clip/ClipModel.h"

#include <torch/torch.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

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

const char* precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Auto: return "auto";
    case Precision::Float32: return "fp32";
    case Precision::BFloat16: return "bf16";
    case Precision::Float16: return "fp16";
    case Precision::Int8: return "int8";
    }
    return "auto";
}

Result<Precision> parsePrecision(const std::string& text)
{
    for (auto p : {Precision::Auto, Precision::Float32, Precision::BFloat16, Precision::Float16, Precision::Int8})
        if (text == precisionName(p))
            return p;
    if (text.empty())
        return Precision::Auto;
    return makeError(ErrorCode::InvalidArgument,
                     "unknown precision '" + text + "'; use auto, fp32, bf16, fp16 (GPU) or int8 (CPU)");
}

bool cpuComputesBfloat16()
{
#if defined(__x86_64__) || defined(__i386__)
    // CPUID directly: GCC's and Clang's __builtin_cpu_supports know different feature names
    // (Clang 14 rejects "amx-bf16" at compile time).
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE))
        return false;
    // The operating system must save the AVX-512 state (XCR0: SSE, AVX, opmask, ZMM).
    unsigned xcr0Low = 0, xcr0High = 0;
    __asm__ volatile("xgetbv" : "=a"(xcr0Low), "=d"(xcr0High) : "c"(0));
    constexpr unsigned avx512State = 0xe6;
    if ((xcr0Low & avx512State) != avx512State)
        return false;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    const bool amxBf16 = edx & (1u << 22);
    const unsigned maxSubleaf = eax;
    bool avx512Bf16 = false;
    if (maxSubleaf >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx))
        avx512Bf16 = eax & (1u << 5);
    return avx512Bf16 || amxBf16;
#else
    return false;
#endif
}

Precision automaticPrecision(DeviceKind resolvedDevice, std::string* reason)
{
    auto say = [&](const char* text) {
        if (reason)
            *reason = text;
    };
    if (resolvedDevice == DeviceKind::Cuda) {
        say("fp16 on the GPU, as CLIP itself runs");
        return Precision::Float16;
    }
    if (cpuComputesBfloat16()) {
        say("bf16: this CPU computes bfloat16 natively (AVX512_BF16 or AMX)");
        return Precision::BFloat16;
    }
    say("fp32: this CPU has no native bfloat16 (AVX512_BF16 or AMX), where bf16 would be slower");
    return Precision::Float32;
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
