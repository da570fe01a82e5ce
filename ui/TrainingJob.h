#pragma once
// Worker-side code of the train page: the core's training flow (workflow::trainSeeds: encode,
// one run per seed, evaluate) and resume, inside a JobRunner job on the worker thread with its
// own Project connection and ClipEngine. What it posts is typed (see the reports below).

#include "JobRunner.h"

#include "aape/aape/EpochMetrics.h"
#include "aape/aape/Trainer.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace aape::clip {
class ClipEngine;
} // namespace aape::clip

namespace aape::store {
class Project;
} // namespace aape::store

namespace aape::ui {

// Kinds posted through JobContext::post while a training job runs, with their payloads.
inline const QString kPostRunBegin = QStringLiteral("run-begin"); // RunBeginReport
inline const QString kPostRunStart = QStringLiteral("run-start"); // RunStartReport
inline const QString kPostEpoch = QStringLiteral("epoch");        // EpochReport
inline const QString kPostRunEnd = QStringLiteral("run-end");     // RunEndReport

struct RunBeginReport {
    quint64 seed = 0;
    int index = 0; // of count runs in this job
    int count = 1;
    qint64 runId = 0; // known before the run starts only when resuming
};

// A run about to train: what on, and how zero-shot CLIP does on its validation images.
struct RunStartReport {
    qint64 runId = 0;
    int classes = 0;
    int images = 0;
    int validationImages = 0;
    bool hasZeroShot = false;
    double zeroShotValAccuracy = 0.0;
    int firstEpoch = 0; // 0-based; above 0 when resuming
    int epochs = 0;
};

struct EpochReport {
    qint64 runId = 0;
    EpochMetrics metrics; // metrics.epoch is 0-based
    int epochs = 0;       // the run's planned epochs
};

struct RunEndReport {
    qint64 runId = 0;
    bool stopped = false;
    int epochsCompleted = 0;
    QString warning; // the run ended below zero-shot CLIP on validation: what to try
    bool evaluated = false;
    double accuracy = 0.0;         // of the evaluated epoch, on the evaluated split
    QString split;                 // "test", or "val" when the project has no test images
    double zeroShotAccuracy = 0.0; // on the same images
    int evaluatedEpoch = 0;        // 0-based
    bool bestEpoch = false;        // the evaluated epoch is the best by validation (else the last)
};

struct TrainingRequest {
    QString projectPath;
    TrainConfig config;                         // config.seed is replaced by each entry of seeds
    QString precision = QStringLiteral("auto"); // of the CLIP towers while encoding: auto, fp32, bf16, int8, fp16
    std::vector<std::uint64_t> seeds{1};
    bool baseToNew = false;
    bool keepLastEpoch = false; // evaluate and export the last epoch instead of the best
    QString name;               // empty: "run N"; with several seeds "<name> seed S"
    QString group;              // empty and several seeds: the core makes one up
};

// Parses "1, 2, 3" (commas or spaces). Empty on any non-number.
std::vector<std::uint64_t> parseSeeds(const QString& text);

// "about 40 min", "45 s", "2.5 h": a duration as an estimate shows it.
QString roughDuration(double seconds);

// What the user reads for a workflow stage ("images": "Encoding images", ...).
QString jobStageLabel(const std::string& stage);

// The project's CLIP model on `device` ("auto", "cpu", "cuda") in `precision`; automatic keeps
// the precision the project's embeddings are cached in. `precisionNote` says why, for the log.
Result<clip::ClipEngine> openJobEngine(store::Project& project, const std::string& device, const std::string& precision,
                                       std::string& precisionNote);

// The CLIP model at `modelPath` in the precision a project's embedding cache holds
// (`precisionText`, e.g. "bf16"), so that what it encodes matches the cached rows: on the CPU,
// or on the GPU for fp16, which exists only there. For a few texts or images at a time.
Result<clip::ClipEngine> openEngineForCache(const std::string& modelPath, const std::string& precisionText);

// Opens the engine from the project's model, encodes what is missing, trains one run per
// seed and evaluates each finished run. Stops between steps when asked.
Status runTrainingJob(JobContext& context, const TrainingRequest& request);

// Continues an interrupted run from its last committed epoch, then evaluates it.
Status runResumeJob(JobContext& context, const QString& projectPath, std::int64_t runId);

} // namespace aape::ui

Q_DECLARE_METATYPE(aape::ui::RunBeginReport)
Q_DECLARE_METATYPE(aape::ui::RunStartReport)
Q_DECLARE_METATYPE(aape::ui::EpochReport)
Q_DECLARE_METATYPE(aape::ui::RunEndReport)
