// A scene dropped on the studio: the dialog says what the file holds and asks what
// `aape import --scene` asks (tile size, stride, bands, labels from polygons), shows how many
// tiles that makes and refuses choices the file cannot meet; accepted, the scene becomes tiles
// labelled from the polygons, in the project and on the Data page.

#include "DropSupport.h"
#include "ImportJob.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "SceneImportDialog.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/geo/SyntheticScene.h"
#include "aape/store/Project.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <map>

using namespace aape;
using namespace aape::ui;

namespace {

// 400 × 400 pixels of Sentinel-2's 13 bands in blocks of 100 pixels: 16 blocks of 4 classes.
geo::SyntheticSceneSpec sceneSpec()
{
    return test::squareScene(400, 13, 100);
}

QPushButton* okButton(SceneImportDialog* dialog)
{
    return dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

void saveShot(QWidget* widget, const QString& name)
{
    const QString folder = qEnvironmentVariable("AAPE_SCREENSHOT_DIR");
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    QVERIFY(widget->grab().save(folder + QLatin1Char('/') + name));
}

} // namespace

class TestSceneImport final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rastersAreScenes();
    void dialogAsksWhatTheCommandAsks();
    void droppedSceneBecomesLabelledTiles();

private:
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    std::string m_scene, m_labels;
};

void TestSceneImport::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    m_scene = m_dir->file("scene.tif");
    m_labels = m_dir->file("landcover.geojson");
    const auto spec = sceneSpec();
    QVERIFY(geo::writeSyntheticScene(m_scene, spec).ok());
    QVERIFY(geo::writeSyntheticLabels(m_labels, spec).ok());
}

void TestSceneImport::rastersAreScenes()
{
    QCOMPARE(classifyImportPath(QString::fromStdString(m_scene)), ImportKind::Scene);
    // A vector file alone is not something to import (it is a scene's labels).
    QCOMPARE(classifyImportPath(QString::fromStdString(m_labels)), ImportKind::Unsupported);
    QCOMPARE(classifyImportPath(QStringLiteral("/nonexistent/scene.tif")), ImportKind::Unsupported);
}

void TestSceneImport::dialogAsksWhatTheCommandAsks()
{
    auto reader = geo::SceneReader::open(m_scene);
    QVERIFY(reader);
    SceneImportDialog dialog(reader->info());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    // 64-pixel tiles by default: 6 × 6 whole tiles of 400 pixels.
    QCOMPARE(dialog.tileCount(), 36);
    QVERIFY(okButton(&dialog)->isEnabled());
    QVERIFY(okButton(&dialog)->text().contains(QStringLiteral("36")));
    dialog.tileSize()->setValue(100);
    QCOMPARE(dialog.tileCount(), 16);
    dialog.stride()->setValue(50);
    QCOMPARE(dialog.tileCount(), 49);
    dialog.stride()->setValue(0);

    // A preset resolves to the file's bands by description; impossible band numbers are refused.
    dialog.bands()->setCurrentIndex(dialog.bands()->findData(QStringLiteral("s2-false")));
    QCOMPARE(dialog.choice().bands, QStringLiteral("s2-false"));
    QVERIFY2(dialog.findChild<QLabel*>(QStringLiteral("tileCount"))->text().contains(QStringLiteral("B8")),
             qPrintable(dialog.findChild<QLabel*>(QStringLiteral("tileCount"))->text()));
    dialog.bands()->setCurrentIndex(dialog.bands()->findData(QStringLiteral("custom")));
    QVERIFY(dialog.customBands()->isVisible());
    dialog.customBands()->setText(QStringLiteral("99,1,2"));
    QVERIFY(!dialog.problem()->text().isEmpty());
    QVERIFY(!okButton(&dialog)->isEnabled());
    dialog.customBands()->setText(QStringLiteral("4, 3, 2"));
    QVERIFY2(dialog.problem()->text().isEmpty(), qPrintable(dialog.problem()->text()));
    QCOMPARE(dialog.choice().bands, QStringLiteral("4,3,2"));

    // The label file's attributes fill the field menu, the class-like one chosen.
    dialog.setLabelsPath(QString::fromStdString(m_labels));
    QVERIFY(dialog.labelField()->isEnabled());
    QCOMPARE(dialog.labelField()->currentText(), QStringLiteral("landcover"));
    QCOMPARE(dialog.choice().labelField, QStringLiteral("landcover"));
    dialog.minCover()->setValue(80.0);
    QCOMPARE(dialog.choice().minCover, 0.8);
    // A file that is not a vector file says so, naming it, and cannot be imported with.
    const std::string notVector = m_dir->file("notes.geojson");
    test::writeTextFile(notVector, "not json at all");
    dialog.setLabelsPath(QString::fromStdString(notVector));
    QVERIFY(dialog.problem()->text().contains(QStringLiteral("notes.geojson")));
    QVERIFY(!okButton(&dialog)->isEnabled());
    dialog.setLabelsPath(QString::fromStdString(m_labels));
    QVERIFY(okButton(&dialog)->isEnabled());
    saveShot(&dialog, QStringLiteral("scene-import.png"));
}

void TestSceneImport::droppedSceneBecomesLabelledTiles()
{
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createProject(QString::fromStdString(m_dir->file("scene.aapeproj"))));
    QSignalSpy finished(window.jobs(), &JobRunner::finished);

    // Cancelling the dialog imports nothing.
    test::deliverDrop(&window, {QString::fromStdString(m_scene)});
    SceneImportDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<SceneImportDialog*>()) != nullptr);
    dialog->reject();
    QTRY_VERIFY(window.findChild<SceneImportDialog*>() == nullptr);
    QCOMPARE(window.session()->project()->countImages().value(), 0);
    QCOMPARE(finished.count(), 0);

    test::deliverDrop(&window, {QString::fromStdString(m_scene)});
    QTRY_VERIFY((dialog = window.findChild<SceneImportDialog*>()) != nullptr);
    dialog->tileSize()->setValue(100);
    dialog->setLabelsPath(QString::fromStdString(m_labels));
    QTest::mouseClick(okButton(dialog), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).toBool(), true);

    // One tile per 100-pixel block, each labelled with its block's class.
    auto project = window.session()->project();
    QCOMPARE(project->countImages().value(), 16);
    std::map<std::int64_t, std::string> names;
    for (const auto& cls : project->classes().value())
        names[cls.id] = cls.name;
    QCOMPARE(names.size(), geo::syntheticClasses().size());
    const auto spec = sceneSpec();
    for (const auto& image : project->images().value()) {
        QVERIFY(image.classId);
        auto tile = project->tileOfImage(image.id);
        QVERIFY2(tile && tile.value(), image.path.c_str());
        const auto& t = *tile.value();
        const auto expected = geo::syntheticClasses()[static_cast<std::size_t>(
            geo::syntheticClassAt(spec, t.x + t.width / 2, t.y + t.height / 2))];
        QCOMPARE(names[*image.classId], expected);
    }
    QVERIFY2(window.banner()->text().contains(QStringLiteral("16")), qPrintable(window.banner()->text()));
    QVERIFY2(window.banner()->details().contains(QStringLiteral("16 labelled")),
             qPrintable(window.banner()->details()));
    QCOMPARE(window.currentPage(), int(MainWindow::DataPageIndex));
}

QTEST_MAIN(TestSceneImport)
#include "tst_scene_import.moc"
