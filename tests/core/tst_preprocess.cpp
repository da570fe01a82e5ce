#include "ImageFixtures.h"
#include "TestSupport.h"

#include "aape/clip/ImagePreprocessor.h"

#include <QtTest/QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace aape;
using namespace aape::clip;
using aape::test::ImageBytes;

namespace {

// Straightforward double-precision version of Pillow's bicubic (a = -0.5, support widened
// by the downscale factor), written independently of the fixed-point implementation.
double cubic(double x)
{
    x = std::abs(x);
    if (x < 1.0)
        return 1.5 * x * x * x - 2.5 * x * x + 1.0;
    if (x < 2.0)
        return -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0;
    return 0.0;
}

cv::Mat referenceResizeAxis(const cv::Mat& src, int outSize, bool horizontal)
{
    const int inSize = horizontal ? src.cols : src.rows;
    if (outSize == inSize)
        return src.clone();
    cv::Mat out = horizontal ? cv::Mat(src.rows, outSize, CV_8UC3) : cv::Mat(outSize, src.cols, CV_8UC3);
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(1.0, scale);
    for (int o = 0; o < outSize; ++o) {
        const double center = (o + 0.5) * scale;
        const int lo = std::max(0, int(std::floor(center - 2.0 * filterScale)));
        const int hi = std::min(inSize, int(std::ceil(center + 2.0 * filterScale)));
        std::vector<double> weights;
        double total = 0.0;
        for (int i = lo; i < hi; ++i) {
            weights.push_back(cubic((i + 0.5 - center) / filterScale));
            total += weights.back();
        }
        const int other = horizontal ? src.rows : src.cols;
        for (int j = 0; j < other; ++j) {
            for (int c = 0; c < 3; ++c) {
                double sum = 0.0;
                for (int i = lo; i < hi; ++i) {
                    const cv::Vec3b& p = horizontal ? src.at<cv::Vec3b>(j, i) : src.at<cv::Vec3b>(i, j);
                    sum += p[c] * weights[i - lo] / total;
                }
                const uchar v = cv::saturate_cast<uchar>(sum);
                (horizontal ? out.at<cv::Vec3b>(j, o) : out.at<cv::Vec3b>(o, j))[c] = v;
            }
        }
    }
    return out;
}

cv::Mat referenceResize(const cv::Mat& src, int width, int height)
{
    return referenceResizeAxis(referenceResizeAxis(src, width, true), height, false);
}

int maxAbsDiff(const cv::Mat& a, const cv::Mat& b)
{
    if (a.size() != b.size() || a.type() != b.type())
        return 1000;
    double maxValue = 0.0;
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    cv::minMaxLoc(diff.reshape(1), nullptr, &maxValue);
    return int(maxValue);
}

// Sum of value * (index % 251 + 1) over the bytes: one changed pixel changes it.
quint64 weightedChecksum(const cv::Mat& image)
{
    const cv::Mat flat = image.isContinuous() ? image : image.clone();
    quint64 sum = 0;
    for (std::size_t i = 0; i < flat.total() * flat.elemSize(); ++i)
        sum += quint64(flat.data[i]) * (i % 251 + 1);
    return sum;
}

bool sameMat(const cv::Mat& a, const cv::Mat& b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

cv::Mat makeImage(const QString& kind, int width, int height)
{
    if (kind == "gradient")
        return aape::test::gradientImage(width, height);
    if (kind == "checker")
        return aape::test::checkerboardImage(width, height, 3);
    return aape::test::photoLikeImage(width, height, 7);
}

std::string writeFixture(const aape::test::TempDir& dir, const std::string& name, const ImageBytes& bytes)
{
    const std::string path = dir.file(name);
    aape::test::writeBinaryFile(path, bytes);
    return path;
}

cv::Mat decodeOrFail(const std::string& path, const DecodeOptions& options = {})
{
    Result<cv::Mat> decoded = decodeImageRgb8(path, options);
    if (!decoded.ok())
        qWarning("%s", decoded.error().toString().c_str());
    return decoded.ok() ? decoded.value() : cv::Mat();
}

// Where stored pixel (x, y) of a width x height image lands when EXIF orientation o is applied.
cv::Point orientedSource(int o, int x, int y, int width, int height)
{
    switch (o) {
    case 2: return {width - 1 - x, y};
    case 3: return {width - 1 - x, height - 1 - y};
    case 4: return {x, height - 1 - y};
    case 5: return {y, x};
    case 6: return {y, height - 1 - x};
    case 7: return {width - 1 - y, height - 1 - x};
    case 8: return {width - 1 - y, x};
    default: return {x, y};
    }
}

} // namespace

class TestPreprocess final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resizeMatchesPillowExactly_data();
    void resizeMatchesPillowExactly();
    void resizeMatchesReferenceFilter_data();
    void resizeMatchesReferenceFilter();
    void geometry_data();
    void geometry();
    void modelViewIsCropOfFullResize();
    void squareAtModelSizeIsUntouched();
    void normalisationUsesConfig();
    void decodesColourGreyAndAlpha();
    void decodesSixteenBitAndFloat_data();
    void decodesSixteenBitAndFloat();
    void percentileStretch();
    void bandChoice();
    void decodesCmykJpeg();
    void exifOrientation_data();
    void exifOrientation();
    void brokenFilesGiveErrorsNamingTheFile_data();
    void brokenFilesGiveErrorsNamingTheFile();
    void missingFileAndFolder();
    void nonAsciiPathWithSpaces();
    void trainingViewsAreDeterministicPerSeed();
    void trainingViewIsResizedCropMaybeFlipped();
    void trainingViewFallsBackToCentreCrop();
};

