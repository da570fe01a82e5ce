// The aggregator's CLIP-reward gradient on the CPU, differentiated by hand. The same function
// as AggregatorImpl::forward followed by autograd (tests/core/tst_aape_modules.cpp compares
// them); written out because a training step's aggregator made some 150 small LibTorch
// operations forward and backward, whose dispatch, autograd bookkeeping and temporaries cost
// more than their arithmetic. Products go straight to BLAS (Blas.h), element-wise work runs
// on raw rows, and the attention over each class's descriptions uses that class's own n_c
// rows (no padding).

#include "aape/fast/Blas.h"
#include "aape/fast/HandWritten.h"
#include "aape/fast/Simd.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aape::detail {

namespace {

constexpr double kLayerNormEps = 1e-5;
constexpr float kCosineEps = 1e-8f;

// Row-major [rows, d] helpers on raw memory: the step's vectors are a few dozen rows, where
// a LibTorch operation's dispatch costs more than its arithmetic.
// normalised = (v − mean)/σ per row, invStd = 1/σ (biased variance, as LayerNorm).
void layerNormRows(const float* v, std::int64_t rows, std::int64_t d, float* normalised, float* invStd)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* in = v + r * d;
        float* out = normalised + r * d;
        float mean = 0.0f;
        for (std::int64_t k = 0; k < d; ++k)
            mean += in[k];
        mean /= static_cast<float>(d);
        float var = 0.0f;
        for (std::int64_t k = 0; k < d; ++k) {
            out[k] = in[k] - mean;
            var += out[k] * out[k];
        }
        const float inv = 1.0f / std::sqrt(var / static_cast<float>(d) + static_cast<float>(kLayerNormEps));
        for (std::int64_t k = 0; k < d; ++k)
            out[k] *= inv;
        invStd[r] = inv;
    }
}

// out = invStd·(g − mean(g) − n·mean(g⊙n)) + add, per row: the gradient through v ↦ (v − mean)/σ
// given g at the normalised output n, plus a residual gradient `add`.
void layerNormBackwardRows(const float* normalised, const float* invStd, const float* g, const float* add,
                           std::int64_t rows, std::int64_t d, float* out)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* n = normalised + r * d;
        const float* gr = g + r * d;
        float meanG = 0.0f;
        float meanGN = 0.0f;
        for (std::int64_t k = 0; k < d; ++k) {
            meanG += gr[k];
            meanGN += gr[k] * n[k];
        }
        meanG /= static_cast<float>(d);
        meanGN /= static_cast<float>(d);
        for (std::int64_t k = 0; k < d; ++k)
            out[r * d + k] = invStd[r] * (gr[k] - meanG - n[k] * meanGN) + add[r * d + k];
    }
}

// out[k] += Σ_r m[r, k]
void addColumnSums(const float* m, std::int64_t rows, std::int64_t cols, float* out)
{
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t k = 0; k < cols; ++k)
            out[k] += m[r * cols + k];
}

