#pragma once
// File helpers of the shard and cluster workflows. Private to core/workflow.

#include "aape/util/Error.h"

#include <string>

namespace aape::workflow::detail {

// Writes `text` to "<path>.partial" and renames it over `path`: readers see the old file or
// the whole new one, never a part.
Status writeFileAtomically(const std::string& path, const std::string& text);

// The whole file, or an error naming it.
Result<std::string> readWholeFile(const std::string& path);

} // namespace aape::workflow::detail
