#include "TrainingJob.h"

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/TrainSeeds.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace aape::ui {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    // lupdate files tr() calls in namespace-level functions under "aape::ui".
    return QCoreApplication::translate("aape::ui", text, disambiguation, n);
}

// lupdate reads a qualified type before a function or in a lambda's parameters as a class scope
// and would file the strings below under it: the types are named unqualified.
using workflow::EncodeEstimate;
using workflow::EvaluateSummary;
using workflow::Progress;
using workflow::RunOutcome;
using workflow::RunPlan;
using workflow::SeedsCallbacks;

// The job's callbacks: encode and evaluation progress as they come, training progress in
// epochs (the unit the settings use), and typed reports for the page.
SeedsCallbacks makeCallbacks(JobContext& context, int epochs)
{
    SeedsCallbacks callbacks;
    callbacks.progress = [&context](const Progress& p) {
        context.progress(jobStageLabel(p.stage), static_cast<qint64>(p.done), static_cast<qint64>(p.total));
    };
    auto stage = std::make_shared<QString>(tr("Training"));
    auto plannedEpochs = std::make_shared<int>(epochs);
    callbacks.onRunBegin = [&context, stage](std::uint64_t seed, int index, int count) {
        *stage = count > 1 ? tr("Training seed %1 (%2 of %3)").arg(seed).arg(index + 1).arg(count) : tr("Training");
        RunBeginReport report;
        report.seed = seed;
        report.index = index;
        report.count = count;
        context.post(kPostRunBegin, QVariant::fromValue(report));
    };
    callbacks.run.onStart = [&context, plannedEpochs](std::int64_t runId, const RunPlan& plan) {
        *plannedEpochs = plan.epochs;
        RunStartReport report;
        report.runId = runId;
        report.classes = plan.classes;
        report.images = plan.images;
        report.validationImages = plan.validationImages;
        report.hasZeroShot = plan.zeroShotValAccuracy.has_value();
        report.zeroShotValAccuracy = plan.zeroShotValAccuracy.value_or(0.0);
        report.firstEpoch = plan.firstEpoch;
        report.epochs = plan.epochs;
        context.post(kPostRunStart, QVariant::fromValue(report));
    };
    callbacks.run.onEpoch = [&context, stage, plannedEpochs](std::int64_t runId, const EpochMetrics& metrics) {
        context.progress(*stage, metrics.epoch + 1, *plannedEpochs);
        context.post(kPostEpoch, QVariant::fromValue(EpochReport{runId, metrics, *plannedEpochs}));
    };
    callbacks.run.onLog = [&context](const std::string& line) { context.log(QString::fromStdString(line)); };
    callbacks.onEncodeEstimate = [&context](const EncodeEstimate& e) {
        QString line = tr("Encoding %1 images (%2 views) on %3 takes about %4 (%5 views/s, measured on the first %6).")
                           .arg(e.images)
                           .arg(e.views)
                           .arg(QString::fromStdString(e.device), roughDuration(e.seconds))
                           .arg(e.viewsPerSecond, 0, 'f', 1)
                           .arg(e.measuredViews);
        if (e.seconds >= 120)
            line += QLatin1Char(' ')
                    + tr("Shorter: fewer augmented views, the int8 or bf16 precision, a GPU, or encoding on a cluster "
                         "(aape cluster submit). It runs only once: later runs reuse the cached embeddings.");
        context.log(line);
    };
    callbacks.onRunEnd = [&context](const RunOutcome& outcome, const EvaluateSummary* evaluated) {
        RunEndReport report;
        report.runId = outcome.runId;
        report.stopped = outcome.stopped;
        report.epochsCompleted = outcome.epochsCompleted;
        report.warning = QString::fromStdString(outcome.warning);
        if (evaluated) {
            report.evaluated = true;
            report.accuracy = evaluated->accuracy;
            report.split = QString::fromStdString(evaluated->summary.value("evaluated_split", "test"));
            report.zeroShotAccuracy = evaluated->zeroShotAccuracy;
            report.evaluatedEpoch = evaluated->evaluatedEpoch;
            report.bestEpoch = evaluated->epochChoice == workflow::EpochChoice::Best;
            context.log(tr("Run %1: %2 accuracy %3% on %4 images at epoch %5 (%6); zero-shot CLIP %7%.")
                            .arg(outcome.runId)
                            .arg(QString::fromStdString(evaluated->summary.value("evaluated_split", "test")))
                            .arg(evaluated->accuracy * 100.0, 0, 'f', 1)
                            .arg(evaluated->images)
                            .arg(evaluated->evaluatedEpoch + 1)
                            .arg(report.bestEpoch ? tr("best on validation") : tr("last"))
                            .arg(evaluated->zeroShotAccuracy * 100.0, 0, 'f', 1));
        }
        context.post(kPostRunEnd, QVariant::fromValue(report));
    };
    return callbacks;
}

} // namespace

