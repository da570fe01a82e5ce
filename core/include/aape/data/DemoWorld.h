#pragma once
// The built-in demo: a generated world of coloured shapes on varied backgrounds, with
// hand-written class descriptions, written out as a ready-to-train project. Pure functions
// of their arguments (rendering is seeded); call writeDemoProject from one thread.

#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/util/Error.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aape::data {

struct DemoDescription {
    std::string text;
    bool distractor = false;  // plausible but describes something else; AAPE should attend less to it
};

struct DemoClass {
    std::string name;           // e.g. "red circle"
    int shape = 0;              // index into the world's shapes
    cv::Scalar colour;          // RGB
    std::vector<DemoDescription> descriptions;
};

const std::vector<DemoClass>& demoClasses();

// One image of a class: 1-3 instances of the shape in the class colour (jittered), varied
// size, position, rotation and background. [size, size] CV_8UC3 RGB; deterministic in
// (classIndex, variant, seed).
cv::Mat renderDemoImage(int classIndex, int variant, int size, std::uint64_t seed = 7);

struct DemoOptions {
    int imagesPerClass = 30;
    int imageSize = 96;
    std::uint64_t seed = 7;
    std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
};

struct DemoProject {
    std::string folder;
    std::string projectPath;       // folder/demo.aapeproj
    std::string modelPath;         // folder/model (Hugging Face layout, random weights)
    std::string imageFolder;       // folder/images/<class>/...
    std::string descriptionsPath;  // folder/descriptions.json (CuPL format)
    ImportReport images;
    DescriptionImportReport descriptions;
};

// Writes the whole demo into `folder` (created; must not hold a project yet): a small
// randomly initialised CLIP with a vocabulary learned from the demo's texts, the images, the
// descriptions, and a project that has them all imported. The CLIP encoder is untrained:
// the demo shows the workflow, not meaningful accuracy.
Result<DemoProject> writeDemoProject(const std::string& folder, const DemoOptions& options = {});

} // namespace aape::data
