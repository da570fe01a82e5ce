#include "aape/util/Npy.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <system_error>

namespace aape {

namespace {

// The header is always padded to this size: the row count, known only at the end, is
// written into the same space (the format asks for a multiple of 64 bytes).
constexpr std::size_t kHeaderBytes = 128;
constexpr char kMagic[] = "\x93NUMPY";

std::string headerText(std::int64_t rows, std::int64_t cols, NpyType type)
{
    std::string dict = std::string("{'descr': '") + (type == NpyType::Float16 ? "<f2" : "<f4")
                       + "', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " + std::to_string(cols)
                       + "), }";
    const std::size_t prefix = 10; // magic (6), version (2), header length (2)
    dict.append(kHeaderBytes - prefix - dict.size() - 1, ' ');
    dict.push_back('\n');
    std::string header(kMagic, 6);
    header.push_back('\x01');
    header.push_back('\x00');
    const auto length = static_cast<std::uint16_t>(dict.size());
    header.push_back(static_cast<char>(length & 0xff));
    header.push_back(static_cast<char>(length >> 8));
    return header + dict;
}

Error badNpy(const std::string& path, const std::string& detail)
{
    return makeError(ErrorCode::BadFormat,
                     "This is not an embedding file of the expected kind (a NumPy .npy matrix of float32 or float16); "
                     "it may be damaged or from another tool.",
                     path, detail);
}

std::size_t elementBytes(NpyType type)
{
    return type == NpyType::Float16 ? 2 : 4;
}

Result<NpyMatrix> parseHeader(std::ifstream& in, const std::string& path, std::size_t& dataOffset)
{
    char prefix[8];
    if (!in.read(prefix, 8) || std::memcmp(prefix, kMagic, 6) != 0)
        return badNpy(path, "no NumPy magic");
    const int major = static_cast<unsigned char>(prefix[6]);
    std::uint32_t length = 0;
    if (major == 1) {
        unsigned char bytes[2];
        if (!in.read(reinterpret_cast<char*>(bytes), 2))
            return badNpy(path, "truncated header");
        length = bytes[0] | (bytes[1] << 8);
        dataOffset = 10 + length;
    } else if (major == 2 || major == 3) {
        unsigned char bytes[4];
        if (!in.read(reinterpret_cast<char*>(bytes), 4))
            return badNpy(path, "truncated header");
        length = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
        dataOffset = 12 + length;
    } else {
        return badNpy(path, "format version " + std::to_string(major));
    }
    if (length > (1u << 20))
        return badNpy(path, "header of " + std::to_string(length) + " bytes");
    std::string dict(length, '\0');
    if (!in.read(dict.data(), length))
        return badNpy(path, "truncated header");

    NpyMatrix matrix;
    std::smatch match;
    static const std::regex descr(R"('descr'\s*:\s*'([<>|=])f([248])')");
    if (!std::regex_search(dict, match, descr))
        return badNpy(path, "descr is not a float type: " + dict);
    if (match[1] == ">" || match[2] == "8")
        return badNpy(path, "unsupported element type " + match[0].str());
    matrix.type = match[2] == "2" ? NpyType::Float16 : NpyType::Float32;
    static const std::regex fortran(R"('fortran_order'\s*:\s*True)");
    if (std::regex_search(dict, fortran))
        return badNpy(path, "Fortran order");
    static const std::regex shape2(R"('shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\))");
    static const std::regex shape1(R"('shape'\s*:\s*\(\s*(\d+)\s*,\s*\))");
    if (std::regex_search(dict, match, shape2)) {
        matrix.rows = std::stoll(match[1]);
        matrix.cols = std::stoll(match[2]);
    } else if (std::regex_search(dict, match, shape1)) {
        matrix.rows = std::stoll(match[1]);
        matrix.cols = 1;
    } else {
        return badNpy(path, "shape is not 1-D or 2-D: " + dict);
    }
    return matrix;
}

} // namespace

std::uint16_t floatToHalf(float value)
{
    // NumPy's npy_floatbits_to_halfbits: round to nearest even, overflow to infinity.
    std::uint32_t f;
    std::memcpy(&f, &value, 4);
    const auto sign = static_cast<std::uint16_t>((f & 0x80000000u) >> 16);
    std::uint32_t exponent = f & 0x7f800000u;
    if (exponent >= 0x47800000u) {
        if (exponent == 0x7f800000u) {
            const std::uint32_t significand = f & 0x007fffffu;
            if (significand != 0) {
                auto nan = static_cast<std::uint16_t>(0x7c00u + (significand >> 13));
                if (nan == 0x7c00u)
                    ++nan;
                return static_cast<std::uint16_t>(sign + nan);
            }
        }
        return static_cast<std::uint16_t>(sign + 0x7c00u);
    }
    if (exponent <= 0x38000000u) {
        if (exponent < 0x33000000u)
            return sign;
        exponent >>= 23;
        std::uint32_t significand = 0x00800000u + (f & 0x007fffffu);
        significand >>= (113 - exponent);
        if ((significand & 0x3fffu) != 0x1000u || (f & 0x7ffu) != 0)
            significand += 0x1000u;
        return static_cast<std::uint16_t>(sign + (significand >> 13));
    }
    const auto halfExponent = static_cast<std::uint16_t>((exponent - 0x38000000u) >> 13);
    std::uint32_t significand = f & 0x007fffffu;
    if ((significand & 0x3fffu) != 0x1000u)
        significand += 0x1000u;
    auto half = static_cast<std::uint16_t>(significand >> 13);
    half = static_cast<std::uint16_t>(half + halfExponent); // a carry rounds up into the exponent
    return static_cast<std::uint16_t>(sign + half);
}

float halfToFloat(std::uint16_t half)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
    std::uint32_t exponent = (half >> 10) & 0x1fu;
    std::uint32_t mantissa = half & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
}

