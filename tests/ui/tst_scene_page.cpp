// The Scene page: a generated scene imported as tiles and a run trained on them; the page shows
// the scene, predicts its map in a job (the same classes as `aape predict --scene` writes), draws
// it over the scene with a legend and an opacity, tells a hovered tile's classes and OOD score,
// opens a clicked tile in Inspect (or on the Data page when the run did not evaluate it), saves
// the map for QGIS and stops when asked.

#include "DataPage.h"
#include "ElidedLabel.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "PredictionsModel.h"
#include "ProjectSession.h"
#include "RunMenu.h"
#include "ScenePage.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/demo/DemoWorld.h"
#include "aape/geo/ClassMap.h"
#include "aape/geo/Scene.h"
#include "aape/geo/SyntheticScene.h"
#include "aape/store/Project.h"
#include "aape/workflow/ScenePredict.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

#include <filesystem>

using namespace aape;
using namespace aape::ui;

namespace {

// 400 × 400 pixels, 6 bands, blocks of 100 pixels: 16 blocks of 4 classes; 50-pixel tiles.
geo::SyntheticSceneSpec sceneSpec()
{
    return test::squareScene(400, 6, 100);
}
constexpr int kTile = 50;
constexpr int kColumns = 8;

} // namespace

class TestScenePage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheSceneAndWhatToDo();
    void predictsTheMapThatTheCommandWrites();
    void hoverOpacityAndLegend();
    void clickOpensTheTile();
    void savesTheMapForQgis();
    void stopsWhenAsked();
    void screenshot();

private:
    void predictAndWait();

    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    std::string m_scene, m_project, m_clip;
    std::unique_ptr<MainWindow> m_window;
    ScenePage* m_page = nullptr;
};

void TestScenePage::initTestCase()
{
    m_clip = data::findDemoClip();
    if (m_clip.empty())
        QSKIP("the demo's CLIP (resources/demo-clip) is not there");
    m_dir = std::make_unique<test::TempDir>();
    m_scene = m_dir->file("scene.tif");
    const std::string labels = m_dir->file("landcover.geojson");
    QVERIFY(geo::writeSyntheticScene(m_scene, sceneSpec()).ok());
    QVERIFY(geo::writeSyntheticLabels(labels, sceneSpec()).ok());
    m_project = m_dir->file("landcover.aapeproj");
    auto created = test::runCli({"create", m_project, "--model", m_clip});
    QVERIFY2(created.code == 0, created.err.c_str());
    auto imported = test::runCli({"import", m_project, "--scene", m_scene, "--tile", std::to_string(kTile), "--labels",
                                  labels, "--label-field", "landcover"});
    QVERIFY2(imported.code == 0, imported.err.c_str());
    auto trained = test::runCli({"train", m_project, "--shots", "0", "--epochs", "60", "--views", "2"});
    QVERIFY2(trained.code == 0, trained.err.c_str());
}

void TestScenePage::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1200, 800);
    m_window->show();
    QVERIFY(m_window->openProject(QString::fromStdString(m_project)));
    m_window->showPage(MainWindow::ScenePageIndex);
    m_page = m_window->scenePage();
    QVERIFY(m_page);
    QCOMPARE(m_window->currentPage(), int(MainWindow::ScenePageIndex));
    QTRY_VERIFY_WITH_TIMEOUT(m_page->isPictureLoaded(), 20000);
}

void TestScenePage::cleanup()
{
    if (m_window)
        m_window->jobs()->waitForFinished();
    m_window.reset();
    m_page = nullptr;
}

void TestScenePage::predictAndWait()
{
    QSignalSpy finished(m_page, &ScenePage::mapFinished);
    QVERIFY(m_page->predictButton()->isEnabled());
    QTest::mouseClick(m_page->predictButton(), Qt::LeftButton);
    QVERIFY(m_page->stopButton()->isVisible());
    QVERIFY(!m_page->predictButton()->isEnabled());
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(m_page->prediction());
}

void TestScenePage::showsTheSceneAndWhatToDo()
{
    QCOMPARE(m_page->sceneMenu()->count(), 1);
    QCOMPARE(m_page->sceneMenu()->currentText(), QStringLiteral("scene.tif"));
    QVERIFY(m_page->runMenu()->runId() != 0);
    QVERIFY(!m_page->prediction());
    QVERIFY(!m_page->saveButton()->isEnabled());
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral("Predict Map")),
             qPrintable(m_page->statusLabel()->text()));
    // No map yet: nothing to hover.
    QCOMPARE(m_page->canvas()->tileAt(QPointF(m_page->canvas()->width() / 2.0, m_page->canvas()->height() / 2.0)), -1);
}

