// The Map page in the main window, on a project whose images exist as cached embeddings in two
// planted groups: every image is a dot; colouring by class gives each class its colour and a
// legend; a rectangle dragged around one group shows exactly those images on the Data page and
// restricts the Inspect list (a click on empty space, or "Show All Images", brings the rest
// back); images selected in the grid are outlined on the map; "Find similar" lists the nearest
// images best first, as a brute-force search does; and 50,000 dots repaint fast enough to pan
// and zoom.

#include "DataPage.h"
#include "DatasetModel.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "MainWindow.h"
#include "MapPage.h"
#include "MapView.h"
#include "PredictionsModel.h"
#include "SettingsSandbox.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <cmath>
#include <limits>
#include <memory>
#include <random>

using namespace aape;

namespace {

constexpr int kDim = 16;

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
    std::vector<std::int64_t> groupA, groupB;   // image ids
    std::vector<std::vector<float>> embeddings; // by image id - 1
    std::int64_t classA = 0, classB = 0;
};

// Two groups of images around opposite directions, labelled A and B (a few left unlabelled).
Planted writePlanted(const std::string& path, int perGroup)
{
    Planted planted;
    planted.path = path;
    auto project = store::Project::create(path).value();
    store::ModelReference model;
    model.path = "/nonexistent/clip";
    model.format = "hf";
    model.fingerprint = "map-test";
    if (!project.setModel(model))
        qFatal("could not record the model");
    planted.classA = project.ensureClass("harbour").value();
    planted.classB = project.ensureClass("forest").value();
    std::mt19937_64 rng(1);
    std::normal_distribution<float> noise(0.0f, 0.15f);
    std::vector<store::NewImage> images;
    std::vector<store::ImageEmbedding> rows;
    for (int i = 0; i < 2 * perGroup; ++i) {
        const bool a = i % 2 == 0;
        std::vector<float> v(kDim);
        for (int k = 0; k < kDim; ++k)
            v[static_cast<std::size_t>(k)] = noise(rng);
        v[0] += a ? 1.0f : -1.0f;
        store::NewImage image;
        image.path = "/planted/map_" + std::to_string(i) + ".png";
        char hash[17];
        std::snprintf(hash, sizeof hash, "%016x", i + 1);
        image.contentHash = hash;
        image.width = image.height = 32;
        if (i % 10 != 9)
            image.classId = a ? planted.classA : planted.classB;
        images.push_back(image);
        rows.push_back({image.contentHash, 0, normalised(v)});
    }
    if (!project.addImages(images) || !project.putImageEmbeddings(model.fingerprint, rows))
        qFatal("could not write the planted project");
    for (const auto& image : project.images().value()) {
        const int i = std::stoi(image.path.substr(image.path.find('_') + 1));
        (i % 2 == 0 ? planted.groupA : planted.groupB).push_back(image.id);
        if (planted.embeddings.size() < static_cast<std::size_t>(image.id))
            planted.embeddings.resize(static_cast<std::size_t>(image.id));
        planted.embeddings[static_cast<std::size_t>(image.id - 1)] = rows[static_cast<std::size_t>(i)].values;
    }
    return planted;
}

QSet<qint64> shownOnDataPage(ui::DataPage* page)
{
    QSet<qint64> ids;
    for (int row = 0; row < page->filterModel()->rowCount(); ++row)
        ids.insert(page->filterModel()->index(row, 0).data(ui::DatasetModel::ImageIdRole).toLongLong());
    return ids;
}

} // namespace

class TestMap final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void selectionFiltersTheGridAndBack();
    void colouredByClassWithLegend();
    void findSimilarShowsNearestFirst();
    void tsneInTheBackgroundThenFromTheProject();
    void fiftyThousandDotsStayInteractive();

private:
    void openMap(ui::MainWindow& window);
    test::SettingsSandbox m_settings;
    std::unique_ptr<test::TempDir> m_dir;
    Planted m_planted;
};

void TestMap::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<test::TempDir>();
    m_planted = writePlanted(m_dir->file("map.aapeproj"), 60);
}

