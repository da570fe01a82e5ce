#include "FuzzTargets.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#ifndef AAPE_SOURCE_DIR
#error "AAPE_SOURCE_DIR must name the source tree (for resources/demo-clip)"
#endif

namespace fs = std::filesystem;

namespace aape::fuzz {

namespace {

void removeScratch()
{
    std::error_code ec;
    fs::remove_all(scratchDir(), ec);
}

} // namespace

const fs::path& scratchDir()
{
    static const fs::path dir = [] {
        std::error_code ec;
        const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string pattern = (base / "aape-fuzz-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot create a scratch folder in " + base.string());
        std::atexit(removeScratch);
        return fs::path(pattern);
    }();
    return dir;
}

void writeFile(const fs::path& path, const std::uint8_t* data, std::size_t size)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

void writeFile(const fs::path& path, const std::string& bytes)
{
    writeFile(path, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

fs::path demoClipDir()
{
    return fs::path(AAPE_SOURCE_DIR) / "resources" / "demo-clip";
}

} // namespace aape::fuzz
