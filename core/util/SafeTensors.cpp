#include "aape/util/SafeTensors.h"

#include "aape/util/Json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

namespace aape::st {

namespace {

// A header larger than this is not a tensor index but an attack or a wrong file.
constexpr std::uint64_t kMaxHeaderBytes = 100ULL * 1024 * 1024;

struct DTypeName {
    DType dtype;
    const char* name;
    std::size_t size;
};

constexpr DTypeName kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4},   {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4},   {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::Bool, "BOOL", 1},
};

bool parseDType(const std::string& name, DType& dtype)
{
    for (const auto& entry : kDTypes) {
        if (name == entry.name) {
            dtype = entry.dtype;
            return true;
        }
    }
    return false;
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            // Subnormal: normalise.
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400u) == 0) {
                mantissa <<= 1;
                --exponent;
            }
            mantissa &= 0x3ffu;
            bits = sign | (exponent << 23) | (mantissa << 13);
        }
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

Error formatError(const std::string& path, const std::string& detail)
{
    return makeError(ErrorCode::BadFormat,
                     "This is not a valid safetensors file: it is damaged or incomplete; download or export it again.",
                     path, detail);
}

} // namespace

const char* dtypeName(DType dtype)
{
    for (const auto& entry : kDTypes)
        if (entry.dtype == dtype)
            return entry.name;
    return "?";
}

std::size_t dtypeSize(DType dtype)
{
    for (const auto& entry : kDTypes)
        if (entry.dtype == dtype)
            return entry.size;
    return 0;
}

std::int64_t TensorEntry::numel() const
{
    std::int64_t n = 1;
    for (auto dim : shape)
        n *= dim;
    return n;
}

struct SafeTensorsFile::Impl {
    std::string path;
    std::uint64_t dataStart = 0;
    std::map<std::string, TensorEntry> tensors;
    std::map<std::string, std::string> metadata;
};

SafeTensorsFile::SafeTensorsFile(std::shared_ptr<const Impl> impl)
    : m_impl(std::move(impl))
{}

Result<SafeTensorsFile> SafeTensorsFile::open(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError(ErrorCode::FileNotFound, "The safetensors file does not exist; check the path.", path);
    const std::uint64_t fileSize = std::filesystem::file_size(path, ec);
    if (ec)
        return makeError(ErrorCode::FileUnreadable, "The file cannot be read; check its permissions.", path,
                         ec.message());
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileUnreadable, "The file cannot be opened; check its permissions.", path);
    if (fileSize < 8)
        return formatError(path, "file shorter than the 8-byte header length");

    unsigned char lengthBytes[8];
    in.read(reinterpret_cast<char*>(lengthBytes), 8);
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | lengthBytes[i];
    if (headerLength == 0 || headerLength > kMaxHeaderBytes || headerLength > fileSize - 8)
        return formatError(path, "header length " + std::to_string(headerLength) + " does not fit a file of "
                                     + std::to_string(fileSize) + " bytes");

    std::string header(headerLength, '\0');
    in.read(header.data(), static_cast<std::streamsize>(headerLength));
    if (!in)
        return formatError(path, "could not read the header");

    nlohmann::json json;
    try {
        json = nlohmann::json::parse(header);
    } catch (const nlohmann::json::exception& e) {
        return formatError(path, std::string("header is not JSON: ") + e.what());
    }
    if (!json.is_object())
        return formatError(path, "header is not a JSON object");

    auto impl = std::make_shared<Impl>();
    impl->path = path;
    impl->dataStart = 8 + headerLength;
    const std::uint64_t dataSize = fileSize - impl->dataStart;

    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& [name, value] : json.items()) {
        if (name == "__metadata__") {
            if (!value.is_object())
                return formatError(path, "__metadata__ is not an object");
            for (const auto& [key, text] : value.items()) {
                if (!text.is_string())
                    return formatError(path, "__metadata__ value of '" + key + "' is not a string");
                impl->metadata[key] = text.get<std::string>();
            }
            continue;
        }
        if (!value.is_object() || !value.contains("dtype") || !value.contains("shape")
            || !value.contains("data_offsets"))
            return formatError(path, "tensor '" + name + "' lacks dtype, shape or data_offsets");
        const auto& dtypeJson = value["dtype"];
        const auto& shapeJson = value["shape"];
        const auto& offsetsJson = value["data_offsets"];
        TensorEntry entry;
        if (!dtypeJson.is_string() || !parseDType(dtypeJson.get<std::string>(), entry.dtype))
            return formatError(path, "tensor '" + name + "' has an unknown dtype");
        if (!shapeJson.is_array() || shapeJson.size() > 16)
            return formatError(path, "tensor '" + name + "' has an invalid shape");
        // Overflow-safe element count: every dimension and the running product stay below 2^62.
        std::uint64_t elements = 1;
        for (const auto& dim : shapeJson) {
            if (!dim.is_number_unsigned())
                return formatError(path, "tensor '" + name + "' has a negative or non-integer dimension");
            const std::uint64_t d = dim.get<std::uint64_t>();
            if (d != 0 && elements > (std::numeric_limits<std::uint64_t>::max() >> 2) / d)
                return formatError(path, "tensor '" + name + "' claims an impossible size");
            elements *= d;
            entry.shape.push_back(static_cast<std::int64_t>(d));
        }
        if (!offsetsJson.is_array() || offsetsJson.size() != 2 || !offsetsJson[0].is_number_unsigned()
            || !offsetsJson[1].is_number_unsigned())
            return formatError(path, "tensor '" + name + "' has invalid data_offsets");
        entry.begin = offsetsJson[0].get<std::uint64_t>();
        entry.end = offsetsJson[1].get<std::uint64_t>();
        if (entry.begin > entry.end || entry.end > dataSize)
            return formatError(path, "tensor '" + name + "' points outside the file (offsets "
                                         + std::to_string(entry.begin) + ".." + std::to_string(entry.end)
                                         + ", data section " + std::to_string(dataSize) + " bytes)");
        if (elements > (entry.end - entry.begin) || elements * dtypeSize(entry.dtype) != entry.end - entry.begin)
            return formatError(path, "tensor '" + name + "' byte range does not match its shape and dtype");
        ranges.emplace_back(entry.begin, entry.end);
        impl->tensors.emplace(name, std::move(entry));
    }
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second)
            return formatError(path, "two tensors overlap in the data section");
    return SafeTensorsFile(std::move(impl));
}

