// aape-ui-bench PROJECT: what a user feels in the studio with a large project. Opens PROJECT
// in the Data and Inspect pages (run it under QT_QPA_PLATFORM=offscreen or a display) and
// measures the time to open, the longest and mean time one page of scrolling of the thumbnail
// grid keeps the event loop busy (scrolling from top to bottom, a page at a time, painting
// each), the time to sort the predictions table by each column, and the Map page's projection
// time and frame times while zooming over every encoded image; with --tsne also the t-SNE map;
// for a project with a scene, the Scene page's time to show the scene's picture and the longest
// the GUI thread's event loop stalls meanwhile. Prints one JSON object.
// Make a large project with `aape bench project FOLDER --images 50000 --classes 1000`.

#include "DataPage.h"
#include "InspectPage.h"
#include "JobRunner.h"
#include "MapPage.h"
#include "MapView.h"
#include "ProjectSession.h"
#include "ScenePage.h"

#include "aape/bench/Process.h"

#include <nlohmann/json.hpp>

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QListView>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <iostream>
#include <string>

namespace {

double elapsedMs(const QElapsedTimer& timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::cerr << "usage: aape-ui-bench PROJECT.aapeproj [--tsne]\n"
                     "  --tsne  also time the Map page's t-SNE (kept in the project afterwards)\n";
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    nlohmann::json report;
    report["project"] = path.toStdString();

    QElapsedTimer timer;
    timer.start();
    aape::ui::ProjectSession session;
    QString error;
    if (!session.open(path, &error)) {
        std::cerr << "aape-ui-bench: " << path.toStdString() << ": " << error.toStdString() << '\n';
        return 1;
    }
    QUndoStack undo;
    aape::ui::DataPage data(&session, &undo);
    data.resize(1400, 900);
    data.show();
    QApplication::processEvents();
    report["open_data_page_ms"] = elapsedMs(timer);

    QListView* grid = data.grid();
    report["grid_rows"] = grid->model() ? grid->model()->rowCount() : 0;
    // A page at a time from the first image to the last, each page laid out and painted
    // before the next (scrolling by rows: the grid lays items out in batches, so its scroll
    // range grows while it scrolls).
    const int rows = grid->model() ? grid->model()->rowCount() : 0;
    const QModelIndex first = rows ? grid->model()->index(0, 0) : QModelIndex();
    const QRect cell = grid->visualRect(first);
    const int columns = std::max(1, grid->viewport()->width() / std::max(1, cell.width()));
    const int pageRows = std::max(1, columns * std::max(1, grid->viewport()->height() / std::max(1, cell.height())));
    double worst = 0.0, total = 0.0;
    int steps = 0;
    for (int row = 0; row < rows; row += pageRows) {
        timer.restart();
        grid->scrollTo(grid->model()->index(row, 0), QAbstractItemView::PositionAtTop);
        grid->viewport()->repaint(); // paint now, as the screen would
        QApplication::processEvents();
        const double ms = elapsedMs(timer);
        worst = std::max(worst, ms);
        total += ms;
        ++steps;
    }
    report["images_per_page"] = pageRows;
    report["scroll_pages"] = steps;
    report["scroll_worst_page_ms"] = worst;
    report["scroll_mean_page_ms"] = steps ? total / steps : 0.0;

    aape::ui::JobRunner jobs;
    timer.restart();
    aape::ui::InspectPage inspect(&session, &jobs);
    inspect.resize(1400, 900);
    inspect.show();
    QApplication::processEvents();
    report["open_inspect_page_ms"] = elapsedMs(timer);
    QTableView* table = inspect.table();
    // The predictions load with the newest run; give a background load time to arrive.
    QElapsedTimer waited;
    waited.start();
    while ((!table->model() || table->model()->rowCount() == 0) && waited.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    report["predictions_rows"] = table->model() ? table->model()->rowCount() : 0;
    report["predictions_ready_ms"] = static_cast<double>(waited.elapsed());
    nlohmann::json sorts = nlohmann::json::object();
    double worstSort = 0.0;
    if (table->model()) {
        for (int column = 0; column < table->model()->columnCount(); ++column) {
            if (table->isColumnHidden(column))
                continue;
            timer.restart();
            table->sortByColumn(column, Qt::DescendingOrder);
            table->viewport()->repaint();
            QApplication::processEvents();
            const double ms = elapsedMs(timer);
            worstSort = std::max(worstSort, ms);
            sorts[table->model()->headerData(column, Qt::Horizontal).toString().toStdString()] = ms;
        }
    }
    report["sort_ms"] = sorts;
    report["sort_worst_ms"] = worstSort;

    // The Map page: reading the cache and the PCA (a job), then frames while zooming in and out.
    aape::ui::MapPage map(&session, &jobs);
    map.resize(1400, 900);
    timer.restart();
    map.show();
    while (!map.isLoaded() && timer.elapsed() < 300000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    report["map_ready_ms"] = elapsedMs(timer);
    report["map_points"] = map.view()->pointCount();
    report["map_projection_s"] = map.projectionSeconds();
    aape::ui::MapView* view = map.view();
    const QPointF centre(view->width() / 2.0, view->height() / 2.0);
    double worstFrame = 0.0, totalFrames = 0.0;
    const int frames = 40;
    for (int frame = 0; frame < frames; ++frame) {
        QWheelEvent wheel(centre, view->mapToGlobal(centre), QPoint(), QPoint(0, frame < frames / 2 ? 120 : -120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &wheel);
        view->repaint();
        worstFrame = std::max(worstFrame, view->lastPaintMilliseconds());
        totalFrames += view->lastPaintMilliseconds();
    }
    report["map_worst_frame_ms"] = worstFrame;
    report["map_mean_frame_ms"] = totalFrames / frames;
    timer.restart();
    for (int i = 0; i < 100; ++i)
        view->pointAt(QPointF(10.0 * i, 400.0));
    report["map_hover_hit_test_ms"] = elapsedMs(timer) / 100.0;
    if (argc > 2 && QString::fromLocal8Bit(argv[2]) == QLatin1String("--tsne")) {
        // The t-SNE layout: computed in a job (or read from the project when it is kept there).
        timer.restart();
        map.setMapLayout(aape::ui::MapPage::Layout::Tsne);
        while (!map.showsChosenLayout() && timer.elapsed() < 1800000)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
        report["map_tsne_s"] = elapsedMs(timer) / 1000.0;
        report["map_tsne_shown"] = map.showsChosenLayout();
        map.setMapLayout(aape::ui::MapPage::Layout::Pca);
    }
    // The Scene page on the project's first scene: the picture is read decimated on a worker
    // thread while a 5 ms timer measures how long the event loop goes without turning.
    aape::ui::ScenePage scene(&session, &jobs);
    scene.resize(1400, 900);
    scene.show();
    QApplication::processEvents();
    if (scene.sceneMenu()->count() > 0) {
        if (!scene.isPictureLoaded()) {
            QElapsedTimer sinceTick;
            double worstStall = 0.0;
            QTimer tick;
            tick.setInterval(5);
            QObject::connect(&tick, &QTimer::timeout, [&] {
                worstStall = std::max(worstStall, elapsedMs(sinceTick));
                sinceTick.restart();
            });
            timer.restart();
            sinceTick.start();
            tick.start();
            scene.refreshScenes();
            while (!scene.isPictureLoaded() && timer.elapsed() < 600000)
                QApplication::processEvents(QEventLoop::AllEvents, 5);
            report["scene_picture_ms"] = elapsedMs(timer);
            report["scene_worst_event_loop_stall_ms"] = worstStall;
        }
        report["scene_picture_loaded"] = scene.isPictureLoaded();
    }
    report["peak_rss_mib"] = aape::peakResidentMiB();
    std::cout << report.dump() << '\n';
    return 0;
}
