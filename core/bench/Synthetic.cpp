#include "aape/bench/Synthetic.h"

#include <cmath>
#include <random>

namespace aape {

namespace {

class Planter final {
public:
    explicit Planter(const SyntheticSpec& spec)
        : m_dim(spec.dim)
        , m_random(spec.seed)
    {}

    std::vector<float> unitGaussian()
    {
        std::vector<float> v(static_cast<std::size_t>(m_dim));
        for (auto& value : v)
            value = m_normal(m_random);
        normalise(v.data());
        return v;
    }

    // normalise(centre + noise·N(0, I)/√d), appended to `out`.
    void appendNoisy(const std::vector<float>& centre, float noise, std::vector<float>& out)
    {
        const float scale = noise / std::sqrt(static_cast<float>(m_dim));
        const auto start = out.size();
        for (float value : centre)
            out.push_back(value + scale * m_normal(m_random));
        normalise(out.data() + start);
    }

private:
    void normalise(float* v) const
    {
        double norm = 0.0;
        for (int k = 0; k < m_dim; ++k)
            norm += double(v[k]) * v[k];
        const auto inv = static_cast<float>(1.0 / std::sqrt(std::max(norm, 1e-24)));
        for (int k = 0; k < m_dim; ++k)
            v[k] *= inv;
    }

    int m_dim;
    std::mt19937_64 m_random;
    std::normal_distribution<float> m_normal{0.0f, 1.0f};
};

} // namespace

TrainingData makeSyntheticTrainingData(const SyntheticSpec& spec)
{
    Planter planter(spec);
    TrainingData data;
    data.dim = spec.dim;
    data.classCount = spec.classes;
    data.viewsPerSample = spec.views;
    data.logitScale = spec.logitScale;
    data.descriptions.resize(static_cast<std::size_t>(spec.classes));
    for (int c = 0; c < spec.classes; ++c) {
        const auto centre = planter.unitGaussian();
        planter.appendNoisy(centre, spec.templateNoise, data.templates);
        for (int i = 0; i < spec.descriptions; ++i)
            planter.appendNoisy(centre, spec.descriptionNoise, data.descriptions[static_cast<std::size_t>(c)]);
        for (int s = 0; s < spec.shots; ++s) {
            data.sampleLabels.push_back(c);
            std::vector<float> image;
            planter.appendNoisy(centre, spec.imageNoise, image);
            for (int v = 0; v < spec.views; ++v)
                planter.appendNoisy(image, spec.viewNoise, data.sampleViews);
        }
        for (int s = 0; s < spec.validationPerClass; ++s) {
            data.validationLabels.push_back(c);
            planter.appendNoisy(centre, spec.imageNoise, data.validationEmbeddings);
        }
    }
    return data;
}

} // namespace aape
