// The Review page in the main window. "Likely label mistakes" on a project with planted flipped
// labels lists those images first; keys work the queue: a number gives the class at that place
// (undoably, seen by the project at once), K keeps, X excludes, each moving on. "What to label
// next" lists unlabelled images only, and after ten new labels offers to retrain, which opens
// the Train page.

#include "DataPage.h"
#include "MainWindow.h"
#include "MapPage.h"
#include "MapView.h"
#include "ProjectSession.h"
#include "ReviewPage.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/explore/Collection.h"
#include "aape/store/Project.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>
#include <random>
#include <set>

using namespace aape;

namespace {

constexpr int kDim = 24;

std::vector<float> normalised(std::vector<float> v)
{
    double sum = 0.0;
    for (float x : v)
        sum += static_cast<double>(x) * x;
    for (float& x : v)
        x = static_cast<float>(x / std::sqrt(sum));
    return v;
}

struct Planted {
    std::string path;
    std::set<qint64> flipped;
    std::set<qint64> unlabelled;
    std::vector<std::int64_t> classIds;
};

// Four classes around random directions; every 20th labelled image carries the next class's
// label; 30 images are unlabelled.
Planted writePlanted(const std::string& path)
{
    Planted planted;
    planted.path = path;
    auto project = store::Project::create(path).value();
    store::ModelReference model;
    model.path = "/nonexistent/clip";
    model.format = "hf";
    model.fingerprint = "review-test";
    if (!project.setModel(model))
        qFatal("could not record the model");
    std::mt19937_64 rng(4);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<std::vector<float>> centres;
    for (const char* name : {"harbour", "forest", "river", "highway"}) {
        planted.classIds.push_back(project.ensureClass(name).value());
        std::vector<float> c(kDim);
        for (float& x : c)
            x = normal(rng);
        centres.push_back(normalised(c));
    }
    std::vector<store::NewImage> images;
    std::vector<store::ImageEmbedding> rows;
    std::vector<int> kind; // 0 fine, 1 flipped, 2 unlabelled
    for (int i = 0; i < 190; ++i) {
        const int trueClass = i % 4;
        std::vector<float> v = centres[static_cast<std::size_t>(trueClass)];
        for (float& x : v)
            x += 0.12f * normal(rng);
        store::NewImage image;
        image.path = "/planted/review_" + std::to_string(i) + ".png";
        char hash[17];
        std::snprintf(hash, sizeof hash, "%016x", i + 1);
        image.contentHash = hash;
        image.width = image.height = 32;
        int k = 0;
        if (i >= 160) {
            k = 2;
        } else if (i % 20 == 5) {
            k = 1;
            image.classId = planted.classIds[static_cast<std::size_t>((trueClass + 1) % 4)];
        } else {
            image.classId = planted.classIds[static_cast<std::size_t>(trueClass)];
        }
        kind.push_back(k);
        images.push_back(image);
        rows.push_back({image.contentHash, 0, normalised(v)});
    }
    if (!project.addImages(images) || !project.putImageEmbeddings(model.fingerprint, rows))
        qFatal("could not write the planted project");
    for (const auto& image : project.images().value()) {
        const int i = std::stoi(image.path.substr(image.path.find('_') + 1));
        if (kind[static_cast<std::size_t>(i)] == 1)
            planted.flipped.insert(image.id);
        if (kind[static_cast<std::size_t>(i)] == 2)
            planted.unlabelled.insert(image.id);
    }
    return planted;
}

} // namespace

class TestReview final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mistakesQueueWorkedWithKeys();
    void labelNextQueueOffersRetraining();
    // Not a check: with AAPE_SHOTS_DIR set, the map and both queues on the demo project (real
    // images and its toy CLIP; a few labels flipped and some removed) saved as PNGs there.
    void screenshotsOfTheDemo();

private:
    void open(ui::MainWindow& window);
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    Planted m_planted;
};

void TestReview::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<test::TempDir>();
    m_planted = writePlanted(m_dir->file("review.aapeproj"));
    QCOMPARE(m_planted.flipped.size(), std::size_t{8});
}

