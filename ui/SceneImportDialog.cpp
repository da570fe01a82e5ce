#include "SceneImportDialog.h"

#include "StudioSettings.h"

#include "aape/geo/VectorLabels.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace aape::ui {

namespace {

const QString kCustomBands = QStringLiteral("custom");

QString presetTitle(const std::string& preset)
{
    if (preset == "s2-true")
        return SceneImportDialog::tr("Sentinel-2 true colour (B4, B3, B2)");
    if (preset == "s2-false")
        return SceneImportDialog::tr("Sentinel-2 false colour (B8, B4, B3)");
    if (preset == "s2-swir")
        return SceneImportDialog::tr("Sentinel-2 SWIR (B12, B8A, B4)");
    if (preset == "landsat-true")
        return SceneImportDialog::tr("Landsat 8/9 true colour (B4, B3, B2)");
    if (preset == "landsat-false")
        return SceneImportDialog::tr("Landsat 8/9 false colour (B5, B4, B3)");
    if (preset == "landsat-swir")
        return SceneImportDialog::tr("Landsat 8/9 SWIR (B7, B6, B4)");
    return QString::fromStdString(preset);
}

QString describeScene(const geo::SceneInfo& scene)
{
    QStringList types;
    for (const auto& band : scene.bands)
        if (!types.contains(QString::fromStdString(band.dataType)))
            types << QString::fromStdString(band.dataType);
    QString text = SceneImportDialog::tr("%1 × %2 pixels, %n band(s) (%3)", nullptr, int(scene.bands.size()))
                       .arg(scene.width)
                       .arg(scene.height)
                       .arg(types.join(QStringLiteral(", ")));
    if (scene.crsName.empty() || !scene.hasGeoTransform)
        text += QLatin1Char('\n')
                + SceneImportDialog::tr("No coordinate reference system: tiles get pixel coordinates, and "
                                        "labels from polygons and georeferenced maps are not possible.");
    else
        text += QLatin1Char('\n') + crsAndPixelText(scene.crsName, scene.crsWkt, scene.geoTransform);
    return text;
}

} // namespace

QString crsAndPixelText(const std::string& crsName, const std::string& crsWkt,
                        const std::array<double, 6>& geoTransform)
{
    const double x = std::abs(geoTransform[1]);
    const double y = std::abs(geoTransform[5]);
    const QString crs = QString::fromStdString(crsName);
    // Projected CRSs name their unit last; geographic ones are in degrees.
    const QString wkt = QString::fromStdString(crsWkt);
    const bool projected = wkt.startsWith(QLatin1String("PROJCRS")) || wkt.startsWith(QLatin1String("PROJCS"));
    if (projected && wkt.contains(QLatin1String("\"metre\"")))
        return SceneImportDialog::tr("%1, pixels of %2 × %3 m").arg(crs).arg(x, 0, 'g', 4).arg(y, 0, 'g', 4);
    if (!projected && wkt.contains(QLatin1String("degree")))
        return SceneImportDialog::tr("%1, pixels of %2 × %3 degrees").arg(crs).arg(x, 0, 'g', 4).arg(y, 0, 'g', 4);
    return SceneImportDialog::tr("%1, pixels of %2 × %3 (in the CRS's units)")
        .arg(crs)
        .arg(x, 0, 'g', 4)
        .arg(y, 0, 'g', 4);
}

