// Writes the binary seed inputs of the fuzzers (images, safetensors files, bundles) into
// <corpus>/<parser>/. Run once by hand when the formats change; the output is committed:
//   fuzz_make_seeds tests/fuzz/corpus
#include "aape/util/SafeTensors.h"

#include <opencv2/imgcodecs.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace aape;

namespace {

void writeSeed(const fs::path& path, std::uint8_t flag, const std::vector<std::uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.put(static_cast<char>(flag));
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> encode(const std::string& extension, const cv::Mat& image)
{
    std::vector<std::uint8_t> bytes;
    cv::imencode(extension, image, bytes);
    return bytes;
}

void images(const fs::path& dir)
{
    fs::create_directories(dir);
    cv::Mat rgb(5, 7, CV_8UC3);
    cv::randu(rgb, 0, 255);
    writeSeed(dir / "one-pixel.png", 0, encode(".png", cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3))));
    writeSeed(dir / "rgb.png", 0, encode(".png", rgb));
    writeSeed(dir / "rgb.jpg", 0, encode(".jpg", rgb));
    writeSeed(dir / "rgb.bmp", 1, encode(".bmp", rgb));
    writeSeed(dir / "rgb.webp", 0, encode(".webp", rgb));
    writeSeed(dir / "rgb.ppm", 0, encode(".ppm", rgb));
    cv::Mat grey(6, 4, CV_8UC1);
    cv::randu(grey, 0, 255);
    writeSeed(dir / "grey.pgm", 0, encode(".pgm", grey));
    writeSeed(dir / "grey.jpg", 0, encode(".jpg", grey));
    cv::Mat rgba(4, 4, CV_8UC4);
    cv::randu(rgba, 0, 255);
    writeSeed(dir / "alpha.png", 0, encode(".png", rgba));
    cv::Mat deep(4, 5, CV_16UC3);
    cv::randu(deep, 0, 65535);
    writeSeed(dir / "deep16.png", 0, encode(".png", deep));
    writeSeed(dir / "deep16.tif", 4, encode(".tiff", deep));
    cv::Mat deepGrey(3, 3, CV_16UC1);
    cv::randu(deepGrey, 0, 65535);
    writeSeed(dir / "deep16-grey.png", 6 | (0 << 4), encode(".png", deepGrey));
    cv::Mat real(3, 4, CV_32FC1);
    cv::randu(real, 0.0, 1.0);
    writeSeed(dir / "float.tif", 4, encode(".tiff", real));
    auto truncated = encode(".jpg", rgb);
    truncated.resize(truncated.size() / 2);
    writeSeed(dir / "truncated.jpg", 0, truncated);
    const std::string text = "this is not an image\n";
    writeSeed(dir / "not-an-image.txt", 0, {text.begin(), text.end()});
}

st::TensorToWrite tensor(const std::string& name, st::DType dtype, std::vector<std::int64_t> shape, std::size_t bytes)
{
    st::TensorToWrite t;
    t.name = name;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.bytes.resize(bytes);
    for (std::size_t i = 0; i < bytes; ++i)
        t.bytes[i] = static_cast<std::uint8_t>(i * 37 + 11);
    return t;
}

void safetensors(const fs::path& dir)
{
    fs::create_directories(dir);
    const float values[6] = {0.5f, -1.0f, 2.0f, 3.5f, 0.0f, 1e-3f};
    (void)st::writeSafeTensors((dir / "floats.safetensors").string(),
                               {st::float32Tensor("a.weight", {2, 3}, values), st::float32Tensor("scalar", {}, values),
                                tensor("half", st::DType::F16, {3}, 6), tensor("bf", st::DType::BF16, {2, 1}, 4),
                                tensor("double", st::DType::F64, {1}, 8), tensor("ids", st::DType::I64, {2}, 16),
                                tensor("empty", st::DType::F32, {0, 4}, 0)},
                               {{"format", "pt"}});
    (void)st::writeSafeTensors((dir / "empty.safetensors").string(), {});
}

void bundle(const fs::path& dir)
{
    fs::create_directories(dir);
    const std::int64_t d = 16, r = 1, classes = 2;
    std::vector<float> ones(static_cast<std::size_t>(2 * d * d), 0.125f);
    const float scale = 100.0f;
    nlohmann::json manifest = {
        {"format", "aape-prompt-generator"}, {"format_version", 1}, {"dim", d}, {"class_names", {"Sea Lake", "海湾"}}};
    (void)st::writeSafeTensors(
        (dir / "tiny.aape.safetensors").string(),
        {st::float32Tensor("h.fc1.weight", {r, d}, ones.data()), st::float32Tensor("h.fc1.bias", {r}, ones.data()),
         st::float32Tensor("h.fc2.weight", {d, r}, ones.data()), st::float32Tensor("h.fc2.bias", {d}, ones.data()),
         st::float32Tensor("g.weight", {d, 2 * d}, ones.data()), st::float32Tensor("g.bias", {d}, ones.data()),
         st::float32Tensor("class_embeddings", {classes, d}, ones.data()),
         st::float32Tensor("logit_scale", {}, &scale)},
        {{"aape", manifest.dump()}});
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: fuzz_make_seeds CORPUS_DIR\n";
        return 2;
    }
    const fs::path corpus = argv[1];
    images(corpus / "image_decode");
    safetensors(corpus / "safetensors");
    bundle(corpus / "bundle");
    return 0;
}
