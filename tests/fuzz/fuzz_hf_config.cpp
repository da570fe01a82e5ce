// libFuzzer entry of the hf_config parser; the harness is aape::fuzz::hfConfig (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::hfConfig(data, size);
}
