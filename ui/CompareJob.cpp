#include "CompareJob.h"

#include "ComparisonModel.h"
#include "TrainingJob.h"

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"

#include <QCoreApplication>

#include <memory>

namespace aape::ui {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    // lupdate files tr() calls in namespace-level functions under "aape::ui".
    return QCoreApplication::translate("aape::ui", text, disambiguation, n);
}

// Where the comparison is: compareMethods runs the methods in the request's order, each with
// every seed (onRunBegin's index restarts at 0 for each method).
struct CompareProgress {
    std::vector<Method> methods;
    std::size_t seeds = 1;
    int method = -1;
    int seedIndex = 0;
    std::uint64_t seed = 0;
    int epochs = 1;
    QString stage;

    qint64 total() const { return static_cast<qint64>(methods.size() * seeds) * kCompareProgressPerRun; }
    qint64 runsDone() const { return static_cast<qint64>(method) * static_cast<qint64>(seeds) + seedIndex; }
};

} // namespace

Status runCompareJob(JobContext& context, const CompareJobRequest& request)
{
    if (request.compare.methods.empty())
        return makeError(ErrorCode::InvalidArgument, "choose at least one method to compare");
    if (request.compare.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "enter at least one seed, e.g. \"1 2 3\"");
    auto project = store::Project::open(request.projectPath.toStdString());
    if (!project)
        return project.error();
    std::string precisionNote;
    auto engine =
        openJobEngine(project.value(), request.compare.config.device, request.precision.toStdString(), precisionNote);
    if (!engine)
        return engine.error();
    context.log(
        tr("CLIP runs on %1; precision %2.")
            .arg(QString::fromStdString(engine->model().deviceDescription()), QString::fromStdString(precisionNote)));

    auto state = std::make_shared<CompareProgress>();
    state->methods = request.compare.methods;
    state->seeds = request.compare.seeds.size();
    workflow::SeedsCallbacks callbacks;
    callbacks.progress = [&context, state](const workflow::Progress& p) {
        // Encoding comes before the first run and shows on its own; evaluating a run is quick
        // and part of that run's share of the bar.
        if (state->method < 0)
            context.progress(jobStageLabel(p.stage), static_cast<qint64>(p.done), static_cast<qint64>(p.total));
    };
    callbacks.onRunBegin = [&context, state](std::uint64_t seed, int index, int) {
        if (index == 0)
            ++state->method;
        state->seedIndex = index;
        state->seed = seed;
        state->epochs = 1;
        const auto method = state->methods[static_cast<std::size_t>(
            std::min<int>(state->method, static_cast<int>(state->methods.size()) - 1))];
        state->stage = tr("%1, seed %2 (run %3 of %4)")
                           .arg(methodDisplayName(method))
                           .arg(seed)
                           .arg(state->runsDone() + 1)
                           .arg(state->total() / kCompareProgressPerRun);
        context.progress(state->stage, state->runsDone() * kCompareProgressPerRun, state->total());
    };
    callbacks.run.onStart = [state](std::int64_t, const workflow::RunPlan& plan) {
        state->epochs = std::max(1, plan.epochs);
    };
    callbacks.run.onEpoch = [&context, state](std::int64_t, const EpochMetrics& metrics) {
        const qint64 within = kCompareProgressPerRun * (metrics.epoch + 1) / state->epochs;
        context.progress(state->stage, state->runsDone() * kCompareProgressPerRun + within, state->total());
    };
    callbacks.run.onLog = [&context](const std::string& line) { context.log(QString::fromStdString(line)); };
    callbacks.onRunEnd = [&context, state](const workflow::RunOutcome& outcome, const workflow::EvaluateSummary*) {
        context.progress(state->stage, (state->runsDone() + 1) * kCompareProgressPerRun, state->total());
        context.post(kPostCompareRunEnd, QVariant::fromValue(static_cast<qlonglong>(outcome.runId)));
    };
    auto report =
        workflow::compareMethods(project.value(), engine.value(), request.compare, callbacks, context.stopToken());
    if (!report)
        return report.error();
    return Status();
}

} // namespace aape::ui
