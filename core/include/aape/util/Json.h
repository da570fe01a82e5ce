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

} // namespace aape
