#include "aape/Modules.h"
#include "aape/fast/Simd.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace aape::detail {

namespace {

constexpr double kLayerNormEps = 1e-5;
constexpr float kCosineEps = 1e-8f;

} // namespace

int aggregatorFfnWidth(int dim)
{
    // Width d/4 rather than the usual 4d: the aggregator only summarises d-dimensional CLIP
    // embeddings for one query token, and its FFN was the largest matrix product of a training
    // step (at 4d, a step of the 196-class benchmark took 1.3x as long on one CPU thread as at d).
    return std::max(1, dim / 4);
}

int aggregatorFfnWidth(int dim, const TrainState& state)
{
    // Checkpoints written with another width (earlier versions used d) keep theirs.
    if (const auto* stored = state.find("aggregator.fc1.weight"); stored && stored->shape.size() == 2)
        return static_cast<int>(stored->shape[0]);
    return aggregatorFfnWidth(dim);
}

DescriptionBank makeDescriptionBank(const std::vector<torch::Tensor>& descriptions, int dim,
                                    const torch::Device& device)
{
    DescriptionBank bank;
    const auto classCount = static_cast<std::int64_t>(descriptions.size());
    std::int64_t maxCount = 1;
    for (const auto& d : descriptions)
        maxCount = std::max<std::int64_t>(maxCount, d.size(0));
    const auto options = descriptions.empty() ? torch::TensorOptions() : descriptions.front().options();
    auto normalised = torch::zeros({classCount, maxCount, dim}, options);
    auto padding = torch::ones({classCount, maxCount}, torch::kBool);
    auto mean = torch::zeros({classCount, dim}, options);
    for (std::int64_t c = 0; c < classCount; ++c) {
        const auto& p = descriptions[static_cast<std::size_t>(c)]; // [n_c, d]
        const auto n = p.size(0);
        bank.counts.push_back(static_cast<int>(n));
        normalised[c].narrow(0, 0, n).copy_(torch::layer_norm(p, {dim}, {}, {}, kLayerNormEps));
        padding[c].narrow(0, 0, n).fill_(false);
        mean[c].copy_(p.mean(0));
    }
    bank.normalised = normalised.to(device);
    bank.padding = padding.to(device);
    bank.mean = mean.to(device);
    return bank;
}

AggregatorImpl::AggregatorImpl(int dim, int heads, int ffnWidth)
    : m_dim(dim)
    , m_heads(heads)
{
    offset = register_parameter("offset", torch::zeros({dim}));
    auto ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(kLayerNormEps)));
    ln1Weight = ln1->weight;
    ln1Bias = ln1->bias;
    // W_v as torch::nn::MultiheadAttention initialises it. W_q = W_k = I: the p̄ slot starts by
    // attending to each description by its agreement with the class's consensus (per head,
    // the scaled dot product of LN(p̄) and LN(p_i) over the head's dimensions), and the reward
    // refines that. The aggregator never sees an image, so what it can learn is a preference
    // shared by all classes; from xavier-random W_q, W_k it learned none on planted data
    // (attention on descriptions that match the images vs random distractors: 0.48 vs 0.52
    // after 150 epochs), so the visualised weights carried no information.
    inProjWeight = register_parameter("in_proj_weight", torch::empty({3 * dim, dim}));
    torch::nn::init::xavier_uniform_(inProjWeight);
    {
        torch::NoGradGuard noGrad;
        inProjWeight.narrow(0, 0, dim).copy_(torch::eye(dim));
        inProjWeight.narrow(0, dim, dim).copy_(torch::eye(dim));
    }
    inProjBias = register_parameter("in_proj_bias", torch::zeros({3 * dim}));
    // Both residual branches start at zero, so p^a = p̄ + offset = p̄ at the start: the mean
    // is already a fair summary, whereas a randomly initialised FFN adds a vector of norm
    // about √d to it and the distillation target starts as noise.
    outProj = register_module("out_proj", torch::nn::Linear(dim, dim));
    torch::nn::init::zeros_(outProj->weight);
    torch::nn::init::zeros_(outProj->bias);
    auto ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(kLayerNormEps)));
    ln2Weight = ln2->weight;
    ln2Bias = ln2->bias;
    fc1 = register_module("fc1", torch::nn::Linear(dim, ffnWidth));
    fc2 = register_module("fc2", torch::nn::Linear(ffnWidth, dim));
    torch::nn::init::zeros_(fc2->weight);
    torch::nn::init::zeros_(fc2->bias);
}