void TestScenePage::predictsTheMapThatTheCommandWrites()
{
    predictAndWait();
    const auto* prediction = m_page->prediction();
    QCOMPARE(prediction->layout.grid.columns, kColumns);
    QCOMPARE(prediction->layout.grid.rows, kColumns);
    QCOMPARE(int(prediction->tiles.size()), kColumns * kColumns);
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral("64 tile")),
             qPrintable(m_page->statusLabel()->text()));

    // The same bundle through the command line: its GeoTIFF holds the page's classes tile by tile.
    const std::string bundle = m_dir->file("run.aape.safetensors");
    const std::string map = m_dir->file("cli-map.tif");
    auto exported =
        test::runCli({"export", m_project, "--run", std::to_string(m_page->runMenu()->runId()), "--out", bundle});
    QVERIFY2(exported.code == 0, exported.err.c_str());
    auto predicted = test::runCli({"predict", "--bundle", bundle, "--model", m_clip, "--scene", m_scene, "--tile",
                                   std::to_string(kTile), "--out", map});
    QVERIFY2(predicted.code == 0, predicted.err.c_str());
    auto reader = geo::SceneReader::open(map);
    QVERIFY(reader);
    QCOMPARE(reader->info().width, kColumns);
    auto bands = reader->readAllBands({0, 0, kColumns, kColumns});
    QVERIFY(bands);
    int agree = 0;
    for (int row = 0; row < kColumns; ++row)
        for (int column = 0; column < kColumns; ++column) {
            const float cliClass = bands->ptr<float>(row)[column * 3];
            const auto& tile = prediction->tiles[std::size_t(row * kColumns + column)];
            QVERIFY(tile.classIndex >= 0);
            agree += int(cliClass) == tile.classIndex ? 1 : 0;
            // Drawn in its class's colour.
            const auto rgb = geo::classColour(tile.classIndex);
            QCOMPARE(m_page->canvas()->classMap().pixel(column, row), qRgb(rgb[0], rgb[1], rgb[2]));
        }
    QCOMPARE(agree, kColumns * kColumns);
    // The prediction of a second scene's map is kept per run: switching away and back keeps it.
    QVERIFY(m_page->saveButton()->isEnabled());
}

void TestScenePage::hoverOpacityAndLegend()
{
    predictAndWait();
    const auto* prediction = m_page->prediction();
    // The legend: every class with its tile count; the counts add up to the tiles.
    QCOMPARE(m_page->legend()->count(), int(prediction->layout.classNames.size()));
    int total = 0;
    for (int i = 0; i < m_page->legend()->count(); ++i) {
        const QString text = m_page->legend()->item(i)->text();
        QVERIFY2(text.startsWith(QString::fromStdString(prediction->layout.classNames[std::size_t(i)])),
                 qPrintable(text));
        int count = 0;
        for (const auto& tile : prediction->tiles)
            count += tile.classIndex == i ? 1 : 0;
        total += count;
        QVERIFY2(text.contains(QStringLiteral("%1 tile").arg(count)), qPrintable(text));
    }
    QCOMPARE(total, kColumns * kColumns);

    // Hovering tile (row 2, column 5): its window, its label, its top classes and OOD score.
    SceneCanvas* canvas = m_page->canvas();
    const int tile = 2 * kColumns + 5;
    const QRectF rect = canvas->tileRect(tile);
    QVERIFY(!rect.isEmpty());
    QCOMPARE(canvas->tileAt(rect.center()), tile);
    QTest::mouseMove(canvas, QPoint(2, 2));
    QTest::mouseMove(canvas, rect.center().toPoint());
    QTRY_VERIFY(!m_page->tileCard()->text().isEmpty());
    const QString card = m_page->tileCard()->text();
    QCOMPARE(card, m_page->tileText(tile));
    QVERIFY2(card.contains(QStringLiteral("pixels 250, 100")), qPrintable(card));
    const auto expectedLabel = geo::syntheticClasses()[std::size_t(geo::syntheticClassAt(sceneSpec(), 275, 125))];
    QVERIFY2(card.contains(QStringLiteral("Labelled %1").arg(QString::fromStdString(expectedLabel))), qPrintable(card));
    const auto& top = prediction->top[std::size_t(tile)];
    QCOMPARE(int(top.size()), 3);
    QVERIFY2(card.contains(QString::fromStdString(prediction->layout.classNames[std::size_t(top[0].first)])),
             qPrintable(card));
    QVERIFY2(card.contains(QStringLiteral("OOD score")), qPrintable(card));
    // Outside the scene there is no tile.
    QCOMPARE(canvas->tileAt(QPointF(-10, -10)), -1);

    // The opacity slider sets the map's opacity.
    m_page->opacitySlider()->setValue(25);
    QCOMPARE(canvas->opacity(), 0.25);
    m_page->opacitySlider()->setValue(100);
    QCOMPARE(canvas->opacity(), 1.0);
}

