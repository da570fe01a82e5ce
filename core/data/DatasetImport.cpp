#include "aape/data/DatasetImport.h"

#include "aape/clip/ImagePreprocessor.h"
#include "aape/data/ContentHash.h"
#include "aape/util/Json.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace aape::data {

namespace {

struct Candidate {
    std::string path;
    std::string label; // empty: unlabelled
    std::optional<store::Split> split;
};

std::string lowerCase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string normalisedPath(const fs::path& path)
{
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    return (ec ? path : absolute).lexically_normal().string();
}

bool supportedExtension(const fs::path& path)
{
    const std::string extension = lowerCase(path.extension().string());
    const auto& supported = supportedImageExtensions();
    return std::find(supported.begin(), supported.end(), extension) != supported.end();
}

// Reads, hashes and decodes one file; fills image or returns why it was skipped.
std::optional<std::string> inspectFile(const std::string& path, store::NewImage& image)
{
    if (!supportedExtension(path)) {
        const std::string extension = fs::path(path).extension().string();
        return extension.empty() ? std::string("The file has no extension and is not treated as an image.")
                                 : "Files of type '" + extension + "' are not supported images.";
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return std::string("The file does not exist.");
    if (!fs::is_regular_file(status))
        return std::string("This is not a regular file.");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return std::string("The file could not be opened; check its permissions.");
    const std::streamoff size = in.tellg();
    in.seekg(0);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(std::max<std::streamoff>(size, 0)));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!in || in.gcount() != size)
        return std::string("The file could not be read completely.");
    if (bytes.empty())
        return std::string("The file is empty (0 bytes).");
    image.contentHash = hashToHex(contentHash64(bytes.data(), bytes.size()));
    auto decoded = clip::decodeImageRgb8(bytes, path);
    if (!decoded.ok())
        return decoded.error().message;
    image.width = decoded->cols;
    image.height = decoded->rows;
    return std::nullopt;
}

Error cancelled(const std::string& file)
{
    return makeError(ErrorCode::Cancelled, "The import was cancelled; nothing was added to the project.", file);
}

// Validates the candidates, assigns seeded splits where the source has none, creates the
// classes in classOrder and writes the images in one transaction.
Result<ImportReport> ingest(store::Project& project, const std::vector<Candidate>& candidates,
                            const std::vector<std::string>& classOrder, std::vector<SkippedFile> skipped,
                            const std::string& source, const ImportOptions& options, nlohmann::json splitRecord)
{
    ImportReport report;
    report.filesSeen = candidates.size() + skipped.size();
    report.skipped = std::move(skipped);

    std::vector<store::NewImage> images;
    std::vector<std::string> labels;
    std::vector<bool> needsSplit;
    images.reserve(candidates.size());
    const std::size_t total = candidates.size();
    for (std::size_t i = 0; i < total; ++i) {
        if (stopRequested(options.stop))
            return cancelled(source);
        if (options.progress)
            options.progress(i, total);
        const Candidate& candidate = candidates[i];
        store::NewImage image;
        image.path = candidate.path;
        image.source = source;
        if (auto reason = inspectFile(candidate.path, image)) {
            report.skipped.push_back({candidate.path, *reason});
            continue;
        }
        image.split = candidate.split.value_or(store::Split::Train);
        images.push_back(std::move(image));
        labels.push_back(candidate.label);
        needsSplit.push_back(!candidate.split.has_value());
    }
    if (stopRequested(options.stop))
        return cancelled(source);

    std::vector<std::size_t> toSplit;
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (needsSplit[i])
            toSplit.push_back(i);
    }
    if (!toSplit.empty()) {
        std::vector<std::string> groups;
        std::vector<std::string> sortKeys;
        for (std::size_t i : toSplit) {
            groups.push_back(labels[i]);
            sortKeys.push_back(images[i].path);
        }
        const auto splits = assignSplits(groups, sortKeys, options.fractions, options.seed);
        for (std::size_t k = 0; k < toSplit.size(); ++k)
            images[toSplit[k]].split = splits[k];
        splitRecord = {
            {"method", "seeded per class"},
            {"seed", options.seed},
            {"fractions",
             {{"train", options.fractions.train}, {"val", options.fractions.val}, {"test", options.fractions.test}}},
            {"source", source}};
    }

    // Nothing readable among the listed files (a wrong image folder, say): leave the project as
    // it was rather than creating classes without images.
    if (images.empty() && !candidates.empty()) {
        if (options.progress)
            options.progress(total, total);
        return report;
    }

    auto existing = project.classes();
    if (!existing.ok())
        return existing.error();
    std::set<std::string> existingNames;
    for (const auto& record : existing.value())
        existingNames.insert(record.name);
    std::map<std::string, std::int64_t> classIds;
    for (const std::string& name : classOrder) {
        auto id = project.ensureClass(name);
        if (!id.ok())
            return id.error();
        classIds[name] = id.value();
        if (existingNames.count(name) == 0)
            report.classesCreated.push_back(name);
    }
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (!labels[i].empty())
            images[i].classId = classIds.at(labels[i]);
    }

    auto added = project.addImages(images);
    if (!added.ok())
        return added.error();
    report.added = added->first;
    report.duplicates = added->second;

    if (!splitRecord.empty()) {
        if (Status status = project.setSetting("import.split", splitRecord); !status.ok())
            return status.error();
    }
    if (options.progress)
        options.progress(total, total);
    return report;
}

