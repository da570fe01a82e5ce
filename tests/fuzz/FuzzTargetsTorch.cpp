// The fuzz harnesses of parsers that live in the LibTorch library (aape_tensor).
#include "FuzzTargets.h"

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipModel.h"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace aape::fuzz {

int hfConfig(const std::uint8_t* data, std::size_t size)
{
    // A Hugging Face folder with the demo CLIP's weights and the input's config files.
    const fs::path folder = scratchDir() / "hf model";
    std::error_code ec;
    if (!fs::exists(folder / "model.safetensors", ec)) {
        fs::create_directories(folder);
        fs::create_symlink(demoClipDir() / "model.safetensors", folder / "model.safetensors");
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string_view separator(kPartSeparator);
    const std::size_t at = text.find(separator);
    writeFile(folder / "config.json", std::string(text.substr(0, at)));
    if (at == std::string_view::npos)
        fs::remove(folder / "preprocessor_config.json", ec);
    else
        writeFile(folder / "preprocessor_config.json", std::string(text.substr(at + separator.size())));
    (void)clip::inspectCheckpoint(folder.string());
    return 0;
}

int bundle(const std::uint8_t* data, std::size_t size)
{
    const fs::path file = scratchDir() / "input.aape.safetensors";
    writeFile(file, data, size);
    auto loaded = Bundle::load(file.string());
    if (!loaded.ok())
        return 0;
    const Bundle& b = loaded.value();
    if (b.dim <= 0 || b.classCount() <= 0)
        std::abort(); // load() promises a usable generator
    std::vector<float> image(static_cast<std::size_t>(b.dim), 1.0f / std::sqrt(static_cast<float>(b.dim)));
    auto logits = predict(b, image);
    if (logits.ok() && logits->size() != static_cast<std::size_t>(b.classCount()))
        std::abort();
    return 0;
}

} // namespace aape::fuzz
