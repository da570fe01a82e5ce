#include "store/ProjectSql.h"

#include <SQLiteCpp/Transaction.h>

// A run's evaluation: predictions, confusion matrix, per-class accuracy and attention.
namespace aape::store {

using namespace detail;

Status Project::putPredictions(std::int64_t runId, const std::vector<PredictionRecord>& rows)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(
            m_impl->db, "INSERT OR REPLACE INTO predictions(run_id, image_id, split, true_class_id, pred_class_id, "
                        "prob, ood_score, cos_template, cos_aape, zs_pred_class_id, topk) "
                        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const PredictionRecord& row : rows) {
            statement.bind(1, static_cast<std::int64_t>(runId));
            statement.bind(2, static_cast<std::int64_t>(row.imageId));
            statement.bind(3, splitName(row.split));
            bindOptionalId(statement, 4, row.trueClassId);
            statement.bind(5, static_cast<std::int64_t>(row.predictedClassId));
            statement.bind(6, row.probability);
            statement.bind(7, row.oodScore);
            statement.bind(8, row.cosTemplate);
            statement.bind(9, row.cosAape);
            bindOptionalId(statement, 10, row.zeroShotClassId);
            statement.bind(11, row.topK.dump());
            statement.exec();
            statement.reset();
        }
        transaction.commit();
        return {};
    });
}

Result<std::vector<PredictionRecord>> Project::predictions(std::int64_t runId, const PredictionFilter& filter) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<PredictionRecord>> {
        WhereClause where;
        where.add("run_id = ?", static_cast<std::int64_t>(runId));
        if (filter.split)
            where.add("split = ?", std::string(splitName(*filter.split)));
        if (filter.trueClassId)
            where.add("true_class_id = ?", static_cast<std::int64_t>(*filter.trueClassId));
        if (filter.misclassifiedOnly)
            where.add("true_class_id IS NOT NULL AND pred_class_id != true_class_id");
        if (filter.maxProbability)
            where.add("prob <= ?", *filter.maxProbability);
        if (filter.minOodScore)
            where.add("ood_score >= ?", *filter.minOodScore);
        if (filter.zeroShot == ZeroShotChange::Fixed)
            where.add("pred_class_id = true_class_id AND zs_pred_class_id IS NOT true_class_id");
        else if (filter.zeroShot == ZeroShotChange::Broken)
            where.add("pred_class_id != true_class_id AND zs_pred_class_id = true_class_id");
        // The views the GUI offers read best worst-first.
        std::string order = " ORDER BY image_id";
        if (filter.minOodScore)
            order = " ORDER BY ood_score DESC, image_id";
        else if (filter.maxProbability)
            order = " ORDER BY prob ASC, image_id";
        SQLite::Statement statement(m_impl->db,
                                    "SELECT image_id, split, true_class_id, pred_class_id, prob, ood_score, "
                                    "cos_template, cos_aape, zs_pred_class_id, topk FROM predictions"
                                        + where.sql() + order + pagingSql(filter.offset, filter.limit));
        where.bind(statement);
        std::vector<PredictionRecord> out;
        while (statement.executeStep()) {
            PredictionRecord row;
            row.imageId = statement.getColumn(0).getInt64();
            row.split = parseSplit(statement.getColumn(1).getString()).value_or(Split::Test);
            row.trueClassId = columnOptionalId(statement.getColumn(2));
            row.predictedClassId = statement.getColumn(3).getInt64();
            row.probability = statement.getColumn(4).getDouble();
            row.oodScore = statement.getColumn(5).getDouble();
            row.cosTemplate = statement.getColumn(6).getDouble();
            row.cosAape = statement.getColumn(7).getDouble();
            row.zeroShotClassId = columnOptionalId(statement.getColumn(8));
            row.topK = nlohmann::json::parse(statement.getColumn(9).getString());
            out.push_back(std::move(row));
        }
        return out;
    });
}

