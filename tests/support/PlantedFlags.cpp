#include "PlantedFlags.h"

#include "aape/store/Project.h"
#include "aape/workflow/Encode.h"

#include <QtGlobal>

#include <cmath>
#include <random>
#include <tuple>

namespace aape::test {

namespace {

constexpr int kDim = 32;
const std::string kKey = "planted-fingerprint";

using Vec = std::vector<float>;

void must(const Status& status)
{
    if (!status)
        qFatal("%s", status.error().toString().c_str());
}

Vec scaled(const Vec& v, float s)
{
    Vec out(v);
    for (auto& x : out)
        x *= s;
    return out;
}

Vec plus(const Vec& a, const Vec& b)
{
    Vec out(a);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] += b[i];
    return out;
}

double dotOf(const Vec& a, const Vec& b)
{
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

Vec normalised(const Vec& v)
{
    return scaled(v, float(1.0 / std::sqrt(dotOf(v, v))));
}

// Dense orthonormal directions, all orthogonal to (1, ..., 1): LayerNorm then only rescales
// combinations of them, which keeps the planted aggregator's scores exact.
std::vector<Vec> orthonormalDirections(int count)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<Vec> basis{normalised(Vec(kDim, 1.0f))};
    while (static_cast<int>(basis.size()) < count + 1) {
        Vec v(kDim);
        for (auto& x : v)
            x = normal(rng);
        for (const auto& b : basis)
            v = plus(v, scaled(b, float(-dotOf(v, b))));
        basis.push_back(normalised(v));
    }
    return {basis.begin() + 1, basis.end()};
}

} // namespace

// harbor: "a harbour with moored boats" (its own images), "dense green trees" (the forest's
// images): matches_other_class. forest: one description. river: two descriptions along the
// river's images and "a muddy bank" that the aggregator leaves out (its key direction is the
// river's, on which that description is weakest): ignored.
PlantedFlagsProject writePlantedFlagsProject(const std::string& folder)
{
    PlantedFlagsProject p;
    p.path = folder + "/planted.aapeproj";
    auto project = store::Project::create(p.path).value();
    const auto u = orthonormalDirections(12);
    const std::vector<std::string> classNames{"harbor", "forest", "river"};
    store::ModelReference model;
    model.path = folder + "/clip";
    model.format = "hf";
    model.fingerprint = kKey;
    model.info = {{"logit_scale_log", std::log(100.0)}, {"embed_dim", kDim}};
    must(project.setModel(model));
    std::vector<store::TextEmbedding> texts;
    std::vector<store::ImageEmbedding> images;
    std::vector<store::NewImage> newImages;
    for (std::size_t c = 0; c < classNames.size(); ++c) {
        p.classIds[classNames[c]] = project.ensureClass(classNames[c]).value();
        texts.push_back({workflow::templateFor(classNames[c]), u[c]});
        for (int i = 0; i < 4; ++i) {
            const Vec x = normalised(plus(u[c], scaled(u[6 + static_cast<std::size_t>(i)], 0.35f)));
            p.imageVectors[classNames[c]].push_back(x);
            store::NewImage image;
            image.path = folder + "/" + classNames[c] + std::to_string(i) + ".png";
            image.contentHash = "00000000000000" + std::to_string(c) + std::to_string(i);
            image.classId = p.classIds[classNames[c]];
            image.split = store::Split::Train;
            newImages.push_back(image);
            images.push_back({image.contentHash, 0, x});
        }
    }
    const std::vector<std::tuple<std::string, std::string, Vec>> descriptions{
        {"harbor", "a harbour with moored boats", normalised(plus(u[0], scaled(u[10], 0.2f)))},
        {"harbor", "dense green trees", u[1]},
        {"forest", "a forest seen from above", normalised(plus(u[1], scaled(u[11], 0.2f)))},
        {"river", "a winding river", u[2]},
        {"river", "water between two banks", normalised(plus(u[2], scaled(u[6], 0.2f)))},
        {"river", "a muddy bank", normalised(plus(scaled(u[2], 0.45f), scaled(u[5], 0.9f)))},
    };
    for (const auto& [cls, text, vector] : descriptions) {
        p.descriptionIds[text] = project.addDescription(p.classIds[cls], text, "typed").value();
        p.descriptionVectors[text] = vector;
        texts.push_back({text, vector});
    }
    project.addImages(newImages).value();
    must(project.putImageEmbeddings(kKey, images));
    must(project.putTextEmbeddings(kKey, texts));

    store::FewShotSet set;
    set.shots = 4;
    set.seed = 1;
    for (const auto& image : project.images().value()) {
        set.imageIds.push_back(image.id);
        set.classIds.push_back(*image.classId);
    }
    store::RunSpec spec;
    spec.name = "planted";
    spec.config = {{"method", "aape"}};
    spec.fewShotSetId = project.saveFewShotSet(set).value();
    spec.modelFingerprint = kKey;
    p.runId = project.createRun(spec).value();

    // The aggregator: every head's query and key read the river's direction u[2] only, so a
    // description's score is 2·(u2·LN(p̄))(u2·LN(p_i))/√dh; W_v = 0. h = 0, g = [I | 0].
    const int d = kDim;
    Vec inProj(static_cast<std::size_t>(3 * d * d), 0.0f);
    const int heads = 8, dh = d / heads;
    for (int h = 0; h < heads; ++h)
        for (int j = 0; j < d; ++j) {
            inProj[static_cast<std::size_t>((h * dh) * d + j)] = 2.0f * u[2][static_cast<std::size_t>(j)];
            inProj[static_cast<std::size_t>((d + h * dh) * d + j)] = u[2][static_cast<std::size_t>(j)];
        }
    Vec g(static_cast<std::size_t>(d * 2 * d), 0.0f);
    for (int i = 0; i < d; ++i)
        g[static_cast<std::size_t>(i * 2 * d + i)] = 1.0f;
    const std::vector<NamedTensor> checkpoint{
        {"aggregator.in_proj_weight", {3 * d, d}, inProj},
        {"h.fc1.weight", {d / 16, d}, Vec(static_cast<std::size_t>(d / 16 * d), 0.0f)},
        {"h.fc1.bias", {d / 16}, Vec(static_cast<std::size_t>(d / 16), 0.0f)},
        {"h.fc2.weight", {d, d / 16}, Vec(static_cast<std::size_t>(d * d / 16), 0.0f)},
        {"h.fc2.bias", {d}, Vec(static_cast<std::size_t>(d), 0.0f)},
        {"g.weight", {d, 2 * d}, g},
        {"g.bias", {d}, Vec(static_cast<std::size_t>(d), 0.0f)},
    };
    EpochMetrics metrics;
    metrics.epoch = 0;
    must(project.commitEpoch(p.runId, metrics, checkpoint));
    must(project.setRunStatus(p.runId, store::RunStatus::Finished));
    return p;
}

} // namespace aape::test