SceneImportDialog::SceneImportDialog(const geo::SceneInfo& scene, QWidget* parent)
    : QDialog(parent)
    , m_scene(scene)
{
    setWindowTitle(tr("Import Scene as Tiles"));
    auto* file = new QLabel(
        QStringLiteral("<b>%1</b>").arg(QFileInfo(QString::fromStdString(scene.path)).fileName().toHtmlEscaped()));
    file->setToolTip(QString::fromStdString(scene.path));
    auto* about = new QLabel(describeScene(scene));
    about->setWordWrap(true);

    m_tileSize = new QSpinBox;
    m_tileSize->setObjectName(QStringLiteral("tileSize"));
    m_tileSize->setRange(8, 8192);
    m_tileSize->setSuffix(tr(" px"));
    m_tileSize->setValue(64);
    m_tileSize->setToolTip(tr("Each tile is a square of this many scene pixels, resized to the model's input. 64 "
                              "pixels of Sentinel-2 at 10 m are 640 m, as in EuroSAT."));
    m_stride = new QSpinBox;
    m_stride->setObjectName(QStringLiteral("stride"));
    m_stride->setRange(0, 8192);
    m_stride->setSuffix(tr(" px"));
    m_stride->setSpecialValueText(tr("same as the tile (no overlap)"));
    m_stride->setToolTip(tr("Pixels from one tile's corner to the next; smaller than the tile makes overlapping "
                            "tiles."));

    m_bands = new QComboBox;
    m_bands->setObjectName(QStringLiteral("bands"));
    m_bands->addItem(tr("Automatic: the file's colour bands, else the first three"), QString());
    for (const auto& preset : geo::bandPresets())
        m_bands->addItem(presetTitle(preset), QString::fromStdString(preset));
    m_bands->addItem(tr("Band numbers…"), kCustomBands);
    m_customBands = new QLineEdit;
    m_customBands->setObjectName(QStringLiteral("customBands"));
    m_customBands->setPlaceholderText(tr("e.g. 4,3,2"));
    m_customBands->setMinimumWidth(m_customBands->fontMetrics().horizontalAdvance(QStringLiteral("12, 12, 12")) + 16);
    m_customBands->setToolTip(tr("Three band numbers (1 is the first band) for red, green and blue."));
    auto* bandRow = new QHBoxLayout;
    bandRow->addWidget(m_bands, 1);
    bandRow->addWidget(m_customBands);

    m_labelsPath = new QLineEdit;
    m_labelsPath->setObjectName(QStringLiteral("labelsPath"));
    m_labelsPath->setPlaceholderText(tr("optional: polygons with class names (GeoPackage, GeoJSON, Shapefile)"));
    auto* browse = new QPushButton(tr("&Browse…"));
    connect(browse, &QPushButton::clicked, this, &SceneImportDialog::chooseLabels);
    auto* labelRow = new QHBoxLayout;
    labelRow->addWidget(m_labelsPath, 1);
    labelRow->addWidget(browse);
    m_labelField = new QComboBox;
    m_labelField->setObjectName(QStringLiteral("labelField"));
    m_labelField->setToolTip(tr("The polygons' attribute that holds the class name."));
    m_minCover = new QDoubleSpinBox;
    m_minCover->setObjectName(QStringLiteral("minCover"));
    m_minCover->setRange(1.0, 100.0);
    m_minCover->setDecimals(0);
    m_minCover->setSuffix(QStringLiteral(" %"));
    m_minCover->setValue(50.0);
    m_minCover->setToolTip(tr("A tile takes the class whose polygons cover most of it, when they cover at least "
                              "this share; other tiles stay unlabelled."));

    auto* form = new QFormLayout;
    form->addRow(tr("&Tile size:"), m_tileSize);
    form->addRow(tr("&Stride:"), m_stride);
    // Rows holding a layout get a label with a buddy, or the mnemonic shows as "&".
    auto* bandsLabel = new QLabel(tr("&Bands as RGB:"));
    bandsLabel->setBuddy(m_bands);
    form->addRow(bandsLabel, bandRow);
    auto* labelsLabel = new QLabel(tr("&Labels:"));
    labelsLabel->setBuddy(m_labelsPath);
    form->addRow(labelsLabel, labelRow);
    form->addRow(tr("Class &field:"), m_labelField);
    form->addRow(tr("&Minimum cover:"), m_minCover);

    m_tiles = new QLabel;
    m_tiles->setObjectName(QStringLiteral("tileCount"));
    m_tiles->setWordWrap(true);
    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(file);
    layout->addWidget(about);
    layout->addLayout(form);
    layout->addWidget(m_tiles);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    for (QSpinBox* spin : {m_tileSize, m_stride})
        connect(spin, &QSpinBox::valueChanged, this, &SceneImportDialog::update);
    connect(m_bands, &QComboBox::currentIndexChanged, this, &SceneImportDialog::update);
    connect(m_customBands, &QLineEdit::textChanged, this, &SceneImportDialog::update);
    connect(m_labelsPath, &QLineEdit::editingFinished, this, [this] { setLabelsPath(m_labelsPath->text()); });
    connect(m_labelField, &QComboBox::currentIndexChanged, this, &SceneImportDialog::update);
    update();
}

