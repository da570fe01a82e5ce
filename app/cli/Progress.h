#pragma once
// A one-line progress bar for the CLI on standard error: redrawn in place on a terminal,
// at most every 10 % as plain lines otherwise (logs, CI). Call from one thread.

#include "aape/workflow/Encode.h"

#include <chrono>
#include <ostream>
#include <string>

namespace aape::cli {

// "45 s", "12 min", "2 h 05 min".
std::string formatDuration(double seconds);

// The estimate of an encode and the choices that shorten it, as lines for standard error.
std::string describeEstimate(const workflow::EncodeEstimate& estimate);

class ProgressBar final {
public:
    explicit ProgressBar(std::ostream& err);
    ~ProgressBar();
    void update(const std::string& stage, std::size_t done, std::size_t total);
    void finish();

private:
    std::ostream& m_err;
    bool m_terminal = false;
    bool m_open = false;
    std::string m_stage;
    int m_lastDecile = -1;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace aape::cli