// Checksums of Pillow 9.4's Image.resize(size, BICUBIC) of the same generated images
// (tests/tools/compare_preprocess_pil.py --golden prints them).
void TestPreprocess::resizeMatchesPillowExactly_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("inWidth");
    QTest::addColumn<int>("inHeight");
    QTest::addColumn<int>("outWidth");
    QTest::addColumn<int>("outHeight");
    QTest::addColumn<quint64>("checksum");
    QTest::newRow("gradient down") << "gradient" << 37 << 23 << 11 << 7 << quint64(4078584);
    QTest::newRow("gradient up") << "gradient" << 37 << 23 << 80 << 50 << quint64(194040786);
    QTest::newRow("gradient vertical only") << "gradient" << 37 << 23 << 37 << 5 << quint64(8441979);
    QTest::newRow("checker down") << "checker" << 29 << 17 << 13 << 9 << quint64(4667722);
    QTest::newRow("checker up") << "checker" << 29 << 17 << 61 << 40 << quint64(116397041);
}

void TestPreprocess::resizeMatchesPillowExactly()
{
    QFETCH(QString, kind);
    QFETCH(int, inWidth);
    QFETCH(int, inHeight);
    QFETCH(int, outWidth);
    QFETCH(int, outHeight);
    QFETCH(quint64, checksum);
    const cv::Mat resized = resizeBicubicPil(makeImage(kind, inWidth, inHeight), outWidth, outHeight);
    QCOMPARE(resized.cols, outWidth);
    QCOMPARE(resized.rows, outHeight);
    QCOMPARE(weightedChecksum(resized), checksum);
}

void TestPreprocess::resizeMatchesReferenceFilter_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("inWidth");
    QTest::addColumn<int>("inHeight");
    QTest::addColumn<int>("outWidth");
    QTest::addColumn<int>("outHeight");
    QTest::newRow("photo down 3x") << "photo" << 300 << 201 << 100 << 67;
    QTest::newRow("photo down odd") << "photo" << 257 << 131 << 53 << 29;
    QTest::newRow("photo up") << "photo" << 41 << 29 << 224 << 158;
    QTest::newRow("checker down") << "checker" << 90 << 90 << 17 << 17;
    QTest::newRow("checker up") << "checker" << 13 << 7 << 50 << 31;
    QTest::newRow("gradient mixed") << "gradient" << 64 << 20 << 30 << 55;
    QTest::newRow("one pixel up") << "photo" << 1 << 1 << 5 << 4;
    QTest::newRow("to one pixel") << "photo" << 33 << 21 << 1 << 1;
}