// The attention's per-class, per-head rows of d floats (8 heads × the batch's classes, each
// a few times forward and backward): written on FloatLanes so that they vectorise, sums
// included (as scalar loops they were a tenth of the step).
#ifdef AAPE_HAVE_FLOAT_LANES
// Inlined into each clone below, so the vector return's calling convention never crosses a
// target boundary (GCC's -Wpsabi note is about calls between differently compiled code).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
inline FloatLanes loadLanes(const float* p)
{
    FloatLanes v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

inline void storeLanes(float* p, const FloatLanes& v)
{
    __builtin_memcpy(p, &v, sizeof v);
}

inline float laneSum(const FloatLanes& v)
{
    float sum = 0.0f;
    for (int l = 0; l < kLanes; ++l)
        sum += v[l];
    return sum;
}
#endif

// f = kf ⊙ γ·scale; returns f·z.
AAPE_SIMD_CLONES
float foldRow(const float* __restrict kf, const float* __restrict gamma, float scale, const float* __restrict z,
              std::int64_t d, float* __restrict f)
{
    std::int64_t k = 0;
    float dot = 0.0f;
#ifdef AAPE_HAVE_FLOAT_LANES
    FloatLanes dotV = {};
    for (; k + kLanes <= d; k += kLanes) {
        const FloatLanes fv = loadLanes(kf + k) * loadLanes(gamma + k) * scale;
        storeLanes(f + k, fv);
        dotV += fv * loadLanes(z + k);
    }
    dot = laneSum(dotV);
#endif
    for (; k < d; ++k) {
        f[k] = kf[k] * gamma[k] * scale;
        dot += f[k] * z[k];
    }
    return dot;
}

// mix += w·z; out = mix ⊙ γ + β.
AAPE_SIMD_CLONES
void mixRow(float w, const float* __restrict z, const float* __restrict gamma, const float* __restrict beta,
            std::int64_t d, float* __restrict mix, float* __restrict out)
{
    std::int64_t k = 0;
#ifdef AAPE_HAVE_FLOAT_LANES
    for (; k + kLanes <= d; k += kLanes) {
        const FloatLanes m = loadLanes(mix + k) + w * loadLanes(z + k);
        storeLanes(mix + k, m);
        storeLanes(out + k, m * loadLanes(gamma + k) + loadLanes(beta + k));
    }
#endif
    for (; k < d; ++k) {
        mix[k] += w * z[k];
        out[k] = mix[k] * gamma[k] + beta[k];
    }
}

// With v = ∂/∂mixed in g: ∂γ += v ⊙ mix, ∂β += v; g becomes ∂/∂mix = v ⊙ γ; gz += selfWeight·g.
// Returns g·z (the gradient at the p̄ slot's weight).
AAPE_SIMD_CLONES
float mixBackwardRow(float* __restrict g, const float* __restrict mix, const float* __restrict gamma,
                     const float* __restrict z, float selfWeight, std::int64_t d, float* __restrict gradGamma,
                     float* __restrict gradBeta, float* __restrict gz)
{
    std::int64_t k = 0;
    float toSelf = 0.0f;
#ifdef AAPE_HAVE_FLOAT_LANES
    FloatLanes toSelfV = {};
    for (; k + kLanes <= d; k += kLanes) {
        const FloatLanes v = loadLanes(g + k);
        storeLanes(gradGamma + k, loadLanes(gradGamma + k) + v * loadLanes(mix + k));
        storeLanes(gradBeta + k, loadLanes(gradBeta + k) + v);
        const FloatLanes gradMix = v * loadLanes(gamma + k);
        storeLanes(g + k, gradMix);
        toSelfV += gradMix * loadLanes(z + k);
        storeLanes(gz + k, loadLanes(gz + k) + selfWeight * gradMix);
    }
    toSelf = laneSum(toSelfV);
#endif
    for (; k < d; ++k) {
        const float v = g[k];
        gradGamma[k] += v * mix[k];
        gradBeta[k] += v;
        const float gradMix = v * gamma[k];
        g[k] = gradMix;
        toSelf += gradMix * z[k];
        gz[k] += selfWeight * gradMix;
    }
    return toSelf;
}

// With g = Σ_j ∂score_j·P_j: ∂F = g + s·z; gz += s·f; ∂γ += ∂F ⊙ kf·scale; g becomes
// ∂/∂keyFold = ∂F ⊙ γ·scale.
AAPE_SIMD_CLONES
void foldBackwardRow(float* __restrict g, const float* __restrict z, const float* __restrict f,
                     const float* __restrict kf, const float* __restrict gamma, float s, float scale, std::int64_t d,
                     float* __restrict gz, float* __restrict gradGamma)
{
    std::int64_t k = 0;
#ifdef AAPE_HAVE_FLOAT_LANES
    for (; k + kLanes <= d; k += kLanes) {
        const FloatLanes gradF = loadLanes(g + k) + s * loadLanes(z + k);
        storeLanes(gz + k, loadLanes(gz + k) + s * loadLanes(f + k));
        storeLanes(gradGamma + k, loadLanes(gradGamma + k) + gradF * loadLanes(kf + k) * scale);
        storeLanes(g + k, gradF * loadLanes(gamma + k) * scale);
    }
#endif
    for (; k < d; ++k) {
        const float gradF = g[k] + s * z[k];
        gz[k] += s * f[k];
        gradGamma[k] += gradF * kf[k] * scale;
        g[k] = gradF * gamma[k] * scale;
    }
}

#ifdef AAPE_HAVE_FLOAT_LANES
#pragma GCC diagnostic pop
#endif

// A [rows, cols] tensor whose every row is `bias` (the start of a product with beta = 1).
torch::Tensor broadcastRows(const torch::Tensor& bias, std::int64_t rows)
{
    return bias.reshape({1, -1}).expand({rows, bias.numel()}).contiguous();
}

} // namespace

