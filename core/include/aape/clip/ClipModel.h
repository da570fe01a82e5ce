#pragma once
// A frozen CLIP (ViT image tower + causal text tower) loaded from a real checkpoint.
// Tensors stay inside (pimpl): this header is safe to include next to Qt.
// Thread safety: a loaded ClipModel may be used for encoding from one thread at a time;
// load() and inspect() may be called from any thread.

#include "aape/clip/ClipConfig.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aape::clip {

enum class DeviceKind { Auto, Cpu, Cuda };

const char* deviceKindName(DeviceKind kind);
Result<DeviceKind> parseDeviceKind(const std::string& text); // "auto" | "cpu" | "cuda"
bool cudaAvailable();

// The arithmetic the towers run in. Auto picks the fastest that keeps embeddings within the
// accuracy contract (cosine >= 0.999 to float32): float16 on CUDA; on the CPU bfloat16 where the
// processor computes it natively (AVX512_BF16 or AMX), else float32. Int8 (CPU only) quantises
// the linear layers dynamically: about 0.9998 cosine, chosen explicitly, never by Auto.
enum class Precision { Auto, Float32, BFloat16, Float16, Int8 };

const char* precisionName(Precision precision);            // "auto", "fp32", "bf16", "fp16", "int8"
Result<Precision> parsePrecision(const std::string& text); // the names above
bool cpuComputesBfloat16();                                // AVX512_BF16 or AMX-BF16
// What Auto means on a device kind (Cpu or Cuda), and why, for the log and the UI.
Precision automaticPrecision(DeviceKind resolvedDevice, std::string* reason = nullptr);

struct LoadOptions {
    DeviceKind device = DeviceKind::Auto;
    int threads = 0; // intra-op threads on CPU; 0 keeps LibTorch's default
    Precision precision = Precision::Auto;
    // "gelu" or "quick_gelu" for checkpoints that do not declare it (open_clip files
    // without open_clip_config.json); empty: what the checkpoint says.
    std::string activationOverride;
    int imageBatch = 32;
    int textBatch = 64;
};

// Reads a checkpoint's geometry and identity without building the towers.
Result<ModelInfo> inspectCheckpoint(const std::string& path);

class ClipModel final {
public:
    static Result<ClipModel> load(const std::string& path, const LoadOptions& options = {});

    const ModelInfo& info() const;
    // "cpu (bf16)" or "cuda:0 (fp16)".
    std::string deviceDescription() const;
    // The precision the towers run in (never Auto) and, for Auto, why it was chosen.
    Precision precision() const;
    const std::string& precisionReason() const;

    // pixels: count images, each [3, S, S] CHW normalised, contiguous.
    // Returns [count, embedDim] row-major, each row L2-normalised.
    Result<std::vector<float>> encodeImages(const float* pixels, int count) const;

    // tokens: one id sequence per text, each [SOT, ..., EOT] without padding (at most
    // contextLength ids). The batch runs only as long as its longest sequence unless
    // padToContext is set (same result, kept for benchmarks and checks).
    // Returns [count, embedDim] row-major, each row L2-normalised.
    Result<std::vector<float>> encodeTokens(const std::vector<std::vector<std::int32_t>>& tokens,
                                            bool padToContext = false) const;

    ClipModel(ClipModel&&) noexcept;
    ClipModel& operator=(ClipModel&&) noexcept;
    ~ClipModel();

private:
    struct Impl;
    explicit ClipModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace aape::clip
