#include "store/FloatBlob.h"
#include "store/ProjectSql.h"

#include <SQLiteCpp/Transaction.h>

// The embedding cache: image views and texts by model fingerprint, stored as raw float32.
namespace aape::store {

using namespace detail;

Status Project::putImageEmbeddings(const std::string& modelFingerprint, const std::vector<ImageEmbedding>& rows)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(m_impl->db,
                                    "INSERT OR REPLACE INTO image_embeddings(model_fp, image_hash, view, dim, data) "
                                    "VALUES(?, ?, ?, ?, ?)");
        for (const ImageEmbedding& row : rows) {
            requireValues(row.values, "image embedding " + row.imageHash);
            const std::string blob = floatsToBlob(row.values);
            statement.bind(1, modelFingerprint);
            statement.bind(2, row.imageHash);
            statement.bind(3, row.view);
            statement.bind(4, static_cast<int>(row.values.size()));
            statement.bind(5, blob.data(), static_cast<int>(blob.size()));
            statement.exec();
            statement.reset();
        }
        transaction.commit();
        return {};
    });
}

namespace {

// Fills batch row by row from a one-row lookup statement whose key parameters are bound by bindKey.
template <typename BindKey>
void lookupEmbeddings(SQLite::Statement& statement, std::size_t count, BindKey&& bindKey, EmbeddingBatch& batch)
{
    for (std::size_t row = 0; row < count; ++row) {
        bindKey(row);
        if (!statement.executeStep()) {
            batch.missing.push_back(row);
            statement.reset();
            continue;
        }
        const int dim = statement.getColumn(0).getInt();
        const SQLite::Column data = statement.getColumn(1);
        if (batch.dim == 0) {
            batch.dim = dim;
            batch.values.assign(count * static_cast<std::size_t>(dim), 0.0f);
        }
        if (dim != batch.dim || data.getBytes() != dim * static_cast<int>(sizeof(float)))
            throw std::runtime_error("embedding cache rows of different dimensions for one model");
        detail::readFloatsLe(data.getBlob(), static_cast<std::size_t>(dim), batch.values.data() + row * dim);
        statement.reset();
    }
    if (batch.dim == 0)
        batch.values.clear();
}

} // namespace

Result<EmbeddingBatch> Project::imageEmbeddings(const std::string& modelFingerprint,
                                                const std::vector<std::string>& imageHashes, int view) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<EmbeddingBatch> {
        SQLite::Statement statement(m_impl->db, "SELECT dim, data FROM image_embeddings "
                                                "WHERE model_fp = ? AND image_hash = ? AND view = ?");
        EmbeddingBatch batch;
        lookupEmbeddings(
            statement, imageHashes.size(),
            [&](std::size_t row) {
                statement.bind(1, modelFingerprint);
                statement.bind(2, imageHashes[row]);
                statement.bind(3, view);
            },
            batch);
        return batch;
    });
}

Result<int> Project::cachedViewCount(const std::string& modelFingerprint, const std::string& imageHash) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<int> {
        SQLite::Statement statement(m_impl->db,
                                    "SELECT COUNT(*) FROM image_embeddings WHERE model_fp = ? AND image_hash = ?");
        statement.bind(1, modelFingerprint);
        statement.bind(2, imageHash);
        statement.executeStep();
        return statement.getColumn(0).getInt();
    });
}

Result<bool> Project::hasImageEmbeddings(const std::string& modelFingerprint) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<bool> {
        SQLite::Statement statement(m_impl->db, "SELECT 1 FROM image_embeddings WHERE model_fp = ? LIMIT 1");
        statement.bind(1, modelFingerprint);
        return statement.executeStep();
    });
}

Status Project::putTextEmbeddings(const std::string& modelFingerprint, const std::vector<TextEmbedding>& rows)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(m_impl->db, "INSERT OR REPLACE INTO text_embeddings(model_fp, text, dim, data) "
                                                "VALUES(?, ?, ?, ?)");
        for (const TextEmbedding& row : rows) {
            requireValues(row.values, "text embedding");
            const std::string blob = floatsToBlob(row.values);
            statement.bind(1, modelFingerprint);
            statement.bind(2, row.text);
            statement.bind(3, static_cast<int>(row.values.size()));
            statement.bind(4, blob.data(), static_cast<int>(blob.size()));
            statement.exec();
            statement.reset();
        }
        transaction.commit();
        return {};
    });
}

Result<EmbeddingBatch> Project::textEmbeddings(const std::string& modelFingerprint,
                                               const std::vector<std::string>& texts) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<EmbeddingBatch> {
        SQLite::Statement statement(m_impl->db,
                                    "SELECT dim, data FROM text_embeddings WHERE model_fp = ? AND text = ?");
        EmbeddingBatch batch;
        lookupEmbeddings(
            statement, texts.size(),
            [&](std::size_t row) {
                statement.bind(1, modelFingerprint);
                statement.bind(2, texts[row]);
            },
            batch);
        return batch;
    });
}

Status Project::clearEmbeddingCache(const std::string& modelFingerprint)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        for (const char* table : {"image_embeddings", "text_embeddings"}) {
            SQLite::Statement statement(m_impl->db, std::string("DELETE FROM ") + table + " WHERE model_fp = ?");
            statement.bind(1, modelFingerprint);
            statement.exec();
        }
        transaction.commit();
        return {};
    });
}

} // namespace aape::store
