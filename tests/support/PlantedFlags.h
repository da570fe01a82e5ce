#pragma once
// A project planted for the description flags (workflow::describeFlags): embeddings and an
// AAPE checkpoint written by hand, no CLIP. Classes harbor (2 descriptions, "dense green trees"
// planted on the forest's images: matches_other_class), forest (1 description) and river
// (3, "a muddy bank" left out by the aggregator: ignored). No torch in this header.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aape::test {

struct PlantedFlagsProject {
    std::string path;
    std::int64_t runId = 0;
    std::map<std::string, std::int64_t> classIds;
    std::map<std::string, std::int64_t> descriptionIds;                  // by text
    std::map<std::string, std::vector<float>> descriptionVectors;        // by text, L2-normalised
    std::map<std::string, std::vector<std::vector<float>>> imageVectors; // by class, L2-normalised
};

// Writes the project as `folder`/planted.aapeproj (the folder must exist).
PlantedFlagsProject writePlantedFlagsProject(const std::string& folder);

} // namespace aape::test
