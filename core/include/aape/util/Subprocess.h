#pragma once
// Running another program (sbatch, squeue, sacct, scancel) and collecting what it printed.
// No shell is involved: arguments reach the program as given. Any thread.

#include "aape/util/Error.h"

#include <string>
#include <vector>

namespace aape {

struct ProcessOutput {
    int exitCode = -1; // the program's exit status; 128 + signal number when a signal ended it
    std::string out;
    std::string err;
};

// Runs argv[0] (looked up in PATH) with the rest as arguments and waits for it. An error
// only when the program could not be started (e.g. not installed); a non-zero exit status
// is a result.
Result<ProcessOutput> runProcess(const std::vector<std::string>& argv);

} // namespace aape
