#include "cli/Commands.h"

#include "aape/clip/ClipModel.h"
#include "aape/clip/ImagePreprocessor.h"
#include "aape/util/Error.h"

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace aape::cli {
namespace {

struct PreprocessOptions {
    std::string model;
    std::string image;
    std::string pngPath;
    std::string tensorPath;
};

Status writeBytes(const std::string& path, const char* data, std::size_t size, const char* what)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data, static_cast<std::streamsize>(size));
    out.close();
    if (!out)
        return makeError(ErrorCode::FileWrite,
                         std::string("Could not write the ") + what + "; check that the folder exists and is writable.",
                         path);
    return {};
}

Status writePng(const cv::Mat& rgb, const std::string& path)
{
    std::vector<std::uint8_t> encoded;
    try {
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        if (!cv::imencode(".png", bgr, encoded))
            return makeError(ErrorCode::FileWrite, "Could not encode the model's view as PNG.", path);
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::FileWrite, "Could not encode the model's view as PNG.", path, e.what());
    }
    return writeBytes(path, reinterpret_cast<const char*>(encoded.data()), encoded.size(), "PNG file");
}

// Raw float32 [3, H, W], little-endian whatever the host's byte order.
Status writeTensor(const std::vector<float>& tensor, const std::string& path)
{
    std::vector<char> bytes(tensor.size() * 4);
    for (std::size_t i = 0; i < tensor.size(); ++i) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &tensor[i], 4);
        for (int b = 0; b < 4; ++b)
            bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xFF);
    }
    return writeBytes(path, bytes.data(), bytes.size(), "tensor file");
}

nlohmann::json boxJson(const clip::CropBox& box)
{
    return {{"x", box.x}, {"y", box.y}, {"width", box.width}, {"height", box.height}};
}

void runPreprocess(const PreprocessOptions& options, CommandContext& context)
{
    const Result<clip::ModelInfo> info = clip::inspectCheckpoint(options.model);
    if (!info.ok()) {
        context.fail(info.error());
        return;
    }
    const Result<cv::Mat> image = clip::decodeImageRgb8(options.image);
    if (!image.ok()) {
        context.fail(image.error());
        return;
    }
    const clip::PreprocessedImage view = clip::preprocessForModel(image.value(), info->normalisation);
    if (view.tensor.empty()) {
        context.fail(makeError(ErrorCode::InvalidArgument,
                               "The model's input size is not usable for preprocessing; check the checkpoint.",
                               options.model, "image size " + std::to_string(info->normalisation.imageSize)));
        return;
    }
    if (!options.pngPath.empty()) {
        if (Status status = writePng(view.modelView, options.pngPath); !status.ok()) {
            context.fail(status.error());
            return;
        }
    }
    if (!options.tensorPath.empty()) {
        if (Status status = writeTensor(view.tensor, options.tensorPath); !status.ok()) {
            context.fail(status.error());
            return;
        }
    }

    // Per-channel statistics of the normalised tensor: near 0 / 1 for typical photos.
    const std::size_t plane = view.tensor.size() / 3;
    std::array<double, 3> mean{};
    std::array<double, 3> stddev{};
    for (int c = 0; c < 3; ++c) {
        double sum = 0.0;
        double squares = 0.0;
        for (std::size_t i = 0; i < plane; ++i) {
            const double v = view.tensor[c * plane + i];
            sum += v;
            squares += v * v;
        }
        mean[c] = sum / plane;
        stddev[c] = std::sqrt(std::max(0.0, squares / plane - mean[c] * mean[c]));
    }

    nlohmann::json line = {
        {"image", options.image},
        {"input_size", {view.inputWidth, view.inputHeight}},
        {"resized_size", {view.resizedWidth, view.resizedHeight}},
        {"crop_box", boxJson(view.cropInResized)},
        {"crop_box_in_input", boxJson(view.cropInInput)},
        {"tensor_mean", mean},
        {"tensor_std", stddev},
        {"mean", info->normalisation.mean},
        {"std", info->normalisation.std},
    };
    context.out << line.dump() << '\n';
}

} // namespace

void addPreprocessCommand(CLI::App& app, CommandContext& context)
{
    auto options = std::make_shared<PreprocessOptions>();
    CLI::App* command = app.add_subcommand(
        "preprocess", "Show exactly what the model sees: decode, resize, centre-crop and normalise one image.");
    command
        ->add_option("--model", options->model, "CLIP checkpoint (folder or file); gives the input size and mean/std")
        ->required();
    command->add_option("--image", options->image, "Image file to preprocess")->required();
    command->add_option("--png", options->pngPath, "Write the model's view (8-bit RGB, before normalisation) as PNG");
    command->add_option("--tensor", options->tensorPath,
                        "Write the normalised tensor as raw little-endian float32 [3, H, W]");
    command->callback([options, &context] { runPreprocess(*options, context); });
}

} // namespace aape::cli
