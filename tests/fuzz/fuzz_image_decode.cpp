// libFuzzer entry of the image_decode parser; the harness is aape::fuzz::imageDecode (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::imageDecode(data, size);
}
