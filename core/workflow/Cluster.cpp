#include "aape/workflow/Cluster.h"

#include "aape/util/Subprocess.h"
#include "aape/workflow/Shards.h"
#include "workflow/ShardFiles.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace aape::workflow {

namespace {

std::string shellQuote(const std::string& word)
{
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](unsigned char c) {
        return std::isalnum(c) || std::string("_./:=+-@%,").find(static_cast<char>(c)) != std::string::npos;
    });
    if (plain)
        return word;
    std::string quoted = "'";
    for (char c : word)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
    return text;
}

std::string clusterFolder(const std::string& outDir)
{
    return (fs::path(outDir) / "cluster").string();
}

std::string jobFile(const std::string& outDir)
{
    return (fs::path(clusterFolder(outDir)) / "job.json").string();
}

bool hasOption(const std::vector<std::string>& args, const std::string& name)
{
    return std::any_of(args.begin(), args.end(),
                       [&](const std::string& a) { return a == name || a.rfind(name + "=", 0) == 0; });
}

// "0-3" for a whole array, "1,3" for some shards.
std::string arraySpec(const std::vector<int>& shards, int count)
{
    if (static_cast<int>(shards.size()) == count)
        return "0-" + std::to_string(count - 1);
    std::string spec;
    for (int k : shards)
        spec += (spec.empty() ? "" : ",") + std::to_string(k);
    return spec;
}

std::string firstLine(const std::string& text)
{
    const auto end = text.find('\n');
    return text.substr(0, end);
}

