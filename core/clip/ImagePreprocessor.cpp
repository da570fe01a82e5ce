#include "aape/clip/ImagePreprocessor.h"

#include "clip/PilResize.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace aape::clip {
namespace {

// Python's round() on a float: half to even (round(0.5) == 0, round(1.5) == 2).
int roundHalfEven(double value)
{
    const double floorValue = std::floor(value);
    const double fraction = value - floorValue;
    if (fraction > 0.5)
        return static_cast<int>(floorValue) + 1;
    if (fraction < 0.5)
        return static_cast<int>(floorValue);
    const int lower = static_cast<int>(floorValue);
    return lower % 2 == 0 ? lower : lower + 1;
}

// Uniform in [0, 1) from the top 53 bits of the engine, identical on every library.
double uniform01(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
}

// Uniform integer in [0, n) without modulo bias.
std::int64_t uniformInt(std::mt19937_64& rng, std::int64_t n)
{
    const std::uint64_t range = static_cast<std::uint64_t>(n);
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    std::uint64_t draw = rng();
    while (draw >= limit)
        draw = rng();
    return static_cast<std::int64_t>(draw % range);
}

// ToTensor then Normalize, in float32 as torchvision computes them: (v / 255 - mean) / std.
// A table per channel gives the same floats as the per-pixel arithmetic.
std::vector<float> normalise(const cv::Mat& view, const PreprocessConfig& config)
{
    std::array<std::array<float, 256>, 3> table{};
    for (int c = 0; c < 3; ++c) {
        for (int v = 0; v < 256; ++v)
            table[c][v] = (static_cast<float>(v) / 255.0f - config.mean[c]) / config.std[c];
    }
    const int plane = view.rows * view.cols;
    std::vector<float> tensor(static_cast<std::size_t>(plane) * 3); // [3, S, S]
    for (int y = 0; y < view.rows; ++y) {
        const std::uint8_t* row = view.ptr<std::uint8_t>(y);
        for (int x = 0; x < view.cols; ++x) {
            const std::size_t offset = static_cast<std::size_t>(y) * view.cols + x;
            tensor[offset] = table[0][row[3 * x + 0]];
            tensor[plane + offset] = table[1][row[3 * x + 1]];
            tensor[2 * plane + offset] = table[2][row[3 * x + 2]];
        }
    }
    return tensor;
}

int scaledEdge(int edge, int from, int to)
{
    return static_cast<int>(std::lround(static_cast<double>(edge) * to / from));
}

CropBox mapBox(const CropBox& box, int fromWidth, int fromHeight, int toWidth, int toHeight)
{
    CropBox mapped;
    mapped.x = scaledEdge(box.x, fromWidth, toWidth);
    mapped.y = scaledEdge(box.y, fromHeight, toHeight);
    mapped.width = scaledEdge(box.x + box.width, fromWidth, toWidth) - mapped.x;
    mapped.height = scaledEdge(box.y + box.height, fromHeight, toHeight) - mapped.y;
    return mapped;
}

bool usable(const cv::Mat& rgb8, const PreprocessConfig& config)
{
    return !rgb8.empty() && rgb8.type() == CV_8UC3 && config.imageSize > 0;
}

} // namespace

PreprocessedImage preprocessForModel(const cv::Mat& rgb8, const PreprocessConfig& config)
{
    PreprocessedImage result;
    if (!usable(rgb8, config))
        return result;
    const int size = config.imageSize;
    const int width = rgb8.cols;
    const int height = rgb8.rows;
    result.inputWidth = width;
    result.inputHeight = height;

    // torchvision's _compute_resized_output_size: short side = S, long = int(S * long / short).
    const int shortSide = std::min(width, height);
    const int longSide = std::max(width, height);
    const int newLong = static_cast<int>(static_cast<double>(static_cast<std::int64_t>(size) * longSide) / shortSide);
    result.resizedWidth = width <= height ? size : newLong;
    result.resizedHeight = width <= height ? newLong : size;

    // CenterCrop: int(round((h - S) / 2.0)) with Python's rounding.
    result.cropInResized.x = roundHalfEven((result.resizedWidth - size) / 2.0);
    result.cropInResized.y = roundHalfEven((result.resizedHeight - size) / 2.0);
    result.cropInResized.width = size;
    result.cropInResized.height = size;
    result.cropInInput = mapBox(result.cropInResized, result.resizedWidth, result.resizedHeight, width, height);

    const cv::Rect crop(result.cropInResized.x, result.cropInResized.y, size, size);
    if (result.resizedWidth == width && result.resizedHeight == height)
        result.modelView = rgb8(crop).clone();
    else
        result.modelView = detail::resizeBicubicPilRegion(rgb8, result.resizedWidth, result.resizedHeight, crop);
    result.tensor = normalise(result.modelView, config);
    return result;
}

PreprocessedImage randomTrainingView(const cv::Mat& rgb8, const PreprocessConfig& config, std::mt19937_64& rng)
{
    PreprocessedImage result;
    if (!usable(rgb8, config))
        return result;
    const int size = config.imageSize;
    const int width = rgb8.cols;
    const int height = rgb8.rows;
    result.inputWidth = width;
    result.inputHeight = height;

    // RandomResizedCrop.get_params with scale (0.08, 1) and ratio (3/4, 4/3).
    constexpr double scaleLow = 0.08, scaleHigh = 1.0;
    constexpr double ratioLow = 3.0 / 4.0, ratioHigh = 4.0 / 3.0;
    const double area = static_cast<double>(width) * height;
    const double logRatioLow = std::log(ratioLow);
    const double logRatioHigh = std::log(ratioHigh);
    CropBox box;
    bool found = false;
    for (int attempt = 0; attempt < 10 && !found; ++attempt) {
        const double targetArea = area * (scaleLow + (scaleHigh - scaleLow) * uniform01(rng));
        const double aspect = std::exp(logRatioLow + (logRatioHigh - logRatioLow) * uniform01(rng));
        const int w = roundHalfEven(std::sqrt(targetArea * aspect));
        const int h = roundHalfEven(std::sqrt(targetArea / aspect));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            box.y = static_cast<int>(uniformInt(rng, height - h + 1));
            box.x = static_cast<int>(uniformInt(rng, width - w + 1));
            box.width = w;
            box.height = h;
            found = true;
        }
    }
    if (!found) {
        const double inRatio = static_cast<double>(width) / height;
        int w = width;
        int h = height;
        if (inRatio < ratioLow) {
            h = roundHalfEven(w / ratioLow);
        } else if (inRatio > ratioHigh) {
            w = roundHalfEven(h * ratioHigh);
        }
        box = CropBox{(width - w) / 2, (height - h) / 2, w, h};
    }

    // crop, then resize the crop to S x S (F.resized_crop on a PIL image).
    const cv::Mat cropped = rgb8(cv::Rect(box.x, box.y, box.width, box.height));
    if (box.width == size && box.height == size)
        result.modelView = cropped.clone();
    else
        result.modelView = resizeBicubicPil(cropped, size, size);
    result.flipped = uniform01(rng) < 0.5;
    if (result.flipped)
        cv::flip(result.modelView, result.modelView, 1);

    result.resizedWidth = size;
    result.resizedHeight = size;
    result.cropInResized = CropBox{0, 0, size, size};
    result.cropInInput = box;
    result.tensor = normalise(result.modelView, config);
    return result;
}

} // namespace aape::clip
