#include "DemoTour.h"

#include "MainWindow.h"
#include "ProjectSession.h"
#include "TryPage.h"

#include "aape/clip/ClipEngine.h"
#include "aape/demo/DemoWorld.h"
#include "aape/workflow/Export.h"
#include "aape/workflow/TrainSeeds.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <set>

namespace aape::ui {

namespace {

void say(const QString& line)
{
    QTextStream(stdout) << line << Qt::endl;
}

int fail(const QString& what, const Error& error)
{
    QTextStream(stderr) << "aape-studio: " << what << ": " << QString::fromStdString(error.toString()) << Qt::endl;
    return 1;
}

void settle(int milliseconds)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < milliseconds)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
}

// Puts one image of every third class and two classes typed by name on the Try page, and
// waits (at most a minute) for their predictions.
void tryImages(MainWindow& window)
{
    auto* page = window.findChild<TryPage*>();
    if (!page || !window.session()->isOpen())
        return;
    auto images = window.session()->project()->images();
    if (!images)
        return;
    QStringList paths;
    std::set<std::int64_t> classes;
    for (const auto& image : images.value()) {
        if (!image.classId || !classes.insert(*image.classId).second)
            continue;
        if (classes.size() % 3 == 1)
            paths << QString::fromStdString(image.path);
    }
    QEventLoop loop;
    QObject::connect(page, &TryPage::predictionFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    page->setExtraClasses(QStringLiteral("purple hexagon, grey star"));
    page->addImages(paths);
    loop.exec();
}

} // namespace

