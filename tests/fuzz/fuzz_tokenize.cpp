// libFuzzer entry of the tokenize parser; the harness is aape::fuzz::tokenize (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::tokenize(data, size);
}