void TestPreprocess::resizeMatchesReferenceFilter()
{
    QFETCH(QString, kind);
    QFETCH(int, inWidth);
    QFETCH(int, inHeight);
    QFETCH(int, outWidth);
    QFETCH(int, outHeight);
    const cv::Mat input = makeImage(kind, inWidth, inHeight);
    const cv::Mat ours = resizeBicubicPil(input, outWidth, outHeight);
    const cv::Mat reference = referenceResize(input, outWidth, outHeight);
    QCOMPARE(ours.cols, outWidth);
    QCOMPARE(ours.rows, outHeight);
    QVERIFY2(maxAbsDiff(ours, reference) <= 1, qPrintable(QString("max diff %1").arg(maxAbsDiff(ours, reference))));
}

void TestPreprocess::geometry_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("resizedWidth");
    QTest::addColumn<int>("resizedHeight");
    QTest::addColumn<int>("cropX");
    QTest::addColumn<int>("cropY");
    // int(224 * 640 / 480) = int(298.67) = 298: truncated, not rounded.
    QTest::newRow("landscape 4:3") << 640 << 480 << 224 << 298 << 224 << 37 << 0;
    QTest::newRow("portrait 3:4") << 480 << 640 << 224 << 224 << 298 << 0 << 37;
    // round(2.5) == 2 and round(3.5) == 4 in Python.
    QTest::newRow("half to even down") << 229 << 224 << 224 << 229 << 224 << 2 << 0;
    QTest::newRow("half to even up") << 231 << 224 << 224 << 231 << 224 << 4 << 0;
    QTest::newRow("odd portrait") << 333 << 517 << 224 << 224 << 347 << 0 << 62;
    QTest::newRow("upscale landscape") << 100 << 60 << 224 << 373 << 224 << 74 << 0;
    QTest::newRow("square down") << 300 << 300 << 224 << 224 << 224 << 0 << 0;
    QTest::newRow("tiny model") << 45 << 70 << 32 << 32 << 49 << 0 << 8;
    QTest::newRow("thin strip") << 2 << 500 << 16 << 16 << 4000 << 0 << 1992;
}

void TestPreprocess::geometry()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, size);
    QFETCH(int, resizedWidth);
    QFETCH(int, resizedHeight);
    QFETCH(int, cropX);
    QFETCH(int, cropY);
    PreprocessConfig config;
    config.imageSize = size;
    const PreprocessedImage view = preprocessForModel(aape::test::gradientImage(width, height), config);
    QCOMPARE(view.inputWidth, width);
    QCOMPARE(view.inputHeight, height);
    QCOMPARE(view.resizedWidth, resizedWidth);
    QCOMPARE(view.resizedHeight, resizedHeight);
    QCOMPARE(view.cropInResized.x, cropX);
    QCOMPARE(view.cropInResized.y, cropY);
    QCOMPARE(view.cropInResized.width, size);
    QCOMPARE(view.cropInResized.height, size);
    QCOMPARE(view.modelView.cols, size);
    QCOMPARE(view.modelView.rows, size);
    QCOMPARE(view.modelView.type(), CV_8UC3);
    QCOMPARE(view.tensor.size(), std::size_t(3 * size * size));

    // The box in input pixels covers the centred square of side = the shorter side.
    const int shortSide = std::min(width, height);
    const CropBox& box = view.cropInInput;
    QVERIFY(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height);
    QVERIFY(std::abs(box.width - shortSide) <= 1 + shortSide / 100);
    QVERIFY(std::abs(box.height - shortSide) <= 1 + shortSide / 100);
    QVERIFY(std::abs(box.x - (width - shortSide) / 2) <= 1 + width / 100);
    QVERIFY(std::abs(box.y - (height - shortSide) / 2) <= 1 + height / 100);
}