void TestScenePage::clickOpensTheTile()
{
    predictAndWait();
    auto* project = m_window->session()->project();
    // A test tile: Inspect shows just it, with the page's run.
    std::int64_t testImage = 0, trainImage = 0;
    int testTile = -1, trainTile = -1;
    for (int tile = 0; tile < kColumns * kColumns; ++tile) {
        const std::int64_t image = m_page->imageOfTile(tile);
        QVERIFY(image != 0); // every tile of the map is a project tile
        auto record = project->image(image);
        QVERIFY(record && record.value());
        if (record.value()->split == store::Split::Test && testTile < 0) {
            testTile = tile;
            testImage = image;
        }
        if (record.value()->split == store::Split::Train && trainTile < 0) {
            trainTile = tile;
            trainImage = image;
        }
    }
    QVERIFY(testTile >= 0 && trainTile >= 0);
    SceneCanvas* canvas = m_page->canvas();
    QTest::mouseClick(canvas, Qt::LeftButton, {}, canvas->tileRect(testTile).center().toPoint());
    QCOMPARE(m_window->currentPage(), int(MainWindow::InspectPageIndex));
    auto* inspect = m_window->findChild<InspectPage*>();
    QVERIFY(inspect);
    QCOMPARE(inspect->runId(), m_page->runMenu()->runId());
    QCOMPARE(inspect->proxy()->rowCount(), 1);
    QVERIFY2(inspect->restrictionLabel()->fullText().contains(QStringLiteral("clicked on the scene")),
             qPrintable(inspect->restrictionLabel()->fullText()));

    // A training tile is not among the run's predictions: the Data page shows it.
    m_window->showPage(MainWindow::ScenePageIndex);
    QTest::mouseClick(canvas, Qt::LeftButton, {}, canvas->tileRect(trainTile).center().toPoint());
    QCOMPARE(m_window->currentPage(), int(MainWindow::DataPageIndex));
    QVERIFY2(m_window->dataPage()->imageFilterLabel()->text().contains(QStringLiteral("clicked on the scene")),
             qPrintable(m_window->dataPage()->imageFilterLabel()->text()));
    Q_UNUSED(testImage);
    Q_UNUSED(trainImage);
}

void TestScenePage::savesTheMapForQgis()
{
    predictAndWait();
    const QString tif = QString::fromStdString(m_dir->file("page-map.tif"));
    QVERIFY(m_page->saveMap(tif));
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral("page-map.tif")),
             qPrintable(m_page->statusLabel()->text()));
    QVERIFY(QFileInfo::exists(QString::fromStdString(m_dir->file("page-map.qml"))));
    auto reader = geo::SceneReader::open(tif.toStdString());
    QVERIFY(reader);
    QCOMPARE(reader->info().width, kColumns);
    QCOMPARE(reader->info().height, kColumns);
    QCOMPARE(reader->info().crsName, std::string("EPSG:32633"));
    QCOMPARE(int(reader->info().bands.size()), 3);
    auto scene = geo::SceneReader::open(m_scene);
    QVERIFY(scene);
    QCOMPARE(reader->info().geoTransform[0], scene->info().geoTransform[0]);
    QCOMPARE(reader->info().geoTransform[1], scene->info().geoTransform[1] * kTile);

    const QString gpkg = QString::fromStdString(m_dir->file("page-tiles.gpkg"));
    QVERIFY(m_page->saveMap(gpkg));
    QVERIFY(QFileInfo(gpkg).size() > 0);
    // A file type the map cannot be written as is refused with what to choose.
    QVERIFY(!m_page->saveMap(QString::fromStdString(m_dir->file("map.txt"))));
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral(".tif")), qPrintable(m_page->statusLabel()->text()));
    // Nowhere to write: said, nothing crashes.
    QVERIFY(!m_page->saveMap(QStringLiteral("/nonexistent-folder/map.tif")));
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral("not saved")),
             qPrintable(m_page->statusLabel()->text()));
}

void TestScenePage::stopsWhenAsked()
{
    QSignalSpy finished(m_page, &ScenePage::mapFinished);
    QVERIFY(m_page->predictMap());
    QVERIFY(m_page->stopButton()->isVisible());
    QTest::mouseClick(m_page->stopButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(!m_page->prediction());
    QVERIFY(!m_page->stopButton()->isVisible());
    QVERIFY(!m_page->progressBar()->isVisible());
    QVERIFY2(m_page->statusLabel()->text().contains(QStringLiteral("Stopped")),
             qPrintable(m_page->statusLabel()->text()));
    QVERIFY(m_page->predictButton()->isEnabled());
}

void TestScenePage::screenshot()
{
    const QString folder = qEnvironmentVariable("AAPE_SHOTS_DIR");
    if (folder.isEmpty())
        QSKIP("AAPE_SHOTS_DIR is not set");
    predictAndWait();
    SceneCanvas* canvas = m_page->canvas();
    // From elsewhere first: a move to where the cursor already is delivers no event.
    QTest::mouseMove(canvas, QPoint(2, 2));
    QTest::mouseMove(canvas, canvas->tileRect(2 * kColumns + 5).center().toPoint());
    QTRY_VERIFY(!m_page->tileCard()->text().isEmpty());
    QDir().mkpath(folder);
    QVERIFY(m_window->grab().save(folder + QStringLiteral("/scene.png")));
}

QTEST_MAIN(TestScenePage)
#include "tst_scene_page.moc"
