#include "FuzzTargets.h"

#include "aape/clip/ImagePreprocessor.h"
#include "aape/clip/Tokenizer.h"
#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/store/Project.h"
#include "aape/util/SafeTensors.h"

#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace aape::fuzz {

namespace {

// Tensors larger than this are checked but not read: reading is a plain copy, and a valid
// file of that size would only slow the fuzzer down.
constexpr std::uint64_t kMaxBytesToRead = 1 << 20;

std::vector<std::string> splitParts(const std::uint8_t* data, std::size_t size, std::size_t maxParts)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string_view separator(kPartSeparator);
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (parts.size() + 1 < maxParts) {
        const std::size_t at = text.find(separator, start);
        if (at == std::string_view::npos)
            break;
        parts.emplace_back(text.substr(start, at - start));
        start = at + separator.size();
    }
    parts.emplace_back(text.substr(start));
    return parts;
}

// The project every import starts from: classes in several scripts, created once and copied
// for each input so that no input changes what the next one sees.
const fs::path& templateProject()
{
    static const fs::path path = [] {
        const fs::path file = scratchDir() / "template.aapeproj";
        auto project = store::Project::create(file.string());
        if (!project.ok())
            throw std::runtime_error(project.error().toString());
        for (const char* name :
             {"Annual Crop", "forest", "Sea Lake", "Straße", "海湾", "Ελιά", "кот", "ナ ミ", "مدينة"}) {
            if (!project->ensureClass(name).ok())
                throw std::runtime_error("cannot create the fuzzing project's classes");
        }
        return file;
    }();
    return path;
}

store::Project freshProject()
{
    const fs::path& source = templateProject();
    const fs::path file = scratchDir() / "input.aapeproj";
    // A copy of the template for every input. Once in 126,000 runs the copy opened as an empty
    // database (not reproducible from the input); so the copy is checked, and made again once
    // before the harness gives up, so that only a real failure stops the fuzzer.
    std::string problem;
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(file.string() + suffix, ec);
        if (!fs::copy_file(source, file, fs::copy_options::overwrite_existing, ec) || ec) {
            problem = "copying the fuzzing project failed: " + ec.message();
            continue;
        }
        auto project = store::Project::open(file.string());
        if (project.ok())
            return std::move(project).value();
        problem = project.error().toString();
    }
    throw std::runtime_error(problem);
}

// Images the CSV and split fuzzers may name: "a.png", "b.jpg", "sub dir/ünï côdé.png".
const fs::path& imageRoot()
{
    static const fs::path root = [] {
        const fs::path dir = scratchDir() / "images";
        fs::create_directories(dir / "sub dir");
        const cv::Mat pixels(4, 3, CV_8UC3, cv::Scalar(10, 200, 30));
        cv::imwrite((dir / "a.png").string(), pixels);
        cv::imwrite((dir / "b.jpg").string(), pixels);
        cv::imwrite((dir / "sub dir" / "ünï côdé.png").string(), pixels);
        return dir;
    }();
    return root;
}

const clip::Tokenizer& demoTokenizer()
{
    static const clip::Tokenizer tokenizer = [] {
        auto loaded = clip::Tokenizer::fromHuggingFace((demoClipDir() / "vocab.json").string(),
                                                       (demoClipDir() / "merges.txt").string());
        if (!loaded.ok())
            throw std::runtime_error(loaded.error().toString());
        return std::move(loaded).value();
    }();
    return tokenizer;
}

void exerciseTokenizer(const clip::Tokenizer& tokenizer, std::string_view text)
{
    const auto ids = tokenizer.tokenize(text, true);
    if (ids.size() > static_cast<std::size_t>(clip::Tokenizer::kContextLength))
        std::abort(); // truncation must hold whatever the text
    const auto all = tokenizer.tokenize(text, false);
    (void)tokenizer.decode(all);
    (void)tokenizer.encode(text);
    (void)tokenizer.vocabSize();
}

} // namespace

int safeTensors(const std::uint8_t* data, std::size_t size)
{
    const fs::path file = scratchDir() / "input.safetensors";
    writeFile(file, data, size);
    auto opened = st::SafeTensorsFile::open(file.string());
    if (!opened.ok())
        return 0;
    for (const auto& [name, entry] : opened->tensors()) {
        if (entry.end - entry.begin > kMaxBytesToRead)
            continue;
        auto floats = opened->readFloat32(name);
        if (floats.ok() && floats->size() * 4 > (entry.end - entry.begin) * 2)
            std::abort(); // at most 2 bytes per element in, 4 out
        (void)opened->readBytes(name);
    }
    return 0;
}