void TestMap::openMap(ui::MainWindow& window)
{
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(QString::fromStdString(m_planted.path)));
    QSignalSpy loaded(window.mapPage(), &ui::MapPage::loaded);
    window.showPage(ui::MainWindow::MapPageIndex);
    QVERIFY(loaded.wait(20000));
    QCOMPARE(window.mapPage()->view()->pointCount(), 120);
    QTRY_VERIFY(!window.jobs()->isBusy());
}

void TestMap::selectionFiltersTheGridAndBack()
{
    ui::MainWindow window;
    openMap(window);
    ui::MapView* view = window.mapPage()->view();
    ui::DataPage* data = window.dataPage();

    // The rectangle around group A's dots, dragged with the left button.
    QRectF around;
    for (int i = 0; i < view->pointCount(); ++i) {
        const qint64 id = view->imageIdAt(i);
        if (std::find(m_planted.groupA.begin(), m_planted.groupA.end(), id) == m_planted.groupA.end())
            continue;
        const QPointF p = view->screenPosition(i);
        around = around.isNull() ? QRectF(p, QSizeF(1, 1)) : around.united(QRectF(p, QSizeF(1, 1)));
    }
    around.adjust(-4, -4, 4, 4);
    QVERIFY(QRectF(view->rect()).contains(around));
    QSignalSpy selected(window.mapPage(), &ui::MapPage::imagesSelected);
    QTest::mousePress(view, Qt::LeftButton, {}, around.topLeft().toPoint());
    QTest::mouseMove(view, around.center().toPoint());
    QTest::mouseMove(view, around.bottomRight().toPoint());
    QTest::mouseRelease(view, Qt::LeftButton, {}, around.bottomRight().toPoint());
    QCOMPARE(selected.count(), 1);
    const QSet<qint64> expectedA(m_planted.groupA.begin(), m_planted.groupA.end());
    QCOMPARE(shownOnDataPage(data), expectedA);
    QVERIFY(!data->findChild<QWidget*>(QStringLiteral("imageFilterBar"))->isHidden());
    QVERIFY(data->imageFilterLabel()->text().contains(QStringLiteral("60")));
    QCOMPARE(view->highlighted(), expectedA);
    auto* inspect = window.findChild<ui::InspectPage*>();
    QVERIFY(inspect->proxy()->restrictedToImages());
    // A click on empty space clears the selection there and on the Data page.
    QCOMPARE(view->pointAt(QPointF(2, 2)), -1);
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(2, 2));
    QVERIFY(!inspect->proxy()->restrictedToImages());
    QCOMPARE(data->filterModel()->rowCount(), 120);
    QTest::mousePress(view, Qt::LeftButton, {}, around.topLeft().toPoint());
    QTest::mouseMove(view, around.bottomRight().toPoint());
    QTest::mouseRelease(view, Qt::LeftButton, {}, around.bottomRight().toPoint());
    QCOMPARE(shownOnDataPage(data), expectedA);

    // "Show All Images" brings the others back.
    window.showPage(ui::MainWindow::DataPageIndex);
    auto* showAll = data->findChild<QPushButton*>(QStringLiteral("showAllImages"));
    QVERIFY(showAll && showAll->isVisible());
    QTest::mouseClick(showAll, Qt::LeftButton);
    QCOMPARE(data->filterModel()->rowCount(), 120);

    // And back: images selected in the grid are outlined on the map.
    QListView* grid = data->grid();
    grid->selectionModel()->clearSelection();
    QSet<qint64> picked;
    for (int row : {0, 3, 7}) {
        grid->selectionModel()->select(data->filterModel()->index(row, 0), QItemSelectionModel::Select);
        picked.insert(data->filterModel()->index(row, 0).data(ui::DatasetModel::ImageIdRole).toLongLong());
    }
    QCOMPARE(view->highlighted(), picked);
}

