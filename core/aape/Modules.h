#pragma once
// The AAPE modules in LibTorch (private to core/aape): aggregator (fast and literal forms),
// prompt generator h, combiner g, and the fused combiner-cosine. One thread per module set.

#include "aape/aape/TrainState.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace aape::detail {

// Per-class description tensors, built once: they depend only on the frozen CLIP.
struct DescriptionBank {
    torch::Tensor normalised; // [C, m, d]: LayerNorm(p_i) without affine; zero rows pad to m = max n_c
    torch::Tensor padding;    // [C, m] bool, true where a row is padding
    torch::Tensor mean;       // [C, d]: p̄_c = mean of the class's L2-normalised descriptions
    std::vector<int> counts;  // n_c
};

DescriptionBank makeDescriptionBank(const std::vector<torch::Tensor>& descriptions, int dim,
                                    const torch::Device& device);

struct AggregatorOutput {
    torch::Tensor summary;       // [U, d]: p^a, the output at the p̄ slot
    torch::Tensor attention;     // [U, H, m]: p̄-slot attention over descriptions (0 on padding)
    torch::Tensor selfAttention; // [U, H]: weight the p̄ slot gives itself
};

// One pre-LN transformer block over [p̄ + offset; P] (pre-LN keeps p^a in CLIP's embedding
// scale, so h(x) can match it; post-LN would give p^a a norm of about √d):
//   z = LN1(tokens); y = tokens + OutProj(MHA(z)); p^a = y + FFN(LN2(y))  (slot 0 only),
// FFN = Linear(d, f) → ReLU → Linear(f, d). No dropout: training stays deterministic.
class AggregatorImpl final : public torch::nn::Module {
public:
    AggregatorImpl(int dim, int heads, int ffnWidth);

    // Fast form: only the p̄ query; W_k folded into the query, W_v applied after the weighted
    // sum, LN1's scale folded likewise. Cost per class O(n·d + d²) instead of O(n·d²).
    AggregatorOutput forward(const DescriptionBank& bank, const torch::Tensor& classes);

    // Literal form for one class (tests and the benchmark baseline): full self-attention over
    // all n + 1 tokens. descriptions: [n, d]. Returns p^a [d] and attention [H, n + 1].
    std::pair<torch::Tensor, torch::Tensor> forwardLiteral(const torch::Tensor& descriptions);

    int dim() const { return m_dim; }
    int heads() const { return m_heads; }

    torch::Tensor offset; // [d], zero at start
    torch::Tensor ln1Weight, ln1Bias;
    torch::Tensor inProjWeight; // [3d, d]: W_q; W_k; W_v (torch::nn::MultiheadAttention's layout)
    torch::Tensor inProjBias;   // [3d]
    torch::nn::Linear outProj{nullptr};
    torch::Tensor ln2Weight, ln2Bias;
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};

private:
    torch::Tensor feedForward(const torch::Tensor& y);
    int m_dim;
    int m_heads;
};
TORCH_MODULE(Aggregator);

// h: Linear(d, d/16) → ReLU → Linear(d/16, d).
class GeneratorImpl final : public torch::nn::Module {
public:
    explicit GeneratorImpl(int dim);
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(Generator);

// Everything learnable, named as in TrainState: "aggregator.*", "h.*", "g.weight", "g.bias".
class AapeNetImpl final : public torch::nn::Module {
public:
    AapeNetImpl(int dim, int heads, int ffnWidth);
    Aggregator aggregator{nullptr};
    Generator h{nullptr};
    torch::nn::Linear g{nullptr}; // Linear(2d, d), weight = [A | B], input [t_c; h(x)]
};
TORCH_MODULE(AapeNet);

// FFN width of the aggregator for dimension d (see Modules.cpp for why).
int aggregatorFfnWidth(int dim);
// The width a stored state was trained with, or the default when it holds no aggregator.
int aggregatorFfnWidth(int dim, const TrainState& state);

// cos(x_n, relu(a_c + u_n)) for all n, c without materialising the [N, C, d] class weights:
// a = A·T + 0 [C, d] (class term), u = B·h(x) + b [N, d] (image term), x [N, d].
// Differentiable in a and u. Returns [N, C]. On CPU a fused loop keeps memory at O(N·C);
// elsewhere classes are processed in chunks.
torch::Tensor combinerCosine(const torch::Tensor& classTerm, const torch::Tensor& imageTerm, const torch::Tensor& x);

// combinerCosine's two halves for callers that differentiate by hand (CPU, float, contiguous).
// Forward: cosine [N, C] and, for the backward, invDen = 1/max(|x||w|, eps) and
// ratio = cos/|w|². Backward: with alpha = ∂L/∂cos ⊙ invDen and beta = ∂L/∂cos ⊙ ratio,
// adds ∂L/∂a into gradA [C, d] and ∂L/∂u into gradU [N, d].
struct CombinerCosineParts {
    torch::Tensor cosine, invDen, ratio;
};
CombinerCosineParts combinerCosineForward(const torch::Tensor& classTerm, const torch::Tensor& imageTerm,
                                          const torch::Tensor& x);
void combinerCosineBackward(const torch::Tensor& classTerm, const torch::Tensor& imageTerm, const torch::Tensor& x,
                            const torch::Tensor& alpha, const torch::Tensor& beta, torch::Tensor& gradA,
                            torch::Tensor& gradU);

// logit_scale · cos(x, relu(A·t_c + B·h(x) + b)) by the decomposed form: A·T [C, d] once,
// B·h(x) [N, d] once, never the [N, C, 2d] concatenation. x [N, d], generated = h(x) [N, d],
// templates [C, d]. Returns [N, C].
torch::Tensor aapeLogits(AapeNetImpl& net, const torch::Tensor& x, const torch::Tensor& generated,
                         const torch::Tensor& templates, double logitScale);
// Same, with the explicit [N, C, 2d] concatenation (reference and benchmark baseline).
torch::Tensor aapeLogitsLiteral(AapeNetImpl& net, const torch::Tensor& x, const torch::Tensor& generated,
                                const torch::Tensor& templates, double logitScale);

torch::Tensor toTensor(const std::vector<float>& values, std::vector<std::int64_t> shape);
std::vector<float> toVector(const torch::Tensor& tensor);
NamedTensor toNamed(const std::string& name, const torch::Tensor& tensor);

// Copies every tensor of `state` whose name matches a parameter of `net` into it; names in
// `required` (prefixes) must all be found with matching shapes. Errors say which is wrong.
std::string loadParameters(AapeNetImpl& net, const TrainState& state, const std::vector<std::string>& requiredPrefixes);

} // namespace aape::detail
