#pragma once
// Projects whose images exist only as cached embeddings under a recorded model fingerprint, for
// the explore tools' tests: the structure a test plants is exactly what those tools see. No
// torch here, so widget tests may include it.

#include "aape/store/Project.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace aape::test {

inline constexpr int kPlantedDim = 32;
inline constexpr const char* kPlantedFingerprint = "planted-model";

std::vector<float> normalised(std::vector<float> v);
// A random unit vector of `dim` components.
std::vector<float> randomDirection(std::mt19937_64& rng, int dim = kPlantedDim);
// centre + noise with per-dimension standard deviation sigma, L2-normalised.
std::vector<float> around(const std::vector<float>& centre, float sigma, std::mt19937_64& rng);

class PlantedProject final {
public:
    explicit PlantedProject(const std::string& path);

    std::int64_t addClass(const std::string& name);
    // Returns the image's path ("/planted/image_N.png"), its key until commit() assigns ids.
    std::string addImage(const std::vector<float>& embedding, std::optional<std::int64_t> classId,
                         store::Split split = store::Split::Train);
    // Stores the images and their embeddings; false (with a warning) when the store refuses.
    bool commit();

    store::Project& project() { return m_project; }
    std::int64_t idOf(const std::string& path);

private:
    store::Project m_project;
    std::vector<store::NewImage> m_images;
    std::vector<store::ImageEmbedding> m_embeddings;
};

} // namespace aape::test
