#pragma once
// What the files of core/geo share: GDAL set up once, datasets closed by RAII, GDAL's errors
// captured (not printed) and turned into Errors, in-memory files. Private to core/geo.

#include "aape/geo/Scene.h"
#include "aape/util/Error.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aape::geo {

// Registers GDAL's drivers the first time; any thread.
void ensureGdal();

struct GdalDatasetClose {
    void operator()(GDALDataset* dataset) const;
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetClose>;

// Opens a raster read-only; the error says whether the file is missing, not a raster GDAL
// reads, or damaged.
Result<GdalDatasetPtr> openRaster(const std::string& path);

// While alive, GDAL's messages on this thread are kept instead of going to stderr; the last
// one explains a failure in the log file.
class QuietGdalErrors final {
public:
    QuietGdalErrors();
    ~QuietGdalErrors();
    QuietGdalErrors(const QuietGdalErrors&) = delete;
    QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
    std::string lastMessage() const;
};

// A failed read of pixels at (x, y): truncated or damaged file.
Error readError(const std::string& path, int x, int y, const std::string& gdalMessage);

std::string wktOf(const OGRSpatialReference& srs);
// "EPSG:32633" when the CRS has an EPSG code, else its name.
std::string crsNameOf(const OGRSpatialReference& srs);

// The lowPercentile..highPercentile range of a band's valid pixels, from GDAL's approximate
// histogram (overviews or a subsample).
Result<BandRange> percentileRange(GDALRasterBand& band, double lowPercentile, double highPercentile);

// A /vsimem/ file with a copy of bytes, removed with the object.
class MemoryFile final {
public:
    explicit MemoryFile(const std::vector<std::uint8_t>& bytes);
    ~MemoryFile();
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace aape::geo