int hfTokenizerFiles(const std::uint8_t* data, std::size_t size)
{
    const auto parts = splitParts(data, size, 2);
    const fs::path vocab = scratchDir() / "vocab.json";
    const fs::path merges = scratchDir() / "merges.txt";
    writeFile(vocab, parts[0]);
    writeFile(merges, parts.size() > 1 ? parts[1] : std::string("#version: 0.2\n"));
    auto tokenizer = clip::Tokenizer::fromHuggingFace(vocab.string(), merges.string());
    if (tokenizer.ok())
        exerciseTokenizer(tokenizer.value(), "A photo of a Sea Lake, 海湾 &amp; forest!");
    return 0;
}

int bpeVocabulary(const std::uint8_t* data, std::size_t size)
{
    const fs::path file = scratchDir() / "bpe_simple_vocab_16e6.txt";
    writeFile(file, data, size);
    auto tokenizer = clip::Tokenizer::fromBpeFile(file.string());
    if (tokenizer.ok())
        exerciseTokenizer(tokenizer.value(), "a photo of a sea lake, straße 42");
    return 0;
}

int tokenize(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    exerciseTokenizer(demoTokenizer(), text);
    (void)clip::cleanTextForClip(text);
    std::vector<std::int32_t> ids(size / 4);
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] =
            static_cast<std::int32_t>(std::uint32_t(data[4 * i]) | std::uint32_t(data[4 * i + 1]) << 8
                                      | std::uint32_t(data[4 * i + 2]) << 16 | std::uint32_t(data[4 * i + 3]) << 24);
    (void)demoTokenizer().decode(ids);
    (void)data::normaliseClassName(std::string(text));
    return 0;
}

int cuplJson(const std::uint8_t* data, std::size_t size)
{
    store::Project project = freshProject();
    const fs::path file = scratchDir() / "descriptions ü.json";
    writeFile(file, data, size);
    (void)data::importCuplJson(project, file.string());
    auto classes = project.classes();
    if (classes.ok() && !classes->empty())
        (void)data::importDescriptionLines(project, classes->front().id, file.string());
    return 0;
}

int coopSplit(const std::uint8_t* data, std::size_t size)
{
    store::Project project = freshProject();
    const fs::path file = scratchDir() / "split_zhou_fuzz.json";
    writeFile(file, data, size);
    (void)data::importCoopSplit(project, file.string(), imageRoot().string());
    return 0;
}

int labelCsv(const std::uint8_t* data, std::size_t size)
{
    store::Project project = freshProject();
    const fs::path file = scratchDir() / "labels.csv";
    writeFile(file, data, size);
    (void)data::importCsv(project, file.string(), imageRoot().string());
    return 0;
}

int imageDecode(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the decoding options; the rest is the file.
    const std::uint8_t flags = data[0];
    clip::DecodeOptions options;
    if (flags & 1)
        options.bands = {2, 1, 0};
    if (flags & 2)
        options.bands = {0, 0, flags >> 4};
    if (flags & 4) {
        options.lowPercentile = 2.0;
        options.highPercentile = 98.0;
    }
    const std::vector<std::uint8_t> bytes(data + 1, data + size);
    auto decoded = clip::decodeImageRgb8(bytes, "fuzz input", options);
    if (!decoded.ok())
        return 0;
    const cv::Mat& rgb = decoded.value();
    if (rgb.empty() || rgb.type() != CV_8UC3)
        std::abort(); // the contract: a non-empty 8-bit RGB image or an error
    // Resizing costs time in proportion to the pixels: a valid 15,000 × 20,000 image that the
    // fuzzer built took 72 s to preprocess under ASan and coverage and hit the per-input
    // timeout. Large images take the same code paths as smaller ones, so preprocessing is
    // fuzzed up to 16 megapixels, decoding at any size.
    constexpr double kMaxPreprocessedPixels = 16.0e6;
    if (static_cast<double>(rgb.total()) > kMaxPreprocessedPixels)
        return 0;
    clip::PreprocessConfig config;
    config.imageSize = 16 + (flags >> 3);
    const auto view = clip::preprocessForModel(rgb, config);
    if (view.tensor.size() != static_cast<std::size_t>(3 * config.imageSize * config.imageSize))
        std::abort();
    std::mt19937_64 rng(flags);
    const auto training = clip::randomTrainingView(rgb, config, rng);
    if (training.tensor.size() != view.tensor.size())
        std::abort();
    return 0;
}

} // namespace aape::fuzz
