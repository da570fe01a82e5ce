#include "cli/Progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace aape::cli {

ProgressBar::ProgressBar(std::ostream& err)
    : m_err(err)
    , m_terminal(&err == &std::cerr && isatty(STDERR_FILENO))
    , m_started(std::chrono::steady_clock::now())
{}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::update(const std::string& stage, std::size_t done, std::size_t total)
{
    const auto now = std::chrono::steady_clock::now();
    if (stage != m_stage) {
        finish();
        m_stage = stage;
        m_lastDecile = -1;
        m_started = now;
    }
    const double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
    const double elapsed = std::chrono::duration<double>(now - m_started).count();
    char eta[32] = "";
    if (fraction > 0.0 && fraction < 1.0 && elapsed > 1.0)
        std::snprintf(eta, sizeof eta, ", %.0f s left", elapsed * (1.0 - fraction) / fraction);
    if (m_terminal) {
        if (done < total && now - m_lastDraw < std::chrono::milliseconds(100))
            return;
        m_lastDraw = now;
        const int width = 30;
        const int filled = static_cast<int>(fraction * width);
        m_err << '\r' << stage << " [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << '/' << total << eta
              << "   " << std::flush;
        m_open = true;
        return;
    }
    const int decile = static_cast<int>(fraction * 10);
    if (decile == m_lastDecile)
        return;
    m_lastDecile = decile;
    m_err << stage << ": " << done << '/' << total << " (" << decile * 10 << " %" << eta << ")\n";
}

void ProgressBar::finish()
{
    if (m_open)
        m_err << '\n';
    m_open = false;
}

} // namespace aape::cli
