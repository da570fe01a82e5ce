#include "geo/GdalSupport.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>

namespace aape::geo {

void ensureGdal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Reading statistics must not leave .aux.xml files beside the user's scenes.
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    });
}

namespace {

thread_local std::string t_lastMessage;

void CPL_STDCALL keepMessage(CPLErr level, CPLErrorNum, const char* message)
{
    if (level >= CE_Warning && message)
        t_lastMessage = message;
}

} // namespace

void GdalDatasetClose::operator()(GDALDataset* dataset) const
{
    // Closing a damaged file can repeat what reading it reported (a broken TIFF directory), and
    // GDAL's default handler would print that on standard error after our own message. The
    // message is kept, not printed: a writer that closes inside QuietGdalErrors still sees it.
    CPLPushErrorHandler(keepMessage);
    GDALClose(GDALDataset::ToHandle(dataset));
    CPLPopErrorHandler();
}

QuietGdalErrors::QuietGdalErrors()
{
    t_lastMessage.clear();
    CPLPushErrorHandler(keepMessage);
}

QuietGdalErrors::~QuietGdalErrors()
{
    CPLPopErrorHandler();
}

std::string QuietGdalErrors::lastMessage() const
{
    return t_lastMessage;
}

Result<GdalDatasetPtr> openRaster(const std::string& path)
{
    ensureGdal();
    QuietGdalErrors quiet;
    GdalDatasetPtr dataset(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!dataset) {
        const std::string message = quiet.lastMessage();
        if (message.find("not recognized as a supported file format") != std::string::npos
            || message.find("not recognised") != std::string::npos || message.empty())
            return makeError(ErrorCode::BadFormat,
                             "The file is not a raster that GDAL can read (GeoTIFF, JPEG2000, ENVI, VRT, ...); check "
                             "that it is a scene or an image.",
                             path, message);
        return makeError(ErrorCode::BadFormat,
                         "The scene file is damaged or truncated and cannot be opened; copy or download it again.",
                         path, message);
    }
    if (dataset->GetRasterCount() == 0)
        return makeError(ErrorCode::BadFormat,
                         "The file holds no raster bands (it may be a vector file); choose a scene or an image.", path);
    return dataset;
}

Error readError(const std::string& path, int x, int y, const std::string& gdalMessage)
{
    return makeError(ErrorCode::BadFormat,
                     "The scene's pixels near (" + std::to_string(x) + ", " + std::to_string(y)
                         + ") cannot be read: the file is truncated or damaged. Copy or download it again.",
                     path, gdalMessage);
}

std::string wktOf(const OGRSpatialReference& srs)
{
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    srs.exportToWkt(&wkt, options);
    std::string text = wkt ? wkt : "";
    CPLFree(wkt);
    return text;
}

std::string crsNameOf(const OGRSpatialReference& srs)
{
    const char* authority = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (authority && code)
        return std::string(authority) + ":" + code;
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE && copy.GetAuthorityName(nullptr) && copy.GetAuthorityCode(nullptr))
        return std::string(copy.GetAuthorityName(nullptr)) + ":" + copy.GetAuthorityCode(nullptr);
    const char* name = srs.GetName();
    return name ? name : "unnamed CRS";
}

Result<BandRange> percentileRange(GDALRasterBand& band, double lowPercentile, double highPercentile)
{
    QuietGdalErrors quiet;
    // Exact up to 16 megapixels (cheap, and a subsample can alias with regular patterns); GDAL's
    // approximation (overviews or a subsample) above, so that a large scene is not read whole.
    const int approximate =
        static_cast<double>(band.GetXSize()) * static_cast<double>(band.GetYSize()) > 16.0e6 ? TRUE : FALSE;
    double minMax[2] = {0.0, 0.0};
    if (band.ComputeRasterMinMax(approximate, minMax) != CE_None) {
        const std::string message = quiet.lastMessage();
        if (message.find("Read") != std::string::npos || message.find("read") != std::string::npos)
            return makeError(ErrorCode::BadFormat,
                             "The scene's band " + std::to_string(band.GetBand())
                                 + " cannot be read: the file is truncated or damaged. Copy or download it again.",
                             {}, message);
        return makeError(ErrorCode::InvalidArgument,
                         "Band " + std::to_string(band.GetBand())
                             + " of the scene holds no valid pixels (all no-data); choose other bands.",
                         {}, message);
    }
    const GDALDataType type = band.GetRasterDataType();
    const bool integer = !GDALDataTypeIsFloating(type);
    if (!(minMax[1] > minMax[0]))
        return BandRange{minMax[0], minMax[0] + 1.0};
    // Integer bands: one bucket per value (up to 65536); floating point: 4096 buckets.
    int buckets = 4096;
    double low = minMax[0], high = minMax[1];
    if (integer && high - low < 65536.0) {
        buckets = static_cast<int>(high - low) + 1;
        low -= 0.5;
        high += 0.5;
    }
    std::vector<GUIntBig> counts(static_cast<std::size_t>(buckets), 0);
    if (band.GetHistogram(low, high, buckets, counts.data(), TRUE, approximate, GDALDummyProgress, nullptr) != CE_None)
        return makeError(ErrorCode::BadFormat,
                         "The scene's histogram cannot be computed: the file is truncated or damaged.", {},
                         quiet.lastMessage());
    GUIntBig total = 0;
    for (GUIntBig count : counts)
        total += count;
    if (total == 0)
        return BandRange{minMax[0], minMax[1]};
    const double width = (high - low) / buckets;
    auto valueAt = [&](double percentile, bool upperEdge) {
        const double target = std::clamp(percentile, 0.0, 100.0) / 100.0 * double(total);
        GUIntBig cumulative = 0;
        for (int i = 0; i < buckets; ++i) {
            cumulative += counts[static_cast<std::size_t>(i)];
            if (double(cumulative) >= target && cumulative > 0) {
                // Integer buckets hold one value each: their centre is the value.
                if (integer && width == 1.0)
                    return low + 0.5 + i;
                return low + (i + (upperEdge ? 1.0 : 0.0)) * width;
            }
        }
        return high;
    };
    BandRange range{valueAt(lowPercentile, false), valueAt(highPercentile, true)};
    if (!(range.high > range.low))
        range.high = range.low + 1.0;
    return range;
}

MemoryFile::MemoryFile(const std::vector<std::uint8_t>& bytes)
{
    ensureGdal();
    static std::atomic<unsigned long long> counter{0};
    m_path = "/vsimem/aape-decode-" + std::to_string(++counter);
    VSILFILE* file = VSIFileFromMemBuffer(m_path.c_str(), const_cast<GByte*>(bytes.data()),
                                          static_cast<vsi_l_offset>(bytes.size()), FALSE);
    if (file)
        VSIFCloseL(file);
}

MemoryFile::~MemoryFile()
{
    VSIUnlink(m_path.c_str());
}

} // namespace aape::geo
