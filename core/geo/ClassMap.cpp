#include "aape/geo/ClassMap.h"

#include "geo/GdalSupport.h"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

namespace fs = std::filesystem;

namespace aape::geo {

namespace {

std::string lowerExtension(const std::string& path)
{
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension;
}

std::string hexColour(int classIndex)
{
    const auto c = classColour(classIndex);
    char text[8];
    std::snprintf(text, sizeof(text), "#%02x%02x%02x", c[0], c[1], c[2]);
    return text;
}

std::string xmlEscaped(const std::string& text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

Status checkSizes(const ClassMapLayout& layout, const std::vector<TilePrediction>& predictions, const std::string& path)
{
    if (predictions.size() != static_cast<std::size_t>(layout.grid.columns) * layout.grid.rows)
        return makeError(ErrorCode::Internal, "The predictions do not match the scene's tiles.", path,
                         std::to_string(predictions.size()) + " predictions for " + std::to_string(layout.grid.columns)
                             + " x " + std::to_string(layout.grid.rows) + " tiles");
    return {};
}

Error writeError(const std::string& path, const std::string& what, const std::string& detail)
{
    return makeError(ErrorCode::FileWrite,
                     "The " + what
                         + " could not be written; check that the folder exists and is writable and that "
                           "there is free disk space.",
                     path, detail);
}

} // namespace

std::array<double, 6> classMapGeoTransform(const ClassMapLayout& layout)
{
    const auto& g = layout.scene.geoTransform;
    const double stride = layout.grid.effectiveStride();
    const double shift = (layout.grid.tileSize - layout.grid.effectiveStride()) / 2.0;
    return {g[0] + shift * g[1] + shift * g[2], stride * g[1], stride * g[2],
            g[3] + shift * g[4] + shift * g[5], stride * g[4], stride * g[5]};
}

std::array<std::uint8_t, 3> classColour(int classIndex)
{
    // Tableau's ten, then the same hues darker for the next ten, and so on.
    static const std::uint8_t palette[10][3] = {{31, 119, 180},  {44, 160, 44}, {255, 127, 14},  {214, 39, 40},
                                                {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                                {188, 189, 34},  {23, 190, 207}};
    if (classIndex < 0)
        return {0, 0, 0};
    const auto* c = palette[classIndex % 10];
    const double shade = std::max(0.35, 1.0 - 0.25 * (classIndex / 10));
    return {static_cast<std::uint8_t>(c[0] * shade), static_cast<std::uint8_t>(c[1] * shade),
            static_cast<std::uint8_t>(c[2] * shade)};
}

Status writeClassMap(const std::string& path, const ClassMapLayout& layout,
                     const std::vector<TilePrediction>& predictions, const std::string& oodScoreName)
{
    if (auto status = checkSizes(layout, predictions, path); !status)
        return status;
    ensureGdal();
    QuietGdalErrors quiet;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    if (!driver)
        return makeError(ErrorCode::Internal, "GDAL's GeoTIFF driver is missing.", path);
    char** options = nullptr;
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "TILED", "YES");
    options = CSLSetNameValue(options, "INTERLEAVE", "BAND");
    GdalDatasetPtr map(driver->Create(path.c_str(), layout.grid.columns, layout.grid.rows, 3, GDT_Float32, options));
    CSLDestroy(options);
    if (!map)
        return writeError(path, "map", quiet.lastMessage());
    OGRSpatialReference srs;
    if (srs.importFromWkt(layout.scene.crsWkt.c_str()) == OGRERR_NONE)
        map->SetSpatialRef(&srs);
    auto transform = classMapGeoTransform(layout);
    map->SetGeoTransform(transform.data());
    map->SetMetadataItem("AAPE_SCENE", layout.scene.path.c_str());
    map->SetMetadataItem("AAPE_TILE_SIZE", std::to_string(layout.grid.tileSize).c_str());
    map->SetMetadataItem("AAPE_STRIDE", std::to_string(layout.grid.effectiveStride()).c_str());

    const std::size_t count = predictions.size();
    std::vector<float> values(count);
    const char* descriptions[3] = {"class", "probability", "ood_score"};
    for (int b = 0; b < 3; ++b) {
        for (std::size_t i = 0; i < count; ++i) {
            const auto& p = predictions[i];
            values[i] = b == 0             ? static_cast<float>(p.classIndex)
                        : p.classIndex < 0 ? std::numeric_limits<float>::quiet_NaN()
                        : b == 1           ? p.probability
                                           : p.oodScore;
        }
        GDALRasterBand* band = map->GetRasterBand(b + 1);
        band->SetDescription(descriptions[b]);
        // Class -1; the scores have no value to spare (an energy score may be anything): NaN.
        band->SetNoDataValue(b == 0 ? -1.0 : std::numeric_limits<double>::quiet_NaN());
        if (band->RasterIO(GF_Write, 0, 0, layout.grid.columns, layout.grid.rows, values.data(), layout.grid.columns,
                           layout.grid.rows, GDT_Float32, 0, 0, nullptr)
            != CE_None)
            return writeError(path, "map", quiet.lastMessage());
    }
    GDALRasterBand* classes = map->GetRasterBand(1);
    for (std::size_t c = 0; c < layout.classNames.size(); ++c) {
        const std::string index = std::to_string(c);
        classes->SetMetadataItem(("CLASS_" + index).c_str(), layout.classNames[c].c_str());
        classes->SetMetadataItem(("COLOR_" + index).c_str(), hexColour(static_cast<int>(c)).c_str());
    }
    map->GetRasterBand(3)->SetMetadataItem("OOD_SCORE", oodScoreName.c_str());
    map.reset(); // closes and flushes
    if (!quiet.lastMessage().empty() && !fs::exists(path))
        return writeError(path, "map", quiet.lastMessage());

    // The QGIS style beside the map: band 1 drawn as classes with names and colours.
    const std::string stylePath = (fs::path(path).parent_path() / fs::path(path).stem()).string() + ".qml";
    std::ofstream style(stylePath);
    style << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
             "<qgis version=\"3.28\" styleCategories=\"Symbology\">\n <pipe>\n"
             "  <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" nodataColor=\"\">\n"
             "   <rasterTransparency/>\n   <colorPalette>\n";
    for (std::size_t c = 0; c < layout.classNames.size(); ++c)
        style << "    <paletteEntry value=\"" << c << "\" color=\"" << hexColour(static_cast<int>(c))
              << "\" alpha=\"255\" label=\"" << xmlEscaped(layout.classNames[c]) << "\"/>\n";
    style << "   </colorPalette>\n  </rasterrenderer>\n </pipe>\n</qgis>\n";
    if (!style)
        return writeError(stylePath, "map's QGIS style", {});
    return {};
}

Status writeTileVector(const std::string& path, const ClassMapLayout& layout,
                       const std::vector<TilePrediction>& predictions)
{
    if (auto status = checkSizes(layout, predictions, path); !status)
        return status;
    const std::string extension = lowerExtension(path);
    const char* driverName = extension == ".gpkg"                              ? "GPKG"
                             : extension == ".geojson" || extension == ".json" ? "GeoJSON"
                             : extension == ".shp"                             ? "ESRI Shapefile"
                                                                               : nullptr;
    if (!driverName)
        return makeError(ErrorCode::InvalidArgument,
                         "Choose a vector file ending in .gpkg (GeoPackage), .geojson or .shp for the tiles.", path);
    ensureGdal();
    QuietGdalErrors quiet;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driverName);
    if (!driver)
        return makeError(ErrorCode::Internal, std::string("GDAL's ") + driverName + " driver is missing.", path);
    std::error_code ec;
    if (fs::exists(path, ec))
        driver->Delete(path.c_str());
    GdalDatasetPtr dataset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dataset)
        return writeError(path, "vector file", quiet.lastMessage());
    OGRSpatialReference srs;
    srs.importFromWkt(layout.scene.crsWkt.c_str());
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = dataset->CreateLayer("tiles", layout.scene.crsWkt.empty() ? nullptr : &srs, wkbPolygon, nullptr);
    if (!layer)
        return writeError(path, "vector file", quiet.lastMessage());
    const std::pair<const char*, OGRFieldType> fields[] = {{"class", OFTString},     {"class_index", OFTInteger},
                                                           {"probability", OFTReal}, {"ood_score", OFTReal},
                                                           {"column", OFTInteger},   {"row", OFTInteger}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn field(name, type);
        if (layer->CreateField(&field) != OGRERR_NONE)
            return writeError(path, "vector file", quiet.lastMessage());
    }
    const auto& g = layout.scene.geoTransform;
    const int stride = layout.grid.effectiveStride();
    const int tile = layout.grid.tileSize;
    if (dataset->StartTransaction() == OGRERR_FAILURE)
        return writeError(path, "vector file", quiet.lastMessage());
    for (int row = 0; row < layout.grid.rows; ++row)
        for (int col = 0; col < layout.grid.columns; ++col) {
            const auto& p = predictions[static_cast<std::size_t>(row) * layout.grid.columns + col];
            if (p.classIndex < 0)
                continue;
            const double x0 = col * stride, y0 = row * stride;
            const double cols[5] = {x0, x0 + tile, x0 + tile, x0, x0};
            const double rows[5] = {y0, y0, y0 + tile, y0 + tile, y0};
            OGRLinearRing ring;
            for (int i = 0; i < 5; ++i)
                ring.addPoint(g[0] + cols[i] * g[1] + rows[i] * g[2], g[3] + cols[i] * g[4] + rows[i] * g[5]);
            OGRPolygon polygon;
            polygon.addRing(&ring);
            OGRFeature feature(layer->GetLayerDefn());
            const bool named = p.classIndex < static_cast<int>(layout.classNames.size());
            feature.SetField("class", named ? layout.classNames[static_cast<std::size_t>(p.classIndex)].c_str() : "");
            feature.SetField("class_index", p.classIndex);
            feature.SetField("probability", static_cast<double>(p.probability));
            feature.SetField("ood_score", static_cast<double>(p.oodScore));
            feature.SetField("column", col);
            feature.SetField("row", row);
            feature.SetGeometry(&polygon);
            if (layer->CreateFeature(&feature) != OGRERR_NONE)
                return writeError(path, "vector file", quiet.lastMessage());
        }
    if (dataset->CommitTransaction() == OGRERR_FAILURE)
        return writeError(path, "vector file", quiet.lastMessage());
    dataset.reset();
    return {};
}

} // namespace aape::geo