void TestPreprocess::modelViewIsCropOfFullResize()
{
    PreprocessConfig config;
    config.imageSize = 64;
    for (const cv::Size size : {cv::Size(301, 157), cv::Size(90, 211), cv::Size(40, 33)}) {
        const cv::Mat input = aape::test::photoLikeImage(size.width, size.height, 3);
        const PreprocessedImage view = preprocessForModel(input, config);
        const cv::Mat full = resizeBicubicPil(input, view.resizedWidth, view.resizedHeight);
        const cv::Rect crop(view.cropInResized.x, view.cropInResized.y, 64, 64);
        QVERIFY(sameMat(view.modelView, full(crop)));
    }
}

void TestPreprocess::squareAtModelSizeIsUntouched()
{
    PreprocessConfig config;
    config.imageSize = 224;
    const cv::Mat input = aape::test::photoLikeImage(224, 224, 11);
    const PreprocessedImage view = preprocessForModel(input, config);
    QVERIFY(sameMat(view.modelView, input));
    QCOMPARE(view.resizedWidth, 224);
    QCOMPARE(view.cropInInput.x, 0);
    QCOMPARE(view.cropInInput.width, 224);
    const std::size_t plane = 224 * 224;
    const cv::Vec3b pixel = input.at<cv::Vec3b>(100, 37);
    for (int c = 0; c < 3; ++c) {
        const float expected = (pixel[c] / 255.0f - config.mean[c]) / config.std[c];
        QCOMPARE(view.tensor[c * plane + 100 * 224 + 37], expected);
    }
}

void TestPreprocess::normalisationUsesConfig()
{
    cv::Mat input(40, 40, CV_8UC3, cv::Scalar(51, 102, 204));
    PreprocessConfig config;
    config.imageSize = 16;
    config.mean = {0.1f, 0.2f, 0.3f};
    config.std = {0.5f, 0.25f, 2.0f};
    const PreprocessedImage view = preprocessForModel(input, config);
    const std::size_t plane = 16 * 16;
    const float values[3] = {51, 102, 204};
    for (int c = 0; c < 3; ++c) {
        const float expected = (values[c] / 255.0f - config.mean[c]) / config.std[c];
        for (std::size_t i = 0; i < plane; i += 37)
            QCOMPARE(view.tensor[c * plane + i], expected);
    }
    // CLIP's defaults give other numbers for the same pixels.
    const PreprocessedImage clipDefault = preprocessForModel(input, PreprocessConfig{16});
    QVERIFY(std::abs(clipDefault.tensor[0] - view.tensor[0]) > 0.1f);
}

void TestPreprocess::decodesColourGreyAndAlpha()
{
    aape::test::TempDir dir;
    const cv::Mat rgb = aape::test::photoLikeImage(23, 17, 5);

    const cv::Mat colour = decodeOrFail(writeFixture(dir, "rgb.png", aape::test::encodeImage(rgb, ".png")));
    QVERIFY(sameMat(colour, rgb));
    const cv::Mat bmp = decodeOrFail(writeFixture(dir, "rgb.bmp", aape::test::encodeImage(rgb, ".bmp")));
    QVERIFY(sameMat(bmp, rgb));

    cv::Mat grey(9, 14, CV_8UC1);
    cv::randu(grey, 0, 256);
    const cv::Mat fromGrey = decodeOrFail(writeFixture(dir, "grey.png", aape::test::encodeImage(grey, ".png")));
    QCOMPARE(fromGrey.type(), CV_8UC3);
    std::vector<cv::Mat> channels;
    cv::split(fromGrey, channels);
    for (const cv::Mat& channel : channels)
        QVERIFY(sameMat(channel, grey));

    // Alpha is dropped, not blended: fully transparent pixels keep their colour.
    cv::Mat rgba;
    cv::cvtColor(rgb, rgba, cv::COLOR_RGB2RGBA);
    for (int y = 0; y < rgba.rows; ++y) {
        for (int x = 0; x < rgba.cols; ++x)
            rgba.at<cv::Vec4b>(y, x)[3] = static_cast<uchar>((x * 11) % 256);
    }
    const cv::Mat fromAlpha = decodeOrFail(writeFixture(dir, "alpha.png", aape::test::encodeImage(rgba, ".png")));
    QVERIFY(sameMat(fromAlpha, rgb));
}

