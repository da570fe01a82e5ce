#pragma once
// A one-line progress bar for the CLI on standard error: redrawn in place on a terminal,
// at most every 10 % as plain lines otherwise (logs, CI). Call from one thread.

#include <chrono>
#include <ostream>
#include <string>

namespace aape::cli {

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
