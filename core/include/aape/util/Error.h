#pragma once
// Errors as values at the core boundary: a code, a sentence for the user, the technical
// detail and the file concerned. Plain data, safe to copy between threads.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace aape {

enum class ErrorCode {
    FileNotFound,
    FileUnreadable,
    FileWrite,
    BadFormat,   // the file is of the expected kind but malformed
    Unsupported, // well-formed but something we do not handle (e.g. a ResNet CLIP)
    ShapeMismatch,
    InvalidArgument,
    Device, // CUDA not available, out of memory, ...
    Database,
    Busy,
    Cancelled,
    Internal,
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    // One or two sentences for the user: what went wrong and, where known, what to do. Never
    // exception text, stack frames or offsets: those go to `detail`.
    std::string message;
    std::string file;   // the file or image concerned, if any
    std::string detail; // technical detail (exception text, offsets) for the log file, may be empty

    // "file: message", what a user is shown. The detail is left out: it goes to the log file
    // (see aape/util/Log.h), which the message points to.
    std::string toString() const;
};

Error makeError(ErrorCode code, std::string message, std::string file = {}, std::string detail = {});

// A value or an error. Deliberately small: ok(), value(), error(), and moving out.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_data(std::move(value))
    {} // NOLINT(google-explicit-constructor)
    Result(Error error)
        : m_data(std::move(error))
    {} // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(m_data); }
    const T& value() const& { return std::get<T>(m_data); }
    // By value: binding a reference to value() of a temporary Result must not dangle.
    T value() && { return std::get<T>(std::move(m_data)); }
    T* operator->() { return &std::get<T>(m_data); }
    const T* operator->() const { return &std::get<T>(m_data); }
    T& operator*() & { return std::get<T>(m_data); }

    const Error& error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// Result<void>: success or an error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error))
    {} // NOLINT(google-explicit-constructor)
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace aape
