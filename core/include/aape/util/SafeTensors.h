#pragma once
// Reader and writer of the safetensors format (8-byte little-endian header length, JSON
// header, raw little-endian tensor bytes). The reader checks every length and offset against
// the file before touching data: hostile files give an Error, never a crash or a huge
// allocation. A SafeTensorsFile is immutable once opened; const methods are thread-safe.

#include "aape/util/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aape::st {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

const char* dtypeName(DType dtype);
std::size_t dtypeSize(DType dtype);

struct TensorEntry {
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // byte offsets into the data section
    std::uint64_t end = 0;
    std::int64_t numel() const;
};

class SafeTensorsFile final {
public:
    static Result<SafeTensorsFile> open(const std::string& path);

    const std::string& path() const;
    const std::map<std::string, TensorEntry>& tensors() const;
    const std::map<std::string, std::string>& metadata() const;
    bool contains(const std::string& name) const;
    // Raw bytes of one tensor (copied out of the file).
    Result<std::vector<std::uint8_t>> readBytes(const std::string& name) const;
    // The tensor converted to float32 (from F32, F16, BF16 or F64), row-major.
    Result<std::vector<float>> readFloat32(const std::string& name) const;

private:
    struct Impl;
    explicit SafeTensorsFile(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> m_impl;
};

struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> bytes; // little-endian, row-major, size = numel * dtypeSize
};

// Writes atomically (temporary file in the same folder, then rename): a failure leaves
// any existing file at `path` untouched.
Status writeSafeTensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata = {});

TensorToWrite float32Tensor(std::string name, std::vector<std::int64_t> shape, const float* data);

} // namespace aape::st
