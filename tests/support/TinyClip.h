#pragma once
// A tiny random CLIP written in every checkpoint format from one set of weights, with the
// BpeFixture vocabulary beside each, for tests. No torch in this header.

#include "aape/demo/DemoWorld.h"

#include <cstdint>
#include <string>

namespace aape::test {

struct TinyClipPaths {
    std::string huggingFace;         // folder: config.json, model.safetensors, vocab.json, merges.txt
    std::string huggingFaceSharded;  // folder: two shards + model.safetensors.index.json
    std::string openAiArchive;       // openai.pt (TorchScript, float16) + bpe_simple_vocab_16e6.txt.gz beside it
    std::string openClipPt;          // open_clip/model.pt (state dict, "module." prefix) + open_clip_config.json
    std::string openClipSafetensors; // open_clip/model.safetensors
    int vocabSize = 0;
};

// Geometry: embed 32, vision 32 px / patch 8 / width 32 / 2 layers / 2 heads,
// text width 24 / 2 layers / 2 heads / context 77; perturbed norms and biases.
TinyClipPaths writeTinyClip(const std::string& folder, std::uint64_t seed = 1, bool quickGelu = true);

// The demo project in `folder` with a tiny CLIP (written to `clipFolder`) instead of the demo's
// own, quietly: for tests that open the demo but need no meaningful embeddings. 0 images per
// class keeps the demo's default.
Result<data::DemoProject> writeTinyDemo(const std::string& folder, const std::string& clipFolder,
                                        int imagesPerClass = 0);

} // namespace aape::test