torch::Tensor AggregatorImpl::feedForward(const torch::Tensor& y)
{
    const auto z = torch::layer_norm(y, {m_dim}, ln2Weight, ln2Bias, kLayerNormEps);
    return y + fc2->forward(torch::relu(fc1->forward(z)));
}

AggregatorOutput AggregatorImpl::forward(const DescriptionBank& bank, const torch::Tensor& classes)
{
    const std::int64_t d = m_dim;
    const std::int64_t h = m_heads;
    const std::int64_t dh = d / h;
    const auto zHat = bank.normalised.index_select(0, classes); // [U, m, d]
    const auto pad = bank.padding.index_select(0, classes);     // [U, m]
    const auto u = zHat.size(0);

    const auto s0 = bank.mean.index_select(0, classes) + offset;          // [U, d]: p̄ + offset
    const auto z0Hat = torch::layer_norm(s0, {d}, {}, {}, kLayerNormEps); // [U, d]
    const auto z0 = z0Hat * ln1Weight + ln1Bias;

    const auto wQ = inProjWeight.narrow(0, 0, d);
    const auto wK = inProjWeight.narrow(0, d, d);
    const auto wV = inProjWeight.narrow(0, 2 * d, d);
    const auto q = torch::addmm(inProjBias.narrow(0, 0, d), z0, wQ.t()).view({u, h, dh});

    // score_hi = q_h·(W_k,h z_i + b_k,h)/√dh with z_i = γ⊙ẑ_i + β: the b_k and β terms are the
    // same for every i and cancel in the softmax, leaving ((W_k,hᵀ q_h)⊙γ)·ẑ_i/√dh.
    const auto folded = torch::bmm(q.transpose(0, 1), wK.view({h, dh, d})).transpose(0, 1)
                        * (ln1Weight / std::sqrt(static_cast<double>(dh))); // [U, H, d]
    const auto selfScore = (folded * z0Hat.unsqueeze(1)).sum(2, true);      // [U, H, 1]
    const auto descScore =
        torch::bmm(folded, zHat.transpose(1, 2)).masked_fill(pad.unsqueeze(1), -std::numeric_limits<float>::infinity());
    const auto weights = torch::softmax(torch::cat({selfScore, descScore}, 2), 2); // [U, H, 1 + m]
    const auto selfWeight = weights.narrow(2, 0, 1);
    const auto descWeight = weights.narrow(2, 1, zHat.size(1));

    // Σ_i a_i z_i = γ⊙(Σ_i a_i ẑ_i) + β because the weights sum to 1; W_v after the sum.
    const auto mixed =
        (selfWeight * z0Hat.unsqueeze(1) + torch::bmm(descWeight, zHat)) * ln1Weight + ln1Bias; // [U, H, d]
    const auto values =
        torch::bmm(mixed.transpose(0, 1), wV.view({h, dh, d}).transpose(1, 2)).transpose(0, 1).reshape({u, d})
        + inProjBias.narrow(0, 2 * d, d); // [U, d], heads concatenated
    const auto y = s0 + outProj->forward(values);
    return {feedForward(y), descWeight, selfWeight.squeeze(2)};
}

std::pair<torch::Tensor, torch::Tensor> AggregatorImpl::forwardLiteral(const torch::Tensor& descriptions)
{
    const std::int64_t d = m_dim;
    const std::int64_t h = m_heads;
    const std::int64_t dh = d / h;
    const auto tokens = torch::cat({(descriptions.mean(0) + offset).unsqueeze(0), descriptions});
    const auto t = tokens.size(0); // n + 1
    const auto z = torch::layer_norm(tokens, {d}, ln1Weight, ln1Bias, kLayerNormEps);
    const auto qkv = torch::linear(z, inProjWeight, inProjBias);         // [n + 1, 3d]
    const auto q = qkv.narrow(1, 0, d).view({t, h, dh}).transpose(0, 1); // [H, n + 1, dh]
    const auto k = qkv.narrow(1, d, d).view({t, h, dh}).transpose(0, 1);
    const auto v = qkv.narrow(1, 2 * d, d).view({t, h, dh}).transpose(0, 1);
    const auto attention =
        torch::softmax(torch::bmm(q, k.transpose(1, 2)) / std::sqrt(static_cast<double>(dh)), 2); // [H, n+1, n+1]
    const auto attended = torch::bmm(attention, v).transpose(0, 1).reshape({t, d});
    const auto y = tokens + outProj->forward(attended);
    const auto out = feedForward(y); // every token, as the literal block computes it
    return {out[0], attention.select(1, 0)};
}

