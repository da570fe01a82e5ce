// libFuzzer entry of the cupl parser; the harness is aape::fuzz::cuplJson (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::cuplJson(data, size);
}
