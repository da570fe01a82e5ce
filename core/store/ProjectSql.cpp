#include "store/ProjectSql.h"

#include "store/FloatBlob.h"

#include <sqlite3.h>

#include <cerrno>
#include <signal.h>
#include <unistd.h>

namespace aape::store::detail {

Error sqliteError(const SQLite::Exception& e, const std::string& path, const std::string& action)
{
    switch (e.getErrorCode() & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError(ErrorCode::Busy,
                         "Another program is writing this project; wait for it to finish or close it, then try again.",
                         path, action + ": " + e.what());
    case SQLITE_NOTADB: return makeError(ErrorCode::BadFormat, "This file is not an AAPE project.", path, e.what());
    case SQLITE_CORRUPT:
        return makeError(ErrorCode::BadFormat, "The project file is damaged; restore it from a backup.", path,
                         action + ": " + e.what());
    case SQLITE_READONLY:
        return makeError(ErrorCode::FileWrite, "The project is open read-only; open it for writing to change it.", path,
                         action + ": " + e.what());
    case SQLITE_FULL:
        return makeError(ErrorCode::FileWrite, "The disk is full; free some space and try again.", path,
                         action + ": " + e.what());
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return makeError(ErrorCode::FileUnreadable,
                         "The project file cannot be opened; check that it exists and that you may access it.", path,
                         e.what());
    case SQLITE_CONSTRAINT:
        return makeError(ErrorCode::InvalidArgument,
                         "The change refers to something that is not in the project or already exists.", path,
                         action + ": " + e.what());
    case SQLITE_IOERR:
        return makeError(
            ErrorCode::FileWrite,
            "Reading or writing the project file failed; check that the disk is not full and still connected.", path,
            action + ": " + e.what());
    default: return makeError(ErrorCode::Database, "The project file could not be " + action + ".", path, e.what());
    }
}

void configureConnection(SQLite::Database& db, bool writable)
{
    db.exec("PRAGMA foreign_keys = ON");
    if (writable) {
        db.exec("PRAGMA journal_mode = WAL");
        // FULL: a committed epoch or import survives power loss too, not only a crash.
        db.exec("PRAGMA synchronous = FULL");
    }
}

int pragmaInt(SQLite::Database& db, const char* pragma)
{
    return db.execAndGet(std::string("PRAGMA ") + pragma).getInt();
}

std::string columnText(const SQLite::Column& column)
{
    return column.isNull() ? std::string() : column.getString();
}

std::optional<std::int64_t> columnOptionalId(const SQLite::Column& column)
{
    if (column.isNull())
        return std::nullopt;
    return column.getInt64();
}

void bindOptionalId(SQLite::Statement& statement, int index, const std::optional<std::int64_t>& id)
{
    if (id)
        statement.bind(index, static_cast<std::int64_t>(*id));
    else
        statement.bind(index);
}

std::string floatsToBlob(const std::vector<float>& values)
{
    std::string blob;
    detail::appendFloatsLe(blob, values.data(), values.size());
    return blob;
}

std::string pagingSql(int offset, int limit)
{
    if (limit < 0 && offset <= 0)
        return {};
    return " LIMIT " + std::to_string(limit < 0 ? -1 : limit) + " OFFSET " + std::to_string(std::max(offset, 0));
}

WhereClause imageWhere(const ImageFilter& filter)
{
    WhereClause where;
    if (filter.unlabelledOnly)
        where.add("class_id IS NULL");
    else if (filter.classId)
        where.add("class_id = ?", static_cast<std::int64_t>(*filter.classId));
    if (filter.split)
        where.add("split = ?", std::string(splitName(*filter.split)));
    if (filter.excluded)
        where.add("excluded = ?", static_cast<std::int64_t>(*filter.excluded ? 1 : 0));
    return where;
}

bool processAlive(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    if (pid == static_cast<std::int64_t>(::getpid()))
        return true;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

void requireValues(const std::vector<float>& values, const std::string& what)
{
    if (values.empty())
        throw std::invalid_argument(what + " has no values");
}

} // namespace aape::store::detail