void TestMap::colouredByClassWithLegend()
{
    ui::MainWindow window;
    openMap(window);
    ui::MapPage* page = window.mapPage();
    page->setColouring(ui::MapPage::Colouring::Class);
    ui::MapView* view = page->view();
    QStringList legend;
    for (const auto& entry : view->legend())
        legend << entry.text;
    QCOMPARE(legend, (QStringList{QStringLiteral("harbour"), QStringLiteral("forest"), QStringLiteral("Unlabelled")}));
    auto project = store::Project::open(m_planted.path, store::OpenMode::ReadOnly).value();
    QHash<qint64, std::optional<std::int64_t>> labels;
    for (const auto& image : project.images().value())
        labels.insert(image.id, image.classId);
    for (int i = 0; i < view->pointCount(); ++i) {
        const auto label = labels.value(view->imageIdAt(i));
        const QColor expected = !label                       ? view->legend()[2].colour
                                : *label == m_planted.classA ? view->legend()[0].colour
                                                             : view->legend()[1].colour;
        QCOMPARE(view->colourOf(i), expected.rgb());
    }
    QVERIFY(view->legend()[0].colour != view->legend()[1].colour);

    page->setColouring(ui::MapPage::Colouring::Split);
    QCOMPARE(view->legend().size(), 3);
    QCOMPARE(view->legend()[0].text, QStringLiteral("Train"));

    window.mapPage()->grab().save(QString::fromStdString(m_dir->file("map.png")));
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty()) {
        page->setColouring(ui::MapPage::Colouring::Class);
        window.grab().save(QString::fromUtf8(shots) + QStringLiteral("/map-page.png"));
    }
}

void TestMap::findSimilarShowsNearestFirst()
{
    ui::MainWindow window;
    openMap(window);
    window.showPage(ui::MainWindow::DataPageIndex);
    ui::DataPage* data = window.dataPage();
    const qint64 query = m_planted.groupB[3];
    data->findSimilar(query);
    QTRY_COMPARE_WITH_TIMEOUT(data->filterModel()->rowCount(), ui::DataPage::kSimilarCount + 1, 20000);

    // Brute force: cosine with every other image, best first.
    const auto& q = m_planted.embeddings[static_cast<std::size_t>(query - 1)];
    std::vector<std::pair<double, qint64>> all;
    for (std::size_t i = 0; i < m_planted.embeddings.size(); ++i) {
        const qint64 id = static_cast<qint64>(i) + 1;
        if (id == query)
            continue;
        double dot = 0.0;
        for (int k = 0; k < kDim; ++k)
            dot += double(q[static_cast<std::size_t>(k)]) * m_planted.embeddings[i][static_cast<std::size_t>(k)];
        all.push_back({dot, id});
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QCOMPARE(data->filterModel()->rowCount(), ui::DataPage::kSimilarCount + 1);
    QCOMPARE(data->filterModel()->index(0, 0).data(ui::DatasetModel::ImageIdRole).toLongLong(), query);
    for (int row = 1; row <= ui::DataPage::kSimilarCount; ++row) {
        const QModelIndex index = data->filterModel()->index(row, 0);
        QCOMPARE(index.data(ui::DatasetModel::ImageIdRole).toLongLong(), all[static_cast<std::size_t>(row - 1)].second);
        QVERIFY(index.data(ui::DatasetModel::CaptionPartsRole)
                    .toStringList()
                    .value(1)
                    .contains(QString::number(all[static_cast<std::size_t>(row - 1)].first, 'f', 3)));
    }
    if (const QByteArray shots = qgetenv("AAPE_SHOTS_DIR"); !shots.isEmpty())
        window.grab().save(QString::fromUtf8(shots) + QStringLiteral("/find-similar.png"));
}

void TestMap::tsneInTheBackgroundThenFromTheProject()
{
    QSet<qint64> groupA(m_planted.groupA.begin(), m_planted.groupA.end());
    // On the map, the nearest dot of (nearly) every dot lies in its own group.
    const auto ownGroupNeighbours = [&](ui::MapView* view) {
        int agree = 0;
        for (int i = 0; i < view->pointCount(); ++i) {
            double best = std::numeric_limits<double>::max();
            int nearest = i;
            for (int j = 0; j < view->pointCount(); ++j) {
                const QPointF d = view->position(i) - view->position(j);
                const double distance = QPointF::dotProduct(d, d);
                if (j != i && distance < best) {
                    best = distance;
                    nearest = j;
                }
            }
            agree += groupA.contains(view->imageIdAt(i)) == groupA.contains(view->imageIdAt(nearest)) ? 1 : 0;
        }
        return double(agree) / view->pointCount();
    };
    {
        ui::MainWindow window;
        openMap(window);
        ui::MapPage* page = window.mapPage();
        QCOMPARE(page->mapLayout(), ui::MapPage::Layout::Pca);
        const QPointF pcaFirst = page->view()->position(0);
        QSignalSpy finished(window.jobs(), &ui::JobRunner::finished);
        page->setMapLayout(ui::MapPage::Layout::Tsne);
        // The PCA map stays while t-SNE is computed in a job.
        QVERIFY(!page->showsChosenLayout());
        QVERIFY2(page->statusLabel()->text().contains(QStringLiteral("being computed")),
                 qPrintable(page->statusLabel()->text()));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("Computing the t-SNE map"));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QTRY_VERIFY(page->showsChosenLayout());
        QCOMPARE(page->view()->pointCount(), 120);
        QVERIFY(page->view()->position(0) != pcaFirst);
        QVERIFY2(page->statusLabel()->text().contains(QStringLiteral("t-SNE")),
                 qPrintable(page->statusLabel()->text()));
        QVERIFY(ownGroupNeighbours(page->view()) >= 0.95);
        // Back to PCA at once.
        page->setMapLayout(ui::MapPage::Layout::Pca);
        QVERIFY(page->showsChosenLayout());
        QCOMPARE(page->view()->position(0), pcaFirst);
        page->setMapLayout(ui::MapPage::Layout::Tsne);
        QVERIFY(page->showsChosenLayout());
    }
    // Opened again, the layout is remembered and the map comes from the project: no job.
    ui::MainWindow window;
    openMap(window);
    ui::MapPage* page = window.mapPage();
    QCOMPARE(page->mapLayout(), ui::MapPage::Layout::Tsne);
    QVERIFY(page->showsChosenLayout());
    QVERIFY(!window.jobs()->isBusy());
    QVERIFY(ownGroupNeighbours(page->view()) >= 0.95);
    page->setMapLayout(ui::MapPage::Layout::Pca);
}

