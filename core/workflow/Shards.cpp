#include "aape/workflow/Shards.h"

#include "workflow/ShardFiles.h"

#include "aape/geo/SceneImport.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::workflow {

namespace detail {

Status writeFileAtomically(const std::string& path, const std::string& text)
{
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
            return makeError(ErrorCode::FileWrite, "The file could not be written; check the folder and free space.",
                             partial);
    }
    std::error_code ec;
    fs::rename(partial, path, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "The file could not be put in place.", path, ec.message());
    return {};
}

Result<std::string> readWholeFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, "The file could not be opened.", path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace detail

namespace {

std::string lowerCase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool isImageFile(const fs::path& path)
{
    const auto& supported = data::supportedImageExtensions();
    return std::find(supported.begin(), supported.end(), lowerCase(path.extension().string())) != supported.end();
}

std::string trimmed(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

Result<ShardSpec> parseShardSpec(const std::string& text)
{
    const Error bad = makeError(ErrorCode::InvalidArgument,
                                "--shard takes K/N, the shard to compute (0 to N-1) out of N shards, e.g. --shard 0/4; "
                                "got \""
                                    + text + "\"");
    const auto slash = text.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == text.size())
        return bad;
    const std::string k = text.substr(0, slash);
    const std::string n = text.substr(slash + 1);
    auto digits = [](const std::string& s) {
        return s.size() <= 9 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    };
    if (!digits(k) || !digits(n))
        return bad;
    ShardSpec spec{std::stoi(k), std::stoi(n)};
    if (spec.count < 1 || spec.index >= spec.count)
        return bad;
    return spec;
}

ShardRange shardRange(std::size_t inputs, int batchSize, const ShardSpec& shard)
{
    const auto block = static_cast<std::size_t>(std::max(1, batchSize));
    const std::size_t blocks = (inputs + block - 1) / block;
    const auto k = static_cast<std::size_t>(shard.index);
    const auto n = static_cast<std::size_t>(shard.count);
    const std::size_t first = blocks * k / n;
    const std::size_t last = blocks * (k + 1) / n;
    return {std::min(inputs, first * block), std::min(inputs, last * block)};
}

Result<std::vector<ShardInput>> collectShardInputs(const std::string& folder, const std::string& listFile,
                                                   const std::vector<std::string>& files)
{
    std::vector<ShardInput> inputs;
    if (!folder.empty()) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            return makeError(ErrorCode::FileNotFound, "The image folder does not exist or is not a folder.", folder);
        fs::recursive_directory_iterator it(folder, fs::directory_options::follow_directory_symlink, ec);
        if (ec)
            return makeError(ErrorCode::FileUnreadable, "The image folder could not be read; check its permissions.",
                             folder, ec.message());
        for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec)
                return makeError(ErrorCode::FileUnreadable, "The image folder could not be read completely.", folder,
                                 ec.message());
            std::error_code fileEc;
            if (it->is_regular_file(fileEc) && isImageFile(it->path()))
                inputs.push_back({it->path().lexically_relative(folder).generic_string(), it->path().string()});
        }
    }
    if (!listFile.empty()) {
        std::ifstream in(listFile);
        if (!in)
            return makeError(ErrorCode::FileNotFound, "The list of images could not be opened.", listFile);
        const fs::path base = fs::path(listFile).parent_path();
        for (std::string line; std::getline(in, line);) {
            line = trimmed(line);
            if (line.empty() || line[0] == '#')
                continue;
            const fs::path path(line);
            inputs.push_back({line, (path.is_absolute() ? path : base / path).string()});
        }
    }
    for (const auto& file : files)
        inputs.push_back({file, file});
    std::sort(inputs.begin(), inputs.end(),
              [](const ShardInput& a, const ShardInput& b) { return a.recordedPath < b.recordedPath; });
    inputs.erase(std::unique(inputs.begin(), inputs.end(),
                             [](const ShardInput& a, const ShardInput& b) { return a.recordedPath == b.recordedPath; }),
                 inputs.end());
    return inputs;
}

Result<std::vector<ShardInput>> collectSceneTiles(const std::string& scenePath, int tileSize, int stride,
                                                  const std::string& bands)
{
    geo::SceneImportOptions options;
    options.tileSize = tileSize;
    options.stride = stride;
    options.bands = bands;
    auto tiling = geo::planSceneTiles(scenePath, options);
    if (!tiling)
        return tiling.error();
    // Kept in row order, not sorted: "x=100" sorts before "x=20" as text, and the order only has
    // to be the same on every machine, which the grid's order is.
    std::vector<ShardInput> inputs;
    inputs.reserve(tiling->tiles.size());
    for (const auto& tile : tiling->tiles) {
        const std::string reference = geo::formatTileReference(tile);
        inputs.push_back({reference, reference});
    }
    return inputs;
}

std::string shardEmbeddingFile(const std::string& dir, int index)
{
    return (fs::path(dir) / "img_emb" / ("img_emb_" + std::to_string(index) + ".npy")).string();
}

std::string shardMetadataFile(const std::string& dir, int index)
{
    return (fs::path(dir) / "metadata" / ("metadata_" + std::to_string(index) + ".jsonl")).string();
}

std::string shardDoneMarker(const std::string& dir, int index)
{
    return (fs::path(dir) / "done" / std::to_string(index)).string();
}

std::optional<nlohmann::json> shardSummary(const std::string& dir, int index)
{
    auto text = detail::readWholeFile(shardDoneMarker(dir, index));
    if (!text)
        return std::nullopt;
    auto summary = nlohmann::json::parse(text.value(), nullptr, false);
    if (summary.is_discarded() || !summary.is_object())
        return std::nullopt;
    return summary;
}

} // namespace aape::workflow