// sbatch --parsable prints "jobid" or "jobid;cluster".
Result<std::string> runSbatch(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{"sbatch", "--parsable"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto ran = runProcess(argv);
    if (!ran)
        return ran.error();
    std::string id = firstLine(ran->out);
    id = id.substr(0, id.find(';'));
    id.erase(std::remove_if(id.begin(), id.end(), [](unsigned char c) { return std::isspace(c); }), id.end());
    if (ran->exitCode != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
        return makeError(ErrorCode::InvalidArgument,
                         "Slurm refused the job: " + firstLine(ran->err.empty() ? ran->out : ran->err),
                         args.empty() ? std::string() : args.back(), ran->err);
    return id;
}

Result<ClusterSubmission> submitShards(const nlohmann::json& job, const std::string& outDir,
                                       const std::vector<int>& shards)
{
    ClusterSubmission submission;
    submission.outDir = outDir;
    submission.shards = shards;
    const auto args = job.value("args", std::vector<std::string>{"embed"});
    submission.scriptPath =
        (fs::path(clusterFolder(outDir)) / ((args.empty() ? std::string("embed") : args.front()) + ".sbatch")).string();
    const int count = job.value("shards", 0);
    auto arrayId = runSbatch({"--array=" + arraySpec(shards, count), submission.scriptPath});
    if (!arrayId)
        return arrayId.error();
    submission.arrayJobId = arrayId.value();
    auto finalId = runSbatch({"--dependency=afterany:" + submission.arrayJobId,
                              (fs::path(clusterFolder(outDir)) / "final.sbatch").string()});
    if (!finalId)
        return finalId.error();
    submission.finalJobId = finalId.value();

    nlohmann::json updated = job;
    updated["submissions"].push_back({{"array_job", submission.arrayJobId},
                                      {"final_job", submission.finalJobId},
                                      {"shards", shards},
                                      {"submitted", utcNow()}});
    if (auto status = detail::writeFileAtomically(jobFile(outDir), updated.dump(2) + "\n"); !status)
        return status.error();
    return submission;
}

Result<nlohmann::json> readJob(const std::string& dir)
{
    auto text = detail::readWholeFile(jobFile(dir));
    if (!text)
        return makeError(ErrorCode::FileNotFound,
                         "This folder has no cluster job (cluster/job.json); was it made with `aape cluster submit`?",
                         dir);
    auto job = nlohmann::json::parse(text.value(), nullptr, false);
    if (job.is_discarded() || !job.is_object() || job.value("shards", 0) < 1)
        return makeError(ErrorCode::BadFormat, "The cluster job record is damaged.", jobFile(dir));
    return job;
}

} // namespace

Result<std::string> shardedOutputDir(const std::vector<std::string>& commandArgs)
{
    if (commandArgs.empty() || (commandArgs.front() != "embed" && commandArgs.front() != "predict"))
        return makeError(ErrorCode::Unsupported,
                         "aape embed and aape predict run on a cluster; give their arguments after --, e.g. -- embed "
                         "--model M --folder DIR --out OUT.");
    std::string out;
    for (std::size_t i = 1; i < commandArgs.size(); ++i) {
        const std::string& arg = commandArgs[i];
        if (arg == "--shard" || arg.rfind("--shard=", 0) == 0)
            return makeError(ErrorCode::InvalidArgument,
                             "Leave --shard out of the command: `aape cluster submit --shards N` gives every task its "
                             "shard.");
        if (arg == "--out" && i + 1 < commandArgs.size())
            out = commandArgs[i + 1];
        else if (arg.rfind("--out=", 0) == 0)
            out = arg.substr(6);
    }
    if (out.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "The " + commandArgs.front()
                             + " command needs --out DIR: the shared folder the shards are written to.");
    return fs::absolute(out).lexically_normal().string();
}

std::string slurmArrayScript(const SlurmJobOptions& options, const std::string& outDir)
{
    const std::string logs = (fs::path(clusterFolder(outDir)) / "logs").string();
    const bool predict = !options.commandArgs.empty() && options.commandArgs.front() == "predict";
    const std::string name = predict ? "predict" : "embed";
    std::ostringstream script;
    script << "#!/bin/bash\n"
           << "# AAPE Studio: one task of this job array " << (predict ? "classifies" : "embeds") << " one shard of "
           << options.shards << " into\n"
           << "# " << outDir << " (written by `aape cluster submit` on " << utcNow() << ").\n"
           << (predict ? "# Task K writes predictions/predictions_K.jsonl and, last, done/K; a task\n"
                       : "# Task K writes img_emb/img_emb_K.npy, metadata/metadata_K.jsonl and, last, done/K; a task\n")
           << "# whose shard is done exits at once, so submitting the array again is safe:\n"
           << "#   sbatch " << shellQuote(clusterFolder(outDir) + "/" + name + ".sbatch") << "\n"
           << "# `aape cluster status " << shellQuote(outDir) << "` shows the shards, `aape cluster resume` "
           << "resubmits the unfinished ones.\n"
           << "#SBATCH --job-name=aape-" << name << "\n"
           << "#SBATCH --array=0-" << options.shards - 1 << "\n"
           << "#SBATCH --output=" << logs << "/shard-%a.log\n"
           << "#SBATCH --chdir=" << (options.workingDir.empty() ? fs::current_path().string() : options.workingDir)
           << "\n";
    if (!options.partition.empty())
        script << "#SBATCH --partition=" << options.partition << "\n";
    if (!options.time.empty())
        script << "#SBATCH --time=" << options.time << "\n";
    if (options.cpus > 0)
        script << "#SBATCH --cpus-per-task=" << options.cpus << "\n";
    if (options.gpus > 0)
        script << "#SBATCH --gres=gpu:" << options.gpus << "\n";
    script << "set -euo pipefail\n\nexec " << shellQuote(options.program);
    for (const auto& arg : options.commandArgs)
        script << ' ' << shellQuote(arg);
    if (options.cpus > 0 && !hasOption(options.commandArgs, "--threads"))
        script << " --threads " << options.cpus;
    script << " \\\n    --shard \"${SLURM_ARRAY_TASK_ID}/" << options.shards << "\"\n";
    return script.str();
}

std::string slurmFinalScript(const SlurmJobOptions& options, const std::string& outDir)
{
    const std::string logs = (fs::path(clusterFolder(outDir)) / "logs").string();
    const bool predict = !options.commandArgs.empty() && options.commandArgs.front() == "predict";
    const bool scene = predict && hasOption(options.commandArgs, "--scene");
    std::ostringstream script;
    script << "#!/bin/bash\n";
    if (scene)
        script << "# AAPE Studio: runs once every task of the prediction array has ended (successfully or not),\n"
               << "# writes which shards are done into its log and, when all are, merges the scene's map into\n"
               << "# " << outDir << "/map.tif (aape cluster merge; run it again after a resume).\n";
    else
        script << "# AAPE Studio: runs once every task of the array has ended (successfully or not)\n"
               << "# and writes which shards are done into its log. The shards themselves are the result: this\n"
               << "# job has nothing to merge.\n";
    script << "#SBATCH --job-name=aape-" << (predict ? "predict" : "embed") << "-final\n"
           << "#SBATCH --output=" << logs << "/final-%j.log\n";
    if (!options.partition.empty())
        script << "#SBATCH --partition=" << options.partition << "\n";
    script << "#SBATCH --time=00:10:00\n"
           << "set -euo pipefail\n\n";
    if (scene)
        script << shellQuote(options.program) << " cluster status " << shellQuote(outDir) << "\nexec "
               << shellQuote(options.program) << " cluster merge " << shellQuote(outDir) << "\n";
    else
        script << "exec " << shellQuote(options.program) << " cluster status " << shellQuote(outDir) << "\n";
    return script.str();
}

Result<ClusterSubmission> submitSlurm(const SlurmJobOptions& options)
{
    if (options.shards < 1)
        return makeError(ErrorCode::InvalidArgument, "--shards must be 1 or more.");
    auto outDir = shardedOutputDir(options.commandArgs);
    if (!outDir)
        return outDir.error();
    std::error_code ec;
    fs::create_directories(fs::path(clusterFolder(outDir.value())) / "logs", ec);
    if (ec)
        return makeError(ErrorCode::FileWrite, "The output folder could not be created; check its permissions.",
                         outDir.value(), ec.message());
    if (fs::exists(jobFile(outDir.value())))
        return makeError(ErrorCode::InvalidArgument,
                         "This folder already has a cluster job; see `aape cluster status` and `aape cluster resume`, "
                         "or choose another --out folder.",
                         outDir.value());
    const std::string folder = clusterFolder(outDir.value());
    if (auto status = detail::writeFileAtomically(folder + "/" + options.commandArgs.front() + ".sbatch",
                                                  slurmArrayScript(options, outDir.value()));
        !status)
        return status.error();
    if (auto status = detail::writeFileAtomically(folder + "/final.sbatch", slurmFinalScript(options, outDir.value()));
        !status)
        return status.error();
    nlohmann::json job = {
        {"scheduler", "slurm"},        {"shards", options.shards},       {"program", options.program},
        {"args", options.commandArgs}, {"partition", options.partition}, {"time", options.time},
        {"cpus", options.cpus},        {"gpus", options.gpus},           {"submissions", nlohmann::json::array()}};
    std::vector<int> shards(static_cast<std::size_t>(options.shards));
    for (int k = 0; k < options.shards; ++k)
        shards[static_cast<std::size_t>(k)] = k;
    return submitShards(job, outDir.value(), shards);
}

const char* shardStateName(ShardState state)
{
    switch (state) {
    case ShardState::Done: return "done";
    case ShardState::Running: return "running";
    case ShardState::Pending: return "pending";
    case ShardState::Failed: return "failed";
    case ShardState::NotSubmitted: return "not submitted";
    }
    return "?";
}

Result<ClusterStatus> clusterStatus(const std::string& dirArgument)
{
    const std::string dir = fs::absolute(dirArgument).lexically_normal().string();
    auto job = readJob(dir);
    if (!job)
        return job.error();
    ClusterStatus status;
    status.outDir = dir;
    status.shards = job->value("shards", 0);
    status.logFolder = (fs::path(clusterFolder(dir)) / "logs").string();

    // The latest submission of each shard.
    std::map<int, std::string> jobOf;
    std::set<std::string> arrays;
    for (const auto& submission : job->value("submissions", nlohmann::json::array())) {
        const std::string id = submission.value("array_job", "");
        arrays.insert(id);
        for (int k : submission.value("shards", std::vector<int>{}))
            jobOf[k] = id;
    }

    // The queue: "arrayJobId|taskId|state" per array task (-r lists pending tasks one by one).
    std::map<std::string, std::string> queued; // "1234_2" -> "RUNNING"
    if (auto squeue = runProcess({"squeue", "-h", "-r", "-o", "%F|%K|%T"}); squeue && squeue->exitCode == 0) {
        std::istringstream lines(squeue->out);
        for (std::string line; std::getline(lines, line);) {
            const auto a = line.find('|');
            const auto b = line.find('|', a == std::string::npos ? a : a + 1);
            if (a == std::string::npos || b == std::string::npos)
                continue;
            queued[line.substr(0, a) + "_" + line.substr(a + 1, b - a - 1)] = line.substr(b + 1);
        }
    } else {
        return squeue ? makeError(ErrorCode::Unsupported, "Slurm's squeue did not answer: " + firstLine(squeue->err),
                                  dir, squeue->err)
                      : squeue.error();
    }

    // Accounting, where the cluster keeps it (slurmdbd): why a task ended.
    std::map<std::string, std::string> accounted; // "1234_2" -> "CANCELLED by 0"
    if (!arrays.empty()) {
        std::string ids;
        for (const auto& id : arrays)
            ids += (ids.empty() ? "" : ",") + id;
        auto sacct = runProcess({"sacct", "-n", "-P", "-X", "-j", ids, "-o", "JobID,State"});
        if (sacct && sacct->exitCode == 0 && !sacct->out.empty()) {
            status.accounting = true;
            std::istringstream lines(sacct->out);
            for (std::string line; std::getline(lines, line);) {
                const auto bar = line.find('|');
                if (bar != std::string::npos)
                    accounted[line.substr(0, bar)] = line.substr(bar + 1);
            }
        }
    }

    for (int k = 0; k < status.shards; ++k) {
        ShardStatus shard;
        shard.index = k;
        if (jobOf.count(k))
            shard.jobId = jobOf[k] + "_" + std::to_string(k);
        if (auto summary = shardSummary(dir, k)) {
            shard.state = ShardState::Done;
            std::ostringstream detail;
            detail << summary->value("rows", 0) << " rows from " << summary->value("inputs", 0) << " images in "
                   << static_cast<int>(summary->value("seconds", 0.0) + 0.5) << " s";
            if (!summary->value("host", "").empty())
                detail << " on " << summary->value("host", "");
            const auto failed = summary->value("failed", nlohmann::json::array()).size();
            if (failed > 0)
                detail << ", " << failed << " unreadable";
            shard.detail = detail.str();
        } else if (shard.jobId.empty()) {
            shard.state = ShardState::NotSubmitted;
        } else if (auto q = queued.find(shard.jobId); q != queued.end()) {
            shard.state = q->second == "PENDING" || q->second == "REQUEUED" ? ShardState::Pending : ShardState::Running;
            shard.detail = q->second;
        } else {
            shard.state = ShardState::Failed;
            if (auto a = accounted.find(shard.jobId); a != accounted.end())
                shard.detail =
                    a->second + " (sacct); log: " + status.logFolder + "/shard-" + std::to_string(k) + ".log";
            else
                shard.detail =
                    "ended without finishing; log: " + status.logFolder + "/shard-" + std::to_string(k) + ".log";
        }
        status.items.push_back(shard);
    }
    return status;
}

Result<ClusterSubmission> resumeSlurm(const std::string& dirArgument)
{
    const std::string dir = fs::absolute(dirArgument).lexically_normal().string();
    auto job = readJob(dir);
    if (!job)
        return job.error();
    auto status = clusterStatus(dir);
    if (!status)
        return status.error();
    std::vector<int> shards;
    for (const auto& item : status->items)
        if (item.state == ShardState::Failed || item.state == ShardState::NotSubmitted)
            shards.push_back(item.index);
    if (shards.empty()) {
        ClusterSubmission nothing;
        nothing.outDir = dir;
        return nothing;
    }
    return submitShards(job.value(), dir, shards);
}

} // namespace aape::workflow
