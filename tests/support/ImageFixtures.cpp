#include "ImageFixtures.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace aape::test {

cv::Mat gradientImage(int width, int height)
{
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double fx = width > 1 ? double(x) / (width - 1) : 0.0;
            const double fy = height > 1 ? double(y) / (height - 1) : 0.0;
            image.at<cv::Vec3b>(y, x) =
                cv::Vec3b(cv::saturate_cast<uchar>(255.0 * fx), cv::saturate_cast<uchar>(255.0 * fy),
                          cv::saturate_cast<uchar>(127.5 * (fx + fy)));
        }
    }
    return image;
}

cv::Mat checkerboardImage(int width, int height, int cell)
{
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const uchar v = ((x / cell + y / cell) % 2) ? 255 : 0;
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v, v);
        }
    }
    return image;
}

cv::Mat photoLikeImage(int width, int height, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 12.0);
    std::uniform_real_distribution<double> phase(0.0, 6.28);
    const double p0 = phase(rng), p1 = phase(rng);
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const double r = 128 + 90 * std::sin(x / 37.0 + p0) * std::cos(y / 23.0 + p1);
            const double g = 255.0 * x / std::max(1, width - 1);
            // A disc with a hard edge, as objects in photos have.
            const double dx = x - width * 0.6, dy = y - height * 0.4;
            const double b = dx * dx + dy * dy < 0.09 * width * height ? 220.0 : 40.0;
            image.at<cv::Vec3b>(y, x) =
                cv::Vec3b(cv::saturate_cast<uchar>(r + noise(rng)), cv::saturate_cast<uchar>(g + noise(rng)),
                          cv::saturate_cast<uchar>(b + noise(rng)));
        }
    }
    return image;
}

std::vector<cv::Vec3b> quadrantColours()
{
    return {cv::Vec3b(255, 0, 0), cv::Vec3b(0, 255, 0), cv::Vec3b(0, 0, 255), cv::Vec3b(255, 255, 255)};
}

cv::Mat quadrantImage(int width, int height)
{
    const std::vector<cv::Vec3b> colours = quadrantColours();
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.at<cv::Vec3b>(y, x) = colours[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)];
    }
    return image;
}

ImageBytes encodeImage(const cv::Mat& image, const std::string& extension)
{
    // A fresh Mat: converting into a copy of `image`'s header would overwrite the caller's pixels.
    cv::Mat swapped;
    if (image.channels() == 3)
        cv::cvtColor(image, swapped, cv::COLOR_RGB2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, swapped, cv::COLOR_RGBA2BGRA);
    else
        swapped = image;
    std::vector<uchar> bytes;
    if (!cv::imencode(extension, swapped, bytes))
        throw std::runtime_error("OpenCV could not encode a " + extension + " fixture");
    return ImageBytes(bytes.begin(), bytes.end());
}

ImageBytes encodeJpeg(const cv::Mat& rgb, int quality)
{
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<uchar> bytes;
    if (!cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
        throw std::runtime_error("OpenCV could not encode a JPEG fixture");
    return ImageBytes(bytes.begin(), bytes.end());
}

ImageBytes withExifOrientation(const ImageBytes& jpeg, int orientation, bool bigEndian)
{
    if (jpeg.size() < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        throw std::runtime_error("withExifOrientation needs a JPEG");
    ImageBytes tiff;
    auto put16 = [&tiff, bigEndian](unsigned v) {
        const unsigned char hi = (v >> 8) & 0xFF, lo = v & 0xFF;
        tiff.push_back(bigEndian ? hi : lo);
        tiff.push_back(bigEndian ? lo : hi);
    };
    auto put32 = [&put16, bigEndian](unsigned v) {
        put16(bigEndian ? v >> 16 : v & 0xFFFF);
        put16(bigEndian ? v & 0xFFFF : v >> 16);
    };
    tiff.push_back(bigEndian ? 'M' : 'I');
    tiff.push_back(bigEndian ? 'M' : 'I');
    put16(42);
    put32(8);      // IFD0 right after the header
    put16(1);      // one entry
    put16(0x0112); // Orientation
    put16(3);      // SHORT
    put32(1);      // one value
    put16(static_cast<unsigned>(orientation));
    put16(0); // padding of the 4-byte value field
    put32(0); // no next IFD

    const std::string exifHeader("Exif\0\0", 6);
    const std::size_t length = 2 + exifHeader.size() + tiff.size();
    ImageBytes out{
        0xFF, 0xD8, 0xFF, 0xE1, static_cast<unsigned char>(length >> 8), static_cast<unsigned char>(length & 0xFF)};
    // Reserved first: growing a 6-byte vector by insert trips GCC 12's false -Warray-bounds.
    out.reserve(out.size() + exifHeader.size() + tiff.size() + jpeg.size());
    out.insert(out.end(), exifHeader.begin(), exifHeader.end());
    out.insert(out.end(), tiff.begin(), tiff.end());
    out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
    return out;
}

ImageBytes cmykJpeg()
{
    return {
        0xff, 0xd8, 0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xff, 0xdb, 0x00, 0x43, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
        0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0xff, 0xc0, 0x00,
        0x14, 0x08, 0x00, 0x08, 0x00, 0x10, 0x04, 0x43, 0x11, 0x00, 0x4d, 0x11, 0x00, 0x59, 0x11, 0x00, 0x4b, 0x11,
        0x00, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4,
        0x00, 0xb5, 0x10, 0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01,
        0x7d, 0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22,
        0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62,
        0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36,
        0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
        0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
        0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2,
        0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2,
        0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
        0xfa, 0xff, 0xda, 0x00, 0x0e, 0x04, 0x43, 0x00, 0x4d, 0x00, 0x59, 0x00, 0x4b, 0x00, 0x00, 0x3f, 0x00, 0xfe,
        0x90, 0x2b, 0xe1, 0xfa, 0xfe, 0x63, 0xeb, 0xfb, 0xf8, 0xaf, 0xf2, 0x5f, 0xaf, 0xea, 0x02, 0xbf, 0x50, 0x28,
        0xaf, 0xff, 0xd9,
    };
}

} // namespace aape::test
