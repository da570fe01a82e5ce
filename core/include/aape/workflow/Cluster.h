#pragma once
// Sharded embedding on a Slurm cluster, through Slurm's own commands (sbatch, squeue, sacct,
// scancel run as programs; nothing of Slurm is linked): a readable job-array script over the
// shards plus a final job after them, the shards' state from the done markers and the queue,
// and resubmitting only the unfinished shards. What was submitted is recorded in
// DIR/cluster/job.json. Call from one thread; the functions wait for the Slurm commands.

#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aape::workflow {

struct SlurmJobOptions {
    std::string program;                  // the aape executable the nodes run (absolute path)
    std::vector<std::string> commandArgs; // e.g. {"embed", "--model", M, "--folder", D, "--out", DIR}
    int shards = 4;
    std::string partition;  // empty: the cluster's default
    std::string time;       // Slurm time limit per shard, e.g. "02:00:00"; empty: the partition's default
    int cpus = 0;           // CPUs per shard (also the CLIP's threads); 0: Slurm's default
    int gpus = 0;           // GPUs per shard (--gres=gpu:G)
    std::string workingDir; // where relative paths of commandArgs are resolved; empty: current folder
};

// The output folder of an embed command line (its --out), absolute; an error when the
// arguments are not a sharded-able `embed` command (no --out, or a --shard of their own).
Result<std::string> shardedOutputDir(const std::vector<std::string>& commandArgs);

// The job-array script: one task per shard running `aape embed ... --shard K/N --out DIR`.
std::string slurmArrayScript(const SlurmJobOptions& options, const std::string& outDir);
// The final job's script: `aape cluster status DIR` into its log once every shard has ended.
std::string slurmFinalScript(const SlurmJobOptions& options, const std::string& outDir);

struct ClusterSubmission {
    std::string outDir;
    std::string arrayJobId;
    std::string finalJobId;
    std::vector<int> shards; // the shards submitted
    std::string scriptPath;
};

// Writes DIR/cluster/{embed.sbatch, final.sbatch, job.json}, runs sbatch for the array and
// for the final job (dependency afterany on the array) and records the job ids.
Result<ClusterSubmission> submitSlurm(const SlurmJobOptions& options);

enum class ShardState { Done, Running, Pending, Failed, NotSubmitted };
const char* shardStateName(ShardState state); // "done", "running", "pending", "failed", "not submitted"

struct ShardStatus {
    int index = 0;
    ShardState state = ShardState::NotSubmitted;
    std::string jobId;  // e.g. "1234_2"
    std::string detail; // rows and time when done; Slurm's state (sacct) or a hint otherwise
};

struct ClusterStatus {
    std::string outDir;
    int shards = 0;
    std::vector<ShardStatus> items;
    bool accounting = false; // sacct answered; otherwise failures are inferred from the markers and the queue
    std::string logFolder;
};

// The state of every shard of DIR: done (marker), else running or pending (squeue), else
// failed (with sacct's state where the cluster keeps accounting).
Result<ClusterStatus> clusterStatus(const std::string& dir);

// Resubmits the failed shards of DIR (neither done nor queued) as a new array of the same
// script, with a new final job. An empty submission (no shard list) when nothing needs it.
Result<ClusterSubmission> resumeSlurm(const std::string& dir);

} // namespace aape::workflow
