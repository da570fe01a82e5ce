#pragma once
// Class descriptions in: CuPL JSON ({"class name": ["sentence", ...]}) or one sentence per line
// for one class, matched to the project's classes. The matcher is a pure function and may be
// called from any thread; the importers use one Project per thread.

#include "aape/store/Project.h"
#include "aape/util/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aape::data {

// The key class names are matched by: Unicode case-folded, keeping only letters, digits and
// their marks. So "Sea Lake", "sea_lake", "Sea-Lake", "SEA LAKE" and "SeaLake" all match.
std::string normaliseClassName(const std::string& name);

// Why a key matched a class whose name it does not spell exactly: the differences that had to
// be ignored. Whitespace at the ends and runs of spaces are never a difference.
enum MatchReason : unsigned {
    MatchCase = 1u << 0,        // "bmw m3" / "BMW M3"
    MatchPunctuation = 1u << 1, // "Mercedes-Benz" / "Mercedes Benz", "sea_lake" / "SeaLake"
    MatchAccents = 1u << 2,     // "Coupé" / "Coupe", full-width or other letter forms
    MatchWordOrder = 1u << 3,   // "2012 BMW M3 Coupe" / "BMW M3 Coupe 2012"
    MatchChosen = 1u << 4,      // the user mapped the key to the class
};
// "accents, word order"; empty for an exact match.
std::string matchReasonText(unsigned reasons);

// A key of the file and the class it goes to.
struct KeyMatch {
    std::string key;
    std::int64_t classId = 0;
    std::string className;
    unsigned reasons = 0; // MatchReason bits; 0: the same name
    int sentences = 0;
};

struct ClassSuggestion {
    std::int64_t classId = 0;
    std::string className;
    double score = 0; // 0..1: the larger of token Jaccard and edit similarity of the sorted words
};

struct UnmatchedEntry {
    std::string key;    // as written in the file
    std::string reason; // no class of that name, several classes would match, or skipped by the user
    int sentences = 0;
    // The nearest classes (score >= kSuggestionThreshold), best first; for an ambiguous key the
    // classes it matches equally well.
    std::vector<ClassSuggestion> suggestions;
    bool ambiguous = false;
    bool skipped = false; // mapped to no class by the user
};

// Suggestions below this score are not shown: at 196 car names, two different models of one
// make score about 0.5 (shared make and year), a missing year or a one-letter typo 0.75 or more.
inline constexpr double kSuggestionThreshold = 0.7;

struct DescriptionMatch {
    int keys = 0;
    std::vector<KeyMatch> matches; // exact and loose, in the file's key order
    std::vector<UnmatchedEntry> unmatched;
    int looseCount() const;
};

// Chosen by the user before importing: key -> class name. An empty class name leaves the key
// out. A key may also be written with other case or punctuation, a class name likewise.
using DescriptionMapping = std::map<std::string, std::string>;

struct CuplGroup {
    std::string key;
    std::vector<std::string> sentences; // as in the file (not yet trimmed)
};

// The groups of a CuPL file in key order. A file that is not an object of string lists is an
// error naming the file.
Result<std::vector<CuplGroup>> readCuplJson(const std::string& path);

// Matches keys (with their sentence counts) to classes: first the exact name, then ignoring
// case and punctuation, then also accents, then also word order; a key that several classes
// match equally is not matched. The mapping comes first; a mapping that names a key not in
// `keys` or a class not in `classes` is an error (file: mappingSource).
Result<DescriptionMatch> matchClassNames(const std::vector<std::pair<std::string, int>>& keys,
                                         const std::vector<store::ClassRecord>& classes,
                                         const DescriptionMapping& mapping = {}, const std::string& mappingSource = {});

// Reads the file and matches its keys to the project's classes; writes nothing.
Result<DescriptionMatch> matchCuplJson(store::Project& project, const std::string& path,
                                       const DescriptionMapping& mapping = {});

struct DescriptionImportReport {
    int added = 0;
    int duplicatesDropped = 0;               // same sentence twice in a class (in the file or already stored)
    int emptyDropped = 0;                    // blank sentences
    int keys = 0;                            // groups in the file (CuPL)
    std::vector<KeyMatch> matches;           // every key that was imported (CuPL)
    std::vector<std::string> matchedClasses; // project class names that got sentences
    std::vector<std::string> classesWithoutDescriptions; // after the import, in class order
    std::vector<UnmatchedEntry> unmatched;
};

// Sentences are trimmed; source is recorded as "cupl:<file name>". A file that is not an
// object of string lists, or a mapping that names an unknown key or class, is an error naming
// the file, and nothing is written.
Result<DescriptionImportReport> importCuplJson(store::Project& project, const std::string& path,
                                               const DescriptionMapping& mapping = {});

// One sentence per line (UTF-8, blank lines ignored) for one class; source "text:<file name>".
Result<DescriptionImportReport> importDescriptionLines(store::Project& project, std::int64_t classId,
                                                       const std::string& path);

} // namespace aape::data
