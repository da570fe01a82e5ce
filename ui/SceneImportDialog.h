#pragma once
// Before a dropped or chosen scene (GeoTIFF, JPEG2000, ENVI, VRT) is imported as tiles: what the
// file holds (size, bands, CRS, pixel size) and the choices `aape import --scene` takes — tile
// size, stride, which bands become red/green/blue, an optional vector file of labelled polygons
// with its class field and the minimum cover — with the number of tiles it will make. GUI
// thread only; reading the file's header and the label file's fields is quick.

#include "ImportJob.h"

#include "aape/geo/Scene.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace aape::ui {

// "EPSG:32633, pixels of 10 × 10 m" (degrees for geographic CRSs, else the CRS's own units).
QString crsAndPixelText(const std::string& crsName, const std::string& crsWkt,
                        const std::array<double, 6>& geoTransform);

class SceneImportDialog final : public QDialog {
    Q_OBJECT
public:
    SceneImportDialog(const geo::SceneInfo& scene, QWidget* parent = nullptr);

    SceneChoice choice() const;
    // Whole tiles the current choice makes (0 when the tile is larger than the scene).
    int tileCount() const;

    // For tests and for remembering the last choice.
    QSpinBox* tileSize() const { return m_tileSize; }
    QSpinBox* stride() const { return m_stride; }
    QComboBox* bands() const { return m_bands; }
    QLineEdit* customBands() const { return m_customBands; }
    QLineEdit* labelsPath() const { return m_labelsPath; }
    QComboBox* labelField() const { return m_labelField; }
    QDoubleSpinBox* minCover() const { return m_minCover; }
    QLabel* problem() const { return m_problem; }
    void setLabelsPath(const QString& path); // reads its fields into the field menu

private:
    void chooseLabels();
    void update();

    geo::SceneInfo m_scene;
    QSpinBox* m_tileSize = nullptr;
    QSpinBox* m_stride = nullptr;
    QComboBox* m_bands = nullptr;
    QLineEdit* m_customBands = nullptr;
    QLineEdit* m_labelsPath = nullptr;
    QComboBox* m_labelField = nullptr;
    QDoubleSpinBox* m_minCover = nullptr;
    QLabel* m_tiles = nullptr;
    QLabel* m_problem = nullptr;
    QString m_labelsProblem; // why the label file cannot be used, empty when it can
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace aape::ui
