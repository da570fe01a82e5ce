#include "TinyClip.h"

#include "BpeFixture.h"

#include "aape/clip/CheckpointWriter.h"

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace aape::test {

TinyClipPaths writeTinyClip(const std::string& folder, std::uint64_t seed, bool quickGelu)
{
    const fs::path root(folder);
    const BpeFixtureFiles vocab = writeBpeFixture((root / "vocab").string());
    auto config = clip::clipPreset("tiny");
    if (!config)
        throw std::runtime_error(config.error().toString());
    clip::RandomClipOptions options;
    options.config = config.value();
    options.config.text.vocabSize = bpeFixtureEndOfText() + 1;
    options.config.activation = quickGelu ? clip::Activation::QuickGelu : clip::Activation::Gelu;
    options.seed = seed;
    options.perturbNorms = true;
    options.logitScaleLog = 2.7271f;
    if (auto status = clip::writeRandomClipInAllFormats(folder, options); !status)
        throw std::runtime_error(status.error().toString());

    auto copy = [](const std::string& from, const fs::path& to) {
        fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    };
    for (const char* sub : {"hf", "hf-sharded"}) {
        copy(vocab.vocabJson, root / sub / "vocab.json");
        copy(vocab.merges, root / sub / "merges.txt");
    }
    copy(vocab.bpeGz, root / "bpe_simple_vocab_16e6.txt.gz");
    copy(vocab.bpeGz, root / "open_clip" / "bpe_simple_vocab_16e6.txt.gz");

    TinyClipPaths paths;
    paths.huggingFace = (root / "hf").string();
    paths.huggingFaceSharded = (root / "hf-sharded").string();
    paths.openAiArchive = (root / "openai.pt").string();
    paths.openClipPt = (root / "open_clip" / "model.pt").string();
    paths.openClipSafetensors = (root / "open_clip" / "model.safetensors").string();
    paths.vocabSize = options.config.text.vocabSize;
    return paths;
}

Result<data::DemoProject> writeTinyDemo(const std::string& folder, const std::string& clipFolder, int imagesPerClass)
{
    data::DemoOptions options;
    if (imagesPerClass > 0)
        options.imagesPerClass = imagesPerClass;
    options.clipPath = writeTinyClip(clipFolder).huggingFace;
    options.progress = [](const std::string&, std::size_t, std::size_t) {};
    return data::writeDemoProject(folder, options);
}

} // namespace aape::test
