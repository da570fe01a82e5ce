// libFuzzer entry of the hf_tokenizer parser; the harness is aape::fuzz::hfTokenizerFiles (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::hfTokenizerFiles(data, size);
}
