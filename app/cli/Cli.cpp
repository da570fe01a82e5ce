#include "cli/Cli.h"

#include "cli/Commands.h"

#include "aape/util/Error.h"
#include "aape/util/Log.h"

#include <cstdlib>
#include <cstring>
#include <ostream>

namespace aape::cli {

void CommandContext::fail(const Error& error)
{
    const std::string logFile = Log::error(error, commandLine);
    err << "aape: " << error.toString();
    if (!error.detail.empty() && !logFile.empty())
        err << " (details: " << logFile << ")";
    err << '\n';
    if (verbose && !error.detail.empty())
        err << error.detail << '\n';
    exitCode = 1;
}

void CommandContext::fail(const std::string& message)
{
    Log::write(Log::Level::Error, commandLine + ": " + message);
    err << "aape: " << message << '\n';
    exitCode = 1;
}

Result<clip::ClipEngine> openClipEngine(const std::string& model, const std::string& vocab, const std::string& device,
                                        int threads, const std::string& precision)
{
    auto kind = clip::parseDeviceKind(device);
    if (!kind)
        return kind.error();
    auto chosen = clip::parsePrecision(precision);
    if (!chosen)
        return chosen.error();
    clip::EngineOptions options;
    options.load.device = kind.value();
    options.load.threads = threads;
    options.load.precision = chosen.value();
    options.vocabPath = vocab;
    auto engine = clip::ClipEngine::open(model, options);
    if (engine)
        Log::write(Log::Level::Info, "CLIP " + model + " on " + engine->model().deviceDescription() + "; precision "
                                         + engine->model().precisionReason());
    return engine;
}

CLI::Option* addPrecisionOption(CLI::App* command, std::string& precision, const std::string& fallback)
{
    precision = fallback;
    return command
        ->add_option("--precision", precision,
                     "auto, fp32, bf16, int8 (CPU) or fp16 (GPU); auto: bf16 on CPUs that compute it natively, "
                     "fp16 on a GPU, else fp32")
        ->check(CLI::IsMember({"auto", "fp32", "bf16", "fp16", "int8"}))
        ->capture_default_str();
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    CLI::App app{"AAPE Studio command line: adapt CLIP to your images with Aggregate-and-Adapt "
                 "Prompt Embedding.",
                 "aape"};
    app.set_version_flag("--version", std::string("aape ") + AAPE_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);

    CommandContext context{out, err, 0, false, {}};
    for (int i = 0; i < argc; ++i)
        context.commandLine += (i > 0 ? " " : "") + std::string(argv[i]);
    const char* debug = std::getenv("AAPE_DEBUG");
    context.verbose = debug && std::strcmp(debug, "0") != 0 && debug[0] != '\0';
    app.add_flag("--verbose", context.verbose,
                 "print the technical details of errors too (they always go to the log file; AAPE_DEBUG=1 does the "
                 "same)");
    addProjectCommands(app, context);
    addCompareCommand(app, context);
    addExploreCommands(app, context);
    addEmbedCommand(app, context);
    addClusterCommands(app, context);
    addTokenizeCommand(app, context);
    addPreprocessCommand(app, context);
    addCheckpointCommand(app, context);
    addPretrainCommand(app, context);
    addBenchCommand(app, context);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version arrive here too, with exit code 0; help() shows the
        // selected subcommand's help.
        const int code = app.exit(e, out, err);
        if (code != 0)
            err << "Run 'aape --help' for usage.\n";
        return code == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        context.fail(makeError(ErrorCode::Internal,
                               "An unexpected error stopped the command; please report it together with the log file.",
                               {}, e.what()));
        return 1;
    }
    return context.exitCode;
}

} // namespace aape::cli