AggregatorRewardGradient aggregatorRewardGradient(AggregatorImpl& net, const DescriptionBank& bank,
                                                  const std::vector<std::int64_t>& classes, const torch::Tensor& xRows,
                                                  const std::vector<std::int64_t>& slots, double coefficient)
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
    const std::int64_t bankStride = normalisedBank.size(1) * d; // floats per class

    // ---- forward ----
    const float* meanData = bank.mean.data_ptr<float>();
    const float* offsetData = net.offset.data_ptr<float>();
    const float* gamma1Data = gamma1.data_ptr<float>();
    const float* beta1Data = beta1.data_ptr<float>();
    auto s0 = torch::empty({u, d}, options); // p̄ + offset
    float* const s0P = s0.data_ptr<float>();
    auto z0Hat = torch::empty({u, d}, options);
    float* const z0HatP = z0Hat.data_ptr<float>();
    auto z0 = torch::empty({u, d}, options);
    float* const z0P = z0.data_ptr<float>();
    std::vector<float> invStd1(static_cast<std::size_t>(u));
    for (std::int64_t i = 0; i < u; ++i)
        for (std::int64_t k = 0; k < d; ++k)
            s0P[i * d + k] = meanData[classes[static_cast<std::size_t>(i)] * d + k] + offsetData[k];
    layerNormRows(s0P, u, d, z0HatP, invStd1.data());
    for (std::int64_t i = 0; i < u; ++i)
        for (std::int64_t k = 0; k < d; ++k)
            z0P[i * d + k] = z0HatP[i * d + k] * gamma1Data[k] + beta1Data[k];
    auto q = broadcastRows(inBias.narrow(0, 0, d), u); // [U, d]
    float* const qP = q.data_ptr<float>();
    sgemm(false, true, u, d, d, 1.0f, z0P, d, wQ.data_ptr<float>(), d, 1.0f, qP, d);
    const float* wKData = wK.data_ptr<float>();
    const float* wVData = wV.data_ptr<float>();
    const float invSqrtDh = 1.0f / std::sqrt(static_cast<float>(dh));
    // Per head, q_h·W_k,h [U, d], laid out [U, H, d] so that each class's heads are one block.
    auto keyFold = torch::empty({u, heads, d}, options);
    float* keyFoldData = keyFold.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, false, u, d, dh, 1.0f, qP + h * dh, d, wKData + h * dh * d, d, 0.0f, keyFoldData + h * d,
              heads * d);

    // Per class: F = keyFold ⊙ γ1/√dh; weights [H, 1 + n_c] over [p̄ slot; descriptions]
    // (score_i = F·ẑ_i, the slot's own score F·ẑ0); the mix Σ a_i ẑ_i; mixed = mix ⊙ γ1 + β1.
    std::vector<std::int64_t> weightOffset(static_cast<std::size_t>(u) + 1, 0);
    for (std::int64_t i = 0; i < u; ++i) {
        const auto n =
            static_cast<std::int64_t>(bank.counts[static_cast<std::size_t>(classes[static_cast<std::size_t>(i)])]);
        weightOffset[static_cast<std::size_t>(i) + 1] = weightOffset[static_cast<std::size_t>(i)] + heads * (1 + n);
    }
    std::vector<float> weights(static_cast<std::size_t>(weightOffset.back()));
    std::vector<float> gradWeights(weights.size());
    // Row i's class: its n descriptions P [n, d] in the bank, the attention row length 1 + n
    // (the p̄ slot, then the descriptions), and where its [H, 1 + n] weights start.
    struct ClassRows {
        std::int64_t n, row;
        const float* p;
        std::size_t weights;
    };
    const auto classRows = [&](std::int64_t i) {
        const auto c = classes[static_cast<std::size_t>(i)];
        const std::int64_t n = bank.counts[static_cast<std::size_t>(c)];
        return ClassRows{n, 1 + n, bankData + c * bankStride,
                         static_cast<std::size_t>(weightOffset[static_cast<std::size_t>(i)])};
    };
    auto folded = torch::empty({u, heads, d}, options);
    auto mixHat = torch::empty({u, heads, d}, options);
    auto mixed = torch::empty({u, heads, d}, options);
    float* foldedData = folded.data_ptr<float>();
    float* mixHatData = mixHat.data_ptr<float>();
    float* mixedData = mixed.data_ptr<float>();
    for (std::int64_t i = 0; i < u; ++i) {
        const auto [n, row, p, offset] = classRows(i);
        const float* z = z0HatP + i * d;
        float* a = weights.data() + offset;
        float* f = foldedData + i * heads * d;
        const float* kf = keyFoldData + i * heads * d;
        for (std::int64_t h = 0; h < heads; ++h)
            a[h * row] = foldRow(kf + h * d, gamma1Data, invSqrtDh, z, d, f + h * d);
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
        for (std::int64_t h = 0; h < heads; ++h)
            mixRow(a[h * row], z, gamma1Data, beta1Data, d, mix + h * d, out + h * d);
    }
    // values[:, head h] = mixed[:, h]·W_v,hᵀ + b_v
    auto values = broadcastRows(inBias.narrow(0, 2 * d, d), u); // [U, d]
    float* valuesData = values.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, true, u, dh, d, 1.0f, mixedData + h * d, heads * d, wVData + h * dh * d, d, 1.0f,
              valuesData + h * dh, d);
    auto y = broadcastRows(net.outProj->bias.detach(), u); // p̄ + offset + OutProj(values)
    float* const yP = y.data_ptr<float>();
    sgemm(false, true, u, d, d, 1.0f, valuesData, d, wO.data_ptr<float>(), d, 1.0f, yP, d);
    for (std::int64_t e = 0; e < u * d; ++e)
        yP[e] += s0P[e];
    auto yHat = torch::empty({u, d}, options);
    float* const yHatP = yHat.data_ptr<float>();
    std::vector<float> invStd2(static_cast<std::size_t>(u));
    layerNormRows(yP, u, d, yHatP, invStd2.data());
    const float* gamma2Data = gamma2.data_ptr<float>();
    const float* beta2Data = beta2.data_ptr<float>();
    auto z2 = torch::empty({u, d}, options);
    float* const z2P = z2.data_ptr<float>();
    for (std::int64_t i = 0; i < u; ++i)
        for (std::int64_t k = 0; k < d; ++k)
            z2P[i * d + k] = yHatP[i * d + k] * gamma2Data[k] + beta2Data[k];
    const std::int64_t f = w1.size(0);
    auto hidden = broadcastRows(net.fc1->bias.detach(), u); // [U, f]: relu(z2·W1ᵀ + b1)
    float* const hiddenP = hidden.data_ptr<float>();
    sgemm(false, true, u, f, d, 1.0f, z2P, d, w1.data_ptr<float>(), d, 1.0f, hiddenP, f);
    for (std::int64_t e = 0; e < u * f; ++e)
        hiddenP[e] = std::max(hiddenP[e], 0.0f);
    auto summaries = broadcastRows(net.fc2->bias.detach(), u); // [U, d]: p^a
    float* const summariesP = summaries.data_ptr<float>();
    sgemm(false, true, u, d, f, 1.0f, hiddenP, f, w2.data_ptr<float>(), f, 1.0f, summariesP, d);
    for (std::int64_t e = 0; e < u * d; ++e)
        summariesP[e] += yP[e];

    // ---- the reward Σ_r relu(cos(x_r, p^a_slot(r))) and its gradient at p^a ----
    // ∂cos/∂p = x/(|x||p|) − cos·p/|p|², summed per class in row order.
    const auto xs = xRows.contiguous();
    const float* xData = xs.data_ptr<float>();
    auto gradSummary = torch::zeros({u, d}, options);
    float* const gradSummaryP = gradSummary.data_ptr<float>();
    double reward = 0.0;
    for (std::size_t r = 0; r < slots.size(); ++r) {
        const float* x = xData + static_cast<std::int64_t>(r) * d;
        const float* p = summariesP + slots[r] * d;
        float xx = 0.0f, pp = 0.0f, xp = 0.0f;
        for (std::int64_t k = 0; k < d; ++k) {
            xx += x[k] * x[k];
            pp += p[k] * p[k];
            xp += x[k] * p[k];
        }
        const float denominator = std::max(std::sqrt(xx) * std::sqrt(pp), kCosineEps);
        const float cosine = xp / denominator;
        if (cosine <= 0.0f)
            continue;
        reward += cosine;
        const auto active = static_cast<float>(coefficient);
        const float alpha = active / denominator;
        const float beta = active * cosine / std::max(pp, kCosineEps);
        float* g = gradSummaryP + slots[r] * d;
        for (std::int64_t k = 0; k < d; ++k)
            g[k] += alpha * x[k] - beta * p[k];
    }
    const auto rewardSum = torch::tensor(static_cast<float>(reward));

    // ---- backward: FFN and LN2 ----
    auto gradB2 = torch::zeros({d}, options);
    float* const gradB2P = gradB2.data_ptr<float>();
    addColumnSums(gradSummaryP, u, d, gradB2P);
    auto gradF1 = torch::empty({u, f}, options);
    float* const gradF1P = gradF1.data_ptr<float>();
    sgemm(false, false, u, f, d, 1.0f, gradSummaryP, d, w2.data_ptr<float>(), f, 0.0f, gradF1P, f);
    for (std::int64_t e = 0; e < u * f; ++e)
        if (hiddenP[e] <= 0.0f)
            gradF1P[e] = 0.0f;
    auto gradB1 = torch::zeros({f}, options);
    float* const gradB1P = gradB1.data_ptr<float>();
    addColumnSums(gradF1P, u, f, gradB1P);
    auto gradZ2 = torch::empty({u, d}, options);
    float* const gradZ2P = gradZ2.data_ptr<float>();
    sgemm(false, false, u, d, f, 1.0f, gradF1P, f, w1.data_ptr<float>(), d, 0.0f, gradZ2P, d);
    auto gradGamma2 = torch::zeros({d}, options);
    float* const gradGamma2P = gradGamma2.data_ptr<float>();
    auto gradBeta2 = torch::zeros({d}, options);
    float* const gradBeta2P = gradBeta2.data_ptr<float>();
    for (std::int64_t i = 0; i < u; ++i)
        for (std::int64_t k = 0; k < d; ++k) {
            const float g = gradZ2P[i * d + k];
            gradGamma2P[k] += g * yHatP[i * d + k];
            gradBeta2P[k] += g;
            gradZ2P[i * d + k] = g * gamma2Data[k]; // now ∂/∂ŷ
        }
    auto gradY = torch::empty({u, d}, options);
    float* const gradYP = gradY.data_ptr<float>();
    layerNormBackwardRows(yHatP, invStd2.data(), gradZ2P, gradSummaryP, u, d, gradYP);

    // ---- out-projection and W_v ----
    auto gradBO = torch::zeros({d}, options);
    float* const gradBOP = gradBO.data_ptr<float>();
    addColumnSums(gradYP, u, d, gradBOP);
    auto gradValues = torch::empty({u, d}, options);
    float* const gradValuesP = gradValues.data_ptr<float>();
    sgemm(false, false, u, d, d, 1.0f, gradYP, d, wO.data_ptr<float>(), d, 0.0f, gradValuesP, d);
    auto gradInBias = torch::zeros({3 * d}, options); // [b_q; b_k (unused: cancels); b_v]
    float* const gradInBiasP = gradInBias.data_ptr<float>();
    addColumnSums(gradValuesP, u, d, gradInBiasP + 2 * d);
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
    auto gradKeyFold = torch::empty({u, heads, d}, options); // [U, H, d]
    float* gradKeyFoldData = gradKeyFold.data_ptr<float>();
    std::vector<float> gradSelf(static_cast<std::size_t>(heads));
    for (std::int64_t i = 0; i < u; ++i) {
        const auto [n, row, p, offset] = classRows(i);
        const float* z = z0HatP + i * d;
        const float* a = weights.data() + offset;
        float* g = gradWeights.data() + offset;
        float* gm = gradMixedData + i * heads * d; // becomes ∂/∂mix in place
        const float* mix = mixHatData + i * heads * d;
        float* gz = gZ0Hat + i * d;
        for (std::int64_t h = 0; h < heads; ++h)
            g[h * row] = mixBackwardRow(gm + h * d, mix + h * d, gamma1Data, z, a[h * row], d, gGamma1, gBeta1, gz);
        sgemm(false, true, heads, n, d, 1.0f, gm, d, p, d, 0.0f, g + 1, row);
        for (std::int64_t h = 0; h < heads; ++h) {
            const float* ar = a + h * row;
            float* gr = g + h * row;
            float dot = 0.0f;
            for (std::int64_t j = 0; j < row; ++j)
                dot += ar[j] * gr[j];
            for (std::int64_t j = 0; j < row; ++j)
                gr[j] = ar[j] * (gr[j] - dot); // now ∂/∂score
            gradSelf[static_cast<std::size_t>(h)] = gr[0];
        }
        float* gf = gradKeyFoldData + i * heads * d;
        sgemm(false, false, heads, d, n, 1.0f, g + 1, row, p, d, 0.0f, gf, d);
        const float* f = foldedData + i * heads * d;
        const float* kf = keyFoldData + i * heads * d;
        for (std::int64_t h = 0; h < heads; ++h)
            foldBackwardRow(gf + h * d, z, f + h * d, kf + h * d, gamma1Data, gradSelf[static_cast<std::size_t>(h)],
                            invSqrtDh, d, gz, gGamma1);
    }
    // ∂/∂q [U, d], per head gradKeyFold[:, h]·W_k,hᵀ
    auto gradQ = torch::empty({u, d}, options);
    float* gradQData = gradQ.data_ptr<float>();
    for (std::int64_t h = 0; h < heads; ++h)
        sgemm(false, true, u, dh, d, 1.0f, gradKeyFoldData + h * d, heads * d, wKData + h * dh * d, d, 0.0f,
              gradQData + h * dh, d);

    // ---- W_q, LN1, the offset ----
    addColumnSums(gradQData, u, d, gradInBiasP);
    auto gradZ0 = torch::empty({u, d}, options);
    float* const gradZ0P = gradZ0.data_ptr<float>();
    sgemm(false, false, u, d, d, 1.0f, gradQData, d, wQ.data_ptr<float>(), d, 0.0f, gradZ0P, d);
    for (std::int64_t i = 0; i < u; ++i)
        for (std::int64_t k = 0; k < d; ++k) {
            const float g = gradZ0P[i * d + k];
            gGamma1[k] += g * z0HatP[i * d + k];
            gBeta1[k] += g;
            gZ0Hat[i * d + k] += g * gamma1Data[k];
        }
    auto gradS0 = torch::empty({u, d}, options);
    float* const gradS0P = gradS0.data_ptr<float>();
    layerNormBackwardRows(z0HatP, invStd1.data(), gZ0Hat, gradYP, u, d, gradS0P);
    auto gradOffset = torch::zeros({d}, options);
    float* const gradOffsetP = gradOffset.data_ptr<float>();
    addColumnSums(gradS0P, u, d, gradOffsetP);

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
    result.vectors.emplace_back(net.offset, gradOffset);
    result.vectors.emplace_back(net.ln1Weight, gradGamma1);
    result.vectors.emplace_back(net.ln1Bias, gradBeta1);
    result.vectors.emplace_back(net.inProjBias, gradInBias);
    result.vectors.emplace_back(net.outProj->bias, gradBO);
    result.vectors.emplace_back(net.ln2Weight, gradGamma2);
    result.vectors.emplace_back(net.ln2Bias, gradBeta2);
    result.vectors.emplace_back(net.fc1->bias, gradB1);
    result.vectors.emplace_back(net.fc2->bias, gradB2);
    return result;
}

