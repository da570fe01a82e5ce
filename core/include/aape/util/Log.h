#pragma once
// The per-user log file: the technical side of what went wrong (exception text, LibTorch stack
// frames, offsets), which messages for the user leave out and point to instead. Any thread may
// call; entries from one process never interleave mid-line.

#include <string>

namespace aape {

struct Error;

class Log final {
public:
    enum class Level { Info, Warning, Error };

    Log() = delete;

    // Where entries go: $AAPE_LOG_FILE when set, else $XDG_STATE_HOME/aape/aape.log, else
    // ~/.local/state/aape/aape.log; <temp>/aape-<user id>/aape.log when that cannot be written.
    // The file is capped at 1 MiB; two older ones are kept as aape.1.log and aape.2.log.
    static std::string filePath();

    // Names the program in every entry ("aape", "aape-studio"); call once at start-up.
    static void setProgram(const std::string& name);

    // Appends one entry (the text may span lines). False when no log file can be written.
    static bool write(Level level, const std::string& text);

    // Records an error that is being shown to the user: code, file, message and the technical
    // detail, after `context` (what was being done) when given. Returns the log file's path,
    // or an empty string when it could not be written.
    static std::string error(const Error& error, const std::string& context = {});
};

} // namespace aape
