// The aggregator's CLIP-reward gradient on the CPU, differentiated by hand. The same function
// as AggregatorImpl::forward followed by autograd (tests/core/tst_aape_modules.cpp compares
// them); written out because a training step's aggregator made some 150 small LibTorch
// operations forward and backward, whose dispatch, autograd bookkeeping and temporaries cost
// more than their arithmetic. The attention over each class's descriptions runs on that
// class's own n_c rows (no padding) with direct BLAS calls.

#include "aape/Blas.h"
#include "aape/Modules.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aape::detail {

namespace {

constexpr double kLayerNormEps = 1e-5;
constexpr float kCosineEps = 1e-8f;

struct LayerNormParts {
    torch::Tensor normalised;  // (v − mean)/σ
    torch::Tensor invStd;      // [rows, 1]: 1/σ
};

LayerNormParts layerNorm(const torch::Tensor& v)
{
    const auto centred = v - v.mean(1, true);
    const auto invStd = (centred.square().mean(1, true) + kLayerNormEps).rsqrt();
    return {centred * invStd, invStd};
}

// Gradient through v ↦ (v − mean)/σ, given the gradient at the normalised output.
torch::Tensor layerNormBackward(const LayerNormParts& ln, const torch::Tensor& gradNormalised)
{
    return ln.invStd
           * (gradNormalised - gradNormalised.mean(1, true)
              - ln.normalised * (gradNormalised * ln.normalised).mean(1, true));
}

} // namespace

