#pragma once
// Private to the CLIP engine: the tower arithmetic (ViT image tower, causal text tower) on
// plain tensors, shared by inference (ClipModel) and toy pretraining (autograd runs through it).
// A ClipTowers is a value; use one instance from one thread at a time.

#include "aape/clip/ClipConfig.h"
#include "clip/ClipWeights.h"

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace aape::clip::detail {

struct TowerBlock {
    torch::Tensor ln1Weight, ln1Bias;
    torch::Tensor inProjWeight, inProjBias;   // [3w, w], [3w]: q, k, v stacked
    torch::Tensor outProjWeight, outProjBias; // [w, w], [w]
    torch::Tensor ln2Weight, ln2Bias;
    torch::Tensor fcWeight, fcBias;     // [mlp, w]
    torch::Tensor projWeight, projBias; // [w, mlp]
};

struct ClipTowers {
    ClipConfig config;
    std::vector<TowerBlock> visionBlocks, textBlocks;
    torch::Tensor patchWeight;     // [w, 3, p, p]
    torch::Tensor classEmbedding;  // [w]
    torch::Tensor visualPositions; // [g*g+1, w]
    torch::Tensor lnPreWeight, lnPreBias, lnPostWeight, lnPostBias;
    torch::Tensor visualProjection; // [w, d]
    torch::Tensor tokenEmbedding;   // [V, w_t]
    torch::Tensor textPositions;    // [ctx, w_t]
    torch::Tensor lnFinalWeight, lnFinalBias;
    torch::Tensor textProjection; // [w_t, d]

    // Takes every tower tensor (OpenAI names) from `weights`, converted to device and dtype.
    // logit_scale is not part of the towers.
    static ClipTowers fromWeights(const WeightMap& weights, const ClipConfig& config, const torch::Device& device,
                                  torch::ScalarType dtype);
    // The tower tensors under their OpenAI names, float32 on the CPU, detached.
    WeightMap toWeights() const;
    // Every tower tensor, for an optimiser.
    std::vector<torch::Tensor> parameters();

    // pixels: [B, 3, S, S] -> [B, d] (not normalised)
    torch::Tensor encodeImageBatch(const torch::Tensor& pixels) const;
    // ids: [B, L] int64, eot: [B] pooling positions -> [B, d] (not normalised)
    torch::Tensor encodeTextBatch(const torch::Tensor& ids, const torch::Tensor& eot) const;

private:
    void forEachTensor(const std::function<void(const std::string& name, torch::Tensor& tensor)>& visit);
    torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) const;
    torch::Tensor activation(const torch::Tensor& x) const;
    torch::Tensor attention(const torch::Tensor& x, const TowerBlock& b, int heads, const torch::Tensor& mask) const;
    torch::Tensor runTower(torch::Tensor x, const std::vector<TowerBlock>& blocks, int heads,
                           const torch::Tensor& mask) const;
};

} // namespace aape::clip::detail