void TestPreprocess::decodesSixteenBitAndFloat_data()
{
    QTest::addColumn<QString>("extension");
    QTest::newRow("png") << ".png";
    QTest::newRow("tiff") << ".tiff";
}

void TestPreprocess::decodesSixteenBitAndFloat()
{
    QFETCH(QString, extension);
    aape::test::TempDir dir;
    // value / 257 rounded: 128 -> 0 (0.498), 129 -> 1 (0.502), 1000 -> 4 (3.89), 65406 -> 254.
    cv::Mat deep(2, 3, CV_16UC3);
    deep.at<cv::Vec3w>(0, 0) = cv::Vec3w(0, 128, 129);
    deep.at<cv::Vec3w>(0, 1) = cv::Vec3w(1000, 25700, 65535);
    deep.at<cv::Vec3w>(0, 2) = cv::Vec3w(65406, 65408, 32896);
    deep.row(0).copyTo(deep.row(1));
    const std::string path =
        writeFixture(dir, "deep" + extension.toStdString(), aape::test::encodeImage(deep, extension.toStdString()));
    const cv::Mat decoded = decodeOrFail(path);
    QCOMPARE(decoded.type(), CV_8UC3);
    QCOMPARE(decoded.at<cv::Vec3b>(1, 0), cv::Vec3b(0, 0, 1));
    QCOMPARE(decoded.at<cv::Vec3b>(1, 1), cv::Vec3b(4, 100, 255));
    QCOMPARE(decoded.at<cv::Vec3b>(1, 2), cv::Vec3b(254, 255, 128));

    if (extension == ".tiff") {
        // Float bands are nominally [0, 1]: * 255, rounded and clamped. (OpenCV writes 3-channel
        // float TIFF as lossy LogLuv, so the fixture is one band per file.)
        for (const auto& [value, expected] : {std::pair{0.25f, 64}, std::pair{1.5f, 255}, std::pair{-0.5f, 0}}) {
            const cv::Mat floats(2, 2, CV_32FC1, cv::Scalar(value));
            const cv::Mat fromFloat =
                decodeOrFail(writeFixture(dir, "float.tiff", aape::test::encodeImage(floats, ".tiff")));
            QCOMPARE(fromFloat.type(), CV_8UC3);
            QCOMPARE(fromFloat.at<cv::Vec3b>(1, 1), cv::Vec3b(expected, expected, expected));
        }

        cv::Mat grey16(3, 3, CV_16UC1, cv::Scalar(51400));
        const cv::Mat fromGrey =
            decodeOrFail(writeFixture(dir, "grey16.tiff", aape::test::encodeImage(grey16, ".tiff")));
        QCOMPARE(fromGrey.at<cv::Vec3b>(2, 2), cv::Vec3b(200, 200, 200));
    }
}

