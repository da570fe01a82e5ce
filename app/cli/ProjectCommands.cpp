#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/data/DatasetImport.h"
#include "aape/data/Descriptions.h"
#include "aape/demo/DemoWorld.h"
#include "aape/util/Log.h"
#include "aape/workflow/Workflow.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <ostream>

namespace aape::cli {

namespace {

Result<store::Project> openProject(const std::string& path)
{
    return store::Project::open(path, store::OpenMode::ReadWrite);
}

// The report of an import: counts, then skipped files grouped by reason (a few examples
// each; --verbose lists them all). Returns false when the import changed nothing, so that the
// command can fail with a hint.
bool printImportReport(const data::ImportReport& report, bool verbose, CommandContext& context)
{
    context.out << "added " << report.added << " images";
    if (report.duplicates > 0)
        context.out << ", " << report.duplicates << " already in the project";
    if (!report.classesCreated.empty())
        context.out << ", " << report.classesCreated.size() << " new classes";
    context.out << '\n';
    const bool achieved = report.added > 0 || report.duplicates > 0 || !report.classesCreated.empty();
    if (report.skipped.empty())
        return achieved;
    std::map<std::string, std::vector<const data::SkippedFile*>> byReason;
    for (const auto& skipped : report.skipped)
        byReason[skipped.reason].push_back(&skipped);
    context.err << "skipped " << report.skipped.size() << " files:\n";
    const std::size_t examples = verbose ? std::numeric_limits<std::size_t>::max() : 3;
    for (const auto& [reason, files] : byReason) {
        context.err << "  " << files.size() << " × " << reason << '\n';
        for (std::size_t i = 0; i < std::min(files.size(), examples); ++i)
            context.err << "    " << files[i]->path << '\n';
        if (files.size() > examples)
            context.err << "    ... and " << files.size() - examples << " more (--verbose lists them all)\n";
    }
    return achieved;
}

nlohmann::json descriptionFlagsJson(const workflow::DescriptionFlagsReport& report)
{
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& cls : report.classes) {
        nlohmann::json descriptions = nlohmann::json::array();
        for (const auto& d : cls.descriptions) {
            nlohmann::json flags = nlohmann::json::array();
            if (d.ignored)
                flags.push_back("ignored");
            if (d.matchesOtherClass)
                flags.push_back("matches_other_class");
            descriptions.push_back(
                {{"id", d.descriptionId},
                 {"text", d.text},
                 {"rank", d.rank},
                 {"own_weight", d.ownWeight},
                 {"mean_image_weight", d.meanImageWeight},
                 {"own_cosine", d.ownCosine},
                 {"other_class", d.otherClass.empty() ? nlohmann::json() : nlohmann::json(d.otherClass)},
                 {"other_cosine", d.otherClass.empty() ? nlohmann::json() : nlohmann::json(d.otherCosine)},
                 {"ignored", d.ignored},
                 {"matches_other_class", d.matchesOtherClass},
                 {"flags", flags}});
        }
        classes.push_back({{"class", cls.className},
                           {"class_id", cls.classId},
                           {"training_images", cls.trainingImages},
                           {"descriptions", descriptions}});
    }
    return {{"run", report.runId},
            {"run_name", report.runName},
            {"ignored_below_fraction_of_uniform", report.ignoredThreshold},
            {"flagged", report.flaggedCount()},
            {"classes", classes}};
}

// Per class, the descriptions by rank with their numbers; flagged ones marked "!" with the
// reason in words.
void printDescriptionFlags(const workflow::DescriptionFlagsReport& report, CommandContext& context)
{
    context.out << "run " << report.runId << " (" << report.runName
                << "): descriptions ranked by the aggregator's mean weight over the class's training images\n";
    context.out << std::fixed << std::setprecision(3);
    for (const auto& cls : report.classes) {
        context.out << cls.className << " (" << cls.descriptions.size() << " descriptions, " << cls.trainingImages
                    << " training images)\n";
        const double uniform = cls.descriptions.empty() ? 0.0 : 1.0 / static_cast<double>(cls.descriptions.size());
        for (const auto& d : cls.descriptions) {
            context.out << (d.flagged() ? "  ! " : "    ") << d.rank << ". [" << d.descriptionId << "] " << d.text
                        << "\n        weight " << d.meanImageWeight << " over its images, own " << d.ownWeight
                        << " (uniform " << uniform << "); cosine " << d.ownCosine << " to its images";
            if (!d.otherClass.empty())
                context.out << ", " << d.otherCosine << " to " << d.otherClass << "'s";
            context.out << '\n';
            if (d.ignored)
                context.out << "        ignored: the aggregator gives it " << d.meanImageWeight
                            << " over the class's images, under " << report.ignoredThreshold
                            << " x 1/n = " << report.ignoredThreshold * uniform << '\n';
            if (d.matchesOtherClass)
                context.out << "        matches another class: it is closer to " << d.otherClass << "'s images ("
                            << d.otherCosine << ") than to " << cls.className << "'s (" << d.ownCosine << ")\n";
        }
    }
    context.out << report.flaggedCount() << " flagged descriptions\n";
    context.out.unsetf(std::ios::floatfield);
    context.out << std::setprecision(6);
}

// How the keys of a CuPL file match the classes: counts, every loose match with the reason,
// and every key left over with its nearest classes and the --map that would take it there.
void printDescriptionMatch(int keys, const std::vector<data::KeyMatch>& matches,
                           const std::vector<data::UnmatchedEntry>& unmatched, CommandContext& context)
{
    const auto loose = static_cast<std::size_t>(
        std::count_if(matches.begin(), matches.end(), [](const data::KeyMatch& m) { return m.reasons != 0; }));
    context.out << keys << " description groups: " << matches.size() - loose << " match a class by name, " << loose
                << " loosely, " << unmatched.size() << " not at all\n";
    if (loose > 0) {
        context.out
            << "loose matches (--map \"KEY=CLASS\" chooses another class, --map \"KEY=\" leaves a group out):\n";
        for (const auto& match : matches)
            if (match.reasons != 0)
                context.out << "  \"" << match.key << "\" -> \"" << match.className << "\" ("
                            << data::matchReasonText(match.reasons) << ")\n";
    }
    if (unmatched.empty())
        return;
    context.out << "not matched:\n";
    for (const auto& entry : unmatched) {
        context.out << "  \"" << entry.key << "\" (" << entry.sentences
                    << (entry.sentences == 1 ? " sentence): " : " sentences): ") << entry.reason;
        if (entry.skipped) {
            context.out << '\n';
            continue;
        }
        if (entry.suggestions.empty()) {
            context.out << " No class is close.\n";
            continue;
        }
        context.out << (entry.ambiguous ? " Candidates:" : " Nearest:");
        for (std::size_t i = 0; i < entry.suggestions.size(); ++i)
            context.out << (i > 0 ? ", \"" : " \"") << entry.suggestions[i].className << "\" (" << std::fixed
                        << std::setprecision(2) << entry.suggestions[i].score << ')';
        context.out << "\n    to import it there: --map \"" << entry.key << '=' << entry.suggestions.front().className
                    << "\"\n";
    }
}

void printDescriptionReport(const data::DescriptionImportReport& report, CommandContext& context)
{
    context.out << "added " << report.added << " descriptions to " << report.matchedClasses.size() << " classes";
    if (report.duplicatesDropped > 0)
        context.out << " (" << report.duplicatesDropped << " duplicates dropped)";
    context.out << '\n';
    if (!report.classesWithoutDescriptions.empty()) {
        context.out << "classes without descriptions:";
        for (const auto& name : report.classesWithoutDescriptions)
            context.out << " \"" << name << '"';
        context.out << "\n  (they train with their class name alone; add descriptions for better results)\n";
    }
}

// "KEY=CLASS" values of --map; the first '=' separates them (car names hold no '=').
Result<data::DescriptionMapping> parseDescriptionMapping(const std::vector<std::string>& values)
{
    data::DescriptionMapping mapping;
    for (const auto& value : values) {
        const auto equals = value.find('=');
        if (equals == std::string::npos || equals == 0)
            return makeError(ErrorCode::InvalidArgument,
                             "--map takes KEY=CLASS (a key of the descriptions file, then the class it belongs to), "
                             "e.g. --map \"2012 BMW M3 Coupe=BMW M3 Coupe 2012\"; got \""
                                 + value + "\"");
        mapping[value.substr(0, equals)] = value.substr(equals + 1);
    }
    return mapping;
}

// Mean ± standard deviation over the seeds of each run set (only `group` when given).
void printRunSets(const std::vector<store::RunRecord>& runs, const std::string& group, CommandContext& context)
{
    static const std::map<std::string, const char*> labels = {{"accuracy", "accuracy"},
                                                              {"zero_shot_accuracy", "zero-shot"},
                                                              {"base_accuracy", "base"},
                                                              {"new_accuracy", "new"},
                                                              {"harmonic_mean", "H"}};
    for (const auto& set : workflow::summariseRunSets(runs)) {
        if ((!group.empty() && set.group != group) || set.runIds.size() < 2)
            continue;
        context.out << "run set '" << set.group << "', " << set.runIds.size() << " seeds (runs";
        for (auto id : set.runIds)
            context.out << ' ' << id;
        context.out << "):";
        for (const auto& stat : set.statistics)
            context.out << "  " << labels.at(stat.key) << ' ' << std::fixed << std::setprecision(1) << 100.0 * stat.mean
                        << " ± " << 100.0 * stat.std << " %";
        context.out << '\n';
    }
}

void printEvaluation(const workflow::EvaluateSummary& summary, CommandContext& context)
{
    context.out << std::fixed << std::setprecision(2) << summary.summary.value("evaluated_split", "test")
                << " accuracy " << 100.0 * summary.accuracy << " % (zero-shot CLIP " << 100.0 * summary.zeroShotAccuracy
                << " %) on " << summary.images << " images, epoch " << summary.evaluatedEpoch + 1
                << (summary.epochChoice == workflow::EpochChoice::Best ? " (best on validation)" : " (last)") << '\n';
    if (summary.harmonicMean)
        context.out << "base " << 100.0 * *summary.baseAccuracy << " %, new " << 100.0 * *summary.newAccuracy
                    << " %, harmonic mean " << 100.0 * *summary.harmonicMean << " %\n";
    context.out << "OOD score stored with the predictions: " << oodScoreName(summary.oodScore) << '\n';
    if (!summary.oodSeparation.empty()) {
        context.out << "OOD separation of the new classes' test images from the base classes' (AUROC, 0.5 is "
                       "chance):";
        for (const auto& s : summary.oodSeparation)
            context.out << "  " << oodScoreName(s.kind) << ' ' << std::setprecision(3) << s.auroc;
        context.out << '\n';
    }
}

struct EncodeArgs {
    std::string model;
    std::string vocab;
    std::string device = "auto";
    std::string precision = "auto";
    int threads = 0;
    int views = 10;
};

void printEncodeReport(const workflow::EncodeReport& report, CommandContext& context)
{
    context.err << "encoded " << report.viewsEncoded << " image views and " << report.textsEncoded << " texts ("
                << report.imagesCached << " images and " << report.textsCached << " texts were cached) in "
                << std::fixed << std::setprecision(1) << report.seconds << " s\n";
    for (const auto& failed : report.failed)
        context.err << "  could not read " << failed.path << ": " << failed.reason << '\n';
}

Result<workflow::EncodeReport> runEncode(store::Project& project, const EncodeArgs& args, CommandContext& context)
{
    auto engine = openProjectEngine(project, args.model, args.vocab, args.device, args.threads, args.precision);
    if (!engine)
        return engine.error();
    for (const auto& note : engine->info().notes)
        context.err << "note: " << note << '\n';
    ProgressBar bar(context.err);
    workflow::EncodeOptions options;
    options.augmentedViews = args.views;
    options.progress = [&](const workflow::Progress& p) { bar.update("encoding " + p.stage, p.done, p.total); };
    options.onEstimate = [&](const workflow::EncodeEstimate& estimate) {
        bar.finish();
        context.err << describeEstimate(estimate);
    };
    auto report = workflow::encodeProject(project, engine.value(), options);
    bar.finish();
    if (report)
        printEncodeReport(report.value(), context);
    return report;
}

void addEncodeOptions(CLI::App* command, EncodeArgs& args)
{
    command->add_option("--model", args.model, "CLIP checkpoint (default: the project's)");
    command->add_option("--vocab", args.vocab, "tokenizer vocabulary if not beside the model");
    command->add_option("--device", args.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--threads", args.threads, "CPU threads (0: LibTorch's default)");
    command->add_option("--views", args.views, "augmented views cached per training image")->capture_default_str();
    addPrecisionOption(command, args.precision, "auto");
}

} // namespace

void addProjectCommands(CLI::App& app, CommandContext& context)
{
    // create
    {
        auto path = std::make_shared<std::string>();
        auto model = std::make_shared<std::string>();
        CLI::App* command = app.add_subcommand("create", "Create a new project file (*.aapeproj).");
        command->add_option("project", *path, "the project file to create")->required();
        command->add_option(
            "--model", *model,
            "CLIP checkpoint to use: a Hugging Face folder, an OpenAI .pt archive or an open_clip file");
        command->callback([path, model, &context] {
            if (!model->empty()) {
                if (auto info = clip::inspectCheckpoint(*model); !info)
                    return context.fail(info.error());
            }
            auto project = store::Project::create(*path);
            if (!project)
                return context.fail(project.error());
            if (!model->empty()) {
                auto info = clip::inspectCheckpoint(*model);
                store::ModelReference reference;
                reference.path = *model;
                reference.format = clip::checkpointFormatName(info->format);
                reference.info = {{"architecture", info->architecture()}, {"embed_dim", info->config.embedDim}};
                if (auto status = project->setModel(reference); !status)
                    return context.fail(status.error());
            }
            context.out << "created " << *path << '\n';
        });
    }

    // import
    {
        struct Args {
            std::string project, folder, csv, coop, root;
            std::uint64_t seed = 1;
            bool verbose = false;
        };
        auto args = std::make_shared<Args>();
        auto sceneArgs = std::make_shared<SceneImportArgs>();
        CLI::App* command = app.add_subcommand("import", "Import images: a folder per class, a CSV of path,label, a "
                                                         "CoOp split_zhou_*.json, or a scene as tiles.");
        command->add_option("project", args->project, "project file")->required();
        auto* folder = command->add_option("--folder", args->folder, "folder with one sub-folder per class");
        auto* csv = command->add_option("--csv", args->csv, "CSV file with columns path,label[,split]");
        auto* coop = command->add_option("--coop", args->coop, "CoOp split file split_zhou_*.json");
        auto* scene = addSceneImportOptions(command, *sceneArgs);
        folder->excludes(csv)->excludes(coop)->excludes(scene);
        csv->excludes(coop)->excludes(scene);
        coop->excludes(scene);
        command->add_option("--root", args->root,
                            "image folder for relative paths in --csv or --coop (default: the CSV's folder; for "
                            "--coop the split file's folder or its sub-folder that holds the listed images)");
        command->add_flag("--verbose", args->verbose, "list every skipped file");
        command->add_option("--seed", args->seed, "seed of the train/val/test split when the source has none")
            ->capture_default_str();
        command->callback([args, sceneArgs, &context] {
            if (!sceneArgs->scene.empty())
                return runSceneImport(args->project, *sceneArgs, args->seed, context);
            auto project = openProject(args->project);
            if (!project)
                return context.fail(project.error());
            ProgressBar bar(context.err);
            data::ImportOptions options;
            options.seed = args->seed;
            options.progress = [&](std::size_t done, std::size_t total) { bar.update("importing", done, total); };
            Result<data::ImportReport> report =
                makeError(ErrorCode::InvalidArgument, "choose what to import: --folder, --csv, --coop or --scene");
            if (!args->folder.empty())
                report = data::importFolderPerClass(project.value(), args->folder, options);
            else if (!args->csv.empty())
                report = data::importCsv(project.value(), args->csv, args->root, options);
            else if (!args->coop.empty())
                report = data::importCoopSplit(project.value(), args->coop, args->root, options);
            bar.finish();
            if (!report)
                return context.fail(report.error());
            if (!printImportReport(report.value(), args->verbose, context)) {
                const std::string source = !args->folder.empty() ? args->folder
                                           : !args->csv.empty()  ? args->csv
                                                                 : args->coop;
                std::string hint = "check the paths above";
                if (!args->csv.empty() || !args->coop.empty())
                    hint = args->root.empty()
                               ? "if the listed paths are relative to another folder, pass it with --root"
                               : "check that --root " + args->root + " is the folder the listed paths are relative to";
                context.fail(makeError(ErrorCode::FileNotFound,
                                       "no images were imported (" + std::to_string(report->skipped.size())
                                           + " files were skipped); " + hint + ", and nothing was changed",
                                       source));
            }
        });
    }

    // describe
    {
        struct Args {
            std::string project, cupl, className, lines;
            std::vector<std::string> add, map;
            bool list = false;
            bool dryRun = false;
            bool flags = false;
            bool json = false;
            std::int64_t run = 0;
        };
        auto args = std::make_shared<Args>();
        CLI::App* command = app.add_subcommand("describe", "Add class descriptions: a CuPL JSON file, a text file "
                                                           "with one sentence per line, or sentences typed here.");
        command->add_option("project", args->project, "project file")->required();
        command->add_option("--cupl", args->cupl, "CuPL JSON: {\"class name\": [\"sentence\", ...]}");
        repeatable(command->add_option("--map", args->map,
                                       "with --cupl: KEY=CLASS imports the file's group KEY into class CLASS, KEY= "
                                       "leaves it out (repeatable)"));
        auto* dryRun = command->add_flag("--dry-run", args->dryRun,
                                         "with --cupl: print how the file's keys match the classes, import nothing");
        command->add_option("--class", args->className, "the class for --lines or --add");
        auto* lines = command->add_option("--lines", args->lines, "text file, one sentence per line, for --class");
        auto* add = repeatable(command->add_option("--add", args->add, "a sentence for --class (repeatable)"));
        dryRun->excludes(lines)->excludes(add);
        command->add_flag("--list", args->list, "list every class with its descriptions");
        auto* flags = command->add_flag(
            "--flags", args->flags,
            "rank each class's descriptions by the aggregator's attention in a trained AAPE run and flag those it "
            "ignores or that match another class's training images better than their own");
        command->add_option("--run", args->run, "with --flags: the run (default: the newest evaluated AAPE run)")
            ->needs(flags);
        command->add_flag("--json", args->json, "with --flags: print the ranking as one JSON object")->needs(flags);
        command->callback([args, &context] {
            if (args->cupl.empty() && (args->dryRun || !args->map.empty()))
                return context.fail(makeError(ErrorCode::InvalidArgument,
                                              "--map and --dry-run go with --cupl FILE, the descriptions to import"));
            auto mapping = parseDescriptionMapping(args->map);
            if (!mapping)
                return context.fail(mapping.error());
            auto project = openProject(args->project);
            if (!project)
                return context.fail(project.error());
            if (!args->cupl.empty()) {
                std::vector<data::KeyMatch> matches;
                if (args->dryRun) {
                    auto match = data::matchCuplJson(project.value(), args->cupl, mapping.value());
                    if (!match)
                        return context.fail(match.error());
                    printDescriptionMatch(match->keys, match->matches, match->unmatched, context);
                    context.out << "dry run: nothing was imported\n";
                    matches = match->matches;
                } else {
                    auto report = data::importCuplJson(project.value(), args->cupl, mapping.value());
                    if (!report)
                        return context.fail(report.error());
                    printDescriptionMatch(report->keys, report->matches, report->unmatched, context);
                    printDescriptionReport(report.value(), context);
                    matches = report->matches;
                }
                if (matches.empty())
                    return context.fail(makeError(
                        ErrorCode::InvalidArgument,
                        std::string("none of the description groups matches a class of the project")
                            + (args->dryRun ? "" : ", so nothing was imported")
                            + "; map keys to classes with --map \"KEY=CLASS\" (the nearest classes are listed above)",
                        args->cupl));
            }
            if (!args->lines.empty() || !args->add.empty()) {
                auto classes = project->classes();
                if (!classes)
                    return context.fail(classes.error());
                std::optional<std::int64_t> classId;
                for (const auto& cls : classes.value())
                    if (data::normaliseClassName(cls.name) == data::normaliseClassName(args->className))
                        classId = cls.id;
                if (!classId)
                    return context.fail(makeError(ErrorCode::InvalidArgument,
                                                  "there is no class \"" + args->className + "\" in the project",
                                                  args->project));
                if (!args->lines.empty()) {
                    auto report = data::importDescriptionLines(project.value(), *classId, args->lines);
                    if (!report)
                        return context.fail(report.error());
                    printDescriptionReport(report.value(), context);
                }
                for (const auto& sentence : args->add)
                    if (auto id = project->addDescription(*classId, sentence, "typed"); !id)
                        return context.fail(id.error());
            }
            if (args->list) {
                auto classes = project->classes();
                auto descriptions = project->descriptions();
                if (!classes || !descriptions)
                    return context.fail(classes ? descriptions.error() : classes.error());
                for (const auto& cls : classes.value()) {
                    context.out << cls.name << '\n';
                    for (const auto& d : descriptions.value())
                        if (d.classId == cls.id)
                            context.out << "  [" << d.id << "] " << d.text << '\n';
                }
            }
            if (args->flags) {
                auto report = workflow::describeFlags(project.value(), args->run);
                if (!report)
                    return context.fail(report.error());
                if (args->json)
                    context.out << descriptionFlagsJson(report.value())
                                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                                << '\n';
                else
                    printDescriptionFlags(report.value(), context);
            }
        });
    }

    // encode
    {
        auto project = std::make_shared<std::string>();
        auto args = std::make_shared<EncodeArgs>();
        CLI::App* command = app.add_subcommand(
            "encode", "Compute and cache the frozen CLIP embeddings of images, views and descriptions.");
        command->add_option("project", *project, "project file")->required();
        addEncodeOptions(command, *args);
        command->callback([project, args, &context] {
            auto opened = openProject(*project);
            if (!opened)
                return context.fail(opened.error());
            if (auto report = runEncode(opened.value(), *args, context); !report)
                return context.fail(report.error());
        });
    }

    // train
    {
        struct Args {
            std::string project;
            EncodeArgs encode;
            TrainConfig config;
            std::vector<std::uint64_t> seeds;
            bool baseToNew = false;
            std::string name;
            std::string keep = "best";
            std::string distillForm = "squared-norm";
            std::int64_t resume = 0;
        };
        auto args = std::make_shared<Args>();
        CLI::App* command = app.add_subcommand(
            "train", "Train AAPE on the project (encodes whatever is not cached yet, then trains and commits each "
                     "epoch). Defaults follow the paper.");
        command->add_option("project", args->project, "project file")->required();
        addEncodeOptions(command, args->encode);
        auto& c = args->config;
        command->add_option("--shots", c.shots, "training images per class (0: all)")->capture_default_str();
        auto* epochsOption =
            command->add_option("--epochs", c.epochs,
                                "epochs (default: CoOp's schedule by shots: 50 for 1 shot, 100 for 2-4, 200 for 8-16)");
        command->add_option("--batch", c.batchSize, "batch size")->capture_default_str();
        command->add_option("--lr", c.learningRate, "SGD learning rate")->capture_default_str();
        command
            ->add_option("--lambda", c.distillWeight,
                         "weight λ of the distillation loss λ·|h(x) − p^a/|p^a||², the squared norm per image")
            ->capture_default_str();
        command
            ->add_option("--distill-form", args->distillForm,
                         "squared-norm (the paper's equation) or mean-square (the mean over the dimensions, as "
                         "runs before 0.2 were trained)")
            ->check(CLI::IsMember({"squared-norm", "mean-square"}))
            ->capture_default_str();
        command->add_option("--reward-scale", c.rewardScale, "scale s of the aggregator's CLIP reward")
            ->capture_default_str();
        command->add_option("--seeds", args->seeds, "one run per seed (e.g. --seeds 1 2 3); default 1");
        command->add_flag("--base-to-new", args->baseToNew,
                          "train on the first half of the sorted class names only; evaluate base and new classes");
        command->add_option("--name", args->name, "run name");
        command->add_option("--resume", args->resume, "continue an interrupted run from its last committed epoch");
        command
            ->add_option("--keep", args->keep,
                         "which epoch evaluation and export use: best (highest validation accuracy) or last")
            ->check(CLI::IsMember({"best", "last"}))
            ->capture_default_str();
        command->callback([args, epochsOption, &context] {
            auto project = openProject(args->project);
            if (!project)
                return context.fail(project.error());
            if (epochsOption->count() == 0)
                args->config.epochs = paperEpochsForShots(args->config.shots);
            args->config.augmentedViews = args->encode.views;
            args->config.device = args->encode.device;
            args->config.threads = args->encode.threads;
            args->config.distillForm = args->distillForm == "mean-square" ? TrainConfig::DistillForm::MeanSquare
                                                                          : TrainConfig::DistillForm::SquaredNorm;
            ProgressBar bar(context.err);
            int currentEpochs = args->config.epochs;
            workflow::SeedsCallbacks callbacks;
            callbacks.progress = [&](const workflow::Progress& p) {
                bar.update((p.stage == "evaluating" ? "" : "encoding ") + p.stage, p.done, p.total);
            };
            callbacks.onEncodeEstimate = [&](const workflow::EncodeEstimate& estimate) {
                bar.finish();
                context.err << describeEstimate(estimate);
            };
            callbacks.onEncoded = [&](const workflow::EncodeReport& report) {
                bar.finish();
                printEncodeReport(report, context);
            };
            callbacks.run.onLog = [&](const std::string& line) {
                bar.finish();
                context.err << line << '\n';
            };
            callbacks.run.onStep = [&](int step, int total) {
                bar.update("training", static_cast<std::size_t>(step), static_cast<std::size_t>(total));
            };
            callbacks.run.onEpoch = [&](std::int64_t, const EpochMetrics& m) {
                if (m.epoch + 1 == currentEpochs || (m.epoch + 1) % 10 == 0) {
                    bar.finish();
                    context.err << "epoch " << m.epoch + 1 << '/' << currentEpochs << "  loss " << std::fixed
                                << std::setprecision(4) << m.totalLoss << "  train acc " << std::setprecision(3)
                                << m.trainAccuracy;
                    if (m.valAccuracy)
                        context.err << "  val acc " << *m.valAccuracy;
                    context.err << '\n';
                }
            };
            callbacks.onRunEnd = [&](const workflow::RunOutcome& outcome, const workflow::EvaluateSummary* evaluated) {
                bar.finish();
                context.out << "run " << outcome.runId << (outcome.stopped ? " stopped" : " finished") << " after "
                            << outcome.epochsCompleted << " epochs\n";
                if (!outcome.warning.empty())
                    context.err << "warning: " << outcome.warning << '\n';
                if (evaluated)
                    printEvaluation(*evaluated, context);
            };
            Result<workflow::SeedsOutcome> outcome = workflow::SeedsOutcome{};
            if (args->resume > 0) {
                auto run = project->run(args->resume);
                if (run && run.value())
                    currentEpochs = run.value()->config.value("epochs", currentEpochs);
                outcome = workflow::resumeAndEvaluate(project.value(), args->resume, callbacks);
            } else {
                auto engine = openProjectEngine(project.value(), args->encode.model, args->encode.vocab,
                                                args->encode.device, args->encode.threads, args->encode.precision);
                if (!engine)
                    return context.fail(engine.error());
                for (const auto& note : engine->info().notes)
                    context.err << "note: " << note << '\n';
                workflow::SeedsRequest request;
                request.run.config = args->config;
                request.run.baseToNew = args->baseToNew;
                request.run.name = args->name;
                request.run.keep = *workflow::parseEpochChoice(args->keep);
                if (!args->seeds.empty())
                    request.seeds = args->seeds;
                outcome = workflow::trainSeeds(project.value(), engine.value(), request, callbacks);
            }
            bar.finish();
            if (!outcome)
                return context.fail(outcome.error());
            if (outcome->runs.size() > 1)
                if (auto runs = project->runs())
                    printRunSets(runs.value(), outcome->group, context);
        });
    }

    // eval
    {
        auto path = std::make_shared<std::string>();
        auto run = std::make_shared<std::int64_t>(0);
        auto energy = std::make_shared<bool>(false);
        auto ood = std::make_shared<std::string>(oodScoreName(kDefaultOodScore));
        auto epoch = std::make_shared<std::string>();
        CLI::App* command = app.add_subcommand(
            "eval", "Evaluate a run on the test images and store predictions, OOD scores and attention. Base-to-new "
                    "runs also report how well each OOD score separates the new classes' images (AUROC).");
        command->add_option("project", *path, "project file")->required();
        command->add_option("--run", *run, "run id (default: the newest run with a completed epoch)");
        std::vector<std::string> oodNames;
        for (auto kind : allOodScoreKinds())
            oodNames.push_back(oodScoreName(kind));
        auto* oodOption = command
                              ->add_option("--ood", *ood,
                                           "the OOD score stored with the predictions: prototype (distance to the "
                                           "training images' class means), mahalanobis, max_softmax, energy or "
                                           "max_cosine")
                              ->check(CLI::IsMember(oodNames))
                              ->capture_default_str();
        command->add_flag("--energy", *energy, "the same as --ood energy")->excludes(oodOption);
        command
            ->add_option("--epoch", *epoch,
                         "best (highest validation accuracy) or last; default: what the run was trained to keep")
            ->check(CLI::IsMember({"best", "last"}));
        command->callback([path, run, energy, ood, epoch, &context] {
            auto project = openProject(*path);
            if (!project)
                return context.fail(project.error());
            std::int64_t runId = *run;
            if (runId == 0) {
                auto runs = project->runs();
                if (!runs)
                    return context.fail(runs.error());
                for (const auto& r : runs.value())
                    if (r.lastEpoch >= 0) {
                        runId = r.id;
                        break;
                    }
                if (runId == 0)
                    return context.fail(
                        makeError(ErrorCode::InvalidArgument, "the project has no trained run yet", *path));
            }
            workflow::EvaluateOptions options;
            options.oodScore = *energy ? OodScoreKind::Energy : parseOodScoreKind(*ood).value_or(kDefaultOodScore);
            if (!epoch->empty())
                options.epoch = workflow::parseEpochChoice(*epoch);
            auto evaluated = workflow::evaluateRun(project.value(), runId, options);
            if (!evaluated)
                return context.fail(evaluated.error());
            printEvaluation(evaluated.value(), context);
        });
    }

    // export
    {
        auto path = std::make_shared<std::string>();
        auto run = std::make_shared<std::int64_t>(0);
        auto out = std::make_shared<std::string>();
        auto descriptions = std::make_shared<bool>(false);
        auto epoch = std::make_shared<std::string>();
        CLI::App* command = app.add_subcommand(
            "export", "Export a run's prompt generator as a *.aape.safetensors bundle usable without the app. The "
                      "bundle answers every class of the project; classes the run did not train on (the new classes "
                      "of a base-to-new run) from their names.");
        command->add_option("project", *path, "project file")->required();
        command->add_option("--run", *run, "run id")->required();
        command->add_option("--out", *out, "bundle file to write, e.g. model.aape.safetensors")->required();
        command->add_flag("--with-descriptions", *descriptions,
                          "also store the aggregator and the description embeddings, for inspection");
        command
            ->add_option("--epoch", *epoch,
                         "best (highest validation accuracy) or last; default: what the run was trained to keep")
            ->check(CLI::IsMember({"best", "last"}));
        command->callback([path, run, out, descriptions, epoch, &context] {
            auto project = store::Project::open(*path, store::OpenMode::ReadOnly);
            if (!project)
                return context.fail(project.error());
            if (auto status =
                    workflow::exportRunBundle(project.value(), *run, *out, *descriptions,
                                              epoch->empty() ? std::nullopt : workflow::parseEpochChoice(*epoch));
                !status)
                return context.fail(status.error());
            context.out << "wrote " << *out << '\n';
        });
    }

    // predict
    {
        struct Args {
            std::string bundle, model, vocab, device = "auto", precision, project;
            std::vector<std::string> inputs, classes;
            bool json = false;
            bool explain = false;
            int top = 5;
            int threads = 0;
        };
        auto args = std::make_shared<Args>();
        auto sceneArgs = std::make_shared<ScenePredictArgs>();
        CLI::App* command = app.add_subcommand(
            "predict", "Classify images with an exported bundle and its CLIP; no project or descriptions needed. "
                       "Extra class names (--class) are scored from their names alone. With --scene, classify a "
                       "scene tile by tile and write a map.");
        command->add_option("--bundle", args->bundle, "*.aape.safetensors bundle")->required();
        command->add_option("--model", args->model, "the CLIP checkpoint the bundle was trained with")->required();
        command->add_option("--vocab", args->vocab, "tokenizer vocabulary if not beside the model");
        command->add_option("--device", args->device, "auto, cpu or cuda")->capture_default_str();
        command->add_option("--threads", args->threads, "CPU threads (0: LibTorch's default)");
        // fp32 by default: predictions are what other tools and scripts compare against.
        addPrecisionOption(command, args->precision, "fp32");
        repeatable(command->add_option("--class", args->classes, "an extra class name (repeatable)"));
        command->add_option("--top", args->top, "how many classes to list")->capture_default_str();
        command->add_flag("--json", args->json, "one JSON object per image");
        auto* projectOption = command->add_option(
            "--project", args->project, "with --explain: the project whose descriptions to compare images with");
        command
            ->add_flag("--explain", args->explain,
                       "for every image, the three descriptions nearest to it over all classes by CLIP cosine "
                       "(\"looks like: ...\"), most telling for images with a high OOD score")
            ->needs(projectOption);
        auto* inputs = command->add_option("inputs", args->inputs, "images or folders of images");
        addScenePredictOptions(command, *sceneArgs)->excludes(inputs);
        command->callback([args, sceneArgs, &context] {
            if (args->inputs.empty() && sceneArgs->scene.empty())
                return context.fail(makeError(ErrorCode::InvalidArgument,
                                              "give the images or folders to classify, or a scene with --scene"));
            auto bundle = Bundle::load(args->bundle);
            if (!bundle)
                return context.fail(bundle.error());
            auto engine = openClipEngine(args->model, args->vocab, args->device, args->threads, args->precision);
            if (!engine)
                return context.fail(engine.error());
            if (const auto warning = workflow::clipMismatchWarning(bundle.value(), engine.value()); !warning.empty()) {
                const auto clip = bundle->manifest.value("clip", nlohmann::json::object());
                const std::string expected = clip.is_object() ? clip.value("fingerprint", "") : std::string();
                Log::write(Log::Level::Warning, context.commandLine + ": " + args->bundle + ": " + warning
                                                    + "\n    bundle's CLIP fingerprint " + expected + ", the model's "
                                                    + engine->info().fingerprint);
                context.err << "aape: warning: " << args->bundle << ": " << warning << '\n';
            }
            if (!sceneArgs->shard.empty())
                return runShardedPredict(bundle.value(), engine.value(), args->inputs, *sceneArgs, args->top, context);
            if (!sceneArgs->scene.empty())
                return runScenePredict(bundle.value(), engine.value(), *sceneArgs, context);
            if (!sceneArgs->out.empty())
                return context.fail(makeError(ErrorCode::InvalidArgument,
                                              "--out is the map of --scene or, with --shard K/N, the shards' folder; "
                                              "without them the predictions are printed"));
            workflow::DescriptionBank bank;
            if (args->explain) {
                auto project = store::Project::open(args->project, store::OpenMode::ReadOnly);
                if (!project)
                    return context.fail(project.error());
                auto loaded = workflow::descriptionBankFor(project.value(), engine.value());
                if (!loaded)
                    return context.fail(loaded.error());
                if (loaded->empty())
                    return context.fail(makeError(ErrorCode::InvalidArgument,
                                                  "the project has no descriptions to explain images with; add "
                                                  "some with aape describe",
                                                  args->project));
                bank = std::move(loaded).value();
            }
            std::vector<std::string> paths;
            for (const auto& input : args->inputs) {
                std::error_code ec;
                if (std::filesystem::is_directory(input, ec)) {
                    std::vector<std::string> found;
                    for (const auto& entry : std::filesystem::recursive_directory_iterator(input, ec)) {
                        if (!entry.is_regular_file())
                            continue;
                        std::string ext = entry.path().extension().string();
                        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
                        const auto& supported = data::supportedImageExtensions();
                        if (std::find(supported.begin(), supported.end(), ext) != supported.end())
                            found.push_back(entry.path().string());
                    }
                    std::sort(found.begin(), found.end());
                    paths.insert(paths.end(), found.begin(), found.end());
                } else {
                    paths.push_back(input);
                }
            }
            const std::size_t batch = 64;
            bool anyFailed = false;
            for (std::size_t start = 0; start < paths.size(); start += batch) {
                const std::vector<std::string> chunk(
                    paths.begin() + static_cast<std::ptrdiff_t>(start),
                    paths.begin() + static_cast<std::ptrdiff_t>(std::min(paths.size(), start + batch)));
                auto predictions =
                    workflow::predictImages(bundle.value(), engine.value(), chunk, args->classes, args->top);
                if (!predictions)
                    return context.fail(predictions.error());
                for (const auto& p : predictions.value()) {
                    if (!p.error.empty()) {
                        context.err << "aape: " << p.path << ": " << p.error << '\n';
                        anyFailed = true;
                        continue;
                    }
                    const auto nearest = args->explain ? workflow::nearestDescriptions(bank, p.embedding, 3)
                                                       : std::vector<workflow::NearestDescription>{};
                    if (args->json) {
                        nlohmann::json top = nlohmann::json::array();
                        for (const auto& [name, prob] : p.top)
                            top.push_back({{"class", name}, {"prob", prob}});
                        nlohmann::json line{{"path", p.path},
                                            {"top", top},
                                            {"ood_score", p.oodScore},
                                            {"ood_score_kind", oodScoreName(p.oodScoreKind)}};
                        if (args->explain) {
                            nlohmann::json looksLike = nlohmann::json::array();
                            for (const auto& n : nearest)
                                looksLike.push_back(
                                    {{"description", n.text}, {"class", n.className}, {"cosine", n.cosine}});
                            line["looks_like"] = looksLike;
                        }
                        context.out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
                    } else {
                        context.out << p.path << "\t" << p.top.front().first << "\t" << std::fixed
                                    << std::setprecision(3) << p.top.front().second << "\tood " << p.oodScore << '\n';
                        if (args->explain)
                            context.out << "  looks like: " << workflow::looksLikeText(nearest) << '\n';
                    }
                }
            }
            if (anyFailed)
                context.exitCode = 1;
        });
    }

    // runs
    {
        auto path = std::make_shared<std::string>();
        auto show = std::make_shared<std::int64_t>(0);
        auto renameId = std::make_shared<std::int64_t>(0);
        auto newName = std::make_shared<std::string>();
        auto removeId = std::make_shared<std::int64_t>(0);
        CLI::App* command =
            app.add_subcommand("runs", "List the project's training runs, show one as JSON, rename or delete one.");
        command->add_option("project", *path, "project file")->required();
        auto* showOption =
            command->add_option("--show", *show, "print one run with its config and per-epoch metrics as JSON");
        auto* renameOption = command->add_option("--rename", *renameId, "rename this run (with --name)");
        command->add_option("--name", *newName, "the new name for --rename");
        auto* deleteOption = command->add_option(
            "--delete", *removeId, "delete this run with its metrics, checkpoints and predictions (cannot be undone)");
        showOption->excludes(renameOption)->excludes(deleteOption);
        renameOption->excludes(deleteOption);
        command->callback([path, show, renameId, newName, removeId, &context] {
            if (*renameId > 0 || *removeId > 0) {
                auto project = openProject(*path);
                if (!project)
                    return context.fail(project.error());
                const std::int64_t id = *renameId > 0 ? *renameId : *removeId;
                auto run = project->run(id);
                if (!run)
                    return context.fail(run.error());
                if (!run.value())
                    return context.fail(makeError(
                        ErrorCode::InvalidArgument,
                        "there is no run " + std::to_string(id) + "; list them with: aape runs " + *path, *path));
                if (*renameId > 0) {
                    if (newName->empty())
                        return context.fail(
                            makeError(ErrorCode::InvalidArgument, "give the new name with --name", *path));
                    if (auto status = project->renameRun(id, *newName); !status)
                        return context.fail(status.error());
                    context.out << "renamed run " << id << " to \"" << *newName << "\"\n";
                } else {
                    if (run.value()->status == store::RunStatus::Running && !run.value()->resumable)
                        return context.fail(makeError(
                            ErrorCode::Busy,
                            "run " + std::to_string(id) + " is training now; stop it before deleting it", *path));
                    if (auto status = project->removeRun(id); !status)
                        return context.fail(status.error());
                    context.out << "deleted run " << id << " (\"" << run.value()->name << "\")\n";
                }
                return;
            }
            auto project = store::Project::open(*path, store::OpenMode::ReadOnly);
            if (!project)
                return context.fail(project.error());
            if (*show > 0) {
                auto run = project->run(*show);
                if (!run)
                    return context.fail(run.error());
                if (!run.value())
                    return context.fail(
                        makeError(ErrorCode::InvalidArgument, "no run " + std::to_string(*show), *path));
                auto metrics = project->epochMetrics(*show);
                if (!metrics)
                    return context.fail(metrics.error());
                nlohmann::json epochs = nlohmann::json::array();
                for (const auto& m : metrics.value())
                    epochs.push_back(
                        {{"epoch", m.epoch},
                         {"total_loss", m.totalLoss},
                         {"task_loss", m.taskLoss},
                         {"distill_loss", m.distillLoss},
                         {"agg_reward", m.aggReward},
                         {"train_accuracy", m.trainAccuracy},
                         {"val_accuracy", m.valAccuracy ? nlohmann::json(*m.valAccuracy) : nlohmann::json()},
                         {"learning_rate", m.learningRate},
                         {"seconds", m.seconds}});
                const auto& r = *run.value();
                context.out << nlohmann::json{{"id", r.id},
                                              {"name", r.name},
                                              {"status", store::runStatusName(r.status)},
                                              {"seed", r.seed},
                                              {"group", r.group},
                                              {"config", r.config},
                                              {"summary", r.summary},
                                              {"created", r.createdAt},
                                              {"finished", r.finishedAt},
                                              {"resumable", r.resumable},
                                              {"error", r.errorMessage},
                                              {"epochs", epochs}}
                                   .dump(2)
                            << '\n';
                return;
            }
            auto runs = project->runs();
            if (!runs)
                return context.fail(runs.error());
            if (runs->empty())
                context.out << "no runs yet; start one with: aape train " << *path << '\n';
            for (const auto& r : runs.value()) {
                context.out << std::setw(4) << r.id << "  " << std::left << std::setw(20) << r.name << std::right
                            << "  " << std::setw(11) << store::runStatusName(r.status) << "  epochs "
                            << r.lastEpoch + 1;
                auto percent = [&](const char* key, const char* label) {
                    if (r.summary.contains(key) && r.summary[key].is_number())
                        context.out << "  " << label << ' ' << std::fixed << std::setprecision(1)
                                    << 100.0 * r.summary[key].get<double>() << " %";
                };
                percent("accuracy", "accuracy");
                percent("zero_shot_accuracy", "zero-shot");
                percent("harmonic_mean", "H");
                if (r.summary.contains("evaluated_epoch") && r.summary["evaluated_epoch"].is_number_integer())
                    context.out << "  (epoch " << r.summary["evaluated_epoch"].get<int>()
                                << (r.summary.value("epoch_choice", "") == "best" ? ", best on validation)" : ")");
                if (r.resumable)
                    context.out << "  (resumable: aape train " << *path << " --resume " << r.id << ")";
                context.out << '\n';
            }
            printRunSets(runs.value(), {}, context);
        });
    }

    // demo
    {
        auto folder = std::make_shared<std::string>();
        CLI::App* command = app.add_subcommand(
            "demo", "Write the built-in demo: generated shape images in twelve colour-and-shape classes (three never "
                    "seen in pretraining), hand-written descriptions with distractors, and the toy CLIP pretrained on "
                    "the shape world, imported into FOLDER/demo.aapeproj.");
        command->add_option("folder", *folder, "folder to write (created)")->required();
        auto scene = std::make_shared<bool>(false);
        command->add_flag("--scene", *scene,
                          "write a generated Sentinel-2-like scene (scene.tif) and its land-cover polygons "
                          "(landcover.geojson) instead, to try scene import and maps");
        command->callback([folder, scene, &context] {
            if (*scene)
                return runDemoScene(*folder, context);
            ProgressBar bar(context.err);
            data::DemoOptions options;
            options.progress = [&](const std::string& stage, std::size_t done, std::size_t total) {
                bar.update(stage, done, total);
            };
            if (data::findDemoClip().empty())
                context.err << "the demo's CLIP is not installed; pretraining it now (a few minutes)\n";
            auto demo = data::writeDemoProject(*folder, options);
            bar.finish();
            if (!demo)
                return context.fail(demo.error());
            context.out << "demo project: " << demo->projectPath << "\n"
                        << "images: " << demo->images.added << " in " << data::demoClasses().size() << " classes\n"
                        << "model: toy CLIP pretrained on the shape world (" << demo->modelPath << "/note.txt)\n"
                        << "next: aape train " << demo->projectPath << " --base-to-new --epochs 100\n";
        });
    }
}

} // namespace aape::cli
