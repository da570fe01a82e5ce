#include "aape/data/ContentHash.h"

#include "aape/util/Json.h"

#include <cstring>

namespace aape::data {

std::uint64_t contentHash64(const void* bytes, std::size_t size)
{
    constexpr std::uint64_t kPrime = 0x100000001b3ULL;
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    const auto* data = static_cast<const unsigned char*>(bytes);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = 0;
        for (int byte = 0; byte < 8; ++byte)
            word |= static_cast<std::uint64_t>(data[i + byte]) << (8 * byte);
        hash = (hash ^ word) * kPrime;
    }
    for (; i < size; ++i)
        hash = (hash ^ data[i]) * kPrime;
    hash ^= static_cast<std::uint64_t>(size);
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ULL;
    hash ^= hash >> 33;
    return hash;
}

std::string hashToHex(std::uint64_t hash)
{
    static const char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int digit = 15; digit >= 0; --digit) {
        out[static_cast<std::size_t>(digit)] = kDigits[hash & 0xfu];
        hash >>= 4;
    }
    return out;
}

} // namespace aape::data
