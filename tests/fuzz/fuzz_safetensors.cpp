// libFuzzer entry of the safetensors parser; the harness is aape::fuzz::safeTensors (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::safeTensors(data, size);
}