std::vector<fs::path> sortedEntries(const fs::path& folder, std::error_code& ec)
{
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec))
        entries.push_back(it->path());
    std::sort(entries.begin(), entries.end());
    return entries;
}

bool hidden(const fs::path& path)
{
    const std::string name = path.filename().string();
    return !name.empty() && name.front() == '.';
}

// RFC 4180 records with the line number each starts on; quotes may hold commas, quotes
// ("") and line breaks.
std::vector<std::pair<int, std::vector<std::string>>> parseCsv(const std::string& text)
{
    std::vector<std::pair<int, std::vector<std::string>>> records;
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    bool fieldStarted = false;
    int line = 1;
    int recordLine = 1;
    std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    const auto endRecord = [&]() {
        if (fieldStarted || !fields.empty()) {
            fields.push_back(field);
            records.emplace_back(recordLine, fields);
        }
        fields.clear();
        field.clear();
        fieldStarted = false;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == '"') {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            fields.push_back(field);
            field.clear();
            fieldStarted = true;
        } else if (c == '\n') {
            endRecord();
            ++line;
            recordLine = line;
        } else if (c != '\r') {
            field += c;
            fieldStarted = true;
        }
    }
    endRecord();
    return records;
}

} // namespace

const std::vector<std::string>& supportedImageExtensions()
{
    static const std::vector<std::string> extensions = {".jpg",  ".jpeg", ".jpe", ".png", ".bmp", ".dib", ".tif",
                                                        ".tiff", ".webp", ".ppm", ".pgm", ".pbm", ".pnm", ".jp2"};
    return extensions;
}

Result<ImportReport> importFolderPerClass(store::Project& project, const std::string& root,
                                          const ImportOptions& options)
{
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        return makeError(ErrorCode::FileNotFound, "The dataset folder does not exist or is not a folder.", root);
    const std::vector<fs::path> top = sortedEntries(root, ec);
    if (ec)
        return makeError(ErrorCode::FileUnreadable, "The dataset folder cannot be listed; check its permissions.", root,
                         ec.message());

    std::vector<Candidate> candidates;
    std::vector<std::string> classOrder;
    std::vector<SkippedFile> skipped;
    for (const fs::path& entry : top) {
        if (stopRequested(options.stop))
            return cancelled(root);
        if (hidden(entry))
            continue;
        if (!fs::is_directory(entry, ec)) {
            skipped.push_back({normalisedPath(entry),
                               "The file is not inside a class folder; move it into the folder of its class."});
            continue;
        }
        const std::string className = entry.filename().string();
        std::vector<fs::path> files;
        std::error_code walkError;
        for (fs::recursive_directory_iterator it(entry, fs::directory_options::skip_permission_denied, walkError), end;
             !walkError && it != end; it.increment(walkError)) {
            if (hidden(it->path())) {
                if (it->is_directory(ec))
                    it.disable_recursion_pending();
                continue;
            }
            if (!it->is_directory(ec))
                files.push_back(it->path());
        }
        if (walkError)
            skipped.push_back({normalisedPath(entry), "Part of this class folder could not be listed; check its "
                                                      "permissions."});
        std::sort(files.begin(), files.end());
        if (!files.empty())
            classOrder.push_back(className);
        for (const fs::path& file : files)
            candidates.push_back({normalisedPath(file), className, std::nullopt});
    }
    return ingest(project, candidates, classOrder, std::move(skipped), "folder:" + normalisedPath(root), options,
                  nlohmann::json::object());
}

