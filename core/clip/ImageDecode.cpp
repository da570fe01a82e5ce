#include "aape/clip/ImagePreprocessor.h"

#include "aape/geo/Scene.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace aape::clip {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Larger files are refused before reading them whole into memory.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 30;

struct Dimensions {
    std::int64_t width = 0;
    std::int64_t height = 0;
};

// What the container's header says, read without decoding the pixels.
struct HeaderInfo {
    std::optional<Dimensions> size;
    int orientation = 1;               // EXIF orientation, 1..8 (1: as stored)
    bool truncated = false;            // a JPEG or PNG that ends before its end marker
    std::uint32_t samplesPerPixel = 0; // TIFF only: the number of bands; 0 when not told
};

std::uint32_t readBe16(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 8) | p[1];
}
std::uint32_t readBe32(const std::uint8_t* p)
{
    return (readBe16(p) << 16) | readBe16(p + 2);
}
std::uint32_t readLe16(const std::uint8_t* p)
{
    return (std::uint32_t(p[1]) << 8) | p[0];
}
std::uint32_t readLe24(const std::uint8_t* p)
{
    return readLe16(p) | (std::uint32_t(p[2]) << 16);
}
std::uint32_t readLe32(const std::uint8_t* p)
{
    return readLe16(p) | (readLe16(p + 2) << 16);
}

// A TIFF structure (a TIFF file or the payload of an EXIF block): reads IFD0 tags.
class TiffReader final {
public:
    TiffReader(const std::uint8_t* data, std::size_t size)
        : m_data(data)
        , m_size(size)
    {
        if (size < 8)
            return;
        if (data[0] == 'I' && data[1] == 'I' && data[2] == 42 && data[3] == 0)
            m_littleEndian = true;
        else if (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] == 42)
            m_littleEndian = false;
        else
            return;
        m_ifd0 = u32(data + 4);
        m_valid = std::size_t(m_ifd0) + 2 <= m_size; // in size_t: an offset near 2^32 must not wrap
    }

    // The first value of a SHORT or LONG tag in IFD0.
    std::optional<std::uint32_t> tag(std::uint16_t wanted) const
    {
        if (!m_valid)
            return std::nullopt;
        const std::uint32_t count = u16(m_data + m_ifd0);
        for (std::uint32_t i = 0; i < count; ++i) {
            const std::size_t entry = m_ifd0 + 2 + std::size_t(i) * 12;
            if (entry + 12 > m_size)
                return std::nullopt;
            if (u16(m_data + entry) != wanted)
                continue;
            const std::uint32_t type = u16(m_data + entry + 2);
            if (type == 3)
                return u16(m_data + entry + 8);
            if (type == 4)
                return u32(m_data + entry + 8);
            return std::nullopt;
        }
        return std::nullopt;
    }

private:
    std::uint32_t u16(const std::uint8_t* p) const { return m_littleEndian ? readLe16(p) : readBe16(p); }
    std::uint32_t u32(const std::uint8_t* p) const { return m_littleEndian ? readLe32(p) : readBe32(p); }

    const std::uint8_t* m_data;
    std::size_t m_size;
    bool m_littleEndian = true;
    bool m_valid = false;
    std::uint32_t m_ifd0 = 0;
};

int orientationFromExif(const std::uint8_t* data, std::size_t size)
{
    const auto value = TiffReader(data, size).tag(0x0112);
    return value && *value >= 1 && *value <= 8 ? static_cast<int>(*value) : 1;
}

