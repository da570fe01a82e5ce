#pragma once
// Test images made on the fly: gradients, checkerboards, photo-like noise, encoded files
// (PNG, JPEG, TIFF, 16-bit, grey, alpha, CMYK) and JPEGs with a hand-made EXIF orientation.
// Pure functions: callable from any thread. Images are RGB(A) order; encoders swap for OpenCV.

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aape::test {

using ImageBytes = std::vector<unsigned char>;

// [height, width] CV_8UC3 RGB: red rises left to right, green top to bottom, blue diagonally.
cv::Mat gradientImage(int width, int height);
// [height, width] CV_8UC3 RGB: black and white cells of `cell` pixels.
cv::Mat checkerboardImage(int width, int height, int cell);
// [height, width] CV_8UC3 RGB: smooth gradients, sharp edges and noise, like a photo.
cv::Mat photoLikeImage(int width, int height, unsigned seed);
// [height, width] CV_8UC3 RGB: top-left red, top-right green, bottom-left blue, bottom-right
// white; lets a test tell every rotation and mirror apart, even after JPEG.
cv::Mat quadrantImage(int width, int height);
// The colours of quadrantImage, in the order top-left, top-right, bottom-left, bottom-right.
std::vector<cv::Vec3b> quadrantColours();

// Encodes with OpenCV; `image` is grey, RGB or RGBA of any depth the format takes
// (".png", ".tiff", ".bmp", ".jpg"). Throws std::runtime_error if OpenCV refuses.
ImageBytes encodeImage(const cv::Mat& image, const std::string& extension);
ImageBytes encodeJpeg(const cv::Mat& rgb, int quality = 95);
// The JPEG with an EXIF APP1 segment holding only the orientation tag (1..8) inserted
// right after the start-of-image marker, in little- or big-endian TIFF byte order.
ImageBytes withExifOrientation(const ImageBytes& jpeg, int orientation, bool bigEndian = false);
// A 16x8 CMYK JPEG written by Pillow (Adobe-inverted CMYK): left half RGB (200, 100, 50),
// right half RGB (20, 180, 90) after Pillow's convert('RGB').
ImageBytes cmykJpeg();

} // namespace aape::test
