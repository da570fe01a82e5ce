#pragma once
// NumPy .npy files (format version 1.0) of 2-D float matrices, as NumPy, clip-retrieval and
// embedding-reader read and write them: little-endian float32 ('<f4') or float16 ('<f2'),
// C order. Pure functions and a single-owner writer: any thread, one writer per file.

#include "aape/util/Error.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace aape {

enum class NpyType { Float32, Float16 };

// IEEE 754 binary16 conversions, round to nearest even (as NumPy's astype(float16)).
std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t half);

struct NpyMatrix {
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    NpyType type = NpyType::Float32;
    std::vector<float> values;          // [rows, cols], float16 files widened exactly
    std::vector<unsigned char> rawData; // the file's data bytes as stored (for bit comparisons)
};

// Reads a 2-D (or 1-D: one column) '<f4' or '<f2' array in C order, versions 1.0 to 3.0.
Result<NpyMatrix> readNpy(const std::string& path);
// Only the shape and type, from the header.
Result<NpyMatrix> readNpyHeader(const std::string& path);

// Streams rows of `cols` floats into `path`: the data goes to "<path>.partial" and the file
// appears under its name only when finish() succeeds, so a killed writer leaves no
// complete-looking file. The header is written last, with the number of rows appended.
class NpyWriter final {
public:
    NpyWriter(std::string path, std::int64_t cols, NpyType type);
    ~NpyWriter(); // an unfinished file is removed
    NpyWriter(const NpyWriter&) = delete;
    NpyWriter& operator=(const NpyWriter&) = delete;

    Status open();
    Status append(const float* values, std::int64_t rows); // [rows, cols]
    Status finish();
    std::int64_t rows() const { return m_rows; }

private:
    std::string m_path;
    std::string m_partial;
    std::int64_t m_cols = 0;
    std::int64_t m_rows = 0;
    NpyType m_type = NpyType::Float32;
    std::FILE* m_file = nullptr;
};

// Writes a whole matrix at once (through NpyWriter).
Status writeNpy(const std::string& path, const std::vector<float>& values, std::int64_t rows, std::int64_t cols,
                NpyType type);

} // namespace aape
