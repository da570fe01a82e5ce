#pragma once
// Class descriptions in: CuPL JSON ({"class name": ["sentence", ...]}) or one sentence per line
// for one class, matched to the project's classes. One Project per thread.

#include "aape/store/Project.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aape::data {

// The key class names are matched by: Unicode case-folded, keeping only letters and digits.
// So "Sea Lake", "sea_lake", "Sea-Lake", "SEA LAKE" and "SeaLake" all match one another.
std::string normaliseClassName(const std::string& name);

struct UnmatchedEntry {
    std::string key;     // as written in the file
    std::string reason;  // no class of that name, or several classes would match
    int sentences = 0;
};

struct DescriptionImportReport {
    int added = 0;
    int duplicatesDropped = 0;  // same sentence twice in a class (in the file or already stored)
    int emptyDropped = 0;       // blank sentences
    std::vector<std::string> matchedClasses;             // project class names that got sentences
    std::vector<std::string> classesWithoutDescriptions;  // after the import, in class order
    std::vector<UnmatchedEntry> unmatched;
};

// Sentences are trimmed; source is recorded as "cupl:<file name>". A file that is not an
// object of string lists is an error naming the file, and nothing is written.
Result<DescriptionImportReport> importCuplJson(store::Project& project, const std::string& path);

// One sentence per line (UTF-8, blank lines ignored) for one class; source "text:<file name>".
Result<DescriptionImportReport> importDescriptionLines(store::Project& project, std::int64_t classId,
                                                       const std::string& path);

} // namespace aape::data