void TestPreprocess::percentileStretch()
{
    aape::test::TempDir dir;
    // A 16-bit band using only 1000..2000: plain scaling makes it nearly black.
    cv::Mat band(10, 101, CV_16UC1);
    for (int y = 0; y < band.rows; ++y) {
        for (int x = 0; x < band.cols; ++x)
            band.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(1000 + 10 * x);
    }
    const std::string path = writeFixture(dir, "band.png", aape::test::encodeImage(band, ".png"));
    const cv::Mat plain = decodeOrFail(path);
    QVERIFY(plain.at<cv::Vec3b>(0, 100)[0] <= 8);

    DecodeOptions minMax;
    minMax.lowPercentile = 0.0;
    minMax.highPercentile = 100.0;
    const cv::Mat stretched = decodeOrFail(path, minMax);
    QCOMPARE(stretched.at<cv::Vec3b>(0, 0), cv::Vec3b(0, 0, 0));
    QCOMPARE(stretched.at<cv::Vec3b>(0, 100), cv::Vec3b(255, 255, 255));
    QVERIFY(std::abs(int(stretched.at<cv::Vec3b>(0, 50)[1]) - 128) <= 1);

    DecodeOptions clipped;
    clipped.lowPercentile = 10.0;
    clipped.highPercentile = 90.0;
    const cv::Mat clippedView = decodeOrFail(path, clipped);
    QCOMPARE(clippedView.at<cv::Vec3b>(0, 5)[0], uchar(0));
    QCOMPARE(clippedView.at<cv::Vec3b>(0, 95)[0], uchar(255));
    QVERIFY(clippedView.at<cv::Vec3b>(0, 30)[0] > 0 && clippedView.at<cv::Vec3b>(0, 30)[0] < 255);
}

void TestPreprocess::bandChoice()
{
    aape::test::TempDir dir;
    cv::Mat rgba(4, 5, CV_8UC4, cv::Scalar(10, 20, 30, 40));
    const std::string path = writeFixture(dir, "four-bands.png", aape::test::encodeImage(rgba, ".png"));
    DecodeOptions options;
    options.bands = {3, 0, 1};
    const cv::Mat chosen = decodeOrFail(path, options);
    QCOMPARE(chosen.at<cv::Vec3b>(3, 4), cv::Vec3b(40, 10, 20));

    options.bands = {0, 1, 4};
    const Result<cv::Mat> outOfRange = decodeImageRgb8(path, options);
    QVERIFY(!outOfRange.ok());
    QCOMPARE(outOfRange.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(outOfRange.error().file, path);
    QVERIFY(outOfRange.error().message.find("4") != std::string::npos);

    options.bands = {0, 1};
    QVERIFY(!decodeImageRgb8(path, options).ok());
}

void TestPreprocess::decodesCmykJpeg()
{
    const ImageBytes bytes = aape::test::cmykJpeg();
    const Result<cv::Mat> decoded = decodeImageRgb8(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "cmyk.jpg");
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->cols, 16);
    QCOMPARE(decoded->rows, 8);
    // Pillow gives (200, 100, 50) and (20, 180, 90); CMYK conversions differ by a unit or two.
    QVERIFY(cv::norm(cv::Vec3d(decoded->at<cv::Vec3b>(4, 2)) - cv::Vec3d(200, 100, 50), cv::NORM_INF) <= 3);
    QVERIFY(cv::norm(cv::Vec3d(decoded->at<cv::Vec3b>(4, 13)) - cv::Vec3d(20, 180, 90), cv::NORM_INF) <= 3);
}

void TestPreprocess::exifOrientation_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("bigEndian");
    for (int o = 1; o <= 8; ++o)
        QTest::addRow("orientation %d", o) << o << false;
    QTest::newRow("orientation 6, Motorola order") << 6 << true;
    QTest::newRow("orientation 3, Motorola order") << 3 << true;
}

