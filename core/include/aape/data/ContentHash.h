#pragma once
// A fast 64-bit content hash of file bytes, the key of an image in the embedding cache.
// Pure functions: any thread.

#include "aape/util/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace aape::data {

// FNV-1a over 64-bit little-endian words (tail byte-wise), then the length and MurmurHash3's
// fmix64 finaliser. Not cryptographic; stable across platforms and releases.
std::uint64_t contentHash64(const void* bytes, std::size_t size);
std::string hashToHex(std::uint64_t hash); // 16 lowercase hex digits

} // namespace aape::data