GeneratorImpl::GeneratorImpl(int dim)
{
    const int hidden = std::max(1, dim / 16);
    fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(hidden, dim));
}

torch::Tensor GeneratorImpl::forward(const torch::Tensor& x)
{
    return fc2->forward(torch::relu(fc1->forward(x)));
}

AapeNetImpl::AapeNetImpl(int dim, int heads, int ffnWidth)
{
    aggregator = register_module("aggregator", Aggregator(dim, heads, ffnWidth));
    h = register_module("h", Generator(dim));
    g = register_module("g", torch::nn::Linear(2 * dim, dim));
    // g starts as w_c = relu(t_c): A = I, B = 0, b = 0, so epoch 0 begins near zero-shot CLIP
    // (and unseen classes, which reach g only through A, start there too). With PyTorch's
    // default init the class weights start random, and on planted data new-class accuracy
    // after training stayed at 0.28 against 1.0 for zero-shot.
    torch::NoGradGuard noGrad;
    g->weight.zero_();
    g->weight.narrow(1, 0, dim).copy_(torch::eye(dim));
    g->bias.zero_();
}

namespace {

// One (image, class) pair: w = relu(a + u); returns w·x and w·w.
AAPE_SIMD_CLONES
void pairDots(const float* a, const float* u, const float* x, int d, float* dot, float* ww)
{
    int k = 0;
    float dotSum = 0.0f;
    float wwSum = 0.0f;
#ifdef AAPE_HAVE_FLOAT_LANES
    FloatLanes dotV = {};
    FloatLanes wwV = {};
    const FloatLanes zero = {};
    for (; k + kLanes <= d; k += kLanes) {
        FloatLanes av, uv, xv;
        __builtin_memcpy(&av, a + k, sizeof av);
        __builtin_memcpy(&uv, u + k, sizeof uv);
        __builtin_memcpy(&xv, x + k, sizeof xv);
        FloatLanes w = av + uv;
        w = w > zero ? w : zero;
        dotV += w * xv;
        wwV += w * w;
    }
    for (int l = 0; l < kLanes; ++l) {
        dotSum += dotV[l];
        wwSum += wwV[l];
    }
#endif
    for (; k < d; ++k) {
        const float w = std::max(a[k] + u[k], 0.0f);
        dotSum += w * x[k];
        wwSum += w * w;
    }
    *dot = dotSum;
    *ww = wwSum;
}

// out += mask(w > 0) ⊙ (alpha·x − beta·w) with w = a + u, and the same into also unless null
// (one pair's term goes to both the image row and the class row when one thread does both).
AAPE_SIMD_CLONES
void pairGradient(const float* a, const float* u, const float* x, int d, float alpha, float beta, float* out,
                  float* also = nullptr)
{
    int k = 0;
#ifdef AAPE_HAVE_FLOAT_LANES
    const FloatLanes zero = {};
    for (; k + kLanes <= d; k += kLanes) {
        FloatLanes av, uv, xv, ov;
        __builtin_memcpy(&av, a + k, sizeof av);
        __builtin_memcpy(&uv, u + k, sizeof uv);
        __builtin_memcpy(&xv, x + k, sizeof xv);
        __builtin_memcpy(&ov, out + k, sizeof ov);
        const FloatLanes w = av + uv;
        const FloatLanes g = alpha * xv - beta * w;
        const FloatLanes masked = w > zero ? g : zero;
        ov += masked;
        __builtin_memcpy(out + k, &ov, sizeof ov);
        if (also) {
            __builtin_memcpy(&ov, also + k, sizeof ov);
            ov += masked;
            __builtin_memcpy(also + k, &ov, sizeof ov);
        }
    }
#endif
    for (; k < d; ++k) {
        const float w = a[k] + u[k];
        if (w > 0.0f) {
            const float g = alpha * x[k] - beta * w;
            out[k] += g;
            if (also)
                also[k] += g;
        }
    }
}

// Grain sizes keep both threads busy at batch 32 without splitting tiny jobs.
constexpr std::int64_t kRowGrain = 4;

} // namespace