const std::string& SafeTensorsFile::path() const
{
    return m_impl->path;
}
const std::map<std::string, TensorEntry>& SafeTensorsFile::tensors() const
{
    return m_impl->tensors;
}
const std::map<std::string, std::string>& SafeTensorsFile::metadata() const
{
    return m_impl->metadata;
}
bool SafeTensorsFile::contains(const std::string& name) const
{
    return m_impl->tensors.count(name) != 0;
}

Result<std::vector<std::uint8_t>> SafeTensorsFile::readBytes(const std::string& name) const
{
    const auto it = m_impl->tensors.find(name);
    if (it == m_impl->tensors.end())
        return makeError(ErrorCode::BadFormat, "The file lacks a tensor it needs; export or download it again.",
                         m_impl->path, "the tensor '" + name + "' is missing");
    const TensorEntry& entry = it->second;
    std::ifstream in(m_impl->path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileUnreadable,
                         "The file cannot be opened any more; check that it was not moved or deleted.", m_impl->path);
    std::vector<std::uint8_t> bytes(entry.end - entry.begin);
    in.seekg(static_cast<std::streamoff>(m_impl->dataStart + entry.begin));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!in)
        return makeError(ErrorCode::FileUnreadable,
                         "The file became shorter while it was read; wait until it is completely written and try "
                         "again.",
                         m_impl->path, "truncated while reading '" + name + "'");
    return bytes;
}

Result<std::vector<float>> SafeTensorsFile::readFloat32(const std::string& name) const
{
    auto bytes = readBytes(name);
    if (!bytes)
        return bytes.error();
    const DType dtype = m_impl->tensors.at(name).dtype;
    const auto& raw = bytes.value();
    std::vector<float> out;
    switch (dtype) {
    case DType::F32:
        out.resize(raw.size() / 4);
        if (!raw.empty()) // an empty tensor's buffers may be null, which memcpy must not get
            std::memcpy(out.data(), raw.data(), raw.size());
        break;
    case DType::F16:
    case DType::BF16:
        out.resize(raw.size() / 2);
        for (std::size_t i = 0; i < out.size(); ++i) {
            const std::uint16_t h = static_cast<std::uint16_t>(raw[2 * i] | (raw[2 * i + 1] << 8));
            if (dtype == DType::F16) {
                out[i] = halfToFloat(h);
            } else {
                const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
                std::memcpy(&out[i], &bits, 4);
            }
        }
        break;
    case DType::F64:
        out.resize(raw.size() / 8);
        for (std::size_t i = 0; i < out.size(); ++i) {
            double value;
            std::memcpy(&value, raw.data() + 8 * i, 8);
            out[i] = static_cast<float>(value);
        }
        break;
    default:
        return makeError(ErrorCode::Unsupported,
                         "A tensor of this file holds integers where numbers with a fraction are needed; export it "
                         "again as float32 or float16.",
                         m_impl->path, std::string("the tensor '") + name + "' holds " + dtypeName(dtype));
    }
    return out;
}

Status writeSafeTensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                        const std::map<std::string, std::string>& metadata)
{
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& tensor : tensors) {
        std::int64_t numel = 1;
        for (auto dim : tensor.shape)
            numel *= dim;
        if (static_cast<std::uint64_t>(numel) * dtypeSize(tensor.dtype) != tensor.bytes.size())
            return makeError(
                ErrorCode::InvalidArgument,
                "internal error: tensor '" + tensor.name + "' has a byte size that does not match its shape", path);
        header[tensor.name] = {{"dtype", dtypeName(tensor.dtype)},
                               {"shape", tensor.shape},
                               {"data_offsets", {offset, offset + tensor.bytes.size()}}};
        offset += tensor.bytes.size();
    }
    std::string headerText = header.dump();
    // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
    while ((headerText.size() + 8) % 8 != 0)
        headerText.push_back(' ');
    std::string bytes;
    bytes.reserve(8 + headerText.size() + offset);
    const std::uint64_t length = headerText.size();
    for (int i = 0; i < 8; ++i)
        bytes.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
    bytes += headerText;
    for (const auto& tensor : tensors)
        bytes.append(reinterpret_cast<const char*>(tensor.bytes.data()), tensor.bytes.size());
    return writeFileAtomically(path, bytes);
}

TensorToWrite float32Tensor(std::string name, std::vector<std::int64_t> shape, const float* data)
{
    std::int64_t numel = 1;
    for (auto dim : shape)
        numel *= dim;
    TensorToWrite tensor;
    tensor.name = std::move(name);
    tensor.dtype = DType::F32;
    tensor.shape = std::move(shape);
    tensor.bytes.resize(static_cast<std::size_t>(numel) * 4);
    if (numel > 0)
        std::memcpy(tensor.bytes.data(), data, tensor.bytes.size());
    return tensor;
}

} // namespace aape::st