void TestPreprocess::exifOrientation()
{
    QFETCH(int, orientation);
    QFETCH(bool, bigEndian);
    const int width = 64, height = 32;
    const cv::Mat stored = aape::test::quadrantImage(width, height);
    const ImageBytes jpeg = aape::test::withExifOrientation(aape::test::encodeJpeg(stored, 95), orientation, bigEndian);
    aape::test::TempDir dir;
    const cv::Mat shown = decodeOrFail(writeFixture(dir, "oriented.jpg", jpeg));
    const bool swapsAxes = orientation >= 5;
    QCOMPARE(shown.cols, swapsAxes ? height : width);
    QCOMPARE(shown.rows, swapsAxes ? width : height);
    // Compare at the centres of the four quadrants of the displayed image.
    for (const double fy : {0.25, 0.75}) {
        for (const double fx : {0.25, 0.75}) {
            const int x = int(fx * shown.cols), y = int(fy * shown.rows);
            const cv::Point source = orientedSource(orientation, x, y, width, height);
            const cv::Vec3d expected(stored.at<cv::Vec3b>(source));
            const cv::Vec3d actual(shown.at<cv::Vec3b>(y, x));
            QVERIFY2(cv::norm(expected - actual, cv::NORM_INF) <= 40, qPrintable(QString("at %1,%2").arg(x).arg(y)));
        }
    }
}

void TestPreprocess::brokenFilesGiveErrorsNamingTheFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("code");
    const ImageBytes jpeg = aape::test::encodeJpeg(aape::test::photoLikeImage(64, 48, 1), 90);
    const ImageBytes png = aape::test::encodeImage(aape::test::photoLikeImage(64, 48, 1), ".png");
    auto bytes = [](const ImageBytes& b, std::size_t n) {
        return QByteArray(reinterpret_cast<const char*>(b.data()), int(std::min(n, b.size())));
    };
    QTest::newRow("empty") << QByteArray() << int(ErrorCode::BadFormat);
    QTest::newRow("text") << QByteArray("class,path\ncat,cat.png\n") << int(ErrorCode::BadFormat);
    QTest::newRow("truncated jpeg") << bytes(jpeg, jpeg.size() / 2) << int(ErrorCode::BadFormat);
    QTest::newRow("jpeg header only") << bytes(jpeg, 200) << int(ErrorCode::BadFormat);
    QTest::newRow("truncated png") << bytes(png, png.size() / 2) << int(ErrorCode::BadFormat);
    QTest::newRow("png signature only") << bytes(png, 8) << int(ErrorCode::BadFormat);

    // A PNG header claiming 40000 x 20 pixels is refused before decoding.
    ImageBytes huge = png;
    huge[16] = 0x00;
    huge[17] = 0x00;
    huge[18] = 0x9C;
    huge[19] = 0x40;
    QTest::newRow("huge png") << bytes(huge, huge.size()) << int(ErrorCode::Unsupported);
    ImageBytes hugeJpeg = jpeg;
    for (std::size_t i = 2; i + 8 < hugeJpeg.size(); ++i) {
        if (hugeJpeg[i] == 0xFF && hugeJpeg[i + 1] == 0xC0) {
            hugeJpeg[i + 5] = 0xFF; // height 65000-ish
            hugeJpeg[i + 7] = 0xFF; // width
            break;
        }
    }
    QTest::newRow("huge jpeg") << bytes(hugeJpeg, hugeJpeg.size()) << int(ErrorCode::Unsupported);
    // A damaged DICOM file made OpenCV's GDCM reader abort the process (found by fuzz_image_decode).
    QByteArray dicom(128, '\0');
    dicom += "DICM";
    dicom += QByteArray(64, '\x7f');
    QTest::newRow("dicom") << dicom << int(ErrorCode::Unsupported);
}

void TestPreprocess::brokenFilesGiveErrorsNamingTheFile()
{
    QFETCH(QByteArray, content);
    QFETCH(int, code);
    aape::test::TempDir dir;
    const std::string path = writeFixture(dir, "broken.img", ImageBytes(content.begin(), content.end()));
    const Result<cv::Mat> decoded = decodeImageRgb8(path);
    QVERIFY(!decoded.ok());
    QCOMPARE(int(decoded.error().code), code);
    QCOMPARE(decoded.error().file, path);
    QVERIFY(!decoded.error().message.empty());
}