Result<ImportReport> importCsv(store::Project& project, const std::string& csvPath, const std::string& imageRoot,
                               const ImportOptions& options)
{
    auto text = readFileBytes(csvPath);
    if (!text.ok())
        return text.error();
    const auto records = parseCsv(text.value());
    const fs::path root = imageRoot.empty() ? fs::path(csvPath).parent_path() : fs::path(imageRoot);

    std::size_t first = 0;
    int pathColumn = 0;
    int labelColumn = 1;
    int splitColumn = 2;
    if (!records.empty()) {
        const auto& header = records.front().second;
        const std::set<std::string> pathNames = {"path", "file", "filename", "image", "image_path", "filepath"};
        if (!header.empty() && pathNames.count(lowerCase(trimmed(header[0]))) > 0) {
            first = 1;
            labelColumn = splitColumn = -1;
            for (std::size_t c = 0; c < header.size(); ++c) {
                const std::string name = lowerCase(trimmed(header[c]));
                if (name == "label" || name == "class" || name == "class_name" || name == "category")
                    labelColumn = static_cast<int>(c);
                else if (name == "split")
                    splitColumn = static_cast<int>(c);
            }
        }
    }

    std::vector<Candidate> candidates;
    std::vector<SkippedFile> skipped;
    std::set<std::string> labels;
    const auto column = [](const std::vector<std::string>& fields, int index) {
        return index >= 0 && static_cast<std::size_t>(index) < fields.size() ? trimmed(fields[index]) : std::string();
    };
    for (std::size_t r = first; r < records.size(); ++r) {
        const auto& [line, fields] = records[r];
        const std::string where = csvPath + ":" + std::to_string(line);
        const std::string relative = column(fields, pathColumn);
        const std::string label = column(fields, labelColumn);
        const std::string splitText = lowerCase(column(fields, splitColumn));
        if (relative.empty()) {
            if (!label.empty())
                skipped.push_back({where, "This line of the CSV has no image path."});
            continue;
        }
        Candidate candidate;
        fs::path file(relative);
        candidate.path = normalisedPath(file.is_absolute() ? file : root / file);
        candidate.label = label;
        if (!splitText.empty()) {
            candidate.split = store::parseSplit(splitText);
            if (!candidate.split) {
                skipped.push_back({candidate.path, "Line " + std::to_string(line) + " of the CSV gives the split '"
                                                       + splitText + "'; use train, val or test."});
                continue;
            }
        }
        if (!label.empty())
            labels.insert(label);
        candidates.push_back(std::move(candidate));
    }
    return ingest(project, candidates, {labels.begin(), labels.end()}, std::move(skipped),
                  "csv:" + normalisedPath(csvPath), options, nlohmann::json::object());
}

std::string coopImageRoot(const std::string& splitJsonPath)
{
    const fs::path folder = fs::absolute(fs::path(splitJsonPath)).parent_path();
    std::string firstPath;
    if (auto json = readJsonFile(splitJsonPath); json.ok() && json->is_object()) {
        for (const char* key : {"train", "val", "test"}) {
            const auto found = json->find(key);
            if (found != json->end() && found->is_array() && !found->empty() && (*found)[0].is_array()
                && !(*found)[0].empty() && (*found)[0][0].is_string()) {
                firstPath = (*found)[0][0].get<std::string>();
                break;
            }
        }
    }
    std::error_code ec;
    if (firstPath.empty() || fs::exists(folder / firstPath, ec))
        return normalisedPath(folder);
    for (const fs::path& entry : sortedEntries(folder, ec))
        if (fs::is_directory(entry, ec) && fs::exists(entry / firstPath, ec))
            return normalisedPath(entry);
    return normalisedPath(folder);
}

Result<ImportReport> importCoopSplit(store::Project& project, const std::string& splitJsonPath,
                                     const std::string& givenImageRoot, const ImportOptions& options)
{
    const std::string imageRoot = givenImageRoot.empty() ? coopImageRoot(splitJsonPath) : givenImageRoot;
    auto json = readJsonFile(splitJsonPath);
    if (!json.ok())
        return json.error();
    const auto malformed = [&](const std::string& detail) {
        return makeError(ErrorCode::BadFormat,
                         "The split file is not in CoOp's format {\"train\": [[path, label, class name], ...], ...}.",
                         splitJsonPath, detail);
    };
    if (!json->is_object())
        return malformed("the top level is not an object");

    std::vector<Candidate> candidates;
    std::map<std::int64_t, std::string> classByLabel;
    int sections = 0;
    for (store::Split split : {store::Split::Train, store::Split::Val, store::Split::Test}) {
        const char* key = store::splitName(split);
        if (!json->contains(key))
            continue;
        const auto& entries = (*json)[key];
        if (!entries.is_array())
            return malformed(std::string("\"") + key + "\" is not a list");
        ++sections;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const auto& entry = entries[i];
            if (!entry.is_array() || entry.size() < 3 || !entry[0].is_string() || !entry[1].is_number_integer()
                || !entry[2].is_string())
                return malformed(std::string(key) + "[" + std::to_string(i) + "] is not [path, label, class name]");
            const auto label = entry[1].get<std::int64_t>();
            const auto name = entry[2].get<std::string>();
            const auto [it, inserted] = classByLabel.emplace(label, name);
            if (!inserted && it->second != name)
                return malformed("label " + std::to_string(label) + " is named both '" + it->second + "' and '" + name
                                 + "'");
            candidates.push_back({normalisedPath(fs::path(imageRoot) / entry[0].get<std::string>()), name, split});
        }
    }
    if (sections == 0)
        return malformed("none of \"train\", \"val\", \"test\" is present");
    std::vector<std::string> classOrder;
    for (const auto& [label, name] : classByLabel)
        classOrder.push_back(name);
    const nlohmann::json splitRecord = {{"method", "split file"}, {"file", normalisedPath(splitJsonPath)}};
    return ingest(project, candidates, classOrder, {}, "coop:" + normalisedPath(splitJsonPath), options, splitRecord);
}

} // namespace aape::data
