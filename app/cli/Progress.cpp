#include "cli/Progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace aape::cli {

std::string formatDuration(double seconds)
{
    char text[48];
    if (seconds < 90.0) {
        std::snprintf(text, sizeof text, "%.0f s", std::max(0.0, seconds));
    } else if (seconds < 90.0 * 60.0) {
        std::snprintf(text, sizeof text, "%.0f min", seconds / 60.0);
    } else {
        const long minutes = std::lround(seconds / 60.0);
        std::snprintf(text, sizeof text, "%ld h %02ld min", minutes / 60, minutes % 60);
    }
    return text;
}

std::string describeEstimate(const workflow::EncodeEstimate& e)
{
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", e.viewsPerSecond);
    std::string text = "Encoding " + std::to_string(e.images) + " images (" + std::to_string(e.views) + " views) on "
                       + e.device + ": about " + formatDuration(e.seconds) + " at " + rate
                       + " views/s (measured on the first " + std::to_string(e.measuredViews) + ").\n";
    // Only worth a list when the wait is long; each entry says what it changes.
    if (e.seconds < 120.0)
        return text;
    std::vector<std::string> shorter;
    if (e.augmentedViews > 1 && e.augmentedViewsToEncode > 0) {
        const double views = e.views - e.augmentedViewsToEncode + e.augmentedViewsToEncode / double(e.augmentedViews);
        shorter.push_back("--views 1 (" + formatDuration(views / e.viewsPerSecond)
                          + "; fewer augmented views, usually a little less accuracy)");
    }
    if (e.precision == "fp32")
        shorter.push_back("--precision bf16 or int8 (see `aape bench encode` for this machine's speeds)");
    else if (e.precision == "bf16")
        shorter.push_back("--precision int8 (faster on most CPUs, slightly less exact)");
    if (e.patchSize > 0 && e.patchSize < 32)
        shorter.push_back("a CLIP with 32-pixel patches (e.g. ViT-B/32: about 4x fewer tokens per image)");
    if (e.device.rfind("cpu", 0) == 0)
        shorter.push_back("a GPU (--device cuda on a machine with one)");
    shorter.push_back("a cluster: encode in shards with `aape cluster submit` (docs/cluster.md)");
    text += "  To shorten it:\n";
    for (const auto& line : shorter)
        text += "    " + line + "\n";
    return text;
}

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
    std::string eta;
    if (fraction > 0.0 && fraction < 1.0 && elapsed > 1.0)
        eta = ", " + formatDuration(elapsed * (1.0 - fraction) / fraction) + " left";
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
