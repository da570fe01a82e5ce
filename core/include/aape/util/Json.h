#pragma once
// Reading JSON files with errors that name the file, line and column.

#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace aape {

Result<nlohmann::json> readJsonFile(const std::string& path);
Result<nlohmann::json> parseJson(const std::string& text, const std::string& nameForErrors);
// Whole file as bytes; errors name the file.
Result<std::string> readFileBytes(const std::string& path);
// Writes through a temporary file and rename, so a failure leaves the old file intact.
Status writeFileAtomically(const std::string& path, const std::string& bytes);

// A numeric member of a JSON object read without undefined conversions (1e116 into an int):
// `fallback` when the key is absent or null; an error naming the file and key when the value
// is not a number, not a whole number (intMember), or outside [minimum, maximum].
Result<int> intMember(const nlohmann::json& object, const std::string& key, int fallback, int minimum, int maximum,
                      const std::string& file);
Result<double> doubleMember(const nlohmann::json& object, const std::string& key, double fallback, double minimum,
                            double maximum, const std::string& file);
// The same for a value that is not an object member (a list element); `name` names it in errors.
Result<int> intValue(const nlohmann::json& value, const std::string& name, int minimum, int maximum,
                     const std::string& file);
Result<double> doubleValue(const nlohmann::json& value, const std::string& name, double minimum, double maximum,
                           const std::string& file);

} // namespace aape
