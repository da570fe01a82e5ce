#include "aape/util/Error.h"

namespace aape {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::FileNotFound: return "file-not-found";
    case ErrorCode::FileUnreadable: return "file-unreadable";
    case ErrorCode::FileWrite: return "file-write";
    case ErrorCode::BadFormat: return "bad-format";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::ShapeMismatch: return "shape-mismatch";
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::Device: return "device";
    case ErrorCode::Database: return "database";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

std::string Error::toString() const
{
    std::string out;
    if (!file.empty())
        out += file + ": ";
    out += message;
    return out;
}

Error makeError(ErrorCode code, std::string message, std::string file, std::string detail)
{
    return Error{code, std::move(message), std::move(file), std::move(detail)};
}

} // namespace aape
