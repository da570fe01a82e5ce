#include "aape/data/Descriptions.h"

#include "aape/util/Json.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace aape::data {

namespace {

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n\v\f");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n\v\f");
    return text.substr(first, last - first + 1);
}

Status finishReport(store::Project& project, DescriptionImportReport& report)
{
    auto classes = project.classes();
    if (!classes.ok())
        return classes.error();
    auto descriptions = project.descriptions();
    if (!descriptions.ok())
        return descriptions.error();
    std::set<std::int64_t> described;
    for (const auto& description : descriptions.value())
        described.insert(description.classId);
    for (const auto& record : classes.value()) {
        if (described.count(record.id) == 0)
            report.classesWithoutDescriptions.push_back(record.name);
    }
    return {};
}

constexpr unsigned kCasePunctuation = MatchCase | MatchPunctuation;
constexpr unsigned kCasePunctuationAccents = kCasePunctuation | MatchAccents;
constexpr unsigned kEverything = kCasePunctuationAccents | MatchWordOrder;
// From the strictest to the loosest; the first level at which some class matches decides.
constexpr unsigned kLevels[] = {0u, kCasePunctuation, kCasePunctuationAccents, kEverything};

// Decomposes letters (also compatibility forms: full-width, ligatures), drops the accents and
// spells the Latin letters without a decomposition in ASCII (ø, ł, æ). One per thread: ICU's
// transliterators are not shared between threads.
const icu::Transliterator* accentFolder()
{
    thread_local const std::unique_ptr<icu::Transliterator> folder = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
            "NFKD; [:Nonspacing Mark:] Remove; Latin-ASCII; NFC", UTRANS_FORWARD, status));
        if (U_FAILURE(status))
            made.reset();
        return made;
    }();
    return folder.get();
}

bool isWordCharacter(UChar32 c)
{
    if (u_isalnum(c))
        return true;
    const auto type = u_charType(c);
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// The words of a name with the differences in `flags` folded away. Without MatchPunctuation
// words are separated by white space only; with it, by anything but letters, digits and marks.
std::vector<icu::UnicodeString> foldedWords(const std::string& name, unsigned flags)
{
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_SUCCESS(status)) {
        icu::UnicodeString composed = nfc->normalize(text, status);
        if (U_SUCCESS(status))
            text = composed;
    }
    if ((flags & MatchAccents) != 0) {
        if (const icu::Transliterator* folder = accentFolder())
            folder->transliterate(text);
    }
    if ((flags & MatchCase) != 0)
        text.foldCase();
    std::vector<icu::UnicodeString> words;
    icu::UnicodeString word;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        const bool inWord = (flags & MatchPunctuation) != 0 ? isWordCharacter(c) : !u_isUWhiteSpace(c);
        if (inWord) {
            word.append(c);
        } else if (!word.isEmpty()) {
            words.push_back(word);
            word.remove();
        }
    }
    if (!word.isEmpty())
        words.push_back(word);
    if ((flags & MatchWordOrder) != 0)
        std::sort(words.begin(), words.end());
    return words;
}

// The text two names are compared by at a level: with punctuation ignored (and the order kept)
// the words are joined without spaces, so that "SeaLake" and "Sea Lake" are one name.
std::string foldName(const std::string& name, unsigned flags)
{
    const auto words = foldedWords(name, flags);
    const bool concatenate = (flags & MatchPunctuation) != 0 && (flags & MatchWordOrder) == 0;
    icu::UnicodeString joined;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0 && !concatenate)
            joined.append(UChar32(' '));
        joined.append(words[i]);
    }
    std::string out;
    joined.toUTF8String(out);
    return out;
}

// The differences a match at `level` needed: those without which the names differ.
unsigned reasonsFor(const std::string& key, const std::string& name, unsigned level)
{
    unsigned reasons = 0;
    for (unsigned flag : {MatchCase, MatchPunctuation, MatchAccents, MatchWordOrder}) {
        if ((level & flag) != 0 && foldName(key, level & ~flag) != foldName(name, level & ~flag))
            reasons |= flag;
    }
    return reasons != 0 || level == 0 ? reasons : level;
}

