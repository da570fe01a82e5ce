#include "clip/PilResize.h"

#include "aape/clip/ImagePreprocessor.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace aape::clip {
namespace detail {
namespace {

// Pillow's libImaging/Resample.c: 8 bits of result, 2 bits of headroom for the negative
// lobes and the overshoot of the sum, in an int.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr std::int32_t kHalf = 1 << (kPrecisionBits - 1);

double bicubicFilter(double x)
{
    constexpr double a = -0.5;
    if (x < 0.0)
        x = -x;
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

inline std::uint8_t clip8(std::int32_t sum)
{
    // Pillow looks up sum >> PRECISION_BITS in a table clamped to [0, 255]; the shift of a
    // negative int is arithmetic on every compiler we build with.
    const std::int32_t value = sum >> kPrecisionBits;
    return static_cast<std::uint8_t>(value < 0 ? 0 : (value > 255 ? 255 : value));
}

// Weights of the outputs [begin, end) along one axis, as Pillow's precompute_coeffs and
// normalize_coeffs_8bpc compute them for the default box (0, inSize).
struct AxisCoefficients {
    int taps = 0;                      // ksize: the stride of `weights`
    std::vector<int> first;            // first input index per output (xmin)
    std::vector<int> count;            // number of inputs used per output (xmax - xmin)
    std::vector<std::int32_t> weights; // [end - begin, taps], fixed point
};

AxisCoefficients precomputeCoefficients(int inSize, int outSize, int begin, int end)
{
    const float in0 = 0.0f;
    const float in1 = static_cast<float>(inSize);
    // Pillow divides the float box extent, promoted to double.
    const double scale = static_cast<double>(in1 - in0) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 2.0 * filterScale;
    const int taps = static_cast<int>(std::ceil(support)) * 2 + 1;

    AxisCoefficients c;
    c.taps = taps;
    const int n = end - begin;
    c.first.resize(n);
    c.count.resize(n);
    c.weights.assign(static_cast<std::size_t>(n) * taps, 0);
    std::vector<double> k(taps);
    for (int xx = begin; xx < end; ++xx) {
        const double center = in0 + (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0)
            xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > inSize)
            xmax = inSize;
        xmax -= xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double w = bicubicFilter((x + xmin - center + 0.5) * ss);
            k[x] = w;
            ww += w;
        }
        std::int32_t* out = &c.weights[static_cast<std::size_t>(xx - begin) * taps];
        for (int x = 0; x < xmax; ++x) {
            const double w = ww != 0.0 ? k[x] / ww : k[x];
            out[x] = w < 0 ? static_cast<std::int32_t>(-0.5 + w * (1 << kPrecisionBits))
                           : static_cast<std::int32_t>(0.5 + w * (1 << kPrecisionBits));
        }
        c.first[xx - begin] = xmin;
        c.count[xx - begin] = xmax;
    }
    return c;
}

// Rows run in parallel stripes; each output pixel is the same integer sum as in Pillow.
void resampleHorizontal(const cv::Mat& in, int rowOffset, const AxisCoefficients& c, cv::Mat& out)
{
    cv::parallel_for_(
        cv::Range(0, out.rows),
        [&](const cv::Range& rows) {
            for (int yy = rows.start; yy < rows.end; ++yy) {
                const std::uint8_t* src = in.ptr<std::uint8_t>(yy + rowOffset);
                std::uint8_t* dst = out.ptr<std::uint8_t>(yy);
                for (int xx = 0; xx < out.cols; ++xx) {
                    const std::int32_t* k = &c.weights[static_cast<std::size_t>(xx) * c.taps];
                    const std::uint8_t* p = src + 3 * c.first[xx];
                    std::int32_t s0 = kHalf, s1 = kHalf, s2 = kHalf;
                    for (int x = 0, n = c.count[xx]; x < n; ++x) {
                        s0 += p[3 * x + 0] * k[x];
                        s1 += p[3 * x + 1] * k[x];
                        s2 += p[3 * x + 2] * k[x];
                    }
                    dst[3 * xx + 0] = clip8(s0);
                    dst[3 * xx + 1] = clip8(s1);
                    dst[3 * xx + 2] = clip8(s2);
                }
            }
        },
        std::max(1.0, out.total() / 65536.0));
}

// Accumulates whole rows (same integer sums as Pillow's per-pixel loop, in an order the
// compiler can vectorise).
void resampleVertical(const cv::Mat& in, int rowOffset, const AxisCoefficients& c, cv::Mat& out)
{
    const int width = out.cols * 3;
    cv::parallel_for_(
        cv::Range(0, out.rows),
        [&](const cv::Range& rows) {
            std::vector<std::int32_t> acc(width);
            for (int yy = rows.start; yy < rows.end; ++yy) {
                std::fill(acc.begin(), acc.end(), kHalf);
                const std::int32_t* k = &c.weights[static_cast<std::size_t>(yy) * c.taps];
                for (int y = 0, n = c.count[yy]; y < n; ++y) {
                    const std::uint8_t* src = in.ptr<std::uint8_t>(c.first[yy] - rowOffset + y);
                    const std::int32_t weight = k[y];
                    std::int32_t* a = acc.data();
                    for (int i = 0; i < width; ++i)
                        a[i] += src[i] * weight;
                }
                std::uint8_t* dst = out.ptr<std::uint8_t>(yy);
                for (int i = 0; i < width; ++i)
                    dst[i] = clip8(acc[i]);
            }
        },
        std::max(1.0, out.total() / 65536.0));
}

} // namespace

cv::Mat resizeBicubicPilRegion(const cv::Mat& rgb8, int width, int height, const cv::Rect& region)
{
    if (rgb8.empty() || rgb8.type() != CV_8UC3 || width <= 0 || height <= 0 || region.empty() || region.x < 0
        || region.y < 0 || region.x + region.width > width || region.y + region.height > height)
        return {};

    // Pillow skips a pass whose size is unchanged (a scale-1 bicubic pass is the identity).
    const bool needHorizontal = width != rgb8.cols;
    const bool needVertical = height != rgb8.rows;

    AxisCoefficients vertical;
    int firstRow = region.y;
    int lastRow = region.y + region.height;
    if (needVertical) {
        vertical = precomputeCoefficients(rgb8.rows, height, region.y, region.y + region.height);
        firstRow = vertical.first.front();
        lastRow = vertical.first.front() + vertical.count.front();
        for (std::size_t i = 0; i < vertical.first.size(); ++i) {
            firstRow = std::min(firstRow, vertical.first[i]);
            lastRow = std::max(lastRow, vertical.first[i] + vertical.count[i]);
        }
    }

    // Horizontal pass, only over the input rows the vertical pass reads.
    cv::Mat rows;
    if (needHorizontal) {
        const AxisCoefficients horizontal = precomputeCoefficients(rgb8.cols, width, region.x, region.x + region.width);
        rows.create(lastRow - firstRow, region.width, CV_8UC3);
        resampleHorizontal(rgb8, firstRow, horizontal, rows);
    } else {
        rows = rgb8(cv::Range(firstRow, lastRow), cv::Range(region.x, region.x + region.width));
    }

    if (!needVertical)
        return needHorizontal ? rows : rows.clone();

    cv::Mat out(region.height, region.width, CV_8UC3);
    resampleVertical(rows, firstRow, vertical, out);
    return out;
}

} // namespace detail

cv::Mat resizeBicubicPil(const cv::Mat& rgb8, int width, int height)
{
    return detail::resizeBicubicPilRegion(rgb8, width, height, cv::Rect(0, 0, width, height));
}

} // namespace aape::clip
