// aape compare: every method on the same few-shot sets, one table (or JSON) of mean ± std.

#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/util/Log.h"
#include "aape/workflow/Compare.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace aape::cli {

namespace {

std::string cell(const std::optional<workflow::MeanStd>& value)
{
    if (!value)
        return "—";
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << 100.0 * value->mean << " ± " << 100.0 * value->std;
    return out.str();
}

void printTable(const workflow::ComparisonReport& report, std::ostream& out)
{
    out << std::left << std::setw(15) << "method" << std::setw(8) << "runs";
    if (report.baseToNew)
        out << std::setw(16) << "base %" << std::setw(16) << "new %" << std::setw(16) << "H %";
    else
        out << std::setw(16) << "accuracy %";
    out << "learned parameters\n";
    for (const auto& m : report.methods) {
        out << std::setw(15) << methodName(m.method) << std::setw(8) << m.runIds.size();
        // "—" and "±" are one column wide but several bytes: pad by what the terminal shows
        // (UTF-8 characters, not counting continuation bytes).
        const auto column = [&out](const std::string& text) {
            const auto shown = static_cast<std::size_t>(std::count_if(
                text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
            out << text << std::string(shown < 16 ? 16 - shown : 1, ' ');
        };
        if (report.baseToNew) {
            column(cell(m.baseAccuracy));
            column(cell(m.newAccuracy));
            column(cell(m.harmonicMean));
        } else {
            column(cell(m.accuracy));
        }
        out << m.learnedParameters;
        if (m.failedRuns > 0)
            out << "  (" << m.failedRuns << " run(s) not evaluated)";
        out << '\n';
    }
    out << std::right;
}

} // namespace

Result<clip::ClipEngine> openProjectEngine(store::Project& project, const std::string& modelOverride,
                                           const std::string& vocab, const std::string& device, int threads,
                                           const std::string& precision)
{
    std::string modelPath = modelOverride;
    if (modelPath.empty()) {
        auto model = project.model();
        if (!model)
            return model.error();
        if (!model.value())
            return makeError(ErrorCode::InvalidArgument,
                             "the project has no CLIP model; pass --model PATH (a Hugging Face CLIP folder, an OpenAI "
                             ".pt archive or an open_clip file)",
                             project.path());
        modelPath = model.value()->path;
    }
    std::string chosen = precision;
    if (chosen == "auto") {
        std::string reason;
        const auto kept = workflow::projectPrecision(project, clip::Precision::Auto, &reason);
        if (kept != clip::Precision::Auto) {
            chosen = clip::precisionName(kept);
            Log::write(Log::Level::Info, project.path() + ": precision " + reason);
        }
    }
    return openClipEngine(modelPath, vocab, device, threads, chosen);
}

void addCompareCommand(CLI::App& app, CommandContext& context)
{
    struct Args {
        std::string project, model, vocab, device = "auto", methods, precision;
        int threads = 0, views = 10, shots = 16, epochs = 0;
        std::vector<std::uint64_t> seeds{1, 2, 3};
        bool baseToNew = false, json = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "compare", "Train AAPE and the methods it is compared with (zero-shot CLIP, CuPL, a linear probe, Tip-Adapter, "
                   "Tip-Adapter-F) on the same few-shot images, seeds and split, and print mean ± std per method. "
                   "Every run is an ordinary run of the project.");
    command->add_option("project", args->project, "project file")->required();
    command->add_option("--shots", args->shots, "training images per class (0: all)")->capture_default_str();
    command->add_option("--seeds", args->seeds, "one run per method and seed")->capture_default_str();
    command->add_flag("--base-to-new", args->baseToNew,
                      "train on the base half of the classes; report base, new and harmonic-mean accuracy");
    command->add_option(
        "--methods", args->methods,
        "comma-separated subset of zero-shot,cupl,linear-probe,tip-adapter,tip-adapter-f,aape (default: all)");
    command->add_option("--epochs", args->epochs,
                        "AAPE's epochs (default: CoOp's schedule by shots); the baselines use their own published "
                        "settings");
    command->add_flag("--json", args->json, "print one JSON object instead of the table");
    command->add_option("--model", args->model, "CLIP checkpoint (default: the project's)");
    command->add_option("--vocab", args->vocab, "tokenizer vocabulary if not beside the model");
    command->add_option("--device", args->device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--threads", args->threads, "CPU threads (0: LibTorch's default)");
    command->add_option("--views", args->views, "augmented views cached per training image")->capture_default_str();
    addPrecisionOption(command, args->precision, "auto");
    command->callback([args, &context] {
        workflow::CompareRequest request;
        if (!args->methods.empty()) {
            request.methods.clear();
            std::stringstream list(args->methods);
            for (std::string name; std::getline(list, name, ',');) {
                const auto method = parseMethod(name);
                if (!method)
                    return context.fail(makeError(ErrorCode::InvalidArgument,
                                                  "there is no method \"" + name
                                                      + "\"; choose from zero-shot, cupl, linear-probe, tip-adapter, "
                                                        "tip-adapter-f, aape"));
                request.methods.push_back(*method);
            }
        }
        auto project = store::Project::open(args->project);
        if (!project)
            return context.fail(project.error());
        auto engine =
            openProjectEngine(project.value(), args->model, args->vocab, args->device, args->threads, args->precision);
        if (!engine)
            return context.fail(engine.error());
        request.seeds = args->seeds;
        request.baseToNew = args->baseToNew;
        request.config.shots = args->shots;
        request.config.epochs = args->epochs > 0 ? args->epochs : paperEpochsForShots(args->shots);
        request.config.augmentedViews = args->views;
        request.config.device = args->device;
        request.config.threads = args->threads;
        ProgressBar bar(context.err);
        workflow::SeedsCallbacks callbacks;
        callbacks.progress = [&](const workflow::Progress& p) { bar.update(p.stage, p.done, p.total); };
        callbacks.onEncodeEstimate = [&](const workflow::EncodeEstimate& estimate) {
            bar.finish();
            context.err << describeEstimate(estimate);
        };
        callbacks.run.onStep = [&](int step, int total) {
            bar.update("training", static_cast<std::size_t>(step), static_cast<std::size_t>(total));
        };
        callbacks.run.onLog = [&](const std::string& line) {
            bar.finish();
            context.err << line << '\n';
        };
        callbacks.onRunEnd = [&](const workflow::RunOutcome& outcome, const workflow::EvaluateSummary* evaluated) {
            bar.finish();
            context.err << "run " << outcome.runId;
            if (evaluated)
                context.err << ": " << std::fixed << std::setprecision(1) << 100.0 * evaluated->accuracy << " %";
            context.err << '\n';
        };
        auto report = workflow::compareMethods(project.value(), engine.value(), request, callbacks);
        bar.finish();
        if (!report)
            return context.fail(report.error());
        if (args->json)
            context.out << workflow::comparisonJson(report.value()).dump(2) << '\n';
        else
            printTable(report.value(), context.out);
        if (report->stopped)
            context.exitCode = 1;
    });
}

} // namespace aape::cli
