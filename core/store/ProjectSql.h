#pragma once
// What the files of Project share (Project.cpp, ProjectDataset.cpp, ProjectEmbeddings.cpp,
// ProjectRuns.cpp, ProjectResults.cpp): the connection behind Project, SQL helpers and the
// conversion of what SQLite throws into Errors. Private to core/store.

#include "aape/store/Project.h"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace aape::store {

struct Project::Impl {
    Impl(std::string filePath, OpenMode openMode, SQLite::Database database)
        : path(std::move(filePath))
        , mode(openMode)
        , db(std::move(database))
    {}
    std::string path;
    OpenMode mode;
    SQLite::Database db;
    int version = 0;
};

namespace detail {

constexpr int kBusyTimeoutMs = 5000;
// Every write transaction starts IMMEDIATE: it takes the write lock at BEGIN, waiting up to
// kBusyTimeoutMs for another writer. A deferred one that has read first cannot wait when it
// later needs the lock (SQLite answers SQLITE_BUSY at once to avoid a deadlock).
constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// SQLite's error as the user's sentence, naming the project file; the exception text goes to detail.
Error sqliteError(const SQLite::Exception& e, const std::string& path, const std::string& action);

// A stored checkpoint that does not decode, carried out of a helper to guarded().
struct CheckpointError {
    Error error;
};

// Runs body and converts what SQLite, JSON and the standard library throw into an Error.
template <typename Body>
auto guarded(const std::string& path, const std::string& action, Body&& body) -> decltype(body())
{
    try {
        return body();
    } catch (const CheckpointError& e) {
        return e.error;
    } catch (const SQLite::Exception& e) {
        return sqliteError(e, path, action);
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::BadFormat, "The project holds data this version cannot read.", path,
                         action + ": " + e.what());
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Internal, "An unexpected error occurred while the project was " + action + ".",
                         path, e.what());
    }
}

// Foreign keys always; WAL and FULL sync for a writable connection.
void configureConnection(SQLite::Database& db, bool writable);
int pragmaInt(SQLite::Database& db, const char* pragma);
std::string columnText(const SQLite::Column& column);
std::optional<std::int64_t> columnOptionalId(const SQLite::Column& column);
void bindOptionalId(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& id);
// Raw little-endian float32, as embeddings and checkpoints are stored.
std::string floatsToBlob(const std::vector<float>& values);

// WHERE clauses built from optional filters, with their bound values in order.
class WhereClause final {
public:
    using Value = std::variant<std::int64_t, double, std::string>;

    void add(std::string condition) { m_conditions.push_back(std::move(condition)); }
    void add(std::string condition, Value value)
    {
        m_conditions.push_back(std::move(condition));
        m_values.push_back(std::move(value));
    }
    std::string sql() const
    {
        std::string out;
        for (std::size_t i = 0; i < m_conditions.size(); ++i)
            out += (i == 0 ? " WHERE " : " AND ") + m_conditions[i];
        return out;
    }
    void bind(SQLite::Statement& statement, int firstIndex = 1) const
    {
        int index = firstIndex;
        for (const Value& value : m_values) {
            if (const auto* integer = std::get_if<std::int64_t>(&value))
                statement.bind(index++, *integer);
            else if (const auto* real = std::get_if<double>(&value))
                statement.bind(index++, *real);
            else
                statement.bind(index++, std::get<std::string>(value));
        }
    }

private:
    std::vector<std::string> m_conditions;
    std::vector<Value> m_values;
};

std::string pagingSql(int offset, int limit);
WhereClause imageWhere(const ImageFilter& filter);
// Whether the process that marked a run as running still exists.
bool processAlive(std::int64_t pid);
void requireValues(const std::vector<float>& values, const std::string& what);

} // namespace detail

} // namespace aape::store