void TestPreprocess::missingFileAndFolder()
{
    aape::test::TempDir dir;
    const Result<cv::Mat> missing = decodeImageRgb8(dir.file("nothing here.jpg"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::FileNotFound);
    QCOMPARE(missing.error().file, dir.file("nothing here.jpg"));

    const Result<cv::Mat> folder = decodeImageRgb8(dir.path());
    QVERIFY(!folder.ok());
    QCOMPARE(folder.error().file, dir.path());
    QVERIFY(folder.error().message.find("folder") != std::string::npos);
}

void TestPreprocess::nonAsciiPathWithSpaces()
{
    aape::test::TempDir dir;
    const cv::Mat rgb = aape::test::gradientImage(12, 9);
    const std::string path =
        writeFixture(dir, "my photos/\xD1\x84\xD0\xBE\xD1\x82\xD0\xBE \xE5\x86\x99\xE7\x9C\x9F.png",
                     aape::test::encodeImage(rgb, ".png"));
    QVERIFY(sameMat(decodeOrFail(path), rgb));
}

void TestPreprocess::trainingViewsAreDeterministicPerSeed()
{
    const cv::Mat input = aape::test::photoLikeImage(320, 240, 9);
    PreprocessConfig config;
    config.imageSize = 48;
    std::mt19937_64 first(1234), again(1234), other(99);
    const PreprocessedImage a = randomTrainingView(input, config, first);
    const PreprocessedImage b = randomTrainingView(input, config, again);
    const PreprocessedImage c = randomTrainingView(input, config, other);
    QCOMPARE(a.tensor.size(), std::size_t(3 * 48 * 48));
    QVERIFY(a.tensor == b.tensor);
    QCOMPARE(a.cropInInput.x, b.cropInInput.x);
    QCOMPARE(a.cropInInput.width, b.cropInInput.width);
    QVERIFY(a.tensor != c.tensor);
    // Successive views from one engine differ too.
    const PreprocessedImage next = randomTrainingView(input, config, first);
    QVERIFY(next.tensor != a.tensor);
}

void TestPreprocess::trainingViewIsResizedCropMaybeFlipped()
{
    const cv::Mat input = aape::test::photoLikeImage(200, 150, 4);
    PreprocessConfig config;
    config.imageSize = 40;
    std::mt19937_64 rng(42);
    int flips = 0;
    const int views = 40;
    for (int i = 0; i < views; ++i) {
        const PreprocessedImage view = randomTrainingView(input, config, rng);
        const CropBox& box = view.cropInInput;
        QVERIFY(box.x >= 0 && box.y >= 0 && box.x + box.width <= 200 && box.y + box.height <= 150);
        const double areaFraction = double(box.width) * box.height / (200.0 * 150.0);
        QVERIFY(areaFraction >= 0.07 && areaFraction <= 1.0);
        const double ratio = double(box.width) / box.height;
        QVERIFY(ratio >= 0.7 && ratio <= 1.45);
        cv::Mat expected = resizeBicubicPil(input(cv::Rect(box.x, box.y, box.width, box.height)), 40, 40);
        if (view.flipped) {
            cv::flip(expected, expected, 1);
            ++flips;
        }
        QVERIFY(sameMat(view.modelView, expected));
    }
    QVERIFY(flips > 5 && flips < views - 5);
}

void TestPreprocess::trainingViewFallsBackToCentreCrop()
{
    // No crop of 8..100 % of the area fits a 3:4..4:3 ratio into a 1000 x 10 strip.
    const cv::Mat input = aape::test::gradientImage(1000, 10);
    PreprocessConfig config;
    config.imageSize = 16;
    std::mt19937_64 rng(7);
    const PreprocessedImage view = randomTrainingView(input, config, rng);
    QCOMPARE(view.cropInInput.width, 13); // round(10 * 4 / 3)
    QCOMPARE(view.cropInInput.height, 10);
    QCOMPARE(view.cropInInput.x, 493); // (1000 - 13) // 2
    QCOMPARE(view.cropInInput.y, 0);
}

QTEST_APPLESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
