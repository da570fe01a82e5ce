#pragma once
// A project the size of Stanford Cars for the Inspect page's tests: 196 classes with long car
// names, 30 test images each (5,880; files on disk only for the first `withFiles` classes, the
// models need none) and one finished run of 200 epochs (best: 143) whose predictions are
// written through the store API with planted confusions:
//   classes 2k and 2k+1 (k < 14) are taken for each other, 14 − k images each way (0 -> 1 and
//   1 -> 0, 14 each, are the largest), classes 28.. with c % 5 == 0 lose one image to class
//   c + 1, and every class with c % 3 == 0 one more to class (c + 50) % 196; zero-shot CLIP is
//   right on images i % 3 != 0. Class 0 is the worst (15 of 30 wrong).

#include "ImageFixtures.h"
#include "TestSupport.h"

#include "aape/store/Project.h"

#include <QString>
#include <QtGlobal>

#include <filesystem>
#include <string>
#include <vector>

namespace aape::test {

struct CarsFixture {
    std::string path;
    std::int64_t runId = 0;
    std::vector<std::int64_t> classIds; // by position
    std::vector<std::string> names;
    std::vector<std::int64_t> imageIds; // class-major: image i of class c at c * kPerClass + i
    static constexpr int kClasses = 196;
    static constexpr int kPerClass = 30;

