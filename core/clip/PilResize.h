#pragma once
// Pillow-exact bicubic resampling of part of the output (private to the image pipeline).
// Pure function: callable from any thread.

#include <opencv2/core.hpp>

namespace aape::clip::detail {

// The pixels inside `region` of resizeBicubicPil(rgb8, width, height), computed without
// producing the rest: Pillow's weights for an output pixel depend only on its index, so
// the values are identical. region must lie inside [0, width) x [0, height).
cv::Mat resizeBicubicPilRegion(const cv::Mat& rgb8, int width, int height, const cv::Rect& region);

} // namespace aape::clip::detail
