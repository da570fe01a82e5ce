#pragma once
// Plain description of a CLIP checkpoint: geometry, activation, where it came from.

#include <array>
#include <string>
#include <vector>

namespace aape::clip {

enum class Activation { QuickGelu, Gelu };
enum class CheckpointFormat { HuggingFace, OpenAITorchScript, OpenClip };

const char* activationName(Activation activation);         // "quick_gelu" | "gelu"
const char* checkpointFormatName(CheckpointFormat format); // "huggingface" | "openai-torchscript" | "open_clip"

struct VisionConfig {
    int imageSize = 224;
    int patchSize = 16;
    int width = 768;
    int layers = 12;
    int heads = 12;
    int mlpWidth = 3072;
};

struct TextConfig {
    int vocabSize = 49408;
    int contextLength = 77;
    int width = 512;
    int layers = 12;
    int heads = 8;
    int mlpWidth = 2048;
};

struct ClipConfig {
    int embedDim = 512;
    VisionConfig vision;
    TextConfig text;
    Activation activation = Activation::QuickGelu;
    float layerNormEps = 1e-5f;
};

// Image normalisation and input size, from the checkpoint's preprocessor config where it
// has one, else CLIP's defaults at the tower's resolution.
struct ImageNormalisation {
    int imageSize = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct ModelInfo {
    CheckpointFormat format = CheckpointFormat::HuggingFace;
    std::string path; // folder or file as given
    ClipConfig config;
    std::string activationSource; // where the activation was read from, e.g. "config.json hidden_act"
    std::string fingerprint;      // hex digest of the weights (names, shapes, bytes)
    float logitScaleLog = 0.0f;   // CLIP's logit_scale parameter; the multiplier is exp() of it
    ImageNormalisation normalisation;
    std::string vocabPath;            // vocab.json (HF) or bpe_simple_vocab_16e6.txt(.gz), if found
    std::string mergesPath;           // merges.txt (HF) if found
    std::vector<std::string> notes;   // things the user should know, e.g. "TorchScript archives contain code"
    std::string architecture() const; // e.g. "ViT-B/16"-like: "ViT 12x768 p16 224px, text 12x512, d512"
};

} // namespace aape::clip