bool isSof(std::uint8_t marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the JPEG markers: frame size, EXIF orientation (APP1), and whether the data
// reaches the end-of-image marker (libjpeg pads a truncated file with grey silently).
HeaderInfo inspectJpeg(const Bytes& b)
{
    HeaderInfo info;
    const std::size_t n = b.size();
    std::size_t pos = 2;
    bool complete = false;
    while (pos + 1 < n) {
        if (b[pos] != 0xFF)
            break;
        const std::uint8_t marker = b[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0xD9) {
            complete = true;
            break;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (pos + 4 > n)
            break;
        const std::size_t length = readBe16(&b[pos + 2]);
        if (length < 2 || pos + 2 + length > n)
            break;
        const std::uint8_t* segment = &b[pos + 4];
        const std::size_t segmentSize = length - 2;
        if (isSof(marker) && segmentSize >= 5 && !info.size)
            info.size = Dimensions{readBe16(segment + 3), readBe16(segment + 1)};
        if (marker == 0xE1 && segmentSize > 6 && std::memcmp(segment, "Exif\0\0", 6) == 0)
            info.orientation = orientationFromExif(segment + 6, segmentSize - 6);
        pos += 2 + length;
        if (marker == 0xDA) {
            // Entropy-coded data: FF is stuffed as FF 00 and restart markers are FF D0..D7.
            while (pos + 1 < n) {
                if (b[pos] == 0xFF && b[pos + 1] != 0x00 && !(b[pos + 1] >= 0xD0 && b[pos + 1] <= 0xD7))
                    break;
                ++pos;
            }
        }
    }
    info.truncated = !complete;
    return info;
}

// Walks the PNG chunks: size, EXIF orientation (eXIf) and whether the IEND chunk is there
// (a truncated PNG otherwise only makes libpng complain on stderr).
HeaderInfo inspectPng(const Bytes& b)
{
    HeaderInfo info;
    if (b.size() >= 24)
        info.size = Dimensions{readBe32(&b[16]), readBe32(&b[20])};
    bool complete = false;
    std::size_t pos = 8;
    while (pos + 12 <= b.size()) {
        const std::size_t length = readBe32(&b[pos]);
        if (pos + 12 + length > b.size())
            break;
        if (std::memcmp(&b[pos + 4], "eXIf", 4) == 0)
            info.orientation = orientationFromExif(&b[pos + 8], length);
        if (std::memcmp(&b[pos + 4], "IEND", 4) == 0) {
            complete = true;
            break;
        }
        pos += 12 + length;
    }
    info.truncated = !complete;
    return info;
}

HeaderInfo inspectHeader(const Bytes& b)
{
    HeaderInfo info;
    const std::size_t n = b.size();
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return inspectJpeg(b);
    if (n >= 8 && std::memcmp(b.data(), "\x89PNG\r\n\x1a\n", 8) == 0)
        return inspectPng(b);
    if (n >= 10 && std::memcmp(b.data(), "GIF8", 4) == 0) {
        info.size = Dimensions{readLe16(&b[6]), readLe16(&b[8])};
    } else if (n >= 26 && b[0] == 'B' && b[1] == 'M') {
        const auto height = static_cast<std::int32_t>(readLe32(&b[22]));
        info.size = Dimensions{static_cast<std::int32_t>(readLe32(&b[18])), std::abs(std::int64_t(height))};
    } else if (n >= 8 && ((b[0] == 'I' && b[1] == 'I') || (b[0] == 'M' && b[1] == 'M'))) {
        const TiffReader tiff(b.data(), n);
        const auto width = tiff.tag(256);
        const auto height = tiff.tag(257);
        if (width && height)
            info.size = Dimensions{*width, *height};
        info.samplesPerPixel = tiff.tag(277).value_or(0);
    } else if (n >= 30 && std::memcmp(b.data(), "RIFF", 4) == 0 && std::memcmp(&b[8], "WEBP", 4) == 0) {
        if (std::memcmp(&b[12], "VP8X", 4) == 0)
            info.size = Dimensions{1 + std::int64_t(readLe24(&b[24])), 1 + std::int64_t(readLe24(&b[27]))};
        else if (std::memcmp(&b[12], "VP8L", 4) == 0)
            info.size = Dimensions{1 + std::int64_t(readLe32(&b[21]) & 0x3FFF),
                                   1 + std::int64_t((readLe32(&b[21]) >> 14) & 0x3FFF)};
        else if (std::memcmp(&b[12], "VP8 ", 4) == 0)
            info.size = Dimensions{readLe16(&b[26]) & 0x3FFF, readLe16(&b[28]) & 0x3FFF};
    }
    return info;
}

// TIFF (classic and BigTIFF) and JPEG2000 (JP2 box or raw codestream): the formats of scenes and
// multispectral chips, which GDAL reads when OpenCV cannot.
bool geoRasterSignature(const Bytes& b)
{
    const std::size_t n = b.size();
    if (n >= 4
        && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0)
            || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return true;
    if (n >= 12 && std::memcmp(b.data(), "\0\0\0\x0CjP  \r\n\x87\n", 12) == 0)
        return true;
    return n >= 4 && b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51;
}

bool tooLarge(std::int64_t width, std::int64_t height)
{
    return width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels;
}

Error tooLargeError(const std::string& name, std::int64_t width, std::int64_t height)
{
    return makeError(ErrorCode::Unsupported,
                     "The image is too large (" + std::to_string(width) + " x " + std::to_string(height)
                         + " pixels; the limit is " + std::to_string(kMaxImageSide) + " pixels a side and "
                         + std::to_string(kMaxImagePixels / 1000000) + " megapixels); downscale it before using it.",
                     name);
}

// Plain scale of one band to 8 bits: 16-bit / 257 (rounded), float * 255 (nominal [0, 1]).
// Signed and 32-bit integer bands have no nominal range: they are stretched min to max.
bool hasNominalRange(int depth)
{
    return depth == CV_8U || depth == CV_16U || depth == CV_32F || depth == CV_64F;
}

cv::Mat stretchBand(const cv::Mat& band, double lowPercentile, double highPercentile)
{
    cv::Mat values;
    band.reshape(1, 1).convertTo(values, CV_32F);
    // A subsample keeps the percentile cheap on large rasters; the stride keeps it spread.
    const std::size_t total = values.total();
    const std::size_t stride = std::max<std::size_t>(1, total / (1u << 20));
    std::vector<float> samples;
    samples.reserve(total / stride + 1);
    const float* data = values.ptr<float>();
    for (std::size_t i = 0; i < total; i += stride) {
        if (std::isfinite(data[i]))
            samples.push_back(data[i]);
    }
    cv::Mat out(band.size(), CV_8U, cv::Scalar(0));
    if (samples.empty())
        return out;
    auto percentile = [&samples](double p) {
        const double clamped = std::clamp(p, 0.0, 100.0);
        const auto index = static_cast<std::size_t>(std::lround(clamped / 100.0 * double(samples.size() - 1)));
        std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(index), samples.end());
        return static_cast<double>(samples[index]);
    };
    const double low = percentile(lowPercentile);
    const double high = percentile(highPercentile);
    if (!(high > low))
        return out;
    const double alpha = 255.0 / (high - low);
    band.convertTo(out, CV_8U, alpha, -low * alpha);
    return out;
}

cv::Mat bandToEightBit(const cv::Mat& band, const DecodeOptions& options)
{
    const bool stretch = options.lowPercentile >= 0.0 && options.highPercentile >= 0.0;
    const int depth = band.depth();
    if (depth == CV_8U)
        return band;
    if (stretch)
        return stretchBand(band, options.lowPercentile, options.highPercentile);
    if (!hasNominalRange(depth))
        return stretchBand(band, 0.0, 100.0);
    cv::Mat out;
    band.convertTo(out, CV_8U, depth == CV_16U ? 1.0 / 257.0 : 255.0);
    return out;
}

// EXIF orientation values as PIL's ImageOps.exif_transpose applies them.
cv::Mat applyOrientation(const cv::Mat& image, int orientation)
{
    cv::Mat out;
    switch (orientation) {
    case 2: cv::flip(image, out, 1); break;
    case 3: cv::rotate(image, out, cv::ROTATE_180); break;
    case 4: cv::flip(image, out, 0); break;
    case 5: cv::transpose(image, out); break;
    case 6: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
    case 7:
        cv::transpose(image, out);
        cv::flip(out, out, -1);
        break;
    case 8: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
    default: return image;
    }
    return out;
}

// bandsInFileOrder: the channels are the file's bands in order (GDAL), not OpenCV's BGR(A).
Result<cv::Mat> toRgb8(const cv::Mat& decoded, const std::string& name, const DecodeOptions& options,
                       bool bandsInFileOrder)
{
    const int channels = decoded.channels();
    if (!options.bands.empty() && options.bands.size() != 3)
        return makeError(ErrorCode::InvalidArgument,
                         "Choose exactly three bands (for red, green and blue), not "
                             + std::to_string(options.bands.size()) + ".",
                         name);
    // OpenCV stores 3 and 4 channel images as BGR(A); bands are numbered in the file's order.
    const bool swapped = !bandsInFileOrder && (channels == 3 || channels == 4);
    std::vector<int> bands = options.bands;
    if (bands.empty())
        bands = channels <= 2 ? std::vector<int>{0, 0, 0} : std::vector<int>{0, 1, 2};
    for (int band : bands) {
        if (band < 0 || band >= channels)
            return makeError(ErrorCode::InvalidArgument,
                             "Band " + std::to_string(band) + " was chosen but the image has "
                                 + std::to_string(channels) + " band(s); choose bands from 0 to "
                                 + std::to_string(channels - 1) + ".",
                             name);
    }

    if (decoded.depth() == CV_8U && options.bands.empty() && !bandsInFileOrder) {
        cv::Mat rgb;
        if (channels == 1 || channels == 2) {
            cv::Mat grey;
            cv::extractChannel(decoded, grey, 0);
            cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
        } else if (channels == 3) {
            cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
        } else if (channels == 4) {
            cv::cvtColor(decoded, rgb, cv::COLOR_BGRA2RGB);
        }
        if (!rgb.empty())
            return rgb;
    }

    std::vector<cv::Mat> planes;
    for (int band : bands) {
        cv::Mat plane;
        cv::extractChannel(decoded, plane, swapped && band < 3 ? 2 - band : band);
        planes.push_back(bandToEightBit(plane, options));
    }
    cv::Mat rgb;
    cv::merge(planes, rgb);
    return rgb;
}

} // namespace

