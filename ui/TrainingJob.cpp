#include "TrainingJob.h"

#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"
#include "aape/workflow/Workflow.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>

#include <optional>

namespace aape::ui {

namespace {

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    // lupdate files tr() calls in namespace-level functions under "aape::ui".
    return QCoreApplication::translate("aape::ui", text, disambiguation, n);
}

QString stageLabel(const std::string& stage)
{
    if (stage == "images")
        return tr("Encoding images");
    if (stage == "texts")
        return tr("Encoding descriptions");
    if (stage == "evaluating")
        return tr("Evaluating");
    return QString::fromStdString(stage);
}

workflow::RunCallbacks makeCallbacks(JobContext& context, const QString& stage)
{
    workflow::RunCallbacks callbacks;
    // onStep fires per optimisation step; JobContext::progress throttles it to 10 Hz.
    callbacks.onStep = [&context, stage](int step, int total) { context.progress(stage, step, total); };
    callbacks.onEpoch = [&context](std::int64_t runId, const EpochMetrics& metrics) {
        context.post(kPostEpoch, epochToVariant(runId, metrics));
    };
    callbacks.onLog = [&context](const std::string& line) { context.log(QString::fromStdString(line)); };
    return callbacks;
}

Result<clip::ClipEngine> openEngine(store::Project& project, const std::string& device)
{
    auto model = project.model();
    if (!model)
        return model.error();
    if (!model.value() || model.value()->path.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "the project has no CLIP model yet; choose one on the Model page first", project.path());
    clip::EngineOptions options;
    auto kind = clip::parseDeviceKind(device);
    if (!kind)
        return kind.error();
    options.load.device = kind.value();
    return clip::ClipEngine::open(model.value()->path, options);
}

// A finished run is evaluated at once so that the inspect and runs pages have its
// predictions, attention and summary; a stopped run is left for resume.
Status evaluateFinished(JobContext& context, store::Project& project, const workflow::RunOutcome& outcome)
{
    if (outcome.stopped || context.stopRequested())
        return Status();
    workflow::EvaluateOptions options;
    options.stop = context.stopToken();
    options.progress = [&context](const workflow::Progress& p) {
        context.progress(tr("Evaluating"), static_cast<qint64>(p.done), static_cast<qint64>(p.total));
    };
    auto evaluated = workflow::evaluateRun(project, outcome.runId, options);
    if (!evaluated)
        return evaluated.error();
    context.log(tr("Run %1: accuracy %2% on %3 images (zero-shot CLIP %4%).")
                    .arg(outcome.runId)
                    .arg(evaluated->accuracy * 100.0, 0, 'f', 1)
                    .arg(evaluated->images)
                    .arg(evaluated->zeroShotAccuracy * 100.0, 0, 'f', 1));
    return Status();
}

void postRunEnd(JobContext& context, const workflow::RunOutcome& outcome)
{
    context.post(kPostRunEnd, QVariantMap{{QStringLiteral("runId"), QVariant::fromValue<qint64>(outcome.runId)},
                                          {QStringLiteral("stopped"), outcome.stopped},
                                          {QStringLiteral("epochs"), outcome.epochsCompleted}});
}

} // namespace

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

QVariantMap epochToVariant(std::int64_t runId, const EpochMetrics& metrics)
{
    QVariantMap map{{QStringLiteral("runId"), QVariant::fromValue<qint64>(runId)},
                    {QStringLiteral("epoch"), metrics.epoch + 1},
                    {QStringLiteral("totalLoss"), metrics.totalLoss},
                    {QStringLiteral("taskLoss"), metrics.taskLoss},
                    {QStringLiteral("distillLoss"), metrics.distillLoss},
                    {QStringLiteral("aggReward"), metrics.aggReward},
                    {QStringLiteral("trainAccuracy"), metrics.trainAccuracy},
                    {QStringLiteral("learningRate"), metrics.learningRate},
                    {QStringLiteral("seconds"), metrics.seconds}};
    if (metrics.valAccuracy)
        map.insert(QStringLiteral("valAccuracy"), *metrics.valAccuracy);
    return map;
}

Status runTrainingJob(JobContext& context, const TrainingRequest& request)
{
    if (request.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "enter at least one seed, e.g. \"1, 2, 3\"");
    auto project = store::Project::open(request.projectPath.toStdString());
    if (!project)
        return project.error();
    auto engine = openEngine(project.value(), request.config.device);
    if (!engine)
        return engine.error();

    workflow::EncodeOptions encode;
    encode.augmentedViews = request.config.augmentedViews;
    encode.stop = context.stopToken();
    encode.progress = [&context](const workflow::Progress& p) {
        context.progress(stageLabel(p.stage), static_cast<qint64>(p.done), static_cast<qint64>(p.total));
    };
    auto encoded = workflow::encodeProject(project.value(), engine.value(), encode);
    if (!encoded)
        return encoded.error();
    if (context.stopRequested())
        return Status();

    QString group = request.group;
    if (group.isEmpty() && request.seeds.size() > 1)
        group = QStringLiteral("%1 · %2 shots")
                    .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                    .arg(request.config.shots);
    const int count = static_cast<int>(request.seeds.size());
    for (int i = 0; i < count && !context.stopRequested(); ++i) {
        workflow::RunRequest run;
        run.config = request.config;
        run.config.seed = request.seeds[static_cast<std::size_t>(i)];
        run.baseToNew = request.baseToNew;
        run.group = group.toStdString();
        if (!request.name.isEmpty())
            run.name = (count > 1 ? QStringLiteral("%1 seed %2").arg(request.name).arg(run.config.seed) : request.name)
                           .toStdString();
        context.post(kPostRunBegin, QVariantMap{{QStringLiteral("seed"), QVariant::fromValue<qulonglong>(run.config.seed)},
                                                {QStringLiteral("index"), i},
                                                {QStringLiteral("count"), count}});
        const QString stage = count > 1 ? tr("Training seed %1 (%2 of %3)").arg(run.config.seed).arg(i + 1).arg(count)
                                        : tr("Training");
        auto outcome = workflow::trainRun(project.value(), run, makeCallbacks(context, stage), context.stopToken());
        if (!outcome)
            return outcome.error();
        if (auto status = evaluateFinished(context, project.value(), outcome.value()); !status)
            return status;
        postRunEnd(context, outcome.value());
    }
    return Status();
}

Status runResumeJob(JobContext& context, const QString& projectPath, std::int64_t runId)
{
    auto project = store::Project::open(projectPath.toStdString());
    if (!project)
        return project.error();
    context.post(kPostRunBegin, QVariantMap{{QStringLiteral("runId"), QVariant::fromValue<qint64>(runId)},
                                            {QStringLiteral("index"), 0},
                                            {QStringLiteral("count"), 1}});
    auto outcome = workflow::resumeRun(project.value(), runId, makeCallbacks(context, tr("Resuming")), context.stopToken());
    if (!outcome)
        return outcome.error();
    if (auto status = evaluateFinished(context, project.value(), outcome.value()); !status)
        return status;
    postRunEnd(context, outcome.value());
    return Status();
}

} // namespace aape::ui
