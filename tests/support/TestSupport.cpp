#include "TestSupport.h"

#include "cli/Cli.h"

#include "aape/geo/Scene.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace aape::test {

TempDir::TempDir()
{
    std::random_device device;
    std::mt19937_64 rng(device());
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path candidate = fs::temp_directory_path() / ("aape-test-" + std::to_string(rng() % 1000000000ULL));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            m_path = candidate.string();
            return;
        }
    }
    throw std::runtime_error("could not create a temporary folder");
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void writeTextFile(const std::string& path, const std::string& text)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out)
        throw std::runtime_error("could not write " + path);
}

void writeBinaryFile(const std::string& path, const std::vector<unsigned char>& bytes)
{
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("could not write " + path);
}

std::string readTextFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<unsigned char> readBinaryFile(const std::string& path)
{
    const std::string text = readTextFile(path);
    return {text.begin(), text.end()};
}

CliResult runCli(std::vector<std::string> args)
{
    args.insert(args.begin(), "aape");
    std::vector<const char*> argv;
    for (const auto& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    CliResult result;
    result.code = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
}

geo::SyntheticSceneSpec squareScene(int size, int bands, int blockSize)
{
    geo::SyntheticSceneSpec spec;
    spec.width = size;
    spec.height = size;
    spec.bands = bands;
    spec.blockSize = blockSize;
    return spec;
}

std::string classMapDifference(const std::string& expected, const std::string& actual)
{
    auto a = geo::SceneReader::open(expected);
    if (!a)
        return a.error().toString();
    auto b = geo::SceneReader::open(actual);
    if (!b)
        return b.error().toString();
    const geo::SceneInfo& x = a->info();
    const geo::SceneInfo& y = b->info();
    if (x.width != y.width || x.height != y.height || x.bands.size() != 3 || y.bands.size() != 3)
        return "sizes differ: " + std::to_string(x.width) + " x " + std::to_string(x.height) + " x "
               + std::to_string(x.bands.size()) + " against " + std::to_string(y.width) + " x "
               + std::to_string(y.height) + " x " + std::to_string(y.bands.size());
    if (x.crsName != y.crsName)
        return "CRS " + x.crsName + " against " + y.crsName;
    if (x.geoTransform != y.geoTransform)
        return "the geotransforms differ";
    auto pa = a->readAllBands({0, 0, x.width, x.height});
    auto pb = b->readAllBands({0, 0, y.width, y.height});
    if (!pa || !pb)
        return "a map's pixels cannot be read";
    for (int row = 0; row < x.height; ++row)
        for (int column = 0; column < x.width; ++column) {
            const float* p = pa->ptr<float>(row) + column * 3;
            const float* q = pb->ptr<float>(row) + column * 3;
            if (p[0] != q[0] || std::abs(p[1] - q[1]) >= 1e-4f || std::abs(p[2] - q[2]) >= 1e-4f)
                return "tile (" + std::to_string(column) + ", " + std::to_string(row) + "): class "
                       + std::to_string(p[0]) + ", p " + std::to_string(p[1]) + ", OOD " + std::to_string(p[2])
                       + " against class " + std::to_string(q[0]) + ", p " + std::to_string(q[1]) + ", OOD "
                       + std::to_string(q[2]);
        }
    return {};
}

} // namespace aape::test
