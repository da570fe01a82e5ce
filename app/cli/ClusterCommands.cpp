#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/workflow/Shards.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>

namespace aape::cli {

namespace {

void addImportEmbeddings(CLI::App &app, CommandContext &context) {
  struct Args {
    std::string project, dir;
  };
  auto args = std::make_shared<Args>();
  CLI::App *command = app.add_subcommand(
      "import-embeddings",
      "Fill a project's embedding cache from shards made elsewhere (aape embed "
      "--out, e.g. on a cluster), so that "
      "encoding and training find them cached. The shards must come from the "
      "project's CLIP.");
  command->add_option("project", args->project, "the project file (*.aapeproj)")
      ->required();
  command
      ->add_option("dir", args->dir,
                   "the shards' folder (the --out of aape embed)")
      ->required();
  command->callback([args, &context] {
    auto project =
        store::Project::open(args->project, store::OpenMode::ReadWrite);
    if (!project)
      return context.fail(project.error());
    ProgressBar bar(context.err);
    workflow::ShardImportOptions options;
    options.progress = [&](const workflow::Progress &p) {
      bar.update("importing shards", p.done, p.total);
    };
    auto report =
        workflow::importEmbeddingShards(project.value(), args->dir, options);
    bar.finish();
    if (!report)
      return context.fail(report.error());
    const auto &r = report.value();
    if (!r.shardsUnfinished.empty()) {
      context.err << "warning: " << r.shardsUnfinished.size()
                  << " shards are not finished and were left out:";
      for (int k : r.shardsUnfinished)
        context.err << ' ' << k;
      context.err << " (aape cluster status " << args->dir << ")\n";
    }
    if (!r.changed.empty()) {
      context.err << "warning: " << r.changed.size()
                  << " images of the project differ from the files that were "
                     "embedded (changed since?); they "
                     "were not imported and will be encoded here:\n";
      for (std::size_t i = 0;
           i < std::min<std::size_t>(r.changed.size(),
                                     context.verbose ? r.changed.size() : 3);
           ++i)
        context.err << "    " << r.changed[i] << '\n';
      if (!context.verbose && r.changed.size() > 3)
        context.err << "    ... and " << r.changed.size() - 3
                    << " more (--verbose lists them all)\n";
    }
    if (r.viewsImported == 0)
      return context.fail(args->dir + ": none of the " +
                          std::to_string(r.rowsRead) +
                          " embeddings belongs to an image of this project "
                          "(images are matched by their "
                          "content); nothing was imported");
    context.out << "imported " << r.viewsImported << " cached views of "
                << r.imagesCovered << " images from " << r.shardsImported
                << " shards";
    if (r.rowsNotInProject > 0)
      context.out << " (" << r.rowsNotInProject
                  << " rows are of images not in the project)";
    context.out << '\n';
    if (r.imagesNotCovered > 0)
      context.out << r.imagesNotCovered
                  << " labelled images of the project are not in the shards; "
                     "training will encode them\n";
    if (!r.projectHasModel)
      context.out << "note: the project has no CLIP yet; train with the model "
                     "these shards were made with "
                     "(fingerprint "
                  << r.modelFingerprint << ") and they are used\n";
  });
}

} // namespace

void addClusterCommands(CLI::App &app, CommandContext &context) {
  addImportEmbeddings(app, context);
}

} // namespace aape::cli
