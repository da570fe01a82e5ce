// GPU checks that need nothing but LibTorch (built with -DAAPE_TENSOR_ONLY=ON against a pip
// or official CUDA LibTorch): CUDA and CPU embeddings of a CLIP checkpoint agree, and a short
// AAPE training run gives the same accuracy on both. Prints one JSON object; exit code 0
// when every check passes, 77 (skipped) without CUDA.
//   aape-gpu-check [CHECKPOINT]   (default: a random ViT-B/16 written to a temp folder)

#include "aape/aape/Trainer.h"
#include "aape/bench/Synthetic.h"
#include "aape/clip/CheckpointWriter.h"
#include "aape/clip/ClipModel.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

using namespace aape;

namespace {

double minRowCosine(const std::vector<float>& a, const std::vector<float>& b, int dim)
{
    double worst = 1.0;
    for (std::size_t row = 0; row * dim < a.size(); ++row) {
        double dot = 0, na = 0, nb = 0;
        for (int j = 0; j < dim; ++j) {
            const double x = a[row * dim + j], y = b[row * dim + j];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        worst = std::min(worst, dot / std::sqrt(na * nb));
    }
    return worst;
}

} // namespace

int main(int argc, char** argv)
{
    nlohmann::json report;
    if (!clip::cudaAvailable()) {
        std::cout << nlohmann::json{{"cuda", false}, {"skipped", "no CUDA device visible to LibTorch"}}.dump() << '\n';
        return 77;
    }
    std::string checkpoint = argc > 1 ? argv[1] : "";
    if (checkpoint.empty()) {
        checkpoint = (std::filesystem::temp_directory_path() / "aape-gpu-check-vitb16").string();
        clip::RandomClipOptions options;
        options.config = clip::clipPreset("ViT-B/16").value();
        if (auto status = clip::writeRandomHuggingFaceClip(checkpoint, options); !status) {
            std::cerr << status.error().toString() << '\n';
            return 1;
        }
    }
    clip::LoadOptions cpuOptions, cudaOptions;
    cpuOptions.device = clip::DeviceKind::Cpu;
    cudaOptions.device = clip::DeviceKind::Cuda;
    auto cpu = clip::ClipModel::load(checkpoint, cpuOptions);
    auto cuda = clip::ClipModel::load(checkpoint, cudaOptions);
    if (!cpu || !cuda) {
        std::cerr << (cpu ? cuda.error() : cpu.error()).toString() << '\n';
        return 1;
    }
    const auto& config = cpu->info().config;
    const int size = config.vision.imageSize;
    const int images = 16;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    std::vector<float> pixels(static_cast<std::size_t>(images) * 3 * size * size);
    for (auto& v : pixels)
        v = normal(rng);
    std::vector<std::vector<std::int32_t>> tokens;
    std::uniform_int_distribution<int> token(1, config.text.vocabSize - 3);
    for (int i = 0; i < 64; ++i) {
        std::vector<std::int32_t> ids{config.text.vocabSize - 2};
        for (int j = 0; j < 5 + i % 40; ++j)
            ids.push_back(token(rng));
        ids.push_back(config.text.vocabSize - 1);
        tokens.push_back(ids);
    }
    auto timeIt = [](auto&& f) {
        const auto start = std::chrono::steady_clock::now();
        auto result = f();
        return std::make_pair(std::move(result),
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    auto [cpuImages, cpuImageSeconds] = timeIt([&] { return cpu->encodeImages(pixels.data(), images); });
    (void)cuda->encodeImages(pixels.data(), 2);
    auto [cudaImages, cudaImageSeconds] = timeIt([&] { return cuda->encodeImages(pixels.data(), images); });
    auto cpuTexts = cpu->encodeTokens(tokens);
    auto cudaTexts = cuda->encodeTokens(tokens);
    if (!cpuImages || !cudaImages || !cpuTexts || !cudaTexts) {
        std::cerr << "encoding failed\n";
        return 1;
    }
    const double imageCosine = minRowCosine(cpuImages.value(), cudaImages.value(), config.embedDim);
    const double textCosine = minRowCosine(cpuTexts.value(), cudaTexts.value(), config.embedDim);
    report["cuda"] = true;
    report["device"] = cuda->deviceDescription();
    report["checkpoint"] = checkpoint;
    report["min_cosine_images_cpu_vs_cuda"] = imageCosine;
    report["min_cosine_texts_cpu_vs_cuda"] = textCosine;
    report["images_per_second_cpu"] = images / cpuImageSeconds;
    report["images_per_second_cuda"] = images / cudaImageSeconds;

    SyntheticSpec spec;
    spec.classes = 20;
    spec.dim = 64;
    spec.validationPerClass = 4;
    const TrainingData data = makeSyntheticTrainingData(spec);
    TrainConfig trainConfig;
    trainConfig.epochs = 10;
    trainConfig.augmentedViews = spec.views;
    trainConfig.device = "cpu";
    auto cpuRun = train(data, trainConfig);
    trainConfig.device = "cuda";
    auto cudaRun = train(data, trainConfig);
    if (!cpuRun || !cudaRun) {
        std::cerr << (cpuRun ? cudaRun.error() : cpuRun.error()).toString() << '\n';
        return 1;
    }
    const double cpuAccuracy = cpuRun->history.back().valAccuracy.value_or(0.0);
    const double cudaAccuracy = cudaRun->history.back().valAccuracy.value_or(0.0);
    report["train_val_accuracy_cpu"] = cpuAccuracy;
    report["train_val_accuracy_cuda"] = cudaAccuracy;
    // Throughput on the GPU: prompts (trimmed batches) and the training benchmark
    // (196 classes x 16 shots x 90 descriptions, d = 512, 200 epochs; on synthetic embeddings).
    {
        auto [texts, seconds] = timeIt([&] { return cuda->encodeTokens(tokens); });
        report["texts_per_second_cuda"] = texts ? tokens.size() / seconds : 0.0;
    }
    if (std::getenv("AAPE_GPU_SKIP_BENCH") == nullptr) {
        SyntheticSpec bench;
        bench.classes = 196;
        bench.shots = 16;
        bench.dim = 512;
        bench.descriptions = 90;
        bench.views = 2;
        const TrainingData benchData = makeSyntheticTrainingData(bench);
        TrainConfig benchConfig;
        benchConfig.device = "cuda";
        benchConfig.augmentedViews = bench.views;
        auto [run, seconds] = timeIt([&] { return train(benchData, benchConfig); });
        report["bench_train_196x16x90_d512_200_epochs_seconds_cuda"] = seconds;
        report["bench_train_steps_per_second_cuda"] = run ? 98.0 * 200.0 / seconds : 0.0;
    }
    const bool ok = imageCosine >= 0.999 && textCosine >= 0.999 && std::abs(cpuAccuracy - cudaAccuracy) <= 0.05;
    report["passed"] = ok;
    std::cout << report.dump(2) << '\n';
    return ok ? 0 : 1;
}