int runDemoTour(const QString& outputFolder, int epochs)
{
    const QString root = QFileInfo(outputFolder).absoluteFilePath();
    const QString demoFolder = root + QStringLiteral("/demo");
    const QString shots = root + QStringLiteral("/screenshots");
    QDir().mkpath(shots);
    const QString projectPath = demoFolder + QStringLiteral("/demo.aapeproj");
    // The tour's window keeps its layout and choices in the output folder: it neither reads
    // nor changes the user's settings, and its screenshots show the built-in layout.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, root + QStringLiteral("/settings"));
    QSettings().clear();

    if (!QFileInfo::exists(projectPath)) {
        say(QStringLiteral("Writing the demo project to %1 ...").arg(demoFolder));
        data::DemoOptions options;
        options.progress = [](const std::string& stage, std::size_t done, std::size_t total) {
            if (done == total)
                say(QStringLiteral("  %1: %2 done").arg(QString::fromStdString(stage)).arg(total));
        };
        auto demo = data::writeDemoProject(demoFolder.toStdString(), options);
        if (!demo)
            return fail(QStringLiteral("writing the demo"), demo.error());
    }

    auto project = store::Project::open(projectPath.toStdString());
    if (!project)
        return fail(QStringLiteral("opening the demo"), project.error());
    auto model = project->model();
    if (!model || !model.value())
        return fail(QStringLiteral("reading the demo's model"),
                    model ? makeError(ErrorCode::BadFormat, "no model") : model.error());
    auto engine = clip::ClipEngine::open(model.value()->path);
    if (!engine)
        return fail(QStringLiteral("loading the demo's CLIP"), engine.error());

    // Three seeds in one run set, as a user comparing seeds would train them: the Runs page
    // then shows their mean ± standard deviation. The same flow as `aape train` and the Train page.
    say(QStringLiteral("Encoding images and descriptions, then training AAPE on the base classes for %1 epochs "
                       "(seeds 1, 2, 3) ...")
            .arg(epochs));
    workflow::SeedsRequest request;
    request.run.config.epochs = epochs;
    request.run.baseToNew = true;
    request.run.name = "demo tour";
    request.seeds = {1, 2, 3};
    workflow::SeedsCallbacks callbacks;
    callbacks.onEncoded = [](const workflow::EncodeReport& encoded) {
        say(QStringLiteral("  %1 image views and %2 texts encoded (%3 s)")
                .arg(encoded.viewsEncoded)
                .arg(encoded.textsEncoded)
                .arg(encoded.seconds, 0, 'f', 1));
    };
    callbacks.onRunBegin = [](std::uint64_t seed, int, int) { say(QStringLiteral("Seed %1:").arg(seed)); };
    callbacks.run.onEpoch = [epochs](std::int64_t, const EpochMetrics& m) {
        if ((m.epoch + 1) % 20 == 0 || m.epoch + 1 == epochs)
            say(QStringLiteral("  epoch %1/%2  loss %3  train accuracy %4")
                    .arg(m.epoch + 1)
                    .arg(epochs)
                    .arg(m.totalLoss, 0, 'f', 3)
                    .arg(m.trainAccuracy, 0, 'f', 3));
    };
    callbacks.onRunEnd = [](const workflow::RunOutcome& outcome, const workflow::EvaluateSummary* evaluated) {
        if (!outcome.warning.empty())
            say(QStringLiteral("  note: %1").arg(QString::fromStdString(outcome.warning)));
        if (!evaluated)
            return;
        say(QStringLiteral("  test accuracy %1 % (zero-shot CLIP %2 %), epoch %3")
                .arg(100.0 * evaluated->accuracy, 0, 'f', 1)
                .arg(100.0 * evaluated->zeroShotAccuracy, 0, 'f', 1)
                .arg(evaluated->evaluatedEpoch + 1));
        if (evaluated->harmonicMean)
            say(QStringLiteral("  base %1 %, new %2 % (classes never trained on), harmonic mean %3 %")
                    .arg(100.0 * *evaluated->baseAccuracy, 0, 'f', 1)
                    .arg(100.0 * *evaluated->newAccuracy, 0, 'f', 1)
                    .arg(100.0 * *evaluated->harmonicMean, 0, 'f', 1));
    };
    auto trained = workflow::trainSeeds(project.value(), engine.value(), request, callbacks);
    if (!trained)
        return fail(QStringLiteral("training"), trained.error());
    if (trained->runs.empty())
        return fail(QStringLiteral("training"), makeError(ErrorCode::Internal, "no run was trained"));
    const std::int64_t firstRun = trained->runs.front().runId;

    const QString bundle = root + QStringLiteral("/demo.aape.safetensors");
    if (auto status = workflow::exportRunBundle(project.value(), firstRun, bundle.toStdString()); !status)
        return fail(QStringLiteral("exporting"), status.error());
    project = makeError(ErrorCode::Internal, "closed"); // release the connection before the window opens its own

    MainWindow window;
    window.resize(1280, 820);
    window.show();
    if (!window.openProject(projectPath)) {
        QTextStream(stderr) << "aape-studio: the demo project could not be opened in the window" << Qt::endl;
        return 1;
    }
    // "Opened <path>" would show the tour's temporary folder in every screenshot.
    window.statusBar()->clearMessage();
    const std::pair<int, const char*> pages[] = {
        {MainWindow::DataPageIndex, "data"},   {MainWindow::DescribePageIndex, "describe"},
        {MainWindow::TrainPageIndex, "train"}, {MainWindow::InspectPageIndex, "inspect"},
        {MainWindow::TryPageIndex, "try"},     {MainWindow::RunsPageIndex, "runs"},
    };
    QStringList written;
    for (const auto& [page, name] : pages) {
        window.showPage(page);
        if (page == MainWindow::TryPageIndex)
            tryImages(window);
        settle(700); // thumbnails decode on a thread pool
        const QString file = shots + QStringLiteral("/%1.png").arg(QLatin1String(name));
        if (window.grab().save(file))
            written << file;
    }
    window.close();

    say(QString());
    say(QStringLiteral("Demo project:   %1").arg(projectPath));
    say(QStringLiteral("Exported model: %1").arg(bundle));
    say(QStringLiteral("Screenshots:    %1 (%2 files)").arg(shots).arg(written.size()));
    say(QStringLiteral("Open it with a display: aape-studio %1").arg(projectPath));
    return written.size() == static_cast<int>(std::size(pages)) ? 0 : 1;
}

} // namespace aape::ui