Result<cv::Mat> decodeImageRgb8(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                const DecodeOptions& options)
{
    if (bytes.empty())
        return makeError(ErrorCode::BadFormat, "The image file is empty (0 bytes); replace it with a valid image.",
                         name);

    const HeaderInfo header = inspectHeader(bytes);
    if (header.size && tooLarge(header.size->width, header.size->height))
        return tooLargeError(name, header.size->width, header.size->height);
    if (header.truncated)
        return makeError(ErrorCode::BadFormat,
                         "The image file is truncated (its data ends early); copy or export it again.", name,
                         "no end-of-image marker");

    // OpenCV hands anything with "DICM" at byte 128 to GDCM, whose reader aborts the process
    // (a failed assert) on a damaged file instead of reporting it. DICOM is not an input we
    // support, so such a file is refused before it reaches the decoder.
    if (bytes.size() >= 132 && std::memcmp(&bytes[128], "DICM", 4) == 0)
        return makeError(ErrorCode::Unsupported,
                         "DICOM files are not supported; export the image as PNG, JPEG or TIFF.", name);

    cv::Mat decoded;
    bool bandsInFileOrder = false;
    std::string openCvFailure;
    // OpenCV reads at most 4 bands of a TIFF; multispectral chips (EuroSAT's 13 bands) go to GDAL.
    if (header.samplesPerPixel <= 4) {
        try {
            const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
            decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
        } catch (const cv::Exception& e) {
            openCvFailure = e.what();
        } catch (const std::bad_alloc&) {
            return makeError(ErrorCode::Unsupported,
                             "The image is too large to decode in the available memory; downscale it.", name);
        }
    }
    if (decoded.empty() && geoRasterSignature(bytes)) {
        // What OpenCV cannot read of these, GDAL may (BigTIFF, JPEG2000, many bands).
        auto bands = geo::decodeRasterBands(bytes, name);
        if (!bands.ok() && header.samplesPerPixel > 4)
            return bands.error();
        if (!bands.ok())
            return makeError(ErrorCode::BadFormat,
                             "The file is not an image that can be read, or it is damaged; convert it to PNG or JPEG.",
                             name, openCvFailure.empty() ? "no decoder accepted the data" : openCvFailure);
        decoded = std::move(bands).value();
        bandsInFileOrder = true;
    }
    if (decoded.empty())
        return makeError(ErrorCode::BadFormat,
                         "The file is not an image that can be read, or it is damaged; convert it to PNG or JPEG.",
                         name, openCvFailure.empty() ? "no OpenCV decoder accepted the data" : openCvFailure);
    if (tooLarge(decoded.cols, decoded.rows))
        return tooLargeError(name, decoded.cols, decoded.rows);

    try {
        Result<cv::Mat> rgb = toRgb8(decoded, name, options, bandsInFileOrder);
        if (!rgb.ok())
            return rgb;
        return applyOrientation(rgb.value(), header.orientation);
    } catch (const cv::Exception& e) {
        return makeError(ErrorCode::Unsupported,
                         "The image's pixel format is not supported; convert it to PNG or JPEG.", name, e.what());
    } catch (const std::bad_alloc&) {
        return makeError(ErrorCode::Unsupported,
                         "The image is too large to convert in the available memory; downscale it.", name);
    }
}

Result<cv::Mat> decodeImageRgb8(const std::string& path, const DecodeOptions& options)
{
    const fs::path file(path);
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    // A tile of a scene, referenced by (scene, window, band rendering): read through GDAL.
    if (ec || !fs::exists(status)) {
        if (const auto tile = geo::parseTileReference(path))
            return geo::readTileRgb8(*tile);
    }
    if (ec || !fs::exists(status))
        return makeError(ErrorCode::FileNotFound, "The image file does not exist; check the path.", path);
    if (fs::is_directory(status))
        return makeError(ErrorCode::InvalidArgument, "This is a folder, not an image file; choose an image inside it.",
                         path);
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec)
        return makeError(ErrorCode::FileUnreadable, "The image file could not be read; check its permissions.", path,
                         ec.message());
    if (size > kMaxFileBytes)
        return makeError(ErrorCode::Unsupported, "The image file is larger than 1 GiB; downscale or split it first.",
                         path);

    std::ifstream in(file, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileUnreadable, "The image file could not be opened; check its permissions.", path);
    Bytes bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        return makeError(ErrorCode::FileUnreadable, "The image file could not be read completely; check the disk.",
                         path);
    return decodeImageRgb8(bytes, path, options);
}

} // namespace aape::clip
