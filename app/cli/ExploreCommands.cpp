#include "cli/Commands.h"
#include "cli/Progress.h"

#include "aape/data/ContentHash.h"
#include "aape/explore/LabelQuality.h"
#include "aape/explore/Similarity.h"
#include "aape/workflow/RunJudge.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <optional>
#include <ostream>

// The explore commands: similar, duplicates, mistakes, suggest. Each works on the cached
// canonical views and first encodes the images that have none yet (unlabelled ones included).
namespace aape::cli {

namespace {

struct ExploreArgs {
    std::string project, model, vocab, device = "auto";
    int threads = 0;
    bool json = false;
};

void addExploreOptions(CLI::App* command, ExploreArgs& args)
{
    command->add_option("project", args.project, "project file")->required();
    command->add_option("--model", args.model,
                        "CLIP checkpoint for images not encoded yet and for queries (default: the project's)");
    command->add_option("--vocab", args.vocab, "tokenizer vocabulary if not beside the model");
    command->add_option("--device", args.device, "auto, cpu or cuda")->capture_default_str();
    command->add_option("--threads", args.threads, "CPU threads (0: LibTorch's default)");
    command->add_flag("--json", args.json, "print a JSON array instead of a table");
}

// The project's CLIP, opened once on first need.
class LazyEngine final {
public:
    LazyEngine(store::Project& project, const ExploreArgs& args)
        : m_project(project)
        , m_args(args)
    {}
    Result<const clip::ClipEngine*> get()
    {
        if (!m_engine) {
            auto engine = openProjectEngine(m_project, m_args.model, m_args.vocab, m_args.device, m_args.threads);
            if (!engine)
                return engine.error();
            m_engine.emplace(std::move(engine.value()));
        }
        return &*m_engine;
    }

private:
    store::Project& m_project;
    const ExploreArgs& m_args;
    std::optional<clip::ClipEngine> m_engine;
};

// The collection, after encoding the canonical views still missing. When the CLIP cannot be
// opened, the images already encoded are used and the others named in a warning.
Result<explore::EmbeddedCollection> prepareCollection(store::Project& project, LazyEngine& engine,
                                                      CommandContext& context)
{
    auto missing = explore::countImagesWithoutCanonicalView(project);
    if (!missing)
        return missing.error();
    if (missing.value() > 0) {
        auto opened = engine.get();
        if (!opened) {
            auto partial = explore::loadCollection(project);
            if (!partial)
                return opened.error();
            context.err << "aape: warning: " << missing.value()
                        << " images are not encoded and are left out: " << opened.error().toString() << '\n';
            return partial;
        }
        ProgressBar bar(context.err);
        auto report = explore::encodeCanonicalViews(project, *opened.value(), [&](std::size_t done, std::size_t total) {
            bar.update("encoding images", done, total);
        });
        bar.finish();
        if (!report)
            return report.error();
        context.err << "encoded " << report->encoded << " images that were not cached yet\n";
        for (const auto& line : report->unreadable)
            context.err << "  could not read " << line << '\n';
    }
    return explore::loadCollection(project);
}

std::string dump(const nlohmann::json& value)
{
    return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string splitOf(const store::ImageRecord& image)
{
    return store::splitName(image.split);
}

std::string labelText(const explore::EmbeddedCollection& collection, const store::ImageRecord& image)
{
    return image.classId ? collection.className(image.classId) : "(unlabelled)";
}

Result<std::string> fileHash(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::FileNotFound, "The image could not be opened; check the path.", path);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return data::hashToHex(data::contentHash64(bytes.data(), bytes.size()));
}

void addSimilarCommand(CLI::App& app, CommandContext& context)
{
    struct Args : ExploreArgs {
        std::string image, text;
        int k = 10;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "similar", "List the project's images most similar to an image (in the project or not) or to a phrase, by "
                   "cosine of their CLIP embeddings, best first.");
    addExploreOptions(command, *args);
    auto* image = command->add_option("--image", args->image,
                                      "the image to compare with (embedded now if it is not "
                                      "in the project)");
    auto* text = command->add_option("--text", args->text, "a phrase to search for, e.g. \"a harbour with boats\"");
    image->excludes(text);
    command->add_option("--k", args->k, "how many images to list")->capture_default_str();
    command->callback([args, image, text, &context] {
        if (image->count() == 0 && text->count() == 0)
            return context.fail(
                makeError(ErrorCode::InvalidArgument, "say what to compare with: --image FILE or --text \"a phrase\""));
        auto project = store::Project::open(args->project);
        if (!project)
            return context.fail(project.error());
        LazyEngine engine(project.value(), *args);
        auto collection = prepareCollection(project.value(), engine, context);
        if (!collection)
            return context.fail(collection.error());
        std::vector<float> query;
        std::optional<std::size_t> self;
        if (!args->image.empty()) {
            const std::string path =
                std::filesystem::absolute(std::filesystem::path(args->image)).lexically_normal().string();
            std::ptrdiff_t index = collection->indexOfPath(path);
            if (index < 0) {
                if (auto hash = fileHash(path))
                    index = collection->indexOfHash(hash.value());
                else
                    return context.fail(hash.error());
            }
            if (index >= 0) {
                self = static_cast<std::size_t>(index);
                const float* row = collection->row(*self);
                query.assign(row, row + collection->dim);
            } else {
                auto opened = engine.get();
                if (!opened)
                    return context.fail(opened.error());
                auto embedded = explore::embedImageFile(*opened.value(), path);
                if (!embedded)
                    return context.fail(embedded.error());
                query = std::move(embedded.value());
            }
        } else {
            auto opened = engine.get();
            if (!opened)
                return context.fail(opened.error());
            auto embedded = explore::embedText(*opened.value(), args->text);
            if (!embedded)
                return context.fail(embedded.error());
            query = std::move(embedded.value());
        }
        if (query.size() != static_cast<std::size_t>(collection->dim))
            return context.fail(makeError(ErrorCode::ShapeMismatch,
                                          "The query's embedding does not match the project's CLIP; leave out --model "
                                          "to use the project's own",
                                          args->project));
        const auto neighbours = explore::nearestImages(collection.value(), query, args->k, self);
        if (args->json) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& n : neighbours) {
                const auto& record = collection->images[n.index];
                rows.push_back({{"path", record.path},
                                {"cosine", n.cosine},
                                {"label", record.classId ? nlohmann::json(collection->className(record.classId))
                                                         : nlohmann::json()},
                                {"split", splitOf(record)}});
            }
            context.out << dump(rows) << '\n';
            return;
        }
        context.out << "cosine  label                 split  path\n";
        for (const auto& n : neighbours) {
            const auto& record = collection->images[n.index];
            context.out << std::fixed << std::setprecision(4) << n.cosine << "  " << std::left << std::setw(20)
                        << labelText(collection.value(), record) << "  " << std::setw(5) << splitOf(record)
                        << std::right << "  " << record.path << '\n';
        }
    });
}

