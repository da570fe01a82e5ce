#include "aape/util/Json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace aape {

Result<std::string> readFileBytes(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::FileNotFound, "the file does not exist", path);
    if (fs::is_directory(path, ec))
        return makeError(ErrorCode::FileUnreadable, "expected a file but found a folder", path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileUnreadable, "the file cannot be opened; check its permissions", path,
                         std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        return makeError(ErrorCode::FileUnreadable, "reading the file failed", path);
    return buffer.str();
}

Result<nlohmann::json> parseJson(const std::string& text, const std::string& nameForErrors)
{
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        // Not only parse_error: a number such as 1e309 throws out_of_range.
        return makeError(ErrorCode::BadFormat, "the file is not valid JSON; fix or regenerate it", nameForErrors,
                         e.what());
    }
}

Result<nlohmann::json> readJsonFile(const std::string& path)
{
    auto bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    return parseJson(bytes.value(), path);
}

Status writeFileAtomically(const std::string& path, const std::string& bytes)
{
    const std::string temporary = path + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            return makeError(ErrorCode::FileWrite, "cannot create the file; check that the folder exists and is writable",
                             path, std::strerror(errno));
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            out.close();
            std::remove(temporary.c_str());
            return makeError(ErrorCode::FileWrite, "writing the file failed; is the disk full?", path,
                             std::strerror(errno));
        }
    }
    std::error_code ec;
    fs::rename(temporary, path, ec);
    if (ec) {
        std::remove(temporary.c_str());
        return makeError(ErrorCode::FileWrite, "cannot replace the file", path, ec.message());
    }
    return {};
}

} // namespace aape
