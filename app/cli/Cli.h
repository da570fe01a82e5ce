#pragma once
// The `aape` command-line tool. All of it lives in the core (no Qt), so that app/main.cpp is
// one call and tests can drive the CLI in-process. Call from one thread at a time.

#include <iosfwd>

namespace aape::cli {

// Parses argv, runs the command, writes results to `out` and messages to `err`.
// Returns the process exit code: 0 on success, 1 on a failed command, 2 on bad usage.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace aape::cli
