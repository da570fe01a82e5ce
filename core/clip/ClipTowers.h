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
    // int8 towers: the four linear layers' weights and biases packed for LibTorch's dynamic
    // quantised linear (the float weights are released); None otherwise.
    c10::IValue inProjPacked, outProjPacked, fcPacked, projPacked;
    torch::Tensor inProjWeight, inProjBias;   // [3w, w], [3w]: q, k, v stacked
    torch::Tensor outProjWeight, outProjBias; // [w, w], [w]
    torch::Tensor ln2Weight, ln2Bias;
    torch::Tensor fcWeight, fcBias;     // [mlp, w]
    torch::Tensor projWeight, projBias; // [w, mlp]
};

// How the transformer blocks compute. Float32 and Float16 run every tensor in that type (Float16
// on CUDA, as OpenAI's CLIP does); BFloat16 runs the blocks' weights and activations in bfloat16
// and keeps the patch/token embeddings, LayerNorms and final projections in float32; Int8 runs
// the blocks' linear layers as dynamically quantised int8 products (per-tensor symmetric weights,
// activations quantised per batch, as torch.ao.quantization.quantize_dynamic does) and the
// attention products and element-wise work in bfloat16 where the CPU computes it natively, else
// float32; LayerNorms always in float32.
enum class TowerCompute { Float32, Float16, BFloat16, Int8 };

struct ClipTowers {
    ClipConfig config;
    TowerCompute compute = TowerCompute::Float32;
    // What activations run in inside the blocks: float32 means "as they come in" (float32 or
    // float16); bfloat16 for BFloat16, and for Int8 where the CPU computes bfloat16 natively.
    torch::ScalarType blockActivations = torch::kFloat32;
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
    // For inference: the towers in the given arithmetic. Throws c10::Error when the LibTorch
    // build has no quantised engine (Int8) or the device cannot run it.
    static ClipTowers forInference(const WeightMap& weights, const ClipConfig& config, const torch::Device& device,
                                   TowerCompute compute);
    // The type images and texts enter and leave the towers in: float16 for Float16, else float32.
    torch::ScalarType ioType() const;
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
    torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                         const c10::IValue& packed) const;
    torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) const;
    torch::Tensor activation(const torch::Tensor& x) const;
    torch::Tensor attention(const torch::Tensor& x, const TowerBlock& b, int heads, const torch::Tensor& mask) const;
    torch::Tensor runTower(torch::Tensor x, const std::vector<TowerBlock>& blocks, int heads,
                           const torch::Tensor& mask) const;
};

} // namespace aape::clip::detail
