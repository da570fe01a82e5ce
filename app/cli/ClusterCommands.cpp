#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/workflow/Cluster.h"
#include "aape/workflow/Shards.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>

namespace aape::cli {

namespace {

// This very executable, so that the nodes run the same aape as the one that submitted.
std::string thisProgram()
{
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("aape") : self.string();
}

void printSubmission(const workflow::ClusterSubmission& submission, CommandContext& context)
{
    context.out << "submitted shards";
    for (int k : submission.shards)
        context.out << ' ' << k;
    context.out << " as job array " << submission.arrayJobId << " and the final job " << submission.finalJobId << '\n'
                << "script: " << submission.scriptPath << '\n'
                << "follow with: aape cluster status " << submission.outDir << '\n';
}

void printStatus(const workflow::ClusterStatus& status, CommandContext& context)
{
    int counts[5] = {};
    for (const auto& item : status.items)
        ++counts[static_cast<int>(item.state)];
    context.out << status.shards << " shards in " << status.outDir << ": " << counts[0] << " done, " << counts[1]
                << " running, " << counts[2] << " pending, " << counts[3] << " failed";
    if (counts[4] > 0)
        context.out << ", " << counts[4] << " not submitted";
    context.out << '\n';
    for (const auto& item : status.items) {
        context.out << "  shard " << std::setw(3) << item.index << "  " << std::left << std::setw(8)
                    << workflow::shardStateName(item.state) << std::right;
        if (!item.jobId.empty())
            context.out << "  job " << item.jobId;
        if (!item.detail.empty())
            context.out << "  " << item.detail;
        context.out << '\n';
    }
    if (!status.accounting)
        context.out << "note: sacct has no records here (the cluster keeps no job accounting), so a shard that is "
                       "neither done nor in the queue is shown as failed without Slurm's reason; its log says why.\n";
    if (counts[3] + counts[4] > 0)
        context.out << "resubmit the unfinished shards with: aape cluster resume " << status.outDir << '\n';
}

void addImportEmbeddings(CLI::App& app, CommandContext& context)
{
    struct Args {
        std::string project, dir;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "import-embeddings",
        "Fill a project's embedding cache from shards made elsewhere (aape embed --out, e.g. on a cluster), so that "
        "encoding and training find them cached. The shards must come from the project's CLIP.");
    command->add_option("project", args->project, "the project file (*.aapeproj)")->required();
    command->add_option("dir", args->dir, "the shards' folder (the --out of aape embed)")->required();
    command->callback([args, &context] {
        auto project = store::Project::open(args->project, store::OpenMode::ReadWrite);
        if (!project)
            return context.fail(project.error());
        ProgressBar bar(context.err);
        workflow::ShardImportOptions options;
        options.progress = [&](const workflow::Progress& p) { bar.update("importing shards", p.done, p.total); };
        auto report = workflow::importEmbeddingShards(project.value(), args->dir, options);
        bar.finish();
        if (!report)
            return context.fail(report.error());
        const auto& r = report.value();
        if (!r.shardsUnfinished.empty()) {
            context.err << "warning: " << r.shardsUnfinished.size() << " shards are not finished and were left out:";
            for (int k : r.shardsUnfinished)
                context.err << ' ' << k;
            context.err << " (aape cluster status " << args->dir << ")\n";
        }
        if (!r.changed.empty()) {
            context.err << "warning: " << r.changed.size()
                        << " images of the project differ from the files that were embedded (changed since?); they "
                           "were not imported and will be encoded here:\n";
            for (std::size_t i = 0; i < std::min<std::size_t>(r.changed.size(), context.verbose ? r.changed.size() : 3);
                 ++i)
                context.err << "    " << r.changed[i] << '\n';
            if (!context.verbose && r.changed.size() > 3)
                context.err << "    ... and " << r.changed.size() - 3 << " more (--verbose lists them all)\n";
        }
        if (r.viewsImported == 0)
            return context.fail(args->dir + ": none of the " + std::to_string(r.rowsRead)
                                + " embeddings belongs to an image of this project (images are matched by their "
                                  "content); nothing was imported");
        context.out << "imported " << r.viewsImported << " cached views of " << r.imagesCovered << " images from "
                    << r.shardsImported << " shards";
        if (r.rowsNotInProject > 0)
            context.out << " (" << r.rowsNotInProject << " rows are of images not in the project)";
        context.out << '\n';
        if (r.imagesNotCovered > 0)
            context.out << r.imagesNotCovered
                        << " labelled images of the project are not in the shards; training will encode them\n";
        if (!r.projectHasModel)
            context.out << "note: the project has no CLIP yet; train with the model these shards were made with "
                           "(fingerprint "
                        << r.modelFingerprint << ") and they are used\n";
    });
}

void addCluster(CLI::App& app, CommandContext& context)
{
    CLI::App* cluster = app.add_subcommand(
        "cluster", "Run aape embed or aape predict on a Slurm cluster: a job array over the shards, their state, "
                   "resubmitting the unfinished ones, merging a scene's map. Slurm's own commands (sbatch, squeue, "
                   "sacct) do the work.");
    cluster->require_subcommand(1);

    struct SubmitArgs {
        bool slurm = false;
        workflow::SlurmJobOptions options;
    };
    auto submit = std::make_shared<SubmitArgs>();
    CLI::App* command = cluster->add_subcommand(
        "submit", "Write a job-array script over the shards of an aape embed or aape predict command (given after "
                  "--) and submit it with sbatch, with a final job after it (for a scene's prediction it merges the "
                  "map into DIR/map.tif); prints the job ids.");
    command->add_flag("--slurm", submit->slurm, "submit to Slurm (the one scheduler supported)");
    command->add_option("--partition", submit->options.partition, "Slurm partition (default: the cluster's)");
    command->add_option("--shards", submit->options.shards, "number of shards, one array task each")
        ->capture_default_str();
    command->add_option("--time", submit->options.time, "time limit per shard, e.g. 02:00:00");
    command->add_option("--cpus", submit->options.cpus, "CPUs per shard, also the CLIP's threads");
    command->add_option("--gpus", submit->options.gpus, "GPUs per shard");
    command
        ->add_option("command", submit->options.commandArgs,
                     "after --: the aape embed or predict arguments, e.g. -- embed --model M --folder DIR --out OUT")
        ->required();
    command->callback([submit, &context] {
        if (!submit->slurm)
            return context.fail("choose the scheduler: --slurm (the only one supported; for Ray or Kubernetes run "
                                "`aape embed --shard K/N --out DIR` as their tasks, see docs/cluster.md)");
        submit->options.program = thisProgram();
        submit->options.workingDir = std::filesystem::current_path().string();
        auto submission = workflow::submitSlurm(submit->options);
        if (!submission)
            return context.fail(submission.error());
        printSubmission(submission.value(), context);
    });

    auto dir = std::make_shared<std::string>();
    command = cluster->add_subcommand(
        "status", "Show which shards of a cluster job are done, running, pending or failed (done markers, squeue, "
                  "and sacct where the cluster keeps accounting).");
    command->add_option("dir", *dir, "the job's output folder (--out of the embed or predict command)")->required();
    command->callback([dir, &context] {
        auto status = workflow::clusterStatus(*dir);
        if (!status)
            return context.fail(status.error());
        printStatus(status.value(), context);
    });

    auto resumeDir = std::make_shared<std::string>();
    command = cluster->add_subcommand("resume", "Resubmit only the shards of a cluster job that neither finished nor "
                                                "are still queued.");
    command->add_option("dir", *resumeDir, "the job's output folder (--out of the embed or predict command)")
        ->required();
    command->callback([resumeDir, &context] {
        auto submission = workflow::resumeSlurm(*resumeDir);
        if (!submission)
            return context.fail(submission.error());
        if (submission->shards.empty()) {
            context.out << "nothing to resubmit: every shard is done, running or pending\n";
            return;
        }
        printSubmission(submission.value(), context);
    });

    addClusterMergeSubcommand(*cluster, context);
}

} // namespace

void addClusterCommands(CLI::App& app, CommandContext& context)
{
    addImportEmbeddings(app, context);
    addCluster(app, context);
}

} // namespace aape::cli
