// libFuzzer entry of the bpe_vocab parser; the harness is aape::fuzz::bpeVocabulary (FuzzTargets.h).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return aape::fuzz::bpeVocabulary(data, size);
}