Result<NpyMatrix> readNpyHeader(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, "The embedding file could not be opened.", path);
    std::size_t offset = 0;
    return parseHeader(in, path, offset);
}

Result<NpyMatrix> readNpy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, "The embedding file could not be opened.", path);
    std::size_t offset = 0;
    auto header = parseHeader(in, path, offset);
    if (!header)
        return header.error();
    NpyMatrix matrix = std::move(header).value();
    std::error_code ec;
    const auto fileSize = std::filesystem::file_size(path, ec);
    const auto count = static_cast<std::uint64_t>(matrix.rows) * static_cast<std::uint64_t>(matrix.cols);
    const std::uint64_t bytes = count * elementBytes(matrix.type);
    if (ec || fileSize != offset + bytes)
        return badNpy(path, "file size " + std::to_string(fileSize) + ", header says " + std::to_string(offset) + " + "
                                + std::to_string(bytes));
    in.seekg(static_cast<std::streamoff>(offset));
    matrix.rawData.resize(bytes);
    if (!in.read(reinterpret_cast<char*>(matrix.rawData.data()), static_cast<std::streamsize>(bytes)))
        return badNpy(path, "truncated data");
    matrix.values.resize(count);
    const unsigned char* raw = matrix.rawData.data();
    for (std::uint64_t i = 0; i < count; ++i) {
        if (matrix.type == NpyType::Float16) {
            matrix.values[i] = halfToFloat(static_cast<std::uint16_t>(raw[2 * i] | (raw[2 * i + 1] << 8)));
        } else {
            const std::uint32_t bits = raw[4 * i] | (raw[4 * i + 1] << 8) | (raw[4 * i + 2] << 16)
                                       | (static_cast<std::uint32_t>(raw[4 * i + 3]) << 24);
            std::memcpy(&matrix.values[i], &bits, 4);
        }
    }
    return matrix;
}

NpyWriter::NpyWriter(std::string path, std::int64_t cols, NpyType type)
    : m_path(std::move(path))
    , m_partial(m_path + ".partial")
    , m_cols(cols)
    , m_type(type)
{}

NpyWriter::~NpyWriter()
{
    if (m_file) {
        std::fclose(m_file);
        std::error_code ec;
        std::filesystem::remove(m_partial, ec);
    }
}

Status NpyWriter::open()
{
    m_file = std::fopen(m_partial.c_str(), "wb");
    if (!m_file)
        return makeError(ErrorCode::FileWrite,
                         "The embedding file could not be created; check the folder's permissions.", m_partial,
                         std::strerror(errno));
    const std::string header = headerText(0, m_cols, m_type);
    if (std::fwrite(header.data(), 1, header.size(), m_file) != header.size())
        return makeError(ErrorCode::FileWrite, "The embedding file could not be written; is the disk full?", m_partial);
    return {};
}

Status NpyWriter::append(const float* values, std::int64_t rows)
{
    const std::size_t count = static_cast<std::size_t>(rows * m_cols);
    std::vector<unsigned char> bytes(count * elementBytes(m_type));
    for (std::size_t i = 0; i < count; ++i) {
        if (m_type == NpyType::Float16) {
            const std::uint16_t half = floatToHalf(values[i]);
            bytes[2 * i] = static_cast<unsigned char>(half & 0xff);
            bytes[2 * i + 1] = static_cast<unsigned char>(half >> 8);
        } else {
            std::uint32_t bits;
            std::memcpy(&bits, &values[i], 4);
            for (int b = 0; b < 4; ++b)
                bytes[4 * i + static_cast<std::size_t>(b)] = static_cast<unsigned char>((bits >> (8 * b)) & 0xff);
        }
    }
    if (!m_file || std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size())
        return makeError(ErrorCode::FileWrite, "The embedding file could not be written; is the disk full?", m_partial);
    m_rows += rows;
    return {};
}

Status NpyWriter::finish()
{
    const std::string header = headerText(m_rows, m_cols, m_type);
    const bool written = m_file && std::fseek(m_file, 0, SEEK_SET) == 0
                         && std::fwrite(header.data(), 1, header.size(), m_file) == header.size()
                         && std::fflush(m_file) == 0;
    const bool closed = m_file && std::fclose(m_file) == 0;
    m_file = nullptr;
    std::error_code ec;
    if (!written || !closed) {
        std::filesystem::remove(m_partial, ec);
        return makeError(ErrorCode::FileWrite, "The embedding file could not be written; is the disk full?", m_partial);
    }
    std::filesystem::rename(m_partial, m_path, ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "The embedding file could not be put in place.", m_path, ec.message());
    return {};
}

Status writeNpy(const std::string& path, const std::vector<float>& values, std::int64_t rows, std::int64_t cols,
                NpyType type)
{
    NpyWriter writer(path, cols, type);
    if (auto status = writer.open(); !status)
        return status;
    if (auto status = writer.append(values.data(), rows); !status)
        return status;
    return writer.finish();
}

} // namespace aape
