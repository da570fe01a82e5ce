#pragma once
// Bringing images into a project: a folder per class, a flat folder with a path,label CSV, or
// a CoOp-style dataset with its split_zhou_*.json. Call from one worker thread per Project;
// progress and stop are polled per file.

#include "aape/data/Protocol.h"
#include "aape/store/Project.h"
#include "aape/util/Error.h"
#include "aape/util/StopToken.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aape::data {

using ImportProgress = std::function<void(std::size_t done, std::size_t total)>;

struct ImportOptions {
    // Used when the source has no split of its own; the seed and fractions are recorded in
    // the project's settings ("import.split").
    SplitFractions fractions;
    std::uint64_t seed = 1;
    ImportProgress progress; // called from the importing thread
    StopTokenPtr stop;       // a stop leaves the project unchanged and returns Cancelled
};

struct SkippedFile {
    std::string path;
    std::string reason; // one sentence for the user
};

struct ImportReport {
    int added = 0;
    int duplicates = 0; // paths already in the project, left as they were
    std::vector<SkippedFile> skipped;
    std::vector<std::string> classesCreated;
    std::size_t filesSeen = 0;
};

// Extensions tried as images (lower case, with the dot); everything else is skipped and listed.
const std::vector<std::string>& supportedImageExtensions();

// Sub-folder names are the class names (created in sorted order, like torchvision's
// ImageFolder); images may sit in nested folders below a class folder. Files directly in
// root are skipped and listed.
Result<ImportReport> importFolderPerClass(store::Project& project, const std::string& root,
                                          const ImportOptions& options = {});

// CSV with columns path,label (RFC 4180 quoting; header row optional; an optional third
// column "split" with train/val/test is honoured). Relative paths are resolved against
// imageRoot, or the CSV's folder when imageRoot is empty. An empty label means unlabelled.
Result<ImportReport> importCsv(store::Project& project, const std::string& csvPath, const std::string& imageRoot = {},
                               const ImportOptions& options = {});

// CoOp split file {"train"|"val"|"test": [[relative path, label, class name], ...]}; classes are
// created in label order so that positions equal CoOp's labels. Relative paths are resolved
// against imageRoot, or when it is empty against coopImageRoot(splitJsonPath). A malformed
// split file is an error naming the file and nothing is written; when none of the listed files
// can be read, nothing is written either (the report lists why).
Result<ImportReport> importCoopSplit(store::Project& project, const std::string& splitJsonPath,
                                     const std::string& imageRoot = {}, const ImportOptions& options = {});

// The folder a CoOp split's paths are relative to, as CoOp's datasets lay it out: the split
// file's own folder (StanfordCars, OxfordPets' images live below it under the listed paths) or
// the one sub-folder of it that holds the first listed file (EuroSAT's 2750/, Caltech's
// 101_ObjectCategories/). The split file's folder when nothing matches.
std::string coopImageRoot(const std::string& splitJsonPath);

} // namespace aape::data
