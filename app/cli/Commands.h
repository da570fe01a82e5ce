#pragma once
// Each subcommand registers itself on the CLI11 app; the callbacks it installs run the
// command and set `context.exitCode`. Errors are printed as one line naming file and problem.

#include "aape/aape/Bundle.h"
#include "aape/clip/ClipEngine.h"
#include "aape/store/Project.h"

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>

namespace aape {
struct Error;
} // namespace aape

namespace aape::cli {

struct CommandContext {
    std::ostream& out;
    std::ostream& err;
    int exitCode = 0;
    bool verbose = false;    // `aape --verbose` or AAPE_DEBUG=1: print technical details too
    std::string commandLine; // as typed, for the log file

    // Prints "aape: <file>: <message>" and sets a non-zero exit code. The error goes to the log
    // file; when it has a technical detail, the line ends with "(details: <log file>)", and
    // only with `verbose` is the detail printed as well.
    void fail(const Error& error);
    void fail(const std::string& message);
};

// An option that takes one value per occurrence and may be repeated ("--class a --class b").
// A vector option in CLI11 otherwise swallows every following word, the positionals too.
inline CLI::Option* repeatable(CLI::Option* option)
{
    return option->expected(1)->allow_extra_args(false)->take_all();
}

// Opens a CLIP for a command from its --model, --vocab, --device, --threads and --precision
// values, and writes the precision used (and why, for auto) to the log file.
Result<clip::ClipEngine> openClipEngine(const std::string& model, const std::string& vocab, const std::string& device,
                                        int threads, const std::string& precision = "auto");

// The CLIP of a project: `model` when given, else the one the project records.
Result<clip::ClipEngine> openProjectEngine(store::Project& project, const std::string& model, const std::string& vocab,
                                           const std::string& device, int threads,
                                           const std::string& precision = "auto");

// --precision with its help text; `fallback` is the command's default ("auto" or "fp32").
CLI::Option* addPrecisionOption(CLI::App* command, std::string& precision, const std::string& fallback);

void addEmbedCommand(CLI::App& app, CommandContext& context);
// compare: every method on the same data (CompareCommand.cpp)
void addCompareCommand(CLI::App& app, CommandContext& context);
void addTokenizeCommand(CLI::App& app, CommandContext& context);
void addBenchCommand(CLI::App& app, CommandContext& context);
// import-embeddings and cluster submit/status/resume (ClusterCommands.cpp)
void addClusterCommands(CLI::App& app, CommandContext& context);
void addPreprocessCommand(CLI::App& app, CommandContext& context);
void addCheckpointCommand(CLI::App& app, CommandContext& context);
// pretrain-toy: the demo's toy CLIP (PretrainCommand.cpp)
void addPretrainCommand(CLI::App& app, CommandContext& context);
// similar, duplicates, mistakes, suggest: the collection's embeddings (ExploreCommands.cpp)
void addExploreCommands(CLI::App& app, CommandContext& context);
// create, import, describe, encode, train, runs, demo (ProjectCommands.cpp)
void addProjectCommands(CLI::App& app, CommandContext& context);
// Scenes (SceneCommands.cpp): import --scene, predict --scene, bench scene.
struct SceneImportArgs {
    std::string scene, bands, labels, labelField;
    int tile = 0;
    int stride = 0;
    double minCover = 0.5;
};
// Adds --scene and its options to `import`; returns the --scene option.
CLI::Option* addSceneImportOptions(CLI::App* import, SceneImportArgs& args);
void runSceneImport(const std::string& project, const SceneImportArgs& args, std::uint64_t seed,
                    CommandContext& context);
struct ScenePredictArgs {
    std::string scene, bands, out, vector;
    std::string shard; // "K/N" with --out DIR: one shard of the images or the scene's tiles
    int tile = 0;
    int stride = 0;
};
// Adds --scene and its options to `predict`; returns the --scene option.
CLI::Option* addScenePredictOptions(CLI::App* predict, ScenePredictArgs& args);
void runScenePredict(const Bundle& bundle, const clip::ClipEngine& engine, const ScenePredictArgs& args,
                     CommandContext& context);
// predict --shard K/N --out DIR: one shard of the images (`inputs`, files or folders) or, with
// --scene, of the scene's tiles (aape/workflow/PredictShards.h).
void runShardedPredict(const Bundle& bundle, const clip::ClipEngine& engine, const std::vector<std::string>& inputs,
                       const ScenePredictArgs& args, int top, CommandContext& context);
// cluster merge DIR: the finished shards of a scene's prediction as one map.
void addClusterMergeSubcommand(CLI::App& cluster, CommandContext& context);
// demo --scene: a generated scene and its land-cover polygons in `folder`.
void runDemoScene(const std::string& folder, CommandContext& context);
// bench scene: tiles per second and peak memory over a generated scene.
void addBenchSceneSubcommand(CLI::App& bench, CommandContext& context);

// Registered on the "bench" subcommand by addBenchCommand.
void addBenchTrainSubcommand(CLI::App& bench, CommandContext& context);
void addBenchGemmSubcommand(CLI::App& bench, CommandContext& context);
void addBenchProjectSubcommand(CLI::App& bench, CommandContext& context);

} // namespace aape::cli