void addDuplicatesCommand(CLI::App& app, CommandContext& context)
{
    struct Args : ExploreArgs {
        float threshold = explore::kDefaultDuplicateThreshold;
        bool excludeCopies = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "duplicates", "List pairs of near-identical images (cosine of their CLIP embeddings at or above the "
                      "threshold), most similar first, and flag pairs whose images lie in different splits: a test "
                      "image with a copy in training inflates the test accuracy.");
    addExploreOptions(command, *args);
    command->add_option("--threshold", args->threshold, "smallest cosine that counts as a near-duplicate")
        ->check(CLI::Range(-1.0f, 1.0f))
        ->capture_default_str();
    command->add_flag("--exclude-cross-split", args->excludeCopies,
                      "exclude the validation or test side of every pair that crosses splits (the training copy "
                      "stays)");
    command->callback([args, &context] {
        auto project = store::Project::open(args->project);
        if (!project)
            return context.fail(project.error());
        LazyEngine engine(project.value(), *args);
        auto collection = prepareCollection(project.value(), engine, context);
        if (!collection)
            return context.fail(collection.error());
        ProgressBar bar(context.err);
        auto pairs =
            explore::findNearDuplicates(collection.value(), args->threshold, [&](std::size_t done, std::size_t total) {
                bar.update("comparing images", done, total);
            });
        bar.finish();
        if (!pairs)
            return context.fail(pairs.error());
        int crossing = 0;
        for (const auto& pair : pairs.value())
            crossing += pair.crossesSplit;
        if (args->json) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& pair : pairs.value()) {
                const auto& a = collection->images[pair.first];
                const auto& b = collection->images[pair.second];
                rows.push_back({{"first", a.path},
                                {"second", b.path},
                                {"cosine", pair.cosine},
                                {"first_split", splitOf(a)},
                                {"second_split", splitOf(b)},
                                {"cross_split", pair.crossesSplit}});
            }
            context.out << dump(rows) << '\n';
        } else {
            for (const auto& pair : pairs.value()) {
                const auto& a = collection->images[pair.first];
                const auto& b = collection->images[pair.second];
                context.out << std::fixed << std::setprecision(4) << pair.cosine << "  " << splitOf(a) << '/'
                            << splitOf(b) << (pair.crossesSplit ? "  CROSSES SPLITS" : "") << "\n    " << a.path
                            << "\n    " << b.path << '\n';
            }
            context.out << pairs->size() << " near-duplicate pairs among " << collection->size() << " images, "
                        << crossing << " across splits\n";
            if (crossing > 0 && !args->excludeCopies)
                context.out << "to exclude their validation and test sides: aape duplicates " << args->project
                            << " --exclude-cross-split\n";
        }
        if (args->excludeCopies) {
            int excluded = 0;
            for (const auto& pair : pairs.value()) {
                if (!pair.crossesSplit)
                    continue;
                const auto& drop = collection->images[explore::copyToExclude(collection.value(), pair)];
                if (auto status = project->setImageExcluded(drop.id, true); !status)
                    return context.fail(status.error());
                ++excluded;
            }
            context.err << "excluded " << excluded << " images\n";
        }
    });
}

