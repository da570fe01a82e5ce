#include "aape/util/Json.h"

#include <cerrno>
#include <cmath>
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
            return makeError(ErrorCode::FileWrite,
                             "cannot create the file; check that the folder exists and is writable", path,
                             std::strerror(errno));
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

namespace {

Error badMember(const std::string& file, const std::string& key, const std::string& expected,
                const nlohmann::json& value)
{
    std::string shown = value.dump();
    if (shown.size() > 40)
        shown = shown.substr(0, 40) + "...";
    return makeError(ErrorCode::BadFormat, "\"" + key + "\" must be " + expected + ", not " + shown, file);
}

std::string rangeText(double minimum, double maximum)
{
    std::ostringstream text;
    text << minimum << " to " << maximum;
    return text.str();
}

} // namespace

Result<int> intValue(const nlohmann::json& value, const std::string& name, int minimum, int maximum,
                     const std::string& file)
{
    const std::string expected = "a whole number from " + rangeText(minimum, maximum);
    if (value.is_number_unsigned()) {
        const auto whole = value.get<std::uint64_t>();
        if (maximum < 0 || whole > static_cast<std::uint64_t>(maximum) || static_cast<std::int64_t>(whole) < minimum)
            return badMember(file, name, expected, value);
        return static_cast<int>(whole);
    }
    if (value.is_number_integer()) {
        const auto whole = value.get<std::int64_t>();
        if (whole < minimum || whole > maximum)
            return badMember(file, name, expected, value);
        return static_cast<int>(whole);
    }
    if (value.is_number_float()) {
        const double number = value.get<double>();
        if (!(number >= minimum && number <= maximum) || number != std::floor(number))
            return badMember(file, name, expected, value);
        return static_cast<int>(number);
    }
    return badMember(file, name, expected, value);
}

Result<double> doubleValue(const nlohmann::json& value, const std::string& name, double minimum, double maximum,
                           const std::string& file)
{
    const double number = value.is_number() ? value.get<double>() : 0.0;
    if (!value.is_number() || !(number >= minimum && number <= maximum))
        return badMember(file, name, "a number from " + rangeText(minimum, maximum), value);
    return number;
}

Result<int> intMember(const nlohmann::json& object, const std::string& key, int fallback, int minimum, int maximum,
                      const std::string& file)
{
    if (!object.is_object() || !object.contains(key) || object[key].is_null())
        return fallback;
    return intValue(object[key], key, minimum, maximum, file);
}

Result<double> doubleMember(const nlohmann::json& object, const std::string& key, double fallback, double minimum,
                            double maximum, const std::string& file)
{
    if (!object.is_object() || !object.contains(key) || object[key].is_null())
        return fallback;
    return doubleValue(object[key], key, minimum, maximum, file);
}

} // namespace aape
