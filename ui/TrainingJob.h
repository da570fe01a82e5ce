#pragma once
// Worker-side code of the train page: encode, train one run per seed, resume. Runs inside a
// JobRunner job on the worker thread with its own Project connection and ClipEngine.

#include "JobRunner.h"

#include "aape/aape/Trainer.h"

#include <QString>
#include <QVariantMap>

#include <cstdint>
#include <vector>

namespace aape::ui {

// Kinds posted through JobContext::post while a training job runs.
inline const QString kPostRunBegin = QStringLiteral("run-begin");  // {seed, index, count}
inline const QString kPostEpoch = QStringLiteral("epoch");         // see epochToVariant
inline const QString kPostRunEnd = QStringLiteral("run-end");      // {runId, stopped, epochs}

struct TrainingRequest {
    QString projectPath;
    TrainConfig config;            // config.seed is replaced by each entry of seeds
    std::vector<std::uint64_t> seeds{1};
    bool baseToNew = false;
    QString name;                  // empty: "run N"; with several seeds "<name> seed S"
    QString group;                 // empty and several seeds: a group name is made up
};

// Parses "1, 2, 3" (commas or spaces). Empty on any non-number.
std::vector<std::uint64_t> parseSeeds(const QString& text);

// {runId, epoch (1-based), totalLoss, taskLoss, distillLoss, aggReward, trainAccuracy,
// valAccuracy (absent when there is no validation set), learningRate, seconds}
QVariantMap epochToVariant(std::int64_t runId, const EpochMetrics& metrics);

// Opens the engine from the project's model, encodes what is missing, trains one run per
// seed and evaluates each finished run. Stops between steps when asked.
Status runTrainingJob(JobContext& context, const TrainingRequest& request);

// Continues an interrupted run from its last committed epoch, then evaluates it.
Status runResumeJob(JobContext& context, const QString& projectPath, std::int64_t runId);

} // namespace aape::ui
