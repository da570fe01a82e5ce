#pragma once
// Raw little-endian float32 blobs, the on-disk form of embeddings and checkpoint tensors.
// Pure functions: any thread.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace aape::store::detail {

inline void appendFloatsLe(std::string& out, const float* values, std::size_t count)
{
    const std::size_t start = out.size();
    out.resize(start + count * sizeof(float));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, values + i, 4);
        bits = __builtin_bswap32(bits);
        std::memcpy(&out[start + i * 4], &bits, 4);
    }
#else
    if (count > 0)
        std::memcpy(&out[start], values, count * sizeof(float));
#endif
}

inline void readFloatsLe(const void* bytes, std::size_t count, float* values)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    const auto* in = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, in + i * 4, 4);
        bits = __builtin_bswap32(bits);
        std::memcpy(values + i, &bits, 4);
    }
#else
    if (count > 0)
        std::memcpy(values, bytes, count * sizeof(float));
#endif
}

} // namespace aape::store::detail
