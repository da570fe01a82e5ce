// libFuzzer entry of the bundle parser; the harness is aape::fuzz::bundle (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::bundle(data, size);
}
