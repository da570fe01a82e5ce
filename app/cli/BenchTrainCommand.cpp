#include "cli/Commands.h"

#include "aape/aape/Trainer.h"
#include "aape/bench/Process.h"
#include "aape/bench/ProductBench.h"
#include "aape/bench/Synthetic.h"
#include "aape/util/Error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <ostream>
#include <string>

namespace aape::cli {

namespace {

struct BenchTrainOptions {
    SyntheticSpec spec;
    int epochs = 200;
    int batch = 32;
    int threads = 0;
    std::string device = "auto";
    bool literal = false;
};

void runBenchTrain(const BenchTrainOptions& options, CommandContext& context)
{
    auto spec = options.spec;
    spec.views = 10;
    const auto data = makeSyntheticTrainingData(spec);
    TrainConfig config;
    config.epochs = options.epochs;
    config.batchSize = options.batch;
    config.threads = options.threads;
    config.device = options.device;
    config.literal = options.literal;
    config.shots = spec.shots;
    int totalSteps = 0;
    TrainCallbacks callbacks;
    callbacks.onStep = [&](int, int total) { totalSteps = total; };
    const auto started = std::chrono::steady_clock::now();
    const auto result = train(data, config, callbacks);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!result.ok()) {
        context.fail(result.error());
        return;
    }
    const auto& last = result->history.back();
    nlohmann::json report{
        {"classes", spec.classes},
        {"shots", spec.shots},
        {"dim", spec.dim},
        {"descriptions", spec.descriptions},
        {"epochs", config.epochs},
        {"batch", config.batchSize},
        {"threads", config.threads},
        {"mode", config.literal ? "literal" : "fast"},
        {"seconds", seconds},
        {"steps", totalSteps},
        {"steps_per_second", seconds > 0 ? totalSteps / seconds : 0.0},
        {"peak_rss_mib", peakResidentMiB()},
        {"blas_core", blasCoreName()},
        {"final_train_accuracy", last.trainAccuracy},
        {"final_loss", last.totalLoss},
    };
    context.out << report.dump() << '\n';
}

} // namespace

void addBenchTrainSubcommand(CLI::App& bench, CommandContext& context)
{
    auto options = std::make_shared<BenchTrainOptions>();
    auto* command = bench.add_subcommand("train", "Time AAPE training on synthetic embeddings (no CLIP needed); "
                                                  "prints one JSON object.");
    command->add_option("--classes", options->spec.classes, "Number of classes")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--shots", options->spec.shots, "Training images per class")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--dim", options->spec.dim, "Embedding dimension (multiple of 16)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--descriptions", options->spec.descriptions, "Descriptions per class")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--epochs", options->epochs, "Epochs")->check(CLI::PositiveNumber)->capture_default_str();
    command->add_option("--batch", options->batch, "Batch size")->check(CLI::PositiveNumber)->capture_default_str();
    command->add_option("--threads", options->threads, "CPU threads (0: LibTorch's default)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->add_option("--device", options->device, "auto, cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    command->add_flag("--literal", options->literal,
                      "Baseline: the paper's equations as written (full attention, explicit concatenation)");
    command->callback([options, &context] { runBenchTrain(*options, context); });
}

void addBenchGemmSubcommand(CLI::App& bench, CommandContext& context)
{
    auto seconds = std::make_shared<double>(0.3);
    auto* command = bench.add_subcommand("gemm", "Time the training step's matrix products shape by shape, our kernels "
                                                 "against BLAS, on one thread; prints one JSON object.");
    command->add_option("--seconds", *seconds, "Seconds per shape and implementation")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->callback([seconds, &context] {
        using Json = nlohmann::ordered_json;
        const auto rate = [](double gflops) {
            return gflops > 0 ? Json(std::round(gflops * 10.0) / 10.0) : Json(nullptr);
        };
        Json products = Json::array();
        for (const auto& t : benchTrainingProducts(*seconds))
            products.push_back(Json{{"product", t.name},
                                    {"shape", t.shape},
                                    {"ours_gflops", rate(t.oursGflops)},
                                    {"blas_gflops", rate(t.blasGflops)}});
        context.out << Json{{"kernels", smallProductKernels()},
                            {"blas_core", blasCoreName()},
                            {"threads", 1},
                            {"products", products}}
                           .dump(2)
                    << '\n';
    });
}

} // namespace aape::cli
