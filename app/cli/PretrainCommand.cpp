#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/demo/DemoWorld.h"
#include "aape/util/Error.h"

#include <iomanip>
#include <memory>
#include <ostream>

namespace aape::cli {

void addPretrainCommand(CLI::App& app, CommandContext& context)
{
    struct Args {
        std::string folder;
        data::ToyClipOptions options;
        bool measureOnly = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "pretrain-toy",
        "Pretrain the demo's small CLIP contrastively on the generated shape world and write it to FOLDER as a "
        "Hugging Face checkpoint (with vocabulary and a note of its zero-shot accuracy). Minutes on a CPU.");
    command->add_option("folder", args->folder, "folder to write (created)")->required();
    command->add_option("--steps", args->options.steps, "optimisation steps")->capture_default_str();
    command->add_option("--batch", args->options.batchSize, "image/caption pairs per step")->capture_default_str();
    command->add_option("--threads", args->options.threads, "CPU threads")->capture_default_str();
    command->add_option("--seed", args->options.seed, "seed of the world stream and the initial weights")
        ->capture_default_str();
    command->add_option("--eval-images", args->options.heldOutImages, "fresh scenes for the zero-shot report")
        ->capture_default_str();
    command->add_flag("--measure-only", args->measureOnly, "do not train: measure the checkpoint already in FOLDER");
    command->callback([args, &context] {
        Result<data::ToyClipReport> report = makeError(ErrorCode::Internal, "not run");
        if (args->measureOnly) {
            report = data::measureDemoClip(args->folder, args->options.seed + 1, args->options.heldOutImages,
                                           args->options.threads);
        } else {
            ProgressBar bar(context.err);
            args->options.progress = [&](const std::string& stage, std::size_t done, std::size_t total) {
                bar.update(stage, done, total);
            };
            report = data::pretrainDemoClip(args->folder, args->options);
            bar.finish();
        }
        if (!report)
            return context.fail(report.error());
        context.out << std::fixed << std::setprecision(3) << "toy CLIP: " << report->folder << "\n";
        if (!args->measureOnly)
            context.out << "parameters: " << report->parameterCount << ", checkpoint " << report->checkpointBytes / 1024
                        << " KiB, " << report->steps << " steps in " << std::setprecision(1) << report->trainSeconds
                        << " s, final loss " << std::setprecision(3) << report->finalLoss << "\n";
        context.out << "zero-shot 'a photo of a {colour} {shape}.' among 64 on fresh scenes: "
                    << report->zeroShotAccuracy << " (chance 0.016)\n"
                    << "  combinations never seen in pretraining: " << report->zeroShotHeldOutAccuracy << "\n"
                    << "image-to-caption top-1 among 32 fresh captions: " << report->captionRetrievalAccuracy
                    << " (chance 0.031)\n";
    });
}

} // namespace aape::cli
