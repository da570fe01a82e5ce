#include "cli/Cli.h"

#include "cli/Commands.h"

#include "aape/util/Error.h"

#include <ostream>

namespace aape::cli {

void CommandContext::fail(const Error& error)
{
    err << "aape: " << error.toString() << '\n';
    exitCode = 1;
}

void CommandContext::fail(const std::string& message)
{
    err << "aape: " << message << '\n';
    exitCode = 1;
}

Result<clip::ClipEngine> openClipEngine(const std::string& model, const std::string& vocab, const std::string& device,
                                        int threads)
{
    auto kind = clip::parseDeviceKind(device);
    if (!kind)
        return kind.error();
    clip::EngineOptions options;
    options.load.device = kind.value();
    options.load.threads = threads;
    options.vocabPath = vocab;
    return clip::ClipEngine::open(model, options);
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    CLI::App app{"AAPE Studio command line: adapt CLIP to your images with Aggregate-and-Adapt "
                 "Prompt Embedding.",
                 "aape"};
    app.set_version_flag("--version", std::string("aape ") + AAPE_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);

    CommandContext context{out, err};
    addProjectCommands(app, context);
    addCompareCommand(app, context);
    addEmbedCommand(app, context);
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
        err << "aape: unexpected error: " << e.what() << '\n';
        return 1;
    }
    return context.exitCode;
}

} // namespace aape::cli
