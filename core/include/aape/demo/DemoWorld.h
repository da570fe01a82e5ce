#pragma once
// The built-in demo: a generated world of coloured shapes (counts, sizes, positions, textured
// backgrounds) with captions from a small grammar, a toy CLIP pretrained on it, and a ready-to-
// train project whose classes are attribute combinations, some never seen in pretraining.
// Pure functions of their arguments (rendering is seeded); call the writers from one thread.

#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace aape::data {

// Attribute vocabularies of the world, in index order.
const std::vector<std::string>& worldShapes();            // "circle", "square", ...
const std::vector<std::string>& worldColours();           // "red", "orange", ...
const std::vector<std::string>& worldBackgroundColours(); // "black", "grey", ...
const std::vector<std::string>& worldTextures();          // "plain", "striped", "checkered", "dotted"
const std::vector<std::string>& worldPositions();         // "centre", "top", "bottom", "left", "right"

struct WorldScene {
    int shape = 0;
    int colour = 0;
    int count = 1; // 1..3
    bool large = false;
    int backgroundColour = 0;
    int texture = 0;
    int position = 0; // meaningful when count == 1
};

// (shape, colour) pairs that pretraining never shows, in images or captions: the demo's
// classes built from them test transfer to combinations the CLIP has not seen.
bool isHeldOutCombination(int shape, int colour);

// A scene with uniformly drawn attributes; with excludeHeldOut, never a held-out combination.
WorldScene sampleWorldScene(std::mt19937_64& rng, bool excludeHeldOut);
// [size, size] CV_8UC3 RGB; deterministic in (scene, size, seed).
cv::Mat renderWorldScene(const WorldScene& scene, int size, std::uint64_t seed);
// One caption from the grammar (several phrasings per fact; size, background and position
// are sometimes left out), e.g. "two small red triangles on a striped pink background".
std::string captionWorldScene(const WorldScene& scene, std::mt19937_64& rng);
// Every sentence the grammar can produce words from, for learning the BPE vocabulary.
std::vector<std::string> worldCorpus(std::uint64_t seed);

struct DemoDescription {
    std::string text;
    bool distractor = false; // plausible but describes another class; AAPE should attend less to it
};

struct DemoClass {
    std::string name; // e.g. "red circle"
    int shape = 0;    // index into worldShapes()
    int colour = 0;   // index into worldColours()
    bool unseenInPretraining = false;
    std::vector<DemoDescription> descriptions;
};

// Sorted by name, so CoOp's base-to-new rule (first half base) applies to this order.
const std::vector<DemoClass>& demoClasses();

// One image of a class: 1-3 instances of its shape in its colour, varied size, position and
// background. [size, size] CV_8UC3 RGB; deterministic in (classIndex, variant, seed).
cv::Mat renderDemoImage(int classIndex, int variant, int size, std::uint64_t seed = 7);

struct ToyClipOptions {
    int steps = 1200;
    int batchSize = 64;
    int threads = 2;
    std::uint64_t seed = 11;
    int heldOutImages = 640; // fresh scenes for the zero-shot report
    std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
    StopTokenPtr stop;
};

struct ToyClipReport {
    std::string folder;
    std::int64_t parameterCount = 0;
    std::int64_t checkpointBytes = 0;
    int steps = 0;
    double trainSeconds = 0.0;
    double finalLoss = 0.0;
    // On fresh scenes: "a photo of a {colour} {shape}." among all 64 combinations.
    double zeroShotAccuracy = 0.0;
    double zeroShotHeldOutAccuracy = 0.0; // images of held-out combinations only
    // Image→caption top-1 among groups of 32 fresh scenes with a fresh caption each.
    double captionRetrievalAccuracy = 0.0;
};

// Trains the demo's toy CLIP on the world and writes it to `folder` as a Hugging Face
// CLIPModel (with vocab.json, merges.txt and a note.txt with the report). Minutes on a CPU.
Result<ToyClipReport> pretrainDemoClip(const std::string& folder, const ToyClipOptions& options = {});
// Measures the zero-shot report of a toy CLIP on fresh scenes (reads the checkpoint).
Result<ToyClipReport> measureDemoClip(const std::string& folder, std::uint64_t seed, int images, int threads = 2);

// Where the committed toy CLIP lives: <exe>/../share/aape-studio/demo-clip when installed, else
// the source tree's resources/demo-clip. Empty when neither holds a config.json.
std::string findDemoClip();

struct DemoOptions {
    int imagesPerClass = 40;
    int imageSize = 48; // the toy CLIP's resolution, so preprocessing does not resample
    std::uint64_t seed = 7;
    // The CLIP to copy into the project; empty: findDemoClip(), else one is pretrained now.
    std::string clipPath;
    ToyClipOptions pretraining; // used only when no CLIP is found
    std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
};

struct DemoProject {
    std::string folder;
    std::string projectPath;      // folder/demo.aapeproj
    std::string modelPath;        // folder/model (Hugging Face layout, the toy CLIP)
    std::string imageFolder;      // folder/images/<class>/...
    std::string descriptionsPath; // folder/descriptions.json (CuPL format)
    bool pretrainedNow = false;   // no committed CLIP was found, so one was trained
    ImportReport images;
    DescriptionImportReport descriptions;
};

// Writes the whole demo into `folder` (created; must not hold a project yet): the toy CLIP
// pretrained on the world, the images, the descriptions, and a project that has them all imported.
Result<DemoProject> writeDemoProject(const std::string& folder, const DemoOptions& options = {});

} // namespace aape::data