Result<std::vector<ConfusionCell>> Project::confusionMatrix(std::int64_t runId, std::optional<Split> split) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ConfusionCell>> {
        WhereClause where;
        where.add("run_id = ?", static_cast<std::int64_t>(runId));
        where.add("true_class_id IS NOT NULL");
        if (split)
            where.add("split = ?", std::string(splitName(*split)));
        SQLite::Statement statement(m_impl->db, "SELECT true_class_id, pred_class_id, COUNT(*) FROM predictions"
                                                    + where.sql()
                                                    + " GROUP BY true_class_id, pred_class_id "
                                                      "ORDER BY true_class_id, pred_class_id");
        where.bind(statement);
        std::vector<ConfusionCell> out;
        while (statement.executeStep())
            out.push_back({statement.getColumn(0).getInt64(), statement.getColumn(1).getInt64(),
                           statement.getColumn(2).getInt()});
        return out;
    });
}

Result<std::vector<ClassAccuracy>> Project::perClassAccuracy(std::int64_t runId, std::optional<Split> split) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ClassAccuracy>> {
        WhereClause where;
        where.add("run_id = ?", static_cast<std::int64_t>(runId));
        where.add("true_class_id IS NOT NULL");
        if (split)
            where.add("split = ?", std::string(splitName(*split)));
        SQLite::Statement statement(m_impl->db, "SELECT true_class_id, COUNT(*), SUM(pred_class_id = true_class_id), "
                                                "SUM(COALESCE(zs_pred_class_id = true_class_id, 0)) FROM predictions"
                                                    + where.sql() + " GROUP BY true_class_id ORDER BY true_class_id");
        where.bind(statement);
        std::vector<ClassAccuracy> out;
        while (statement.executeStep())
            out.push_back({statement.getColumn(0).getInt64(), statement.getColumn(1).getInt(),
                           statement.getColumn(2).getInt(), statement.getColumn(3).getInt()});
        return out;
    });
}

Status Project::putAttention(std::int64_t runId, const std::vector<AttentionRow>& rows)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement clear(m_impl->db, "DELETE FROM attention WHERE run_id = ? AND image_id = ? AND class_id = ?");
        SQLite::Statement insert(
            m_impl->db, "INSERT INTO attention(run_id, image_id, class_id, description_id, weight, own_weight) "
                        "VALUES(?, ?, ?, ?, ?, ?)");
        for (const AttentionRow& row : rows) {
            clear.bind(1, static_cast<std::int64_t>(runId));
            clear.bind(2, static_cast<std::int64_t>(row.imageId));
            clear.bind(3, static_cast<std::int64_t>(row.classId));
            clear.exec();
            clear.reset();
            for (const AttentionWeight& weight : row.weights) {
                insert.bind(1, static_cast<std::int64_t>(runId));
                insert.bind(2, static_cast<std::int64_t>(row.imageId));
                insert.bind(3, static_cast<std::int64_t>(row.classId));
                insert.bind(4, static_cast<std::int64_t>(weight.descriptionId));
                insert.bind(5, weight.weight);
                if (weight.ownWeight)
                    insert.bind(6, *weight.ownWeight);
                else
                    insert.bind(6);
                insert.exec();
                insert.reset();
            }
        }
        transaction.commit();
        return {};
    });
}

Result<std::vector<AttentionWeight>> Project::attention(std::int64_t runId, std::int64_t imageId,
                                                        std::int64_t classId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<AttentionWeight>> {
        SQLite::Statement statement(m_impl->db, "SELECT description_id, weight, own_weight FROM attention "
                                                "WHERE run_id = ? AND image_id = ? AND class_id = ? "
                                                "ORDER BY weight DESC, description_id");
        statement.bind(1, static_cast<std::int64_t>(runId));
        statement.bind(2, static_cast<std::int64_t>(imageId));
        statement.bind(3, static_cast<std::int64_t>(classId));
        std::vector<AttentionWeight> out;
        while (statement.executeStep()) {
            AttentionWeight weight{statement.getColumn(0).getInt64(), statement.getColumn(1).getDouble(), {}};
            if (!statement.getColumn(2).isNull())
                weight.ownWeight = statement.getColumn(2).getDouble();
            out.push_back(weight);
        }
        return out;
    });
}

} // namespace aape::store
