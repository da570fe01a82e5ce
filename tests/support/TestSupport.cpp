#include "TestSupport.h"

#include "cli/Cli.h"

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

} // namespace aape::test