void TestReview::open(ui::MainWindow& window)
{
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(m_planted.path)));
    window.showPage(ui::MainWindow::ReviewPageIndex);
    QTRY_VERIFY(!window.jobs()->isBusy());
}

void TestReview::mistakesQueueWorkedWithKeys()
{
    ui::MainWindow window;
    open(window);
    ui::ReviewPage* page = window.reviewPage();
    QSignalSpy ready(page, &ui::ReviewPage::queueReady);
    page->findQueue(ui::ReviewPage::Queue::Mistakes);
    QVERIFY(ready.wait(20000));
    QListWidget* list = page->queueList();
    QVERIFY(list->count() >= 8);
    std::set<qint64> top;
    for (int row = 0; row < 8; ++row) {
        list->setCurrentRow(row);
        top.insert(page->currentImageId());
    }
    QCOMPARE(top, m_planted.flipped);
    QVERIFY(page->statusLabel()->text().contains(QStringLiteral("look like mistakes")));
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty())
        window.grab().save(QString::fromUtf8(shots) + QStringLiteral("/review-mistakes-planted.png"));

    // Key 3 gives the third class ("river"), undoably, and moves on.
    list->setCurrentRow(0);
    const qint64 first = page->currentImageId();
    const auto firstLabel = window.session()->project()->image(first).value()->classId;
    page->setFocus();
    QTest::keyClick(page, Qt::Key_3);
    QCOMPARE(list->currentRow(), 1);
    QCOMPARE(window.undoStack()->count(), 1);
    QCOMPARE(window.session()->project()->image(first).value()->classId,
             std::optional<std::int64_t>(m_planted.classIds[2]));
    // K keeps: no edit, next entry.
    const qint64 second = page->currentImageId();
    const auto secondLabel = window.session()->project()->image(second).value()->classId;
    QTest::keyClick(page, Qt::Key_K);
    QCOMPARE(list->currentRow(), 2);
    QCOMPARE(window.undoStack()->count(), 1);
    QCOMPARE(window.session()->project()->image(second).value()->classId, secondLabel);
    // X excludes.
    const qint64 third = page->currentImageId();
    QTest::keyClick(page, Qt::Key_X);
    QVERIFY(window.session()->project()->image(third).value()->excluded);
    QCOMPARE(list->currentRow(), 3);
    // P goes back; undo restores the first label.
    QTest::keyClick(page, Qt::Key_P);
    QCOMPARE(list->currentRow(), 2);
    window.undoStack()->undo();
    window.undoStack()->undo();
    QCOMPARE(window.session()->project()->image(first).value()->classId, firstLabel);
    QVERIFY(!window.session()->project()->image(third).value()->excluded);
}

void TestReview::labelNextQueueOffersRetraining()
{
    ui::MainWindow window;
    open(window);
    ui::ReviewPage* page = window.reviewPage();
    QSignalSpy ready(page, &ui::ReviewPage::queueReady);
    page->findQueue(ui::ReviewPage::Queue::LabelNext);
    QVERIFY(ready.wait(20000));
    QListWidget* list = page->queueList();
    QCOMPARE(list->count(), 30); // every unlabelled image, fewer than the queue's length
    for (int row = 0; row < list->count(); ++row) {
        list->setCurrentRow(row);
        QVERIFY(m_planted.unlabelled.count(page->currentImageId()) == 1);
    }
    list->setCurrentRow(0);
    page->setFocus();
    QVERIFY(!page->retrainBar()->isVisible());
    for (int i = 0; i < ui::ReviewPage::kRetrainAfter - 1; ++i)
        QTest::keyClick(page, Qt::Key_1);
    QVERIFY(!page->retrainBar()->isVisible());
    QTest::keyClick(page, Qt::Key_2);
    QCOMPARE(page->labelsGiven(), ui::ReviewPage::kRetrainAfter);
    QVERIFY(page->retrainBar()->isVisible());
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty())
        window.grab().save(QString::fromUtf8(shots) + QStringLiteral("/review-label-next-planted.png"));
    auto* retrain = page->retrainBar()->findChild<QPushButton*>(QStringLiteral("retrainButton"));
    QTest::mouseClick(retrain, Qt::LeftButton);
    QCOMPARE(window.currentPage(), int(ui::MainWindow::TrainPageIndex));
}