// "about 40 min" for the estimate line; the progress bar shows the remaining time as it goes.
QString roughDuration(double seconds)
{
    // Counts are locals because lupdate 6.4 hangs on an expression as the numerus argument.
    const int wholeSeconds = qMax(1, qRound(seconds));
    const int wholeMinutes = qRound(seconds / 60.0);
    if (seconds < 90)
        return tr("%n s", nullptr, wholeSeconds);
    if (seconds < 5400)
        return tr("%n min", nullptr, wholeMinutes);
    return tr("%1 h").arg(seconds / 3600.0, 0, 'f', 1);
}

QString jobStageLabel(const std::string& stage)
{
    if (stage == "images")
        return tr("Encoding images");
    if (stage == "texts")
        return tr("Encoding descriptions");
    if (stage == "evaluating")
        return tr("Evaluating");
    return QString::fromStdString(stage);
}

Result<clip::ClipEngine> openEngineForCache(const std::string& modelPath, const std::string& precisionText)
{
    auto precision = clip::parsePrecision(precisionText);
    if (!precision)
        return precision.error();
    clip::EngineOptions options;
    options.load.precision = precision.value();
    options.load.device =
        precision.value() == clip::Precision::Float16 ? clip::DeviceKind::Cuda : clip::DeviceKind::Cpu;
    return clip::ClipEngine::open(modelPath, options);
}

Result<clip::ClipEngine> openJobEngine(store::Project& project, const std::string& device, const std::string& precision,
                                       std::string& precisionNote)
{
    auto model = project.model();
    if (!model)
        return model.error();
    if (!model.value() || model.value()->path.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "the project has no CLIP model yet; choose one with File ▸ Choose CLIP Model", project.path());
    clip::EngineOptions options;
    auto kind = clip::parseDeviceKind(device);
    if (!kind)
        return kind.error();
    options.load.device = kind.value();
    auto chosen = clip::parsePrecision(precision);
    if (!chosen)
        return chosen.error();
    // Automatic keeps the precision the project's embeddings are cached in, if any.
    options.load.precision = workflow::projectPrecision(project, chosen.value(), &precisionNote);
    auto engine = clip::ClipEngine::open(model.value()->path, options);
    if (engine && precisionNote.empty())
        precisionNote = engine->model().precisionReason();
    return engine;
}

std::vector<std::uint64_t> parseSeeds(const QString& text)
{
    std::vector<std::uint64_t> seeds;
    const auto parts = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const auto& part : parts) {
        bool ok = false;
        const auto value = part.toULongLong(&ok);
        if (!ok)
            return {};
        seeds.push_back(value);
    }
    return seeds;
}

Status runTrainingJob(JobContext& context, const TrainingRequest& request)
{
    if (request.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "enter at least one seed, e.g. \"1, 2, 3\"");
    auto project = store::Project::open(request.projectPath.toStdString());
    if (!project)
        return project.error();
    std::string precisionNote;
    auto engine = openJobEngine(project.value(), request.config.device, request.precision.toStdString(), precisionNote);
    if (!engine)
        return engine.error();
    context.log(
        tr("CLIP runs on %1; precision %2.")
            .arg(QString::fromStdString(engine->model().deviceDescription()), QString::fromStdString(precisionNote)));
    workflow::SeedsRequest seeds;
    seeds.run.config = request.config;
    seeds.run.baseToNew = request.baseToNew;
    seeds.run.keep = request.keepLastEpoch ? workflow::EpochChoice::Last : workflow::EpochChoice::Best;
    seeds.run.name = request.name.toStdString();
    seeds.run.group = request.group.toStdString();
    seeds.seeds = request.seeds;
    auto outcome = workflow::trainSeeds(project.value(), engine.value(), seeds,
                                        makeCallbacks(context, request.config.epochs), context.stopToken());
    if (!outcome)
        return outcome.error();
    return Status();
}

Status runResumeJob(JobContext& context, const QString& projectPath, std::int64_t runId)
{
    auto project = store::Project::open(projectPath.toStdString());
    if (!project)
        return project.error();
    auto run = project->run(runId);
    if (!run)
        return run.error();
    const int epochs = run.value() ? run.value()->config.value("epochs", 0) : 0;
    RunBeginReport begin;
    begin.runId = runId;
    context.post(kPostRunBegin, QVariant::fromValue(begin));
    auto callbacks = makeCallbacks(context, epochs);
    callbacks.onRunBegin = nullptr; // reported above, with the run's id
    auto outcome = workflow::resumeAndEvaluate(project.value(), runId, callbacks, context.stopToken());
    if (!outcome)
        return outcome.error();
    return Status();
}

} // namespace aape::ui
