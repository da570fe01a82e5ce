#include "store/ProjectSql.h"

#include <SQLiteCpp/Transaction.h>

#include <unistd.h>

// Runs, their per-epoch metrics and their checkpoints (the last and the best by validation).
namespace aape::store {

using namespace detail;

Result<std::int64_t> Project::createRun(const RunSpec& spec)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        SQLite::Statement statement(
            m_impl->db, std::string("INSERT INTO runs(name, config, status, seed, run_group, few_shot_set_id, "
                                    "model_fp, created_at) VALUES(?, ?, 'queued', ?, ?, ?, ?, ")
                            + kNow + ")");
        statement.bind(1, spec.name);
        statement.bind(2, spec.config.dump());
        statement.bind(3, static_cast<std::int64_t>(spec.seed));
        statement.bind(4, spec.group);
        bindOptionalId(statement, 5, spec.fewShotSetId);
        statement.bind(6, spec.modelFingerprint);
        statement.exec();
        return static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
    });
}

Status Project::setRunStatus(std::int64_t runId, RunStatus status, const std::string& errorMessage)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        std::string sql = "UPDATE runs SET status = ?1, error = ?2";
        if (status == RunStatus::Running)
            sql += std::string(", owner_pid = ?4, finished_at = NULL, started_at = COALESCE(started_at, ") + kNow + ")";
        else if (status != RunStatus::Queued)
            sql += std::string(", owner_pid = NULL, finished_at = ") + kNow;
        sql += " WHERE id = ?3";
        SQLite::Statement statement(m_impl->db, sql);
        statement.bind(1, runStatusName(status));
        statement.bind(2, errorMessage);
        statement.bind(3, static_cast<std::int64_t>(runId));
        if (status == RunStatus::Running)
            statement.bind(4, static_cast<std::int64_t>(::getpid()));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That run is not in the project.", m_impl->path,
                             "run " + std::to_string(runId));
        return {};
    });
}

Status Project::setRunSummary(std::int64_t runId, const nlohmann::json& summary)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE runs SET summary = ? WHERE id = ?");
        statement.bind(1, summary.dump());
        statement.bind(2, static_cast<std::int64_t>(runId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That run is not in the project.", m_impl->path,
                             "run " + std::to_string(runId));
        return {};
    });
}

namespace {

std::vector<RunRecord> queryRuns(SQLite::Database& db, const std::string& where, std::optional<std::int64_t> runId)
{
    SQLite::Statement statement(
        db, "SELECT r.id, r.name, r.config, r.status, r.seed, r.run_group, r.few_shot_set_id, r.model_fp, "
            "  r.created_at, r.started_at, r.finished_at, r.summary, r.error, r.owner_pid, "
            "  (SELECT MAX(c.epoch) FROM checkpoints c WHERE c.run_id = r.id), "
            "  (SELECT m.epoch FROM epoch_metrics m WHERE m.run_id = r.id AND m.val_acc IS NOT NULL "
            "   ORDER BY m.val_acc DESC, m.epoch DESC LIMIT 1) "
            "FROM runs r"
                + where + " ORDER BY r.id DESC");
    if (runId)
        statement.bind(1, static_cast<std::int64_t>(*runId));
    std::vector<RunRecord> out;
    while (statement.executeStep()) {
        RunRecord run;
        run.id = statement.getColumn(0).getInt64();
        run.name = statement.getColumn(1).getString();
        run.config = nlohmann::json::parse(statement.getColumn(2).getString());
        run.status = parseRunStatus(statement.getColumn(3).getString()).value_or(RunStatus::Failed);
        run.seed = static_cast<std::uint64_t>(statement.getColumn(4).getInt64());
        run.group = statement.getColumn(5).getString();
        run.fewShotSetId = columnOptionalId(statement.getColumn(6));
        run.modelFingerprint = statement.getColumn(7).getString();
        run.createdAt = columnText(statement.getColumn(8));
        run.startedAt = columnText(statement.getColumn(9));
        run.finishedAt = columnText(statement.getColumn(10));
        run.summary = nlohmann::json::parse(statement.getColumn(11).getString());
        run.errorMessage = statement.getColumn(12).getString();
        const bool ownerAlive = !statement.getColumn(13).isNull() && processAlive(statement.getColumn(13).getInt64());
        run.lastEpoch = statement.getColumn(14).isNull() ? -1 : statement.getColumn(14).getInt();
        run.bestEpoch =
            statement.getColumn(15).isNull() ? -1 : std::min(statement.getColumn(15).getInt(), run.lastEpoch);
        run.resumable = run.status == RunStatus::Interrupted || (run.status == RunStatus::Running && !ownerAlive);
        out.push_back(std::move(run));
    }
    return out;
}

} // namespace

Result<std::vector<RunRecord>> Project::runs() const
{
    return guarded(m_impl->path, "read",
                   [&]() -> Result<std::vector<RunRecord>> { return queryRuns(m_impl->db, {}, std::nullopt); });
}

Result<std::optional<RunRecord>> Project::run(std::int64_t runId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<RunRecord>> {
        auto found = queryRuns(m_impl->db, " WHERE r.id = ?", runId);
        if (found.empty())
            return std::optional<RunRecord>();
        return std::optional<RunRecord>(std::move(found.front()));
    });
}

Status Project::renameRun(std::int64_t runId, const std::string& name)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE runs SET name = ? WHERE id = ?");
        statement.bind(1, name);
        statement.bind(2, static_cast<std::int64_t>(runId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That run is not in the project.", m_impl->path,
                             "run " + std::to_string(runId));
        return {};
    });
}

Status Project::removeRun(std::int64_t runId)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "DELETE FROM runs WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(runId));
        statement.exec();
        return {};
    });
}