void TestReview::screenshotsOfTheDemo()
{
    const QString shots = QString::fromLocal8Bit(qgetenv("AAPE_SHOTS_DIR"));
    if (shots.isEmpty())
        QSKIP("set AAPE_SHOTS_DIR to write the screenshots");
    test::TempDir dir;
    auto demo = data::writeDemoProject(dir.file("demo"), {});
    QVERIFY(demo.ok());
    {
        auto project = store::Project::open(demo->projectPath).value();
        auto engine = clip::ClipEngine::open(demo->modelPath).value();
        QVERIFY(explore::encodeCanonicalViews(project, engine).ok());
        const auto classes = project.classes().value();
        int n = 0;
        for (const auto& image : project.images().value()) {
            ++n;
            if (n % 41 == 0) // a few wrong labels: the next class's
                for (std::size_t c = 0; c < classes.size(); ++c)
                    if (image.classId && classes[c].id == *image.classId) {
                        QVERIFY(project.setImageLabel(image.id, classes[(c + 1) % classes.size()].id).ok());
                        break;
                    }
            if (n % 6 == 0) // and some images not labelled yet
                QVERIFY(project.setImageLabel(image.id, std::nullopt).ok());
        }
    }
    ui::MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(demo->projectPath)));
    QSignalSpy loaded(window.mapPage(), &ui::MapPage::loaded);
    window.showPage(ui::MainWindow::MapPageIndex);
    QVERIFY(loaded.wait(30000));
    window.mapPage()->setColouring(ui::MapPage::Colouring::Class);
    ui::MapView* view = window.mapPage()->view();
    const QPoint dot = view->screenPosition(view->pointCount() / 3).toPoint();
    QTest::mouseMove(view, dot);
    QTest::qWait(800);
    QTest::mouseMove(view, dot + QPoint(1, 0));
    QTest::mouseMove(view, dot);
    window.grab().save(shots + QStringLiteral("/map.png"));
    // A rectangle around that dot's neighbourhood, then the Data page showing the selection.
    QTest::mousePress(view, Qt::LeftButton, {}, dot - QPoint(40, 40));
    QTest::mouseMove(view, dot);
    QTest::mouseMove(view, dot + QPoint(40, 40));
    window.grab().save(shots + QStringLiteral("/map-selecting.png"));
    QTest::mouseRelease(view, Qt::LeftButton, {}, dot + QPoint(40, 40));
    window.showPage(ui::MainWindow::DataPageIndex);
    QTest::qWait(800);
    window.grab().save(shots + QStringLiteral("/map-selection-on-data-page.png"));

    ui::ReviewPage* page = window.reviewPage();
    window.showPage(ui::MainWindow::ReviewPageIndex);
    QTRY_VERIFY(!window.jobs()->isBusy());
    QSignalSpy ready(page, &ui::ReviewPage::queueReady);
    page->findQueue(ui::ReviewPage::Queue::Mistakes);
    QVERIFY(ready.wait(30000));
    QTest::qWait(800);
    page->queueList()->setCurrentRow(0);
    window.grab().save(shots + QStringLiteral("/review-mistakes.png"));
    QTRY_VERIFY(!window.jobs()->isBusy());
    page->findQueue(ui::ReviewPage::Queue::LabelNext);
    QVERIFY(ready.wait(30000));
    page->setFocus();
    QTest::keyClick(page, Qt::Key_1);
    QTest::keyClick(page, Qt::Key_K);
    QTest::qWait(800);
    window.grab().save(shots + QStringLiteral("/review-label-next.png"));
}

QTEST_MAIN(TestReview)
#include "tst_review.moc"