// What the suggestions compare: the folded words as a set, and the sorted words as one string
// of code points (so that a moved year costs nothing and a typo one edit).
struct SuggestionKey {
    std::set<std::string> words;
    std::u32string sorted;
};

SuggestionKey suggestionKey(const std::string& name)
{
    SuggestionKey key;
    auto words = foldedWords(name, kCasePunctuationAccents);
    for (const auto& word : words) {
        std::string utf8;
        word.toUTF8String(utf8);
        key.words.insert(utf8);
    }
    std::sort(words.begin(), words.end());
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            key.sorted.push_back(U' ');
        for (int32_t j = 0; j < words[i].length(); j = words[i].moveIndex32(j, 1))
            key.sorted.push_back(static_cast<char32_t>(words[i].char32At(j)));
    }
    return key;
}

std::size_t editDistance(const std::u32string& a, const std::u32string& b)
{
    std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            current[j] =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(previous, current);
    }
    return previous[b.size()];
}

double similarity(const SuggestionKey& a, const SuggestionKey& b)
{
    std::size_t shared = 0;
    for (const auto& word : a.words)
        shared += b.words.count(word);
    const std::size_t all = a.words.size() + b.words.size() - shared;
    const double jaccard = all == 0 ? 0.0 : double(shared) / double(all);
    const std::size_t longest = std::max(a.sorted.size(), b.sorted.size());
    const double edit = longest == 0 ? 0.0 : 1.0 - double(editDistance(a.sorted, b.sorted)) / double(longest);
    return std::max(jaccard, edit);
}

// Index of the key (or class) that `wanted` names: the exact spelling, else the only one equal
// once case and punctuation are ignored; -1 when none or several.
template <typename Names>
int findByName(const Names& names, const std::string& wanted)
{
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == wanted)
            return static_cast<int>(i);
    }
    const std::string folded = foldName(wanted, kCasePunctuation);
    int found = -1;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!folded.empty() && foldName(names[i], kCasePunctuation) == folded) {
            if (found >= 0)
                return -1;
            found = static_cast<int>(i);
        }
    }
    return found;
}

} // namespace

std::string normaliseClassName(const std::string& name)
{
    return foldName(name, kCasePunctuation);
}

std::string matchReasonText(unsigned reasons)
{
    std::string text;
    const std::pair<unsigned, const char*> names[] = {{MatchChosen, "chosen by you"},
                                                      {MatchCase, "case"},
                                                      {MatchPunctuation, "punctuation"},
                                                      {MatchAccents, "accents"},
                                                      {MatchWordOrder, "word order"}};
    for (const auto& [flag, name] : names) {
        if ((reasons & flag) == 0)
            continue;
        if (!text.empty())
            text += ", ";
        text += name;
    }
    return text;
}

int DescriptionMatch::looseCount() const
{
    return static_cast<int>(
        std::count_if(matches.begin(), matches.end(), [](const KeyMatch& match) { return match.reasons != 0; }));
}