    // Misclassified images of class c and the class each goes to, in image order from i = 0.
    static std::vector<int> wrongTargets(int c)
    {
        std::vector<int> targets;
        if (c < 28)
            targets.assign(static_cast<std::size_t>(14 - c / 2), c ^ 1);
        else if (c % 5 == 0)
            targets.push_back((c + 1) % kClasses);
        if (c % 3 == 0)
            targets.push_back((c + 50) % kClasses);
        return targets;
    }
};

inline std::vector<std::string> longCarNames()
{
    const char* models[] = {"AM General Hummer SUV",
                            "Acura TL Type-S",
                            "Aston Martin V8 Vantage Convertible",
                            "Audi S4 Sedan",
                            "Audi RS 4 Convertible",
                            "BMW M3 Coupe",
                            "BMW X6 SUV",
                            "Bentley Continental Flying Spur Sedan",
                            "Bugatti Veyron 16.4 Coupe",
                            "Cadillac Escalade EXT Crew Cab",
                            "Chevrolet Express Cargo Van",
                            "Chevrolet Silverado 1500 Extended Cab",
                            "Chevrolet Corvette ZR1",
                            "Chrysler Town and Country Minivan",
                            "Dodge Ram Pickup 3500 Quad Cab",
                            "Dodge Sprinter Cargo Van",
                            "Ferrari 458 Italia Convertible",
                            "Fisker Karma Sedan",
                            "Ford F-450 Super Duty Crew Cab",
                            "Ford GT Coupe",
                            "GMC Savana Van",
                            "Honda Odyssey Minivan",
                            "Hyundai Veloster Hatchback",
                            "Hyundai Santa Fe SUV",
                            "Infiniti QX56 SUV",
                            "Jeep Grand Cherokee SUV",
                            "Lamborghini Gallardo LP 570-4 Superleggera",
                            "Land Rover Range Rover SUV",
                            "Mercedes-Benz Sprinter Van",
                            "Mercedes-Benz SL-Class Coupe",
                            "Mitsubishi Lancer Sedan",
                            "Nissan NV Passenger Van",
                            "Porsche Panamera Sedan",
                            "Rolls-Royce Phantom Drophead Coupe Convertible",
                            "Spyker C8 Convertible",
                            "Suzuki SX4 Hatchback",
                            "Tesla Model S Sedan",
                            "Toyota Sequoia SUV",
                            "Volkswagen Golf Hatchback",
                            "Volvo 240 Sedan",
                            "smart fortwo Convertible",
                            "Maybach Landaulet Convertible",
                            "McLaren MP4-12C Coupe",
                            "Eagle Talon Hatchback",
                            "Geo Metro Convertible",
                            "HUMMER H2 SUT Crew Cab",
                            "Isuzu Ascender SUV",
                            "Jaguar XK XKR",
                            "Ram C/V Cargo Van Minivan"};
    std::vector<std::string> names;
    const int count = int(sizeof(models) / sizeof(models[0]));
    for (int i = 0; names.size() < 196; ++i)
        names.push_back(std::to_string(2012 - (i / count)) + " " + models[i % count]);
    return names;
}

inline CarsFixture makeCarsProject(const TempDir& dir, int withFiles = 0)
{
    CarsFixture f;
    f.path = dir.file("cars.aapeproj");
    f.names = longCarNames();
    auto project = store::Project::create(f.path);
    if (!project)
        qFatal("%s", project.error().toString().c_str());
    for (const auto& name : f.names)
        f.classIds.push_back(project->ensureClass(name).value());
    std::vector<store::NewImage> images;
    for (int c = 0; c < CarsFixture::kClasses; ++c) {
        for (int i = 0; i < CarsFixture::kPerClass; ++i) {
            store::NewImage row;
            row.path = dir.file("cars/" + std::to_string(c) + "/" + std::to_string(i) + ".jpg");
            row.contentHash = QStringLiteral("%1").arg(c * 100 + i + 1, 16, 16, QLatin1Char('0')).toStdString();
            row.width = 640;
            row.height = 480;
            row.classId = f.classIds[static_cast<std::size_t>(c)];
            row.split = store::Split::Test;
            images.push_back(row);
            if (c < withFiles) {
                std::filesystem::create_directories(dir.file("cars/" + std::to_string(c)));
                writeBinaryFile(row.path, encodeJpeg(photoLikeImage(320, 200 + 4 * i, unsigned(c * 100 + i + 1)), 85));
            }
        }
    }
    if (!project->addImages(images))
        qFatal("addImages failed");
    for (const auto& image : project->images().value())
        f.imageIds.push_back(image.id);
    store::RunSpec spec;
    spec.name = "run 1";
    f.runId = project->createRun(spec).value();
    std::vector<store::PredictionRecord> rows;
    for (int c = 0; c < CarsFixture::kClasses; ++c) {
        const auto wrong = CarsFixture::wrongTargets(c);
        for (int i = 0; i < CarsFixture::kPerClass; ++i) {
            const auto classId = [&f](int position) { return f.classIds[static_cast<std::size_t>(position)]; };
            const bool isWrong = i < static_cast<int>(wrong.size());
            store::PredictionRecord p;
            p.imageId = f.imageIds[static_cast<std::size_t>(c * CarsFixture::kPerClass + i)];
            p.split = store::Split::Test;
            p.trueClassId = classId(c);
            p.predictedClassId = isWrong ? classId(wrong[static_cast<std::size_t>(i)]) : classId(c);
            p.zeroShotClassId = i % 3 != 0 ? classId(c) : classId((c + 1) % CarsFixture::kClasses);
            p.probability = isWrong ? 0.45 : 0.9;
            p.oodScore = i / double(CarsFixture::kPerClass);
            p.cosTemplate = 0.28;
            p.cosAape = 0.33;
            p.topK = nlohmann::json::array(
                {nlohmann::json::array({p.predictedClassId, p.probability}), nlohmann::json::array({classId(c), 0.3})});
            rows.push_back(p);
        }
    }
    if (!project->putPredictions(f.runId, rows))
        qFatal("putPredictions failed");
    for (int epoch = 0; epoch < 200; ++epoch) {
        store::EpochMetrics metrics;
        metrics.epoch = epoch;
        metrics.totalLoss = 2.0 / (1 + epoch);
        metrics.valAccuracy = epoch == 142 ? 0.95 : 0.9;
        if (!project->commitEpoch(f.runId, metrics, {{"w", {1}, {float(epoch)}}}))
            qFatal("commitEpoch failed");
    }
    int wrong = 0;
    for (int c = 0; c < CarsFixture::kClasses; ++c)
        wrong += static_cast<int>(CarsFixture::wrongTargets(c).size());
    const double accuracy = 1.0 - double(wrong) / (CarsFixture::kClasses * CarsFixture::kPerClass);
    if (!project->setRunSummary(f.runId, {{"accuracy", accuracy},
                                          {"zero_shot_accuracy", 2.0 / 3.0},
                                          {"evaluated_split", "test"},
                                          {"evaluated_epoch", 143},
                                          {"epoch_choice", "best"},
                                          {"epochs", 200}}))
        qFatal("setRunSummary failed");
    if (!project->setRunStatus(f.runId, store::RunStatus::Finished))
        qFatal("setRunStatus failed");
    return f;
}

} // namespace aape::test
