#include "aape/data/Descriptions.h"

#include "aape/util/Json.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <map>
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

} // namespace

std::string normaliseClassName(const std::string& name)
{
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
    text.foldCase();
    icu::UnicodeString kept;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (u_isalnum(c))
            kept.append(c);
    }
    std::string out;
    kept.toUTF8String(out);
    return out;
}

Result<DescriptionImportReport> importCuplJson(store::Project& project, const std::string& path)
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
    for (const auto& [key, value] : json->items()) {
        if (!value.is_array())
            return malformed("the entry \"" + key + "\" is not a list");
        for (const auto& sentence : value) {
            if (!sentence.is_string())
                return malformed("the entry \"" + key + "\" holds something that is not a sentence");
        }
    }

    auto classes = project.classes();
    if (!classes.ok())
        return classes.error();
    std::map<std::string, std::vector<const store::ClassRecord*>> byKey;
    for (const auto& record : classes.value())
        byKey[normaliseClassName(record.name)].push_back(&record);

    DescriptionImportReport report;
    std::vector<store::DescriptionInsert> rows;
    std::set<std::string> matched;
    const std::string source = "cupl:" + fs::path(path).filename().string();
    for (const auto& [key, value] : json->items()) {
        const auto found = byKey.find(normaliseClassName(key));
        const int count = static_cast<int>(value.size());
        if (found == byKey.end() || normaliseClassName(key).empty()) {
            report.unmatched.push_back({key, "No class in the project has this name.", count});
            continue;
        }
        if (found->second.size() > 1) {
            report.unmatched.push_back(
                {key, "Several classes match this name once case and punctuation are ignored; rename one.", count});
            continue;
        }
        const store::ClassRecord& target = *found->second.front();
        for (const auto& sentence : value) {
            std::string text = trimmed(sentence.get<std::string>());
            if (text.empty()) {
                ++report.emptyDropped;
                continue;
            }
            rows.push_back({target.id, std::move(text), source});
        }
        matched.insert(target.name);
    }
    auto inserted = project.addDescriptions(rows);
    if (!inserted.ok())
        return inserted.error();
    report.added = inserted->added;
    report.duplicatesDropped = inserted->duplicates;
    for (const auto& record : classes.value()) {
        if (matched.count(record.name) > 0)
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