AggregatorRewardGradient aggregatorRewardGradient(AggregatorImpl& net, const DescriptionBank& bank,
                                                  const std::vector<std::int64_t>& classes,
                                                  const torch::Tensor& xRows, const std::vector<std::int64_t>& slots,
                                                  double coefficient)
{
    torch::NoGradGuard noGrad;
    const std::int64_t d = net.dim();
    const std::int64_t heads = net.heads();
    const std::int64_t dh = d / heads;
    const auto u = static_cast<std::int64_t>(classes.size());
    const auto options = torch::TensorOptions().dtype(torch::kFloat);

    const auto gamma1 = net.ln1Weight.detach();
    const auto beta1 = net.ln1Bias.detach();
    const auto inWeight = net.inProjWeight.detach();
    const auto inBias = net.inProjBias.detach();
    const auto wQ = inWeight.narrow(0, 0, d);
    const auto wK = inWeight.narrow(0, d, d);
    const auto wV = inWeight.narrow(0, 2 * d, d);
    const auto wO = net.outProj->weight.detach();
    const auto gamma2 = net.ln2Weight.detach();
    const auto beta2 = net.ln2Bias.detach();
    const auto w1 = net.fc1->weight.detach();
    const auto w2 = net.fc2->weight.detach();
    const auto normalisedBank = bank.normalised.contiguous();
    const float* bankData = normalisedBank.data_ptr<float>();
    const std::int64_t bankStride = normalisedBank.size(1) * d;  // floats per class

    // ---- forward ----
    const auto classIndex = torch::tensor(classes);
    const auto s0 = bank.mean.index_select(0, classIndex).add_(net.offset.detach());  // [U, d]
    const auto ln1 = layerNorm(s0);
    const auto& z0Hat = ln1.normalised;
    const auto z0 = torch::addcmul(beta1, z0Hat, gamma1);
    const auto q = gemm(z0, false, wQ, true, inBias.narrow(0, 0, d));                      // [U, d]
    const float* qData = q.data_ptr<float>();
    const float* wKData = wK.data_ptr<float>();
    const float* wVData = wV.data_ptr<float>();
    const float* gamma1Data = gamma1.data_ptr<float>();
    const float* beta1Data = beta1.data_ptr<float>();
    const float* z0HatData = z0Hat.data_ptr<float>();
    const float invSqrtDh = 1.0f / std::sqrt(static_cast<float>(dh));
    // Per head, q_h·W_k,h [U, d], laid out [U, H, d] so that each class's heads are one block.
    auto keyFold = torch::empty({u, heads, d}, options);
    float* keyFoldData = keyFold.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, false, u, d, dh, 1.0f, qData + h * dh, d, wKData + h * dh * d, d, 0.0f, keyFoldData + h * d,
              heads * d);

    // Per class: F = keyFold ⊙ γ1/√dh; weights [H, 1 + n_c] over [p̄ slot; descriptions]
    // (score_i = F·ẑ_i, the slot's own score F·ẑ0); the mix Σ a_i ẑ_i; mixed = mix ⊙ γ1 + β1.
    std::vector<std::int64_t> weightOffset(static_cast<std::size_t>(u) + 1, 0);
    for (std::int64_t i = 0; i < u; ++i) {
        const auto n = static_cast<std::int64_t>(bank.counts[static_cast<std::size_t>(classes[static_cast<std::size_t>(i)])]);
        weightOffset[static_cast<std::size_t>(i) + 1] = weightOffset[static_cast<std::size_t>(i)] + heads * (1 + n);
    }
    std::vector<float> weights(static_cast<std::size_t>(weightOffset.back()));
    std::vector<float> gradWeights(weights.size());
    auto folded = torch::empty({u, heads, d}, options);
    auto mixHat = torch::empty({u, heads, d}, options);
    auto mixed = torch::empty({u, heads, d}, options);
    float* foldedData = folded.data_ptr<float>();
    float* mixHatData = mixHat.data_ptr<float>();
    float* mixedData = mixed.data_ptr<float>();
    for (std::int64_t i = 0; i < u; ++i) {
        const auto c = classes[static_cast<std::size_t>(i)];
        const std::int64_t n = bank.counts[static_cast<std::size_t>(c)];
        const std::int64_t row = 1 + n;
        const float* p = bankData + c * bankStride;  // [n, d]
        const float* z = z0HatData + i * d;
        float* a = weights.data() + weightOffset[static_cast<std::size_t>(i)];
        float* f = foldedData + i * heads * d;
        const float* kf = keyFoldData + i * heads * d;
        for (std::int64_t h = 0; h < heads; ++h) {
            float self = 0.0f;
            for (std::int64_t k = 0; k < d; ++k) {
                f[h * d + k] = kf[h * d + k] * gamma1Data[k] * invSqrtDh;
                self += f[h * d + k] * z[k];
            }
            a[h * row] = self;
        }
        sgemm(false, true, heads, n, d, 1.0f, f, d, p, d, 0.0f, a + 1, row);
        for (std::int64_t h = 0; h < heads; ++h) {
            float* r = a + h * row;
            const float top = *std::max_element(r, r + row);
            float sum = 0.0f;
            for (std::int64_t j = 0; j < row; ++j)
                sum += (r[j] = std::exp(r[j] - top));
            const float inv = 1.0f / sum;
            for (std::int64_t j = 0; j < row; ++j)
                r[j] *= inv;
        }
        float* mix = mixHatData + i * heads * d;
        float* out = mixedData + i * heads * d;
        sgemm(false, false, heads, d, n, 1.0f, a + 1, row, p, d, 0.0f, mix, d);
        for (std::int64_t h = 0; h < heads; ++h) {
            const float w = a[h * row];
            for (std::int64_t k = 0; k < d; ++k) {
                mix[h * d + k] += w * z[k];
                out[h * d + k] = mix[h * d + k] * gamma1Data[k] + beta1Data[k];
            }
        }
    }
    // values[:, head h] = mixed[:, h]·W_v,hᵀ + b_v
    auto values = inBias.narrow(0, 2 * d, d).unsqueeze(0).repeat({u, 1});  // [U, d]
    float* valuesData = values.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, true, u, dh, d, 1.0f, mixedData + h * d, heads * d, wVData + h * dh * d, d, 1.0f,
              valuesData + h * dh, d);
    const auto y = gemm(values, false, wO, true, net.outProj->bias.detach()).add_(s0);
    const auto ln2 = layerNorm(y);
    const auto z2 = torch::addcmul(beta2, ln2.normalised, gamma2);
    const auto f1 = gemm(z2, false, w1, true, net.fc1->bias.detach());
    const auto hidden = torch::relu(f1);
    const auto summaries = gemm(hidden, false, w2, true, net.fc2->bias.detach()).add_(y);  // [U, d]: p^a

    // ---- the reward Σ_r relu(cos(x_r, p^a_slot(r))) and its gradient at p^a ----
    const auto slotIndex = torch::tensor(slots);
    const auto p = summaries.index_select(0, slotIndex);  // [R, d]
    const auto xNorm = xRows.norm(2, 1);
    const auto pNormSq = p.square().sum(1);
    const auto denominator = (xNorm * pNormSq.sqrt()).clamp_min(kCosineEps);
    const auto cosine = (xRows * p).sum(1) / denominator;
    const auto rewardSum = torch::relu(cosine).sum();
    const auto active = cosine.gt(0).to(torch::kFloat) * coefficient;  // ∂(coef·relu)/∂cos
    // ∂cos/∂p = x/(|x||p|) − cos·p/|p|²
    const auto gradP = (active / denominator).unsqueeze(1) * xRows
                       - (active * cosine / pNormSq.clamp_min(kCosineEps)).unsqueeze(1) * p;
    const auto gradSummary = torch::zeros({u, d}, options).index_add_(0, slotIndex, gradP);

    // ---- backward: FFN and LN2 ----
    const auto gradB2 = gradSummary.sum(0);
    const auto gradF1 = gemm(gradSummary, false, w2, false).masked_fill_(f1.le(0), 0.0f);
    const auto gradB1 = gradF1.sum(0);
    const auto gradZ2 = gemm(gradF1, false, w1, false);
    const auto gradGamma2 = (gradZ2 * ln2.normalised).sum(0);
    const auto gradBeta2 = gradZ2.sum(0);
    const auto gradY = layerNormBackward(ln2, gradZ2 * gamma2).add_(gradSummary);

    // ---- out-projection and W_v ----
    const auto gradBO = gradY.sum(0);
    const auto gradValues = gemm(gradY, false, wO, false);                                // [U, d]
    const auto gradBV = gradValues.sum(0);
    // ∂/∂mixed [U, H, d], per head gradValues[:, head h]·W_v,h
    auto gradMixed = torch::empty({u, heads, d}, options);
    float* gradMixedData = gradMixed.data_ptr<float>();
    const float* gradValuesData = gradValues.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, false, u, d, dh, 1.0f, gradValuesData + h * dh, d, wVData + h * dh * d, d, 0.0f,
              gradMixedData + h * d, heads * d);

    // ---- attention, per class: mixed → mix → weights (softmax) → scores → F → keyFold ----
    auto gradGamma1 = torch::zeros({d}, options);
    auto gradBeta1 = torch::zeros({d}, options);
    auto gradZ0Hat = torch::zeros({u, d}, options);
    float* gGamma1 = gradGamma1.data_ptr<float>();
    float* gBeta1 = gradBeta1.data_ptr<float>();
    float* gZ0Hat = gradZ0Hat.data_ptr<float>();
    auto gradKeyFold = torch::empty({u, heads, d}, options);  // [U, H, d]
    float* gradKeyFoldData = gradKeyFold.data_ptr<float>();
    std::vector<float> gradSelf(static_cast<std::size_t>(heads));
    for (std::int64_t i = 0; i < u; ++i) {
        const auto c = classes[static_cast<std::size_t>(i)];
        const std::int64_t n = bank.counts[static_cast<std::size_t>(c)];
        const std::int64_t row = 1 + n;
        const float* p = bankData + c * bankStride;
        const float* z = z0HatData + i * d;
        const float* a = weights.data() + weightOffset[static_cast<std::size_t>(i)];
        float* g = gradWeights.data() + weightOffset[static_cast<std::size_t>(i)];
        float* gm = gradMixedData + i * heads * d;  // becomes ∂/∂mix in place
        const float* mix = mixHatData + i * heads * d;
        float* gz = gZ0Hat + i * d;
        for (std::int64_t h = 0; h < heads; ++h) {
            const float selfWeight = a[h * row];
            float toSelf = 0.0f;
            for (std::int64_t k = 0; k < d; ++k) {
                const float v = gm[h * d + k];
                gGamma1[k] += v * mix[h * d + k];
                gBeta1[k] += v;
                const float gradMix = v * gamma1Data[k];
                gm[h * d + k] = gradMix;
                toSelf += gradMix * z[k];
                gz[k] += selfWeight * gradMix;
            }
            g[h * row] = toSelf;
        }
        sgemm(false, true, heads, n, d, 1.0f, gm, d, p, d, 0.0f, g + 1, row);
        for (std::int64_t h = 0; h < heads; ++h) {
            const float* ar = a + h * row;
            float* gr = g + h * row;
            float dot = 0.0f;
            for (std::int64_t j = 0; j < row; ++j)
                dot += ar[j] * gr[j];
            for (std::int64_t j = 0; j < row; ++j)
                gr[j] = ar[j] * (gr[j] - dot);  // now ∂/∂score
            gradSelf[static_cast<std::size_t>(h)] = gr[0];
        }
        float* gf = gradKeyFoldData + i * heads * d;
        sgemm(false, false, heads, d, n, 1.0f, g + 1, row, p, d, 0.0f, gf, d);
        const float* f = foldedData + i * heads * d;
        const float* kf = keyFoldData + i * heads * d;
        for (std::int64_t h = 0; h < heads; ++h) {
            const float s = gradSelf[static_cast<std::size_t>(h)];
            for (std::int64_t k = 0; k < d; ++k) {
                const float gradF = gf[h * d + k] + s * z[k];  // ∂/∂F
                gz[k] += s * f[h * d + k];
                gGamma1[k] += gradF * kf[h * d + k] * invSqrtDh;
                gf[h * d + k] = gradF * gamma1Data[k] * invSqrtDh;  // ∂/∂keyFold
            }
        }
    }
    // ∂/∂q [U, d], per head gradKeyFold[:, h]·W_k,hᵀ
    auto gradQ = torch::empty({u, d}, options);
    float* gradQData = gradQ.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, true, u, dh, d, 1.0f, gradKeyFoldData + h * d, heads * d, wKData + h * dh * d, d, 0.0f,
              gradQData + h * dh, d);

    // ---- W_q, LN1, the offset ----
    const auto gradBQ = gradQ.sum(0);
    const auto gradZ0 = gemm(gradQ, false, wQ, false);
    gradGamma1 += (gradZ0 * z0Hat).sum(0);
    gradBeta1 += gradZ0.sum(0);
    gradZ0Hat += gradZ0 * gamma1;
    const auto gradS0 = layerNormBackward(ln1, gradZ0Hat).add_(gradY);

    AggregatorRewardGradient result;
    result.summaries = summaries;
    result.rewardSum = rewardSum;
    // Weights: ∂/∂W = outputGradᵀ·input, per head block for W_k and W_v (see WeightGradient).
    result.weights.push_back({net.inProjWeight, 0, gradQ, z0.unsqueeze(1)});
    result.weights.push_back({net.inProjWeight, d, q, gradKeyFold});
    result.weights.push_back({net.inProjWeight, 2 * d, gradValues, mixed});
    result.weights.push_back({net.outProj->weight, 0, gradY, values.unsqueeze(1)});
    result.weights.push_back({net.fc1->weight, 0, gradF1, z2.unsqueeze(1)});
    result.weights.push_back({net.fc2->weight, 0, gradSummary, hidden.unsqueeze(1)});
    result.vectors.emplace_back(net.offset, gradS0.sum(0));
    result.vectors.emplace_back(net.ln1Weight, gradGamma1);
    result.vectors.emplace_back(net.ln1Bias, gradBeta1);
    result.vectors.emplace_back(net.inProjBias, torch::cat({gradBQ, torch::zeros({d}, options), gradBV}));
    result.vectors.emplace_back(net.outProj->bias, gradBO);
    result.vectors.emplace_back(net.ln2Weight, gradGamma2);
    result.vectors.emplace_back(net.ln2Bias, gradBeta2);
    result.vectors.emplace_back(net.fc1->bias, gradB1);
    result.vectors.emplace_back(net.fc2->bias, gradB2);
    return result;
}

void accumulateWeightGradient(const WeightGradient& term, torch::Tensor& target, float beta)
{
    const auto rows = term.outputGrad.size(1);
    const auto blocks = term.input.size(1);
    const auto cols = term.input.size(2);
    const auto u = term.outputGrad.size(0);
    const auto outputGrad = term.outputGrad.contiguous();
    const auto input = term.input.contiguous();
    const auto blockRows = rows / blocks;
    float* out = target.data_ptr<float>() + term.firstRow * target.stride(0);
    for (std::int64_t b = 0; b < blocks; ++b)
        sgemm(true, false, blockRows, cols, u, 1.0f, outputGrad.data_ptr<float>() + b * blockRows, rows,
              input.data_ptr<float>() + b * cols, blocks * cols, beta, out + b * blockRows * target.stride(0),
              target.stride(0));
}

} // namespace aape::detail