CombinerCosineParts combinerCosineForward(const torch::Tensor& classTerm, const torch::Tensor& imageTerm,
                                          const torch::Tensor& x)
{
    const auto c = classTerm.size(0);
    const auto n = imageTerm.size(0);
    const auto d = static_cast<int>(classTerm.size(1));
    CombinerCosineParts parts{torch::empty({n, c}), torch::empty({n, c}), torch::empty({n, c})};
    const float* ap = classTerm.data_ptr<float>();
    const float* up = imageTerm.data_ptr<float>();
    const float* xp = x.data_ptr<float>();
    float* cp = parts.cosine.data_ptr<float>();
    float* ip = parts.invDen.data_ptr<float>(); // 1 / max(|x||w|, eps)
    float* rp = parts.ratio.data_ptr<float>();  // cos / |w|² (0 where the denominator is clamped)
    at::parallel_for(0, n, kRowGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            const float* xi = xp + i * d;
            float xx = 0.0f;
            for (int k = 0; k < d; ++k)
                xx += xi[k] * xi[k];
            const float xNorm = std::sqrt(xx);
            for (std::int64_t j = 0; j < c; ++j) {
                float dot = 0.0f;
                float ww = 0.0f;
                pairDots(ap + j * d, up + i * d, xi, d, &dot, &ww);
                const float den = xNorm * std::sqrt(ww);
                const auto o = i * c + j;
                if (den > kCosineEps) {
                    cp[o] = dot / den;
                    ip[o] = 1.0f / den;
                    rp[o] = cp[o] / ww;
                } else {
                    cp[o] = dot / kCosineEps;
                    ip[o] = 1.0f / kCosineEps;
                    rp[o] = 0.0f;
                }
            }
        }
    });
    return parts;
}

void combinerCosineBackward(const torch::Tensor& classTerm, const torch::Tensor& imageTerm, const torch::Tensor& x,
                            const torch::Tensor& alpha, const torch::Tensor& beta, torch::Tensor& gradA,
                            torch::Tensor& gradU)
{
    const auto c = classTerm.size(0);
    const auto n = imageTerm.size(0);
    const auto d = static_cast<int>(classTerm.size(1));
    const float* ap = classTerm.data_ptr<float>();
    const float* up = imageTerm.data_ptr<float>();
    const float* xp = x.data_ptr<float>();
    const float* al = alpha.data_ptr<float>();
    const float* be = beta.data_ptr<float>();
    float* gap = gradA.data_ptr<float>();
    float* gup = gradU.data_ptr<float>();
    // On one thread, one pass: the same additions in the same order as the two passes below.
    if (at::get_num_threads() == 1 || at::in_parallel_region()) {
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < c; ++j) {
                const auto o = i * c + j;
                if (al[o] != 0.0f || be[o] != 0.0f)
                    pairGradient(ap + j * d, up + i * d, xp + i * d, d, al[o], be[o], gup + i * d, gap + j * d);
            }
        return;
    }
    // Two passes, each owning its output rows: no atomics, and the summation order does
    // not depend on the thread count (resume must reproduce a run bit for bit).
    at::parallel_for(0, n, kRowGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i)
            for (std::int64_t j = 0; j < c; ++j) {
                const auto o = i * c + j;
                if (al[o] != 0.0f || be[o] != 0.0f)
                    pairGradient(ap + j * d, up + i * d, xp + i * d, d, al[o], be[o], gup + i * d);
            }
    });
    at::parallel_for(0, c, kRowGrain, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t j = begin; j < end; ++j)
            for (std::int64_t i = 0; i < n; ++i) {
                const auto o = i * c + j;
                if (al[o] != 0.0f || be[o] != 0.0f)
                    pairGradient(ap + j * d, up + i * d, xp + i * d, d, al[o], be[o], gap + j * d);
            }
    });
}