namespace {

// target's term rows ← beta·target + the term's gradient, block by block (see WeightGradient);
// with `param` (the parameter's rows), the SGD step follows in the same pass (sgemmSgd).
struct SgdStep {
    float weightDecay, lr;
};

void applyWeightGradient(const WeightGradient& term, torch::Tensor& target, float beta, const SgdStep* sgd)
{
    const auto rows = term.outputGrad.size(1);
    const auto blocks = term.input.size(1);
    const auto cols = term.input.size(2);
    const auto u = term.outputGrad.size(0);
    const auto outputGrad = term.outputGrad.contiguous();
    const auto input = term.input.contiguous();
    const auto blockRows = rows / blocks;
    const auto param = term.parameter.detach();
    TORCH_CHECK(target.stride(1) == 1 && (!sgd || param.stride(1) == 1),
                "applyWeightGradient: rows must be contiguous");
    float* out = target.data_ptr<float>() + term.firstRow * target.stride(0);
    float* weights = sgd ? param.data_ptr<float>() + term.firstRow * param.stride(0) : nullptr;
    for (std::int64_t b = 0; b < blocks; ++b) {
        const float* g = outputGrad.data_ptr<float>() + b * blockRows;
        const float* x = input.data_ptr<float>() + b * cols;
        float* c = out + b * blockRows * target.stride(0);
        if (sgd)
            sgemmSgd(true, blockRows, cols, u, 1.0f, g, rows, x, blocks * cols, beta, c, target.stride(0),
                     weights + b * blockRows * param.stride(0), param.stride(0), sgd->weightDecay, sgd->lr);
        else
            sgemm(true, false, blockRows, cols, u, 1.0f, g, rows, x, blocks * cols, beta, c, target.stride(0));
    }
}

} // namespace

void accumulateWeightGradient(const WeightGradient& term, torch::Tensor& target, float beta)
{
    applyWeightGradient(term, target, beta, nullptr);
}

void sgdStepWeightGradient(const WeightGradient& term, torch::Tensor& buffer, float momentum, float weightDecay,
                           float lr)
{
    const SgdStep sgd{weightDecay, lr};
    applyWeightGradient(term, buffer, momentum, &sgd);
}

} // namespace aape::detail
