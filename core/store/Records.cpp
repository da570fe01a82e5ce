#include "aape/store/Records.h"

namespace aape::store {

std::string embeddingCacheKey(const std::string& fingerprint, const std::string& precision)
{
    if (precision.empty() || precision == "fp32")
        return fingerprint;
    return fingerprint + "@" + precision;
}

std::string ModelReference::precision() const
{
    const auto found = info.find("precision");
    return found != info.end() && found->is_string() ? found->get<std::string>() : std::string("fp32");
}

std::string ModelReference::cacheKey() const
{
    return embeddingCacheKey(fingerprint, precision());
}

const char* splitName(Split split)
{
    switch (split) {
    case Split::Train: return "train";
    case Split::Val: return "val";
    case Split::Test: return "test";
    }
    return "train";
}

std::optional<Split> parseSplit(std::string_view name)
{
    if (name == "train")
        return Split::Train;
    if (name == "val")
        return Split::Val;
    if (name == "test")
        return Split::Test;
    return std::nullopt;
}

const char* classKindName(ClassKind kind)
{
    return kind == ClassKind::New ? "new" : "base";
}

const char* runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Queued: return "queued";
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
    case RunStatus::Cancelled: return "cancelled";
    }
    return "queued";
}

std::optional<RunStatus> parseRunStatus(std::string_view name)
{
    for (RunStatus status : {RunStatus::Queued, RunStatus::Running, RunStatus::Finished, RunStatus::Failed,
                             RunStatus::Interrupted, RunStatus::Cancelled}) {
        if (name == runStatusName(status))
            return status;
    }
    return std::nullopt;
}

} // namespace aape::store
