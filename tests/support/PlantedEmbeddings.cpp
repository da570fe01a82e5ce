#include "PlantedEmbeddings.h"

#include <QtGlobal>

#include <cmath>
#include <cstdio>

namespace aape::test {

std::vector<float> normalised(std::vector<float> v)
{
    double sum = 0.0;
    for (float x : v)
        sum += static_cast<double>(x) * x;
    const double norm = std::sqrt(sum);
    for (float& x : v)
        x = static_cast<float>(x / norm);
    return v;
}

std::vector<float> randomDirection(std::mt19937_64& rng, int dim)
{
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> v(static_cast<std::size_t>(dim));
    for (float& x : v)
        x = normal(rng);
    return normalised(v);
}

std::vector<float> around(const std::vector<float>& centre, float sigma, std::mt19937_64& rng)
{
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> v = centre;
    for (float& x : v)
        x += normal(rng);
    return normalised(v);
}

PlantedProject::PlantedProject(const std::string& path)
    : m_project(store::Project::create(path).value())
{
    store::ModelReference model;
    model.path = "/nonexistent/planted-clip";
    model.format = "hf";
    model.fingerprint = kPlantedFingerprint;
    if (!m_project.setModel(model).ok())
        qFatal("the planted project's model could not be recorded");
}

std::int64_t PlantedProject::addClass(const std::string& name)
{
    return m_project.ensureClass(name).value();
}

std::string PlantedProject::addImage(const std::vector<float>& embedding, std::optional<std::int64_t> classId,
                                     store::Split split)
{
    store::NewImage image;
    const int n = static_cast<int>(m_images.size());
    image.path = "/planted/image_" + std::to_string(n) + ".png";
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016x", n + 1);
    image.contentHash = hash;
    image.width = image.height = 64;
    image.classId = classId;
    image.split = split;
    image.source = "test";
    m_images.push_back(image);
    m_embeddings.push_back({image.contentHash, 0, embedding});
    return image.path;
}

bool PlantedProject::commit()
{
    auto added = m_project.addImages(m_images);
    if (!added || added.value().first != static_cast<int>(m_images.size())) {
        qWarning("the planted images were not all stored");
        return false;
    }
    if (!m_project.putImageEmbeddings(kPlantedFingerprint, m_embeddings).ok()) {
        qWarning("the planted embeddings were not stored");
        return false;
    }
    return true;
}

std::int64_t PlantedProject::idOf(const std::string& path)
{
    for (const auto& image : m_project.images().value())
        if (image.path == path)
            return image.id;
    return -1;
}

} // namespace aape::test
