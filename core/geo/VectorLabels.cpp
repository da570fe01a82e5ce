#include "aape/geo/VectorLabels.h"

#include "geo/GdalSupport.h"

#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

namespace aape::geo {

namespace {

struct Polygon {
    std::string className;
    std::unique_ptr<OGRGeometry> geometry;
    OGREnvelope envelope;
};

std::unique_ptr<OGRPolygon> windowPolygon(const SceneInfo& scene, const PixelWindow& window)
{
    const auto& g = scene.geoTransform;
    const double cols[5] = {double(window.x), double(window.x + window.width), double(window.x + window.width),
                            double(window.x), double(window.x)};
    const double rows[5] = {double(window.y), double(window.y), double(window.y + window.height),
                            double(window.y + window.height), double(window.y)};
    auto ring = std::make_unique<OGRLinearRing>();
    for (int i = 0; i < 5; ++i)
        ring->addPoint(g[0] + cols[i] * g[1] + rows[i] * g[2], g[3] + cols[i] * g[4] + rows[i] * g[5]);
    auto polygon = std::make_unique<OGRPolygon>();
    polygon->addRingDirectly(ring.release());
    return polygon;
}

bool isAreal(const OGRGeometry& geometry)
{
    const auto type = wkbFlatten(geometry.getGeometryType());
    return type == wkbPolygon || type == wkbMultiPolygon || type == wkbCurvePolygon || type == wkbMultiSurface;
}

} // namespace

Result<std::vector<std::string>> vectorFieldNames(const std::string& path)
{
    QuietGdalErrors quiet;
    GdalDatasetPtr dataset(GDALDataset::FromHandle(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!dataset)
        return makeError(ErrorCode::BadFormat,
                         "The label file is not a vector file that can be read (GeoPackage, GeoJSON, Shapefile, ...).",
                         path, quiet.lastMessage());
    std::vector<std::string> names;
    for (int layer = 0; layer < dataset->GetLayerCount(); ++layer) {
        OGRFeatureDefn* definition = dataset->GetLayer(layer)->GetLayerDefn();
        for (int i = 0; i < definition->GetFieldCount(); ++i) {
            std::string name = definition->GetFieldDefn(i)->GetNameRef();
            if (std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(std::move(name));
        }
    }
    return names;
}

Result<WindowLabels> labelWindows(const SceneInfo& scene, const std::vector<PixelWindow>& windows,
                                  const VectorLabelOptions& options)
{
    ensureGdal();
    std::error_code ec;
    if (!std::filesystem::exists(options.path, ec))
        return makeError(ErrorCode::FileNotFound, "The label file does not exist; check the path.", options.path);
    if (options.field.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "Name the attribute of the polygons that holds the class (--label-field).", options.path);
    if (!(options.minCover > 0.0 && options.minCover <= 1.0))
        return makeError(ErrorCode::InvalidArgument,
                         "The minimum cover is a share of the tile between 0 and 1 (e.g. 0.5).", options.path);
    if (scene.crsWkt.empty() || !scene.hasGeoTransform)
        return makeError(ErrorCode::InvalidArgument,
                         "The scene has no coordinate reference system, so the polygons cannot be placed on it; "
                         "assign one (gdal_edit.py -a_srs EPSG:<code> FILE) and import it again.",
                         scene.path);

    QuietGdalErrors quiet;
    GdalDatasetPtr dataset(GDALDataset::FromHandle(
        GDALOpenEx(options.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!dataset || dataset->GetLayerCount() == 0)
        return makeError(ErrorCode::BadFormat,
                         "The label file is not a vector file that can be read (GeoPackage, GeoJSON, Shapefile, ...) "
                         "or holds no layers.",
                         options.path, quiet.lastMessage());

    // The first layer with the field; the error lists the fields of the first layer.
    OGRLayer* layer = nullptr;
    for (int i = 0; i < dataset->GetLayerCount() && !layer; ++i) {
        OGRLayer* candidate = dataset->GetLayer(i);
        if (candidate->GetLayerDefn()->GetFieldIndex(options.field.c_str()) >= 0)
            layer = candidate;
    }
    if (!layer) {
        OGRFeatureDefn* definition = dataset->GetLayer(0)->GetLayerDefn();
        std::string fields;
        for (int i = 0; i < definition->GetFieldCount(); ++i)
            fields += (i > 0 ? ", " : "") + std::string(definition->GetFieldDefn(i)->GetNameRef());
        return makeError(ErrorCode::InvalidArgument,
                         "The label file has no attribute '" + options.field + "'; its attributes are "
                             + (fields.empty() ? std::string("none") : fields)
                             + ". Choose the one that holds the class names.",
                         options.path);
    }

    WindowLabels result;
    result.layer = layer->GetName();
    OGRSpatialReference sceneSrs;
    sceneSrs.importFromWkt(scene.crsWkt.c_str());
    sceneSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> transform;
    if (const OGRSpatialReference* layerSrs = layer->GetSpatialRef()) {
        OGRSpatialReference source(*layerSrs);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        result.vectorCrsName = crsNameOf(source);
        if (!source.IsSame(&sceneSrs)) {
            transform.reset(OGRCreateCoordinateTransformation(&source, &sceneSrs));
            if (!transform)
                return makeError(ErrorCode::Unsupported,
                                 "The polygons' coordinate reference system (" + result.vectorCrsName
                                     + ") cannot be converted to the scene's (" + scene.crsName
                                     + "); reproject the label file first (ogr2ogr -t_srs).",
                                 options.path, quiet.lastMessage());
            result.reprojected = true;
            result.notes.push_back("The labels are in " + result.vectorCrsName + " and were reprojected to the scene's "
                                   + scene.crsName + ".");
        }
    } else {
        result.notes.push_back("The label file has no coordinate reference system; its coordinates were taken to be in "
                               "the scene's ("
                               + scene.crsName + ").");
    }

    std::vector<Polygon> polygons;
    int notAreal = 0, noClass = 0, notConverted = 0;
    layer->ResetReading();
    const int fieldIndex = layer->GetLayerDefn()->GetFieldIndex(options.field.c_str());
    for (auto& feature : *layer) {
        const OGRGeometry* geometry = feature->GetGeometryRef();
        if (!geometry || geometry->IsEmpty() || !isAreal(*geometry)) {
            ++notAreal;
            continue;
        }
        const std::string value =
            feature->IsFieldSetAndNotNull(fieldIndex) ? feature->GetFieldAsString(fieldIndex) : "";
        if (value.empty()) {
            ++noClass;
            continue;
        }
        std::unique_ptr<OGRGeometry> copy(geometry->clone());
        if (transform && copy->transform(transform.get()) != OGRERR_NONE) {
            ++notConverted;
            continue;
        }
        Polygon polygon;
        polygon.className = value;
        copy->getEnvelope(&polygon.envelope);
        polygon.geometry = std::move(copy);
        polygons.push_back(std::move(polygon));
    }
    result.features = static_cast<int>(polygons.size());
    if (notAreal > 0)
        result.notes.push_back(std::to_string(notAreal)
                               + " features are not polygons (points, lines or empty) and were left out.");
    if (noClass > 0)
        result.notes.push_back(std::to_string(noClass) + " polygons have no value in '" + options.field
                               + "' and were left out.");
    if (notConverted > 0)
        result.notes.push_back(std::to_string(notConverted) + " polygons could not be reprojected and were left out.");
    if (polygons.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "The label file holds no polygons with a value in '" + options.field
                             + "'; check the file and the attribute.",
                         options.path);

    int invalid = 0;
    result.labels.resize(windows.size());
    result.cover.assign(windows.size(), 0.0);
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const auto tile = windowPolygon(scene, windows[w]);
        OGREnvelope tileEnvelope;
        tile->getEnvelope(&tileEnvelope);
        const double tileArea = tile->get_Area();
        if (!(tileArea > 0.0))
            continue;
        std::map<std::string, double> areas;
        for (const auto& polygon : polygons) {
            if (!polygon.envelope.Intersects(tileEnvelope))
                continue;
            std::unique_ptr<OGRGeometry> overlap(polygon.geometry->Intersection(tile.get()));
            if (!overlap) {
                ++invalid;
                continue;
            }
            areas[polygon.className] += OGR_G_Area(OGRGeometry::ToHandle(overlap.get()));
        }
        const auto best = std::max_element(areas.begin(), areas.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        if (best == areas.end())
            continue;
        const double cover = std::min(1.0, best->second / tileArea);
        result.cover[w] = cover;
        if (cover >= options.minCover)
            result.labels[w] = best->first;
    }
    if (invalid > 0)
        result.notes.push_back(std::to_string(invalid)
                               + " polygon-tile overlaps could not be computed (invalid polygons); repair the file "
                                 "with ogr2ogr -makevalid if labels are missing.");
    return result;
}

} // namespace aape::geo