namespace {

class CombinerCosineFunction final : public torch::autograd::Function<CombinerCosineFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& classTerm,
                                 const torch::Tensor& imageTerm, const torch::Tensor& x)
    {
        const auto a = classTerm.contiguous();
        const auto u = imageTerm.contiguous();
        const auto xs = x.contiguous();
        auto parts = combinerCosineForward(a, u, xs);
        ctx->save_for_backward({a, u, xs, parts.invDen, parts.ratio});
        return parts.cosine;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& a = saved[0];
        const auto& u = saved[1];
        const auto& xs = saved[2];
        const auto alpha = (gradOutputs[0] * saved[3]).contiguous(); // [N, C]
        const auto beta = (gradOutputs[0] * saved[4]).contiguous();
        auto gradA = torch::zeros_like(a);
        auto gradU = torch::zeros_like(u);
        combinerCosineBackward(a, u, xs, alpha, beta, gradA, gradU);
        return {gradA, gradU, torch::Tensor()};
    }
};

// Classes per chunk off the CPU: bounds the [N, chunk, d] intermediate.
constexpr std::int64_t kClassChunk = 256;

} // namespace

torch::Tensor combinerCosine(const torch::Tensor& classTerm, const torch::Tensor& imageTerm, const torch::Tensor& x)
{
    if (classTerm.device().is_cpu() && classTerm.scalar_type() == torch::kFloat)
        return CombinerCosineFunction::apply(classTerm, imageTerm, x);
    std::vector<torch::Tensor> parts;
    for (std::int64_t start = 0; start < classTerm.size(0); start += kClassChunk) {
        const auto chunk = classTerm.narrow(0, start, std::min(kClassChunk, classTerm.size(0) - start));
        const auto w = torch::relu(chunk.unsqueeze(0) + imageTerm.unsqueeze(1)); // [N, chunk, d]
        parts.push_back(torch::cosine_similarity(x.unsqueeze(1), w, 2, kCosineEps));
    }
    return torch::cat(parts, 1);
}

torch::Tensor aapeLogits(AapeNetImpl& net, const torch::Tensor& x, const torch::Tensor& generated,
                         const torch::Tensor& templates, double logitScale)
{
    const auto d = x.size(1);
    const auto& weight = net.g->weight;                                                      // [d, 2d] = [A | B]
    const auto classTerm = torch::mm(templates, weight.narrow(1, 0, d).t());                 // [C, d]
    const auto imageTerm = torch::addmm(net.g->bias, generated, weight.narrow(1, d, d).t()); // [N, d]
    return combinerCosine(classTerm, imageTerm, x) * logitScale;
}

torch::Tensor aapeLogitsLiteral(AapeNetImpl& net, const torch::Tensor& x, const torch::Tensor& generated,
                                const torch::Tensor& templates, double logitScale)
{
    const auto n = x.size(0);
    const auto c = templates.size(0);
    const auto joint =
        torch::cat({templates.unsqueeze(0).expand({n, c, -1}), generated.unsqueeze(1).expand({n, c, -1})},
                   2); // [N, C, 2d]
    const auto w = torch::relu(net.g->forward(joint));
    return torch::cosine_similarity(x.unsqueeze(1), w, 2, kCosineEps) * logitScale;
}

torch::Tensor toTensor(const std::vector<float>& values, std::vector<std::int64_t> shape)
{
    return torch::from_blob(const_cast<float*>(values.data()), shape, torch::kFloat).clone();
}

std::vector<float> toVector(const torch::Tensor& tensor)
{
    const auto t = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

NamedTensor toNamed(const std::string& name, const torch::Tensor& tensor)
{
    return NamedTensor{name, tensor.sizes().vec(), toVector(tensor)};
}

std::string loadParameters(AapeNetImpl& net, const TrainState& state, const std::vector<std::string>& requiredPrefixes)
{
    torch::NoGradGuard noGrad;
    for (auto& item : net.named_parameters()) {
        const auto& name = item.key();
        const bool required = std::any_of(requiredPrefixes.begin(), requiredPrefixes.end(),
                                          [&](const std::string& p) { return name.rfind(p, 0) == 0; });
        const NamedTensor* stored = state.find(name);
        if (!stored) {
            if (required)
                return "tensor '" + name + "' is missing";
            continue;
        }
        const auto expected = item.value().sizes().vec();
        if (stored->shape != expected || static_cast<std::int64_t>(stored->values.size()) != item.value().numel())
            return "tensor '" + name + "' has shape " + c10::str(c10::IntArrayRef(stored->shape)) + ", expected "
                   + c10::str(c10::IntArrayRef(expected));
        item.value().copy_(toTensor(stored->values, expected));
    }
    return {};
}

} // namespace aape::detail

namespace aape {

const NamedTensor* TrainState::find(const std::string& name) const
{
    for (const auto& t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace aape