Result<std::vector<CuplGroup>> readCuplJson(const std::string& path)
{
    auto json = readJsonFile(path);
    if (!json.ok())
        return json.error();
    const auto malformed = [&](const std::string& detail) {
        return makeError(ErrorCode::BadFormat,
                         "The descriptions file is not in CuPL's format {\"class name\": [\"sentence\", ...]}; nothing "
                         "was imported.",
                         path, detail);
    };
    if (!json->is_object())
        return malformed("the top level is not an object");
    std::vector<CuplGroup> groups;
    for (const auto& [key, value] : json->items()) {
        if (!value.is_array())
            return malformed("the entry \"" + key + "\" is not a list");
        CuplGroup group;
        group.key = key;
        for (const auto& sentence : value) {
            if (!sentence.is_string())
                return malformed("the entry \"" + key + "\" holds something that is not a sentence");
            group.sentences.push_back(sentence.get<std::string>());
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

Result<DescriptionMatch> matchClassNames(const std::vector<std::pair<std::string, int>>& keys,
                                         const std::vector<store::ClassRecord>& classes,
                                         const DescriptionMapping& mapping, const std::string& mappingSource)
{
    std::vector<std::string> keyNames, classNames;
    for (const auto& entry : keys)
        keyNames.push_back(entry.first);
    for (const auto& record : classes)
        classNames.push_back(record.name);

    // The user's choices: key index -> class index, or -1 to leave the key out.
    std::map<int, int> chosen;
    for (const auto& [key, className] : mapping) {
        const int keyIndex = findByName(keyNames, key);
        if (keyIndex < 0)
            return makeError(ErrorCode::InvalidArgument,
                             "The descriptions file has no group \"" + key
                                 + "\" to map to a class; write the key as "
                                   "the file does.",
                             mappingSource);
        int classIndex = -1;
        if (!className.empty()) {
            classIndex = findByName(classNames, className);
            if (classIndex < 0)
                return makeError(ErrorCode::InvalidArgument,
                                 "There is no class \"" + className + "\" in the project to map \"" + key
                                     + "\" to; write the class name as the project does.",
                                 mappingSource);
        }
        chosen[keyIndex] = classIndex;
    }

    std::vector<std::map<std::string, std::vector<int>>> byLevel(std::size(kLevels));
    for (std::size_t level = 0; level < std::size(kLevels); ++level) {
        for (std::size_t c = 0; c < classes.size(); ++c) {
            std::string folded = foldName(classes[c].name, kLevels[level]);
            if (!folded.empty())
                byLevel[level][folded].push_back(static_cast<int>(c));
        }
    }
    std::vector<SuggestionKey> classKeys; // computed for the first miss only

    DescriptionMatch match;
    match.keys = static_cast<int>(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const auto& [key, sentences] = keys[k];
        if (const auto choice = chosen.find(static_cast<int>(k)); choice != chosen.end()) {
            if (choice->second < 0) {
                UnmatchedEntry skipped{key, "Left out, as you chose.", sentences, {}, false, true};
                match.unmatched.push_back(std::move(skipped));
            } else {
                const auto& record = classes[static_cast<std::size_t>(choice->second)];
                const unsigned reasons = key == record.name ? 0u : unsigned(MatchChosen);
                match.matches.push_back({key, record.id, record.name, reasons, sentences});
            }
            continue;
        }
        std::vector<int> candidates;
        unsigned level = 0;
        for (std::size_t l = 0; l < std::size(kLevels) && candidates.empty(); ++l) {
            const std::string folded = foldName(key, kLevels[l]);
            if (folded.empty())
                continue;
            if (const auto found = byLevel[l].find(folded); found != byLevel[l].end()) {
                candidates = found->second;
                level = kLevels[l];
            }
        }
        if (candidates.size() == 1) {
            const auto& record = classes[static_cast<std::size_t>(candidates.front())];
            match.matches.push_back({key, record.id, record.name, reasonsFor(key, record.name, level), sentences});
            continue;
        }
        if (classKeys.empty()) {
            for (const auto& record : classes)
                classKeys.push_back(suggestionKey(record.name));
        }
        const SuggestionKey wanted = suggestionKey(key);
        UnmatchedEntry entry;
        entry.key = key;
        entry.sentences = sentences;
        if (!candidates.empty()) {
            entry.ambiguous = true;
            std::string ignored = matchReasonText(level);
            if (const auto comma = ignored.rfind(", "); comma != std::string::npos)
                ignored.replace(comma, 2, " and ");
            entry.reason = "Several classes match this name once " + ignored
                           + " are ignored; map it to one or "
                             "rename one.";
            for (int c : candidates) {
                const auto& record = classes[static_cast<std::size_t>(c)];
                entry.suggestions.push_back(
                    {record.id, record.name, similarity(wanted, classKeys[static_cast<std::size_t>(c)])});
            }
        } else {
            entry.reason = "No class in the project has this name.";
            for (std::size_t c = 0; c < classes.size(); ++c) {
                const double score = similarity(wanted, classKeys[c]);
                if (score >= kSuggestionThreshold)
                    entry.suggestions.push_back({classes[c].id, classes[c].name, score});
            }
        }
        std::stable_sort(entry.suggestions.begin(), entry.suggestions.end(),
                         [](const ClassSuggestion& a, const ClassSuggestion& b) { return a.score > b.score; });
        if (entry.suggestions.size() > 3 && !entry.ambiguous)
            entry.suggestions.resize(3);
        match.unmatched.push_back(std::move(entry));
    }
    return match;
}

Result<DescriptionMatch> matchCuplJson(store::Project& project, const std::string& path,
                                       const DescriptionMapping& mapping)
{
    auto groups = readCuplJson(path);
    if (!groups.ok())
        return groups.error();
    auto classes = project.classes();
    if (!classes.ok())
        return classes.error();
    std::vector<std::pair<std::string, int>> keys;
    for (const auto& group : groups.value())
        keys.emplace_back(group.key, static_cast<int>(group.sentences.size()));
    return matchClassNames(keys, classes.value(), mapping, path);
}

Result<DescriptionImportReport> importCuplJson(store::Project& project, const std::string& path,
                                               const DescriptionMapping& mapping)
{
    auto groups = readCuplJson(path);
    if (!groups.ok())
        return groups.error();
    auto classes = project.classes();
    if (!classes.ok())
        return classes.error();
    std::vector<std::pair<std::string, int>> keys;
    for (const auto& group : groups.value())
        keys.emplace_back(group.key, static_cast<int>(group.sentences.size()));
    auto match = matchClassNames(keys, classes.value(), mapping, path);
    if (!match.ok())
        return match.error();

    std::map<std::string, std::int64_t> classOfKey;
    for (const auto& matched : match->matches)
        classOfKey[matched.key] = matched.classId;

    DescriptionImportReport report;
    report.keys = match->keys;
    report.matches = match->matches;
    report.unmatched = match->unmatched;
    std::vector<store::DescriptionInsert> rows;
    std::set<std::int64_t> matched;
    const std::string source = "cupl:" + fs::path(path).filename().string();
    for (const auto& group : groups.value()) {
        const auto target = classOfKey.find(group.key);
        if (target == classOfKey.end())
            continue;
        for (const auto& sentence : group.sentences) {
            std::string text = trimmed(sentence);
            if (text.empty()) {
                ++report.emptyDropped;
                continue;
            }
            rows.push_back({target->second, std::move(text), source});
        }
        matched.insert(target->second);
    }
    auto inserted = project.addDescriptions(rows);
    if (!inserted.ok())
        return inserted.error();
    report.added = inserted->added;
    report.duplicatesDropped = inserted->duplicates;
    for (const auto& record : classes.value()) {
        if (matched.count(record.id) > 0)
            report.matchedClasses.push_back(record.name);
    }
    if (Status status = finishReport(project, report); !status.ok())
        return status.error();
    return report;
}

Result<DescriptionImportReport> importDescriptionLines(store::Project& project, std::int64_t classId,
                                                       const std::string& path)
{
    auto text = readFileBytes(path);
    if (!text.ok())
        return text.error();
    auto classes = project.classes();
    if (!classes.ok())
        return classes.error();
    const store::ClassRecord* target = nullptr;
    for (const auto& record : classes.value()) {
        if (record.id == classId)
            target = &record;
    }
    if (target == nullptr)
        return makeError(ErrorCode::InvalidArgument, "The class for these descriptions is not in the project.", path);

    std::string content = std::move(text).value();
    if (content.compare(0, 3, "\xEF\xBB\xBF") == 0)
        content.erase(0, 3);
    DescriptionImportReport report;
    std::vector<store::DescriptionInsert> rows;
    const std::string source = "text:" + fs::path(path).filename().string();
    std::size_t start = 0;
    while (start <= content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string::npos)
            end = content.size();
        std::string line = trimmed(content.substr(start, end - start));
        if (!line.empty())
            rows.push_back({classId, std::move(line), source});
        start = end + 1;
    }
    auto inserted = project.addDescriptions(rows);
    if (!inserted.ok())
        return inserted.error();
    report.added = inserted->added;
    report.duplicatesDropped = inserted->duplicates;
    if (!rows.empty())
        report.matchedClasses.push_back(target->name);
    if (Status status = finishReport(project, report); !status.ok())
        return status.error();
    return report;
}

} // namespace aape::data