SceneChoice SceneImportDialog::choice() const
{
    SceneChoice choice;
    choice.tileSize = m_tileSize->value();
    choice.stride = m_stride->value();
    const QString bands = m_bands->currentData().toString();
    choice.bands = bands == kCustomBands ? m_customBands->text().simplified().remove(QLatin1Char(' ')) : bands;
    choice.labelsPath = m_labelsPath->text().trimmed();
    if (!choice.labelsPath.isEmpty())
        choice.labelField = m_labelField->currentText();
    choice.minCover = m_minCover->value() / 100.0;
    return choice;
}

int SceneImportDialog::tileCount() const
{
    auto grid = geo::makeTileGrid(m_scene, m_tileSize->value(), m_stride->value());
    return grid ? grid->columns * grid->rows : 0;
}

void SceneImportDialog::chooseLabels()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Labels for the Scene"), StudioSettings::lastFolder(),
                                     tr("Vector files (*.gpkg *.geojson *.json *.shp);;All files (*)"));
    if (!path.isEmpty())
        setLabelsPath(path);
}

void SceneImportDialog::setLabelsPath(const QString& path)
{
    m_labelsPath->setText(path);
    const QString previous = m_labelField->currentText();
    m_labelField->clear();
    m_labelsProblem.clear();
    const QString trimmed = path.trimmed();
    if (!trimmed.isEmpty()) {
        auto fields = geo::vectorFieldNames(trimmed.toStdString());
        if (!fields) {
            m_labelsProblem = QString::fromStdString(fields.error().message) + QLatin1Char(' ') + trimmed;
        } else if (fields->empty()) {
            m_labelsProblem = tr("The label file has no attributes to take class names from: %1").arg(trimmed);
        } else {
            for (const auto& name : fields.value())
                m_labelField->addItem(QString::fromStdString(name));
            // A field named like a class is the likely choice.
            for (const QString& likely : {previous, QStringLiteral("class"), QStringLiteral("label"),
                                          QStringLiteral("landcover"), QStringLiteral("name")}) {
                const int index = likely.isEmpty() ? -1 : m_labelField->findText(likely, Qt::MatchFixedString);
                if (index >= 0) {
                    m_labelField->setCurrentIndex(index);
                    break;
                }
            }
        }
    }
    update();
}

void SceneImportDialog::update()
{
    m_customBands->setVisible(m_bands->currentData().toString() == kCustomBands);
    const bool hasLabels = !m_labelsPath->text().trimmed().isEmpty();
    m_labelField->setEnabled(hasLabels);
    m_minCover->setEnabled(hasLabels);

    QString problem;
    const SceneChoice current = choice();
    auto rendering = geo::chooseBands(m_scene, current.bands.toStdString());
    QString bandsText;
    if (!rendering) {
        problem = QString::fromStdString(rendering.error().message);
    } else {
        QStringList names;
        for (int band : rendering->bands) {
            const auto& info = m_scene.bands[static_cast<std::size_t>(band - 1)];
            names << (info.description.empty()
                          ? QString::number(band)
                          : QStringLiteral("%1 (%2)").arg(band).arg(QString::fromStdString(info.description)));
        }
        bandsText = tr("red, green, blue from bands %1").arg(names.join(QStringLiteral(", ")));
    }
    const int tiles = tileCount();
    if (tiles == 0 && problem.isEmpty())
        problem = tr("The tile is larger than the scene (%1 × %2 pixels).").arg(m_scene.width).arg(m_scene.height);
    if (hasLabels && !m_labelsProblem.isEmpty())
        problem = m_labelsProblem;
    else if (hasLabels && (m_scene.crsName.empty() || !m_scene.hasGeoTransform))
        problem = tr("Labels from polygons need a scene with a coordinate reference system.");
    m_tiles->setText(
        tiles > 0 ? tr("%n tile(s), %1; the scene is read where needed, not copied.", nullptr, tiles).arg(bandsText)
                  : QString());
    m_problem->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(tiles > 0 ? tr("Import %n Tile(s)", nullptr, tiles) : tr("Import"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace aape::ui