void addMistakesCommand(CLI::App& app, CommandContext& context)
{
    struct Args : ExploreArgs {
        int folds = 5;
        std::uint64_t seed = 1;
        int top = 20;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "mistakes", "Rank the labelled images by how little a model that never saw them believes their label "
                    "(k-fold on the cached CLIP embeddings): the likely labelling mistakes come first.");
    addExploreOptions(command, *args);
    command->add_option("--folds", args->folds, "folds of the cross-validation")
        ->check(CLI::Range(2, 50))
        ->capture_default_str();
    command->add_option("--seed", args->seed, "seed of the fold assignment")->capture_default_str();
    command->add_option("--top", args->top, "how many images to list (0: all)")->capture_default_str();
    command->callback([args, &context] {
        auto project = store::Project::open(args->project);
        if (!project)
            return context.fail(project.error());
        LazyEngine engine(project.value(), *args);
        auto collection = prepareCollection(project.value(), engine, context);
        if (!collection)
            return context.fail(collection.error());
        explore::LabelReviewOptions options;
        options.folds = args->folds;
        options.seed = args->seed;
        auto ranked = explore::rankLabelMistakes(collection.value(), options);
        if (!ranked)
            return context.fail(ranked.error());
        const std::size_t shown =
            args->top > 0 ? std::min(ranked->size(), static_cast<std::size_t>(args->top)) : ranked->size();
        if (args->json) {
            nlohmann::json rows = nlohmann::json::array();
            for (std::size_t i = 0; i < shown; ++i) {
                const auto& m = ranked.value()[i];
                rows.push_back({{"path", collection->images[m.index].path},
                                {"label", collection->className(m.givenClassId)},
                                {"label_probability", m.givenProbability},
                                {"suggested", collection->className(m.suggestedClassId)},
                                {"suggested_probability", m.suggestedProbability},
                                {"likely_error", m.likelyError}});
            }
            context.out << dump(rows) << '\n';
            return;
        }
        context.out << "p(label)  label                 suggested             p(sugg.)  path\n";
        int likely = 0;
        for (const auto& m : ranked.value())
            likely += m.likelyError;
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& m = ranked.value()[i];
            context.out << std::fixed << std::setprecision(3) << std::setw(8) << m.givenProbability << "  " << std::left
                        << std::setw(20) << collection->className(m.givenClassId) << "  " << std::setw(20)
                        << collection->className(m.suggestedClassId) << std::right << "  " << std::setw(8)
                        << m.suggestedProbability << "  " << collection->images[m.index].path
                        << (m.likelyError ? "  (likely mistake)" : "") << '\n';
        }
        context.out << ranked->size() << " labelled images judged, " << likely
                    << " likely mistakes (the suggested class is as probable as for that class's own images)\n";
    });
}