Status Project::commitEpoch(std::int64_t runId, const EpochMetrics& metrics, const std::vector<NamedTensor>& checkpoint)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement insertMetrics(
            m_impl->db, "INSERT OR REPLACE INTO epoch_metrics(run_id, epoch, total_loss, task_loss, distill_loss, "
                        "agg_reward, train_acc, val_acc, lr, seconds, extra) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertMetrics.bind(1, static_cast<std::int64_t>(runId));
        insertMetrics.bind(2, metrics.epoch);
        insertMetrics.bind(3, metrics.totalLoss);
        insertMetrics.bind(4, metrics.taskLoss);
        insertMetrics.bind(5, metrics.distillLoss);
        insertMetrics.bind(6, metrics.aggReward);
        insertMetrics.bind(7, metrics.trainAccuracy);
        if (metrics.valAccuracy)
            insertMetrics.bind(8, *metrics.valAccuracy);
        else
            insertMetrics.bind(8);
        insertMetrics.bind(9, metrics.learningRate);
        insertMetrics.bind(10, metrics.seconds);
        insertMetrics.bind(11, "{}");
        insertMetrics.exec();

        // Encoded after the metrics row on purpose: a bad tensor must roll the metrics back.
        auto blob = encodeTensors(checkpoint);
        if (!blob.ok()) {
            Error error = blob.error();
            error.file = m_impl->path;
            return error;
        }
        SQLite::Statement insertCheckpoint(m_impl->db,
                                           std::string("INSERT OR REPLACE INTO checkpoints(run_id, epoch, data, "
                                                       "created_at) VALUES(?, ?, ?, ")
                                               + kNow + ")");
        insertCheckpoint.bind(1, static_cast<std::int64_t>(runId));
        insertCheckpoint.bind(2, metrics.epoch);
        insertCheckpoint.bind(3, blob->data(), static_cast<int>(blob->size()));
        insertCheckpoint.exec();
        // Resuming needs only the newest checkpoint and evaluation the best by validation
        // accuracy (the latest of equals); others would grow the file by megabytes per epoch.
        SQLite::Statement prune(m_impl->db,
                                "DELETE FROM checkpoints WHERE run_id = ?1 AND epoch < ?2 AND epoch IS NOT "
                                "(SELECT m.epoch FROM epoch_metrics m WHERE m.run_id = ?1 AND m.val_acc IS NOT NULL "
                                " AND m.epoch <= ?2 ORDER BY m.val_acc DESC, m.epoch DESC LIMIT 1)");
        prune.bind(1, static_cast<std::int64_t>(runId));
        prune.bind(2, metrics.epoch);
        prune.exec();
        transaction.commit();
        return {};
    });
}

Result<std::vector<EpochMetrics>> Project::epochMetrics(std::int64_t runId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<EpochMetrics>> {
        SQLite::Statement statement(
            m_impl->db, "SELECT epoch, total_loss, task_loss, distill_loss, agg_reward, train_acc, val_acc, "
                        "lr, seconds FROM epoch_metrics WHERE run_id = ? ORDER BY epoch");
        statement.bind(1, static_cast<std::int64_t>(runId));
        std::vector<EpochMetrics> out;
        while (statement.executeStep()) {
            EpochMetrics metrics;
            metrics.epoch = statement.getColumn(0).getInt();
            metrics.totalLoss = statement.getColumn(1).getDouble();
            metrics.taskLoss = statement.getColumn(2).getDouble();
            metrics.distillLoss = statement.getColumn(3).getDouble();
            metrics.aggReward = statement.getColumn(4).getDouble();
            metrics.trainAccuracy = statement.getColumn(5).getDouble();
            if (!statement.getColumn(6).isNull())
                metrics.valAccuracy = statement.getColumn(6).getDouble();
            metrics.learningRate = statement.getColumn(7).getDouble();
            metrics.seconds = statement.getColumn(8).getDouble();
            out.push_back(std::move(metrics));
        }
        return out;
    });
}

namespace {

std::optional<Checkpoint> readCheckpoint(SQLite::Statement& statement, std::int64_t runId, const std::string& path)
{
    if (!statement.executeStep())
        return std::nullopt;
    const SQLite::Column data = statement.getColumn(1);
    std::string blob(static_cast<const char*>(data.getBlob()), static_cast<std::size_t>(data.getBytes()));
    auto tensors = decodeTensors(blob);
    if (!tensors.ok()) {
        Error error = tensors.error();
        error.file = path;
        throw CheckpointError{std::move(error)};
    }
    Checkpoint checkpoint;
    checkpoint.runId = runId;
    checkpoint.epoch = statement.getColumn(0).getInt();
    checkpoint.tensors = std::move(tensors).value();
    return checkpoint;
}

} // namespace

Result<std::optional<Checkpoint>> Project::latestCheckpoint(std::int64_t runId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<Checkpoint>> {
        SQLite::Statement statement(m_impl->db,
                                    "SELECT epoch, data FROM checkpoints WHERE run_id = ? ORDER BY epoch DESC LIMIT 1");
        statement.bind(1, static_cast<std::int64_t>(runId));
        return readCheckpoint(statement, runId, m_impl->path);
    });
}

Result<std::optional<Checkpoint>> Project::checkpointAt(std::int64_t runId, int epoch) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<Checkpoint>> {
        SQLite::Statement statement(m_impl->db, "SELECT epoch, data FROM checkpoints WHERE run_id = ? AND epoch = ?");
        statement.bind(1, static_cast<std::int64_t>(runId));
        statement.bind(2, epoch);
        return readCheckpoint(statement, runId, m_impl->path);
    });
}

} // namespace aape::store
