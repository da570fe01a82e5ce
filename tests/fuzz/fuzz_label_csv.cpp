// libFuzzer entry of the label_csv parser; the harness is aape::fuzz::labelCsv (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::labelCsv(data, size);
}
