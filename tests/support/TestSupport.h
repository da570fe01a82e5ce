#pragma once
// Fixtures shared by the test suites: temporary folders and small files made on the fly.
// No torch in this header, so widget tests may include it.

#include "aape/geo/SyntheticScene.h"

#include <string>
#include <vector>

namespace aape::test {

// A fresh folder under the system temp dir, removed with the object.
class TempDir final {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& relative) const { return m_path + "/" + relative; }

private:
    std::string m_path;
};

void writeTextFile(const std::string& path, const std::string& text);
void writeBinaryFile(const std::string& path, const std::vector<unsigned char>& bytes);
std::string readTextFile(const std::string& path);
std::vector<unsigned char> readBinaryFile(const std::string& path);

// The aape command line run in this process: exit status and what it printed.
struct CliResult {
    int code = 0;
    std::string out;
    std::string err;
};
CliResult runCli(std::vector<std::string> args); // args without the program name

// A square generated scene (aape/geo/SyntheticScene.h): `size` pixels a side, `bands` bands,
// land-cover blocks of `blockSize` pixels.
geo::SyntheticSceneSpec squareScene(int size, int bands, int blockSize);

// Empty when two class maps (aape/geo/ClassMap.h: band 1 the class, 2 the top probability, 3 the
// OOD score) have the same size, CRS and geotransform, equal classes, and probabilities and
// scores within 1e-4; else what differs first.
std::string classMapDifference(const std::string& expected, const std::string& actual);

} // namespace aape::test