void addSuggestCommand(CLI::App& app, CommandContext& context)
{
    struct Args : ExploreArgs {
        int k = 20;
        bool embeddingModel = false;
    };
    auto args = std::make_shared<Args>();
    CLI::App* command = app.add_subcommand(
        "suggest", "Suggest which unlabelled images to label next: those the newest trained run is least sure of, "
                   "spread over the collection (greedy uncertainty-weighted k-centre on the CLIP embeddings), in "
                   "the order chosen.");
    addExploreOptions(command, *args);
    command->add_option("--k", args->k, "how many images to suggest")->capture_default_str();
    command->add_flag("--embedding-model", args->embeddingModel,
                      "judge uncertainty with a linear model fitted on the labelled embeddings instead of the newest "
                      "run (the default when the project has no finished run)");
    command->callback([args, &context] {
        auto project = store::Project::open(args->project);
        if (!project)
            return context.fail(project.error());
        LazyEngine engine(project.value(), *args);
        auto collection = prepareCollection(project.value(), engine, context);
        if (!collection)
            return context.fail(collection.error());
        explore::SuggestOptions options;
        options.count = args->k;
        if (!args->embeddingModel) {
            auto judge = workflow::judgeByNewestRun(project.value(), collection.value(), options);
            if (!judge)
                return context.fail(judge.error());
            if (judge.value())
                context.err << "uncertainty of run " << judge.value()->runId << " (" << judge.value()->runName
                            << "), the newest finished run\n";
            else
                context.err << "no finished run yet: uncertainty of a linear model fitted on the labelled embeddings\n";
        }
        auto report = explore::suggestImagesToLabel(collection.value(), options);
        if (!report)
            return context.fail(report.error());
        if (args->json) {
            nlohmann::json rows = nlohmann::json::array();
            for (const auto& s : report->suggestions)
                rows.push_back({{"path", collection->images[s.index].path},
                                {"predicted", collection->className(s.predictedClassId)},
                                {"probability", s.probability},
                                {"uncertainty", s.uncertainty},
                                {"distance", s.distance},
                                {"score", s.score}});
            context.out << dump(rows) << '\n';
            return;
        }
        context.out << "uncert.  distance  guess                 p(guess)  path\n";
        for (const auto& s : report->suggestions)
            context.out << std::fixed << std::setprecision(3) << std::setw(7) << s.uncertainty << "  " << std::setw(8)
                        << s.distance << "  " << std::left << std::setw(20) << collection->className(s.predictedClassId)
                        << std::right << "  " << std::setw(8) << s.probability << "  "
                        << collection->images[s.index].path << '\n';
        context.out << report->suggestions.size() << " of " << report->unlabelled << " unlabelled images suggested\n";
    });
}

} // namespace

void addExploreCommands(CLI::App& app, CommandContext& context)
{
    addSimilarCommand(app, context);
    addDuplicatesCommand(app, context);
    addMistakesCommand(app, context);
    addSuggestCommand(app, context);
}

} // namespace aape::cli
