// libFuzzer entry of the coop_split parser; the harness is aape::fuzz::coopSplit (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::coopSplit(data, size);
}
