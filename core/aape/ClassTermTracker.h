#pragma once
// The combiner's class half A updated without A·T products (see below). Private to core/aape;
// one trainer run, one thread.

#include "aape/fast/Blas.h"

#include <torch/torch.h>

namespace aape::detail {

// SGD with momentum and weight decay on the combiner's class half A (w_c = relu(A·t_c + …))
// without ever forming A·T or its gradient Gᵀ·T by a d×d×C product each step.
//
// A enters the loss only through a = T·Aᵀ [C, d], so every gradient step adds a multiple of
// Gᵀ·T to A, and weight decay and momentum keep A and its buffer v in the span
//   A = α·A₀ + β·v₀ + Xᵀ·T,   v = γ·A₀ + δ·v₀ + Yᵀ·T     (X, Y: [C, d])
// of their values A₀, v₀ at the start of the epoch. The class term is then
//   a = α·(T·A₀ᵀ) + β·(T·v₀ᵀ) + K·X   with K = T·Tᵀ [C, C] fixed,
// one C×C×d product a step instead of two C×d×d ones (196 classes, d = 512: 20 M instead of
// 103 M multiply-adds). PyTorch's update v' = μ·v + G + wd·A, A' = A − lr·v' becomes
//   Y' = μ·Y + G_a + wd·X,  X' = X − lr·Y',  γ' = μ·γ + wd·α,  δ' = μ·δ + wd·β,
//   α' = α − lr·γ',  β' = β − lr·δ'
// with G_a = ∂L/∂a. The same iterates in exact arithmetic; A and v are written back at the end
// of every epoch (before the checkpoint), so resume and evaluation see ordinary weights.
class ClassTermTracker final {
public:
    void reset(const torch::Tensor& templates)
    {
        m_templates = templates;
        m_gram = torch::mm(templates, templates.t());
        m_active = false;
    }

    // Starts a segment from the current A (weight's first d columns) and its momentum buffer.
    void begin(const torch::Tensor& weight, const torch::Tensor& momentum)
    {
        const auto d = weight.size(0);
        const auto a0 = weight.narrow(1, 0, d);
        const auto v0 = momentum.narrow(1, 0, d);
        m_a0 = a0.clone();
        m_v0 = v0.clone();
        m_termA0 = torch::mm(m_templates, m_a0.t());
        m_termV0 = torch::mm(m_templates, m_v0.t());
        m_x = torch::zeros_like(m_termA0);
        m_y = torch::zeros_like(m_termA0);
        m_alpha = 1.0;
        m_beta = 0.0;
        m_gamma = 0.0;
        m_delta = 1.0;
        m_active = true;
    }

    bool active() const { return m_active; }

    // a = T·Aᵀ for the current A, [C, d].
    torch::Tensor classTerm() const
    {
        if (m_gram.is_cpu() && m_gram.scalar_type() == torch::kFloat)
            return detail::gemm(m_gram, false, m_x, false).add_(m_termA0, m_alpha).add_(m_termV0, m_beta);
        return torch::addmm(m_termA0 * m_alpha + m_termV0 * m_beta, m_gram, m_x);
    }

    void step(const torch::Tensor& gradClassTerm, double lr, double momentum, double weightDecay)
    {
        m_y.mul_(momentum).add_(gradClassTerm).add_(m_x, weightDecay);
        m_x.add_(m_y, -lr);
        m_gamma = momentum * m_gamma + weightDecay * m_alpha;
        m_delta = momentum * m_delta + weightDecay * m_beta;
        m_alpha -= lr * m_gamma;
        m_beta -= lr * m_delta;
    }

    // Writes A and v back into the parameter and its buffer and ends the segment.
    void end(torch::Tensor& weight, torch::Tensor& momentum)
    {
        if (!m_active)
            return;
        const auto d = weight.size(0);
        weight.narrow(1, 0, d).copy_(torch::addmm(m_a0 * m_alpha + m_v0 * m_beta, m_x.t(), m_templates));
        momentum.narrow(1, 0, d).copy_(torch::addmm(m_a0 * m_gamma + m_v0 * m_delta, m_y.t(), m_templates));
        m_active = false;
    }

private:
    torch::Tensor m_templates, m_gram; // T [C, d], K = T·Tᵀ [C, C]
    torch::Tensor m_a0, m_v0;          // A₀, v₀ [d, d]
    torch::Tensor m_termA0, m_termV0;  // T·A₀ᵀ, T·v₀ᵀ [C, d]
    torch::Tensor m_x, m_y;            // [C, d]
    double m_alpha = 1.0, m_beta = 0.0, m_gamma = 0.0, m_delta = 1.0;
    bool m_active = false;
};

} // namespace aape::detail
