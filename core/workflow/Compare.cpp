#include "aape/workflow/Compare.h"

#include <algorithm>
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

std::optional<MeanStd> statistic(const std::vector<const store::RunRecord*>& runs, const char* key)
{
    std::vector<double> values;
    for (const auto* run : runs) {
        if (!run->summary.contains(key) || !run->summary[key].is_number())
            return std::nullopt; // every run must answer, or the mean would hide the ones that cannot
        values.push_back(run->summary[key].get<double>());
    }
    return meanStd(values);
}

MethodComparison summarise(Method method, const std::string& group, const std::vector<const store::RunRecord*>& all,
                           bool baseToNew)
{
    MethodComparison out;
    out.method = method;
    out.group = group;
    std::vector<const store::RunRecord*> evaluated;
    for (const auto* run : all) {
        if (run->status == store::RunStatus::Finished && run->summary.contains("accuracy")) {
            evaluated.push_back(run);
            out.runIds.push_back(run->id);
            out.learnedParameters = run->summary.value("learned_parameters", 0LL);
        } else {
            ++out.failedRuns;
        }
    }
    if (evaluated.empty())
        return out;
    const bool answersNew = answersNewClasses(method);
    if (!baseToNew || answersNew)
        out.accuracy = statistic(evaluated, "accuracy");
    if (baseToNew) {
        out.baseAccuracy = statistic(evaluated, "base_accuracy");
        if (answersNew) {
            out.newAccuracy = statistic(evaluated, "new_accuracy");
            out.harmonicMean = statistic(evaluated, "harmonic_mean");
        }
    }
    return out;
}

nlohmann::json meanStdJson(const std::optional<MeanStd>& value)
{
    return {{"mean", value->mean}, {"std", value->std}, {"count", value->count}};
}

} // namespace

Result<ComparisonReport> compareMethods(store::Project& project, const clip::ClipEngine& engine,
                                        const CompareRequest& request, const SeedsCallbacks& callbacks,
                                        const StopTokenPtr& stop)
{
    if (request.methods.empty())
        return makeError(ErrorCode::InvalidArgument, "choose at least one method to compare");
    if (request.seeds.empty())
        return makeError(ErrorCode::InvalidArgument, "give at least one seed, e.g. 1 2 3");
    ComparisonReport report;
    report.baseToNew = request.baseToNew;
    report.shots = request.config.shots;
    const std::string when = localDateTime();
    for (const Method method : request.methods) {
        SeedsRequest seeds;
        seeds.run.config = request.config;
        seeds.run.baseToNew = request.baseToNew;
        seeds.run.method = method;
        seeds.run.name = std::string("compare ") + methodName(method);
        seeds.run.group = std::string("compare · ") + methodName(method) + " · " + std::to_string(request.config.shots)
                          + " shots · " + when;
        seeds.seeds = request.seeds;
        if (callbacks.run.onLog)
            callbacks.run.onLog(std::string("== ") + methodName(method));
        auto outcome = trainSeeds(project, engine, seeds, callbacks, stop);
        if (!outcome)
            return outcome.error();
        auto runs = project.runs();
        if (!runs)
            return runs.error();
        std::vector<const store::RunRecord*> mine;
        for (const auto& run : runs.value())
            for (const auto& trained : outcome->runs)
                if (run.id == trained.runId)
                    mine.push_back(&run);
        std::reverse(mine.begin(), mine.end()); // oldest first, in seed order
        report.methods.push_back(summarise(method, seeds.run.group, mine, request.baseToNew));
        if (outcome->stopped) {
            report.stopped = true;
            break;
        }
    }
    return report;
}

ComparisonReport comparisonFromRuns(const std::vector<store::RunRecord>& runs, const std::vector<std::string>& groups)
{
    ComparisonReport report;
    for (const auto& group : groups) {
        std::vector<const store::RunRecord*> members;
        std::optional<Method> method;
        for (auto it = runs.rbegin(); it != runs.rend(); ++it) { // oldest first
            if (it->group != group)
                continue;
            members.push_back(&*it);
            method = parseMethod(it->config.value("method", "aape"));
            report.baseToNew = it->config.value("base_to_new", false);
            report.shots = it->config.value("shots", 0);
        }
        if (!members.empty() && method)
            report.methods.push_back(summarise(*method, group, members, report.baseToNew));
    }
    return report;
}

nlohmann::json comparisonJson(const ComparisonReport& report)
{
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& m : report.methods) {
        nlohmann::json entry = {{"method", methodName(m.method)},
                                {"runs", m.runIds},
                                {"group", m.group},
                                {"learned_parameters", m.learnedParameters}};
        if (m.accuracy)
            entry["accuracy"] = meanStdJson(m.accuracy);
        if (m.baseAccuracy)
            entry["base_accuracy"] = meanStdJson(m.baseAccuracy);
        if (m.newAccuracy)
            entry["new_accuracy"] = meanStdJson(m.newAccuracy);
        if (m.harmonicMean)
            entry["harmonic_mean"] = meanStdJson(m.harmonicMean);
        methods.push_back(entry);
    }
    return {{"methods", methods}, {"base_to_new", report.baseToNew}, {"shots", report.shots}};
}

} // namespace aape::workflow
