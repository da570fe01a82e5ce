#include "aape/workflow/TrainSeeds.h"

#include <ctime>

namespace aape::workflow {

namespace {

std::string localDateTime()
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

std::string groupFor(const SeedsRequest& request)
{
    if (!request.run.group.empty() || request.seeds.size() < 2)
        return request.run.group;
    const std::string name = request.run.name.empty() ? "seeds" : request.run.name;
    return name + " · " + std::to_string(request.run.config.shots) + " shots · " + localDateTime();
}

// Evaluates a finished run and reports it; a stopped run is reported without evaluation.
Status finishRun(store::Project& project, const RunOutcome& outcome, bool evaluate, const SeedsCallbacks& callbacks,
                 const StopTokenPtr& stop, SeedsOutcome& result)
{
    result.runs.push_back(outcome);
    if (outcome.stopped || stopRequested(stop) || !evaluate) {
        result.stopped = result.stopped || outcome.stopped || stopRequested(stop);
        if (callbacks.onRunEnd)
            callbacks.onRunEnd(outcome, nullptr);
        return {};
    }
    EvaluateOptions options;
    options.progress = callbacks.progress;
    options.stop = stop;
    auto evaluated = evaluateRun(project, outcome.runId, options);
    if (!evaluated) {
        if (evaluated.error().code == ErrorCode::Cancelled) {
            result.stopped = true;
            if (callbacks.onRunEnd)
                callbacks.onRunEnd(outcome, nullptr);
            return {};
        }
        return evaluated.error();
    }
    result.evaluations.push_back(evaluated.value());
    if (callbacks.onRunEnd)
        callbacks.onRunEnd(outcome, &result.evaluations.back());
    return {};
}

} // namespace

Result<SeedsOutcome> trainSeeds(store::Project& project, const clip::ClipEngine& engine, const SeedsRequest& request,
                                const SeedsCallbacks& callbacks, const StopTokenPtr& stop)
{
    if (request.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "give at least one seed, e.g. 1 2 3");
    SeedsOutcome result;
    EncodeOptions encode;
    encode.augmentedViews = request.run.config.augmentedViews;
    encode.batchSize = request.encodeBatchSize;
    encode.progress = callbacks.progress;
    encode.stop = stop;
    encode.onEstimate = callbacks.onEncodeEstimate;
    auto encoded = encodeProject(project, engine, encode);
    if (!encoded) {
        if (encoded.error().code == ErrorCode::Cancelled) {
            result.stopped = true;
            return result;
        }
        return encoded.error();
    }
    result.encoded = encoded.value();
    if (callbacks.onEncoded)
        callbacks.onEncoded(result.encoded);

    result.group = groupFor(request);
    const int count = static_cast<int>(request.seeds.size());
    for (int i = 0; i < count; ++i) {
        if (stopRequested(stop)) {
            result.stopped = true;
            break;
        }
        RunRequest run = request.run;
        run.config.seed = request.seeds[static_cast<std::size_t>(i)];
        run.group = result.group;
        if (!run.name.empty() && count > 1)
            run.name += " seed " + std::to_string(run.config.seed);
        if (callbacks.onRunBegin)
            callbacks.onRunBegin(run.config.seed, i, count);
        auto outcome = trainRun(project, run, callbacks.run, stop);
        if (!outcome)
            return outcome.error();
        if (auto status = finishRun(project, outcome.value(), request.evaluate, callbacks, stop, result); !status)
            return status.error();
        if (result.stopped)
            break;
    }
    return result;
}

Result<SeedsOutcome> resumeAndEvaluate(store::Project& project, std::int64_t runId, const SeedsCallbacks& callbacks,
                                       const StopTokenPtr& stop)
{
    SeedsOutcome result;
    if (callbacks.onRunBegin) {
        auto run = project.run(runId);
        callbacks.onRunBegin(run && run.value() ? run.value()->seed : 0, 0, 1);
    }
    auto outcome = resumeRun(project, runId, callbacks.run, stop);
    if (!outcome)
        return outcome.error();
    if (auto status = finishRun(project, outcome.value(), true, callbacks, stop, result); !status)
        return status.error();
    return result;
}

} // namespace aape::workflow