void TestMap::fiftyThousandDotsStayInteractive()
{
    ui::MapView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    std::mt19937_64 rng(2);
    std::normal_distribution<double> normal(0.0, 1.0);
    const int n = 50000;
    std::vector<QPointF> positions;
    std::vector<qint64> ids;
    std::vector<QRgb> colours;
    for (int i = 0; i < n; ++i) {
        positions.push_back(QPointF(normal(rng) + (i % 7), normal(rng) - (i % 5)));
        ids.push_back(i + 1);
        colours.push_back(QColor::fromHsv((i % 7) * 50, 200, 200).rgb());
    }
    view.setPoints(positions, ids);
    view.setColours(colours, QList<ui::MapView::LegendEntry>{});
    // Zooming and panning repaint every dot; each frame is timed by the view itself.
    double worst = 0.0, total = 0.0;
    const int frames = 20;
    for (int frame = 0; frame < frames; ++frame) {
        QWheelEvent wheel(QPointF(600, 400), view.mapToGlobal(QPointF(600, 400)), QPoint(),
                          QPoint(0, frame < 10 ? 120 : -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(&view, &wheel);
        view.repaint();
        worst = std::max(worst, view.lastPaintMilliseconds());
        total += view.lastPaintMilliseconds();
    }
    QElapsedTimer hover;
    hover.start();
    for (int i = 0; i < 20; ++i)
        view.pointAt(QPointF(100 + i * 40, 300));
    const double hoverMs = hover.nsecsElapsed() / 1.0e6 / 20;
    qInfo("50,000 dots: mean frame %.1f ms, worst %.1f ms, hover hit test %.2f ms", total / frames, worst, hoverMs);
    QVERIFY2(worst < 100.0, qPrintable(QString("worst frame %1 ms").arg(worst)));
}

QTEST_MAIN(TestMap)
#include "tst_map.moc"
