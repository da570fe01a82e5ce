#include "aape/util/Log.h"

#include "aape/util/Error.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/rotating_file_sink.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <system_error>
#include <unistd.h>

namespace aape {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr std::size_t kKeptFiles = 2;

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

// The preferred place, by the XDG base directory rules (state: logs and history).
fs::path preferredPath()
{
    const std::string overridden = environment("AAPE_LOG_FILE");
    if (!overridden.empty())
        return overridden;
    const std::string state = environment("XDG_STATE_HOME");
    if (!state.empty() && fs::path(state).is_absolute())
        return fs::path(state) / "aape" / "aape.log";
    const std::string home = environment("HOME");
    if (!home.empty())
        return fs::path(home) / ".local" / "state" / "aape" / "aape.log";
    return {};
}

fs::path fallbackPath()
{
    std::error_code ec;
    const fs::path temp = fs::temp_directory_path(ec);
    return (ec ? fs::path("/tmp") : temp) / ("aape-" + std::to_string(::getuid())) / "aape.log";
}

struct LogState {
    std::mutex mutex;
    std::string program = "aape";
};

LogState& state()
{
    static LogState s;
    return s;
}

// A logger on `path`, opened for one entry. Errors are rare, and a file held open would keep
// writing into a log that another process (the studio beside the CLI) rotated away, or that
// the user deleted.
std::shared_ptr<spdlog::logger> openLogger(const fs::path& path, const std::string& program)
{
    if (path.empty())
        return nullptr;
    std::error_code ec;
    if (path.has_parent_path())
        fs::create_directories(path.parent_path(), ec);
    try {
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path.string(), kMaxFileBytes, kKeptFiles);
        // Not registered with spdlog's global registry: nothing else in the process can reach
        // or reconfigure it.
        auto logger = std::make_shared<spdlog::logger>("aape", std::move(sink));
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] " + program + "[%P] %v");
        logger->set_level(spdlog::level::info);
        logger->flush_on(spdlog::level::info);
        return logger;
    } catch (const std::exception&) { // spdlog::spdlog_ex: the file cannot be opened
        return nullptr;
    }
}

// The logger for the preferred path, or for the fallback when that cannot be written; `path`
// receives where it writes. The caller holds the state's mutex.
std::shared_ptr<spdlog::logger> openCurrent(const LogState& s, fs::path& path)
{
    path = preferredPath();
    if (auto logger = openLogger(path, s.program))
        return logger;
    path = fallbackPath();
    return openLogger(path, s.program);
}

spdlog::level::level_enum toSpdlog(Log::Level level);

// Appends one entry; returns the file written, or an empty string when none could be.
std::string writeEntry(Log::Level level, const std::string& text)
{
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    fs::path path;
    auto logger = openCurrent(s, path);
    if (!logger)
        return {};
    try {
        logger->log(toSpdlog(level), "{}", text);
        return path.string();
    } catch (const std::exception&) { // a full disk: the log is a help, never a new failure
        return {};
    }
}

spdlog::level::level_enum toSpdlog(Log::Level level)
{
    switch (level) {
    case Log::Level::Info: return spdlog::level::info;
    case Log::Level::Warning: return spdlog::level::warn;
    case Log::Level::Error: return spdlog::level::err;
    }
    return spdlog::level::info;
}

} // namespace

std::string Log::filePath()
{
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    fs::path path;
    if (!openCurrent(s, path))
        return {};
    return path.string();
}

void Log::setProgram(const std::string& name)
{
    auto& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.program = name;
}

bool Log::write(Level level, const std::string& text)
{
    return !writeEntry(level, text).empty();
}

std::string Log::error(const Error& error, const std::string& context)
{
    std::string text;
    if (!context.empty())
        text += context + ": ";
    text += error.toString();
    text += std::string(" [") + errorCodeName(error.code) + "]";
    std::string detail = error.detail;
    while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back())))
        detail.pop_back();
    if (!detail.empty()) {
        // Indented below the entry, line by line, as the exception text had them.
        text += "\n    ";
        for (const char c : detail) {
            text += c;
            if (c == '\n')
                text += "    ";
        }
    }
    return writeEntry(Level::Error, text);
}

} // namespace aape
