#pragma once
// The one image pipeline of the project: decode (OpenCV), resize the shorter side with
// Pillow-exact antialiased bicubic, centre crop, normalise with the checkpoint's mean/std.
// Training, evaluation, prediction and export all go through these functions.
// Pure functions on values: callable from any thread.

#include "aape/clip/ClipConfig.h"
#include "aape/util/Error.h"

#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace aape::clip {

// Input size and mean/std; filled from the checkpoint by inspectCheckpoint() (ClipModel.h).
using PreprocessConfig = ImageNormalisation;

// Images larger than this are refused before decoding where the header tells the size,
// so that one bad file cannot exhaust memory during an import.
constexpr int kMaxImageSide = 30000;
constexpr std::int64_t kMaxImagePixels = 400'000'000;

struct DecodeOptions {
    // Which bands become R, G, B (0-based, in the file's band order, e.g. for multispectral
    // GeoTIFF). Empty: the first three (or the one grey band, replicated).
    std::vector<int> bands;
    // For inputs deeper than 8 bits (16-bit, float, signed): stretch each band between these
    // percentiles instead of the plain scale (16-bit: value / 257; float: value * 255, taken
    // as nominally [0, 1]). 0/100 means min/max; a negative value disables the stretch.
    double lowPercentile = -1.0;
    double highPercentile = -1.0;
};

// Decodes any image OpenCV reads into 8-bit RGB (CV_8UC3), applying the JPEG EXIF
// orientation, dropping alpha (as PIL's convert('RGB') does), replicating grey and scaling
// deeper images to 8 bits. Errors name the file and say what to do.
Result<cv::Mat> decodeImageRgb8(const std::string& path, const DecodeOptions& options = {});
// Same, from bytes in memory (name used in error messages only).
Result<cv::Mat> decodeImageRgb8(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                const DecodeOptions& options = {});

struct CropBox {
    int x = 0, y = 0, width = 0, height = 0;
};

struct PreprocessedImage {
    std::vector<float> tensor; // [3, S, S] CHW, normalised with mean/std
    cv::Mat modelView;         // [S, S] CV_8UC3 RGB: exactly the pixels before normalisation
    int inputWidth = 0, inputHeight = 0;
    int resizedWidth = 0, resizedHeight = 0; // the image the crop is taken from
    CropBox cropInResized;                   // crop box in the resized image's pixels
    CropBox cropInInput;                     // the same box mapped back onto the input image
    bool flipped = false;                    // training views only: mirrored left-right
};

// Resize with Pillow's Image.resize(size, BICUBIC) semantics, bit-exact for 8-bit input:
// a = -0.5, support scaled when downscaling, 22-bit fixed-point weights, horizontal pass
// first with an 8-bit intermediate. Input and output CV_8UC3; empty input or size gives
// an empty Mat.
cv::Mat resizeBicubicPil(const cv::Mat& rgb8, int width, int height);

// Evaluation transform (torchvision Resize(S, BICUBIC) + CenterCrop(S) on a PIL image):
// shorter side to S (longer = int(S * long / short)), crop at round((h - S) / 2),
// round((w - S) / 2) with Python's half-to-even rounding, normalise. Only the cropped part
// of the resize is computed (identical values). rgb8 must be non-empty CV_8UC3 (what
// decodeImageRgb8 returns); anything else gives an empty result.
PreprocessedImage preprocessForModel(const cv::Mat& rgb8, const PreprocessConfig& config);

// Training view: torchvision RandomResizedCrop(S, scale=(0.08, 1), ratio=(3/4, 4/3),
// bicubic) then horizontal flip with probability 0.5, normalise. Deterministic for a given
// rng state (uniforms are drawn from the raw engine bits, not std distributions, so the
// views are the same on every standard library).
PreprocessedImage randomTrainingView(const cv::Mat& rgb8, const PreprocessConfig& config, std::mt19937_64& rng);

} // namespace aape::clip
