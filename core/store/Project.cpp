#include "aape/store/Project.h"

#include "store/FloatBlob.h"
#include "store/Schema.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <cerrno>
#include <filesystem>
#include <signal.h>
#include <unistd.h>
#include <variant>

namespace fs = std::filesystem;

namespace aape::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;
// Every write transaction starts IMMEDIATE: it takes the write lock at BEGIN, waiting up to
// kBusyTimeoutMs for another writer. A deferred one that has read first cannot wait when it
// later needs the lock (SQLite answers SQLITE_BUSY at once to avoid a deadlock).
constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

Error sqliteError(const SQLite::Exception& e, const std::string& path, const std::string& action)
{
    switch (e.getErrorCode() & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError(ErrorCode::Busy,
                         "Another program is writing this project; wait for it to finish or close it, then try again.",
                         path, action + ": " + e.what());
    case SQLITE_NOTADB:
        return makeError(ErrorCode::BadFormat, "This file is not an AAPE project.", path, e.what());
    case SQLITE_CORRUPT:
        return makeError(ErrorCode::BadFormat, "The project file is damaged; restore it from a backup.", path,
                         action + ": " + e.what());
    case SQLITE_READONLY:
        return makeError(ErrorCode::FileWrite, "The project is open read-only; open it for writing to change it.",
                         path, action + ": " + e.what());
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
        return makeError(ErrorCode::FileWrite, "Reading or writing the project file failed; check that the disk is not full and still connected.", path,
                         action + ": " + e.what());
    default:
        return makeError(ErrorCode::Database, "The project file could not be " + action + ".", path, e.what());
    }
}

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

} // namespace

struct Project::Impl {
    Impl(std::string filePath, OpenMode openMode, SQLite::Database database)
        : path(std::move(filePath)), mode(openMode), db(std::move(database))
    {
    }
    std::string path;
    OpenMode mode;
    SQLite::Database db;
    int version = 0;
};

int currentSchemaVersion()
{
    return detail::latestSchemaVersion();
}

Status createProjectAtSchemaVersion(const std::string& path, int version)
{
    if (version < 1 || version > detail::latestSchemaVersion())
        return makeError(ErrorCode::InvalidArgument, "There is no project schema with that version.", path,
                         std::to_string(version));
    return guarded(path, "created", [&]() -> Status {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        configureConnection(db, true);
        detail::migrate(db, 0, version);
        return {};
    });
}

Project::Project(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;
Project::~Project() = default;

Result<Project> Project::create(const std::string& path)
{
    std::error_code ec;
    if (fs::exists(path, ec))
        return makeError(ErrorCode::FileWrite, "A file with this name already exists; choose another name.", path);
    auto result = guarded(path, "created", [&]() -> Result<Project> {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
        configureConnection(db, true);
        detail::migrate(db, 0, detail::latestSchemaVersion());
        auto impl = std::make_unique<Impl>(path, OpenMode::ReadWrite, std::move(db));
        impl->version = detail::latestSchemaVersion();
        return Project(std::move(impl));
    });
    if (!result.ok()) {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(path + suffix, ec);
    }
    return result;
}

Result<Project> Project::open(const std::string& path, OpenMode mode)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::FileNotFound, "The project file does not exist.", path);
    if (fs::is_directory(path, ec))
        return makeError(ErrorCode::FileUnreadable, "Expected a project file but found a folder.", path);
    return guarded(path, "opened", [&]() -> Result<Project> {
        const bool writable = mode == OpenMode::ReadWrite;
        SQLite::Database db(path, writable ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY, kBusyTimeoutMs);
        // SQLite quietly opens a write-protected file read-only; say so now, not at the first write.
        if (writable && sqlite3_db_readonly(db.getHandle(), "main") == 1)
            return makeError(ErrorCode::FileWrite,
                             "The project file is read-only (its permissions or a read-only disk); copy it to a "
                             "writable folder or make it writable, then open it again.",
                             path);
        const int applicationId = pragmaInt(db, "application_id");
        const int version = pragmaInt(db, "user_version");
        if (applicationId != detail::kApplicationId)
            return makeError(ErrorCode::BadFormat,
                             "This file is not an AAPE project (it is some other SQLite database).", path,
                             "application_id " + std::to_string(applicationId));
        const int latest = detail::latestSchemaVersion();
        if (version > latest)
            return makeError(ErrorCode::Unsupported,
                             "This project was written by a newer version of AAPE Studio; update the application "
                             "to open it.",
                             path,
                             "schema " + std::to_string(version) + ", this build reads up to " +
                                 std::to_string(latest));
        if (version < latest && !writable)
            return makeError(ErrorCode::Unsupported,
                             "This project uses an older format; open it for writing once so it can be upgraded.",
                             path, "schema " + std::to_string(version));
        configureConnection(db, writable);
        if (version < latest)
            detail::migrate(db, version, latest);
        auto impl = std::make_unique<Impl>(path, mode, std::move(db));
        impl->version = latest;
        if (writable) {
            // A run still marked running whose process is gone was interrupted (crash, kill,
            // power loss): say so, so that the GUI offers to resume it.
            SQLite::Statement running(impl->db, "SELECT id, owner_pid FROM runs WHERE status = 'running'");
            std::vector<std::int64_t> stale;
            while (running.executeStep()) {
                if (running.getColumn(1).isNull() || !processAlive(running.getColumn(1).getInt64()))
                    stale.push_back(running.getColumn(0).getInt64());
            }
            if (!stale.empty()) {
                SQLite::Transaction transaction(impl->db, SQLite::TransactionBehavior::IMMEDIATE);
                SQLite::Statement update(impl->db, "UPDATE runs SET status = 'interrupted' WHERE id = ?");
                for (std::int64_t id : stale) {
                    update.bind(1, id);
                    update.exec();
                    update.reset();
                }
                transaction.commit();
            }
        }
        return Project(std::move(impl));
    });
}

const std::string& Project::path() const
{
    return m_impl->path;
}

int Project::schemaVersion() const
{
    return m_impl->version;
}

Status Project::setSetting(const std::string& key, const nlohmann::json& value)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db,
                                    "INSERT INTO settings(key, value) VALUES(?, ?) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        statement.bind(1, key);
        statement.bind(2, value.dump());
        statement.exec();
        return {};
    });
}

Result<std::optional<nlohmann::json>> Project::setting(const std::string& key) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<nlohmann::json>> {
        SQLite::Statement statement(m_impl->db, "SELECT value FROM settings WHERE key = ?");
        statement.bind(1, key);
        if (!statement.executeStep())
            return std::optional<nlohmann::json>();
        return std::optional<nlohmann::json>(nlohmann::json::parse(statement.getColumn(0).getString()));
    });
}

Status Project::setModel(const ModelReference& model)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(
            m_impl->db, std::string("INSERT INTO model(id, path, format, fingerprint, info, updated_at) "
                                    "VALUES(1, ?, ?, ?, ?, ") +
                            kNow +
                            ") ON CONFLICT(id) DO UPDATE SET path = excluded.path, format = excluded.format, "
                            "fingerprint = excluded.fingerprint, info = excluded.info, updated_at = excluded.updated_at");
        statement.bind(1, model.path);
        statement.bind(2, model.format);
        statement.bind(3, model.fingerprint);
        statement.bind(4, model.info.dump());
        statement.exec();
        return {};
    });
}

Result<std::optional<ModelReference>> Project::model() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<ModelReference>> {
        SQLite::Statement statement(m_impl->db, "SELECT path, format, fingerprint, info FROM model WHERE id = 1");
        if (!statement.executeStep())
            return std::optional<ModelReference>();
        ModelReference model;
        model.path = statement.getColumn(0).getString();
        model.format = statement.getColumn(1).getString();
        model.fingerprint = statement.getColumn(2).getString();
        model.info = nlohmann::json::parse(statement.getColumn(3).getString());
        return std::optional<ModelReference>(std::move(model));
    });
}

Result<std::int64_t> Project::ensureClass(const std::string& name)
{
    if (name.empty())
        return makeError(ErrorCode::InvalidArgument, "A class needs a name.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        SQLite::Statement find(m_impl->db, "SELECT id FROM classes WHERE name = ?");
        find.bind(1, name);
        if (find.executeStep())
            return static_cast<std::int64_t>(find.getColumn(0).getInt64());
        SQLite::Statement insert(m_impl->db,
                                 "INSERT INTO classes(name, position) "
                                 "VALUES(?, (SELECT COALESCE(MAX(position), -1) + 1 FROM classes))");
        insert.bind(1, name);
        insert.exec();
        return static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
    });
}

Result<std::vector<ClassRecord>> Project::classes() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ClassRecord>> {
        SQLite::Statement statement(m_impl->db, "SELECT id, name, position, kind FROM classes ORDER BY position, id");
        std::vector<ClassRecord> out;
        while (statement.executeStep()) {
            ClassRecord record;
            record.id = statement.getColumn(0).getInt64();
            record.name = statement.getColumn(1).getString();
            record.position = statement.getColumn(2).getInt();
            record.kind = statement.getColumn(3).getString() == "new" ? ClassKind::New : ClassKind::Base;
            out.push_back(std::move(record));
        }
        return out;
    });
}

Status Project::renameClass(std::int64_t classId, const std::string& name)
{
    if (name.empty())
        return makeError(ErrorCode::InvalidArgument, "A class needs a name.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE classes SET name = ? WHERE id = ?");
        statement.bind(1, name);
        statement.bind(2, static_cast<std::int64_t>(classId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That class is not in the project.", m_impl->path);
        return {};
    });
}

Status Project::removeClass(std::int64_t classId)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "DELETE FROM classes WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(classId));
        statement.exec();
        return {};
    });
}

Status Project::setClassKinds(const std::vector<std::pair<std::int64_t, ClassKind>>& kinds)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(m_impl->db, "UPDATE classes SET kind = ? WHERE id = ?");
        for (const auto& [id, kind] : kinds) {
            statement.bind(1, classKindName(kind));
            statement.bind(2, static_cast<std::int64_t>(id));
            statement.exec();
            statement.reset();
        }
        transaction.commit();
        return {};
    });
}

Result<std::pair<int, int>> Project::addImages(const std::vector<NewImage>& images)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::pair<int, int>> {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(
            m_impl->db, std::string("INSERT OR IGNORE INTO images(path, content_hash, width, height, class_id, "
                                    "split, excluded, source, added_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ") +
                            kNow + ")");
        int added = 0;
        int duplicates = 0;
        for (const NewImage& image : images) {
            statement.bind(1, image.path);
            statement.bind(2, image.contentHash);
            statement.bind(3, image.width);
            statement.bind(4, image.height);
            bindOptionalId(statement, 5, image.classId);
            statement.bind(6, splitName(image.split));
            statement.bind(7, image.excluded ? 1 : 0);
            statement.bind(8, image.source);
            if (statement.exec() == 1)
                ++added;
            else
                ++duplicates;
            statement.reset();
        }
        transaction.commit();
        return std::make_pair(added, duplicates);
    });
}

namespace {

constexpr const char* kImageColumns =
    "SELECT id, path, content_hash, width, height, class_id, split, excluded, source FROM images";

ImageRecord readImage(SQLite::Statement& statement)
{
    ImageRecord record;
    record.id = statement.getColumn(0).getInt64();
    record.path = statement.getColumn(1).getString();
    record.contentHash = statement.getColumn(2).getString();
    record.width = statement.getColumn(3).getInt();
    record.height = statement.getColumn(4).getInt();
    record.classId = columnOptionalId(statement.getColumn(5));
    record.split = parseSplit(statement.getColumn(6).getString()).value_or(Split::Train);
    record.excluded = statement.getColumn(7).getInt() != 0;
    record.source = statement.getColumn(8).getString();
    return record;
}

} // namespace

Result<std::vector<ImageRecord>> Project::images(const ImageFilter& filter) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ImageRecord>> {
        const WhereClause where = imageWhere(filter);
        SQLite::Statement statement(m_impl->db, std::string(kImageColumns) + where.sql() + " ORDER BY id" +
                                                    pagingSql(filter.offset, filter.limit));
        where.bind(statement);
        std::vector<ImageRecord> out;
        while (statement.executeStep())
            out.push_back(readImage(statement));
        return out;
    });
}

Result<int> Project::countImages(const ImageFilter& filter) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<int> {
        const WhereClause where = imageWhere(filter);
        SQLite::Statement statement(m_impl->db, "SELECT COUNT(*) FROM images" + where.sql());
        where.bind(statement);
        statement.executeStep();
        return statement.getColumn(0).getInt();
    });
}

Result<std::optional<ImageRecord>> Project::image(std::int64_t imageId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<ImageRecord>> {
        SQLite::Statement statement(m_impl->db, std::string(kImageColumns) + " WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(imageId));
        if (!statement.executeStep())
            return std::optional<ImageRecord>();
        return std::optional<ImageRecord>(readImage(statement));
    });
}

Result<std::vector<ClassSplitCounts>> Project::countsPerClassAndSplit() const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<ClassSplitCounts>> {
        SQLite::Statement statement(
            m_impl->db,
            "SELECT c.id, "
            "  SUM(i.split = 'train' AND i.excluded = 0), SUM(i.split = 'val' AND i.excluded = 0), "
            "  SUM(i.split = 'test' AND i.excluded = 0), SUM(i.excluded = 1) "
            "FROM classes c LEFT JOIN images i ON i.class_id = c.id GROUP BY c.id ORDER BY c.position, c.id");
        std::vector<ClassSplitCounts> out;
        const auto fill = [&](ClassSplitCounts& counts) {
            counts.train = statement.getColumn(1).getInt();
            counts.val = statement.getColumn(2).getInt();
            counts.test = statement.getColumn(3).getInt();
            counts.excluded = statement.getColumn(4).getInt();
        };
        while (statement.executeStep()) {
            ClassSplitCounts counts;
            counts.classId = statement.getColumn(0).getInt64();
            fill(counts);
            out.push_back(counts);
        }
        SQLite::Statement unlabelled(
            m_impl->db,
            "SELECT COUNT(*), SUM(split = 'train' AND excluded = 0), SUM(split = 'val' AND excluded = 0), "
            "  SUM(split = 'test' AND excluded = 0), SUM(excluded = 1) FROM images WHERE class_id IS NULL");
        if (unlabelled.executeStep() && unlabelled.getColumn(0).getInt() > 0) {
            ClassSplitCounts counts;
            counts.train = unlabelled.getColumn(1).getInt();
            counts.val = unlabelled.getColumn(2).getInt();
            counts.test = unlabelled.getColumn(3).getInt();
            counts.excluded = unlabelled.getColumn(4).getInt();
            out.push_back(counts);
        }
        return out;
    });
}

namespace {

template <typename Bind>
Status updateImage(SQLite::Database& db, const std::string& path, const char* sql, std::int64_t imageId, Bind&& bind)
{
    return guarded(path, "saved", [&]() -> Status {
        SQLite::Statement statement(db, sql);
        bind(statement);
        statement.bind(2, static_cast<std::int64_t>(imageId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That image is not in the project.", path,
                             "image " + std::to_string(imageId));
        return {};
    });
}

} // namespace

Status Project::setImageLabel(std::int64_t imageId, std::optional<std::int64_t> classId)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET class_id = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { bindOptionalId(statement, 1, classId); });
}

Status Project::setImageSplit(std::int64_t imageId, Split split)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET split = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { statement.bind(1, splitName(split)); });
}

Status Project::setImageExcluded(std::int64_t imageId, bool excluded)
{
    return updateImage(m_impl->db, m_impl->path, "UPDATE images SET excluded = ? WHERE id = ?", imageId,
                       [&](SQLite::Statement& statement) { statement.bind(1, excluded ? 1 : 0); });
}

Result<std::int64_t> Project::addDescription(std::int64_t classId, const std::string& text, const std::string& source)
{
    auto added = addDescriptions({DescriptionInsert{classId, text, source}});
    if (!added.ok())
        return added.error();
    if (added->added == 0)
        return makeError(ErrorCode::InvalidArgument, "This class already has that description.", m_impl->path, text);
    return static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
}

Result<DescriptionInsertResult> Project::addDescriptions(const std::vector<DescriptionInsert>& rows)
{
    for (const DescriptionInsert& row : rows) {
        if (row.text.empty())
            return makeError(ErrorCode::InvalidArgument, "A description cannot be empty.", m_impl->path);
    }
    return guarded(m_impl->path, "saved", [&]() -> Result<DescriptionInsertResult> {
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement statement(
            m_impl->db, "INSERT OR IGNORE INTO descriptions(class_id, text, source, position) VALUES(?1, ?2, ?3, "
                        "(SELECT COALESCE(MAX(position), -1) + 1 FROM descriptions WHERE class_id = ?1))");
        DescriptionInsertResult result;
        for (const DescriptionInsert& row : rows) {
            statement.bind(1, static_cast<std::int64_t>(row.classId));
            statement.bind(2, row.text);
            statement.bind(3, row.source);
            if (statement.exec() == 1)
                ++result.added;
            else
                ++result.duplicates;
            statement.reset();
        }
        transaction.commit();
        return result;
    });
}

Status Project::editDescription(std::int64_t descriptionId, const std::string& text)
{
    if (text.empty())
        return makeError(ErrorCode::InvalidArgument, "A description cannot be empty; remove it instead.", m_impl->path);
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "UPDATE descriptions SET text = ? WHERE id = ?");
        statement.bind(1, text);
        statement.bind(2, static_cast<std::int64_t>(descriptionId));
        if (statement.exec() == 0)
            return makeError(ErrorCode::InvalidArgument, "That description is not in the project.", m_impl->path);
        return {};
    });
}

Status Project::removeDescription(std::int64_t descriptionId)
{
    return guarded(m_impl->path, "saved", [&]() -> Status {
        SQLite::Statement statement(m_impl->db, "DELETE FROM descriptions WHERE id = ?");
        statement.bind(1, static_cast<std::int64_t>(descriptionId));
        statement.exec();
        return {};
    });
}

Result<std::vector<DescriptionRecord>> Project::descriptions(std::optional<std::int64_t> classId) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::vector<DescriptionRecord>> {
        WhereClause where;
        if (classId)
            where.add("d.class_id = ?", static_cast<std::int64_t>(*classId));
        SQLite::Statement statement(m_impl->db,
                                    "SELECT d.id, d.class_id, d.text, d.source, d.position FROM descriptions d "
                                    "JOIN classes c ON c.id = d.class_id" +
                                        where.sql() + " ORDER BY c.position, d.class_id, d.position, d.id");
        where.bind(statement);
        std::vector<DescriptionRecord> out;
        while (statement.executeStep()) {
            DescriptionRecord record;
            record.id = statement.getColumn(0).getInt64();
            record.classId = statement.getColumn(1).getInt64();
            record.text = statement.getColumn(2).getString();
            record.source = statement.getColumn(3).getString();
            record.position = statement.getColumn(4).getInt();
            out.push_back(std::move(record));
        }
        return out;
    });
}

namespace {

std::optional<FewShotSet> readFewShotSet(SQLite::Database& db, SQLite::Statement& header)
{
    if (!header.executeStep())
        return std::nullopt;
    FewShotSet set;
    set.id = header.getColumn(0).getInt64();
    set.shots = header.getColumn(1).getInt();
    set.seed = static_cast<std::uint64_t>(header.getColumn(2).getInt64());
    SQLite::Statement members(db, "SELECT image_id, class_id FROM few_shot_members WHERE set_id = ? ORDER BY draw");
    members.bind(1, static_cast<std::int64_t>(set.id));
    while (members.executeStep()) {
        set.imageIds.push_back(members.getColumn(0).getInt64());
        set.classIds.push_back(members.getColumn(1).isNull() ? 0 : members.getColumn(1).getInt64());
    }
    return set;
}

} // namespace

Result<std::int64_t> Project::saveFewShotSet(const FewShotSet& set)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        if (set.classIds.size() != set.imageIds.size())
            throw std::invalid_argument("few-shot set: one class per image expected");
        SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
        // Runs on unchanged data draw the same set: they share one stored copy.
        SQLite::Statement candidates(m_impl->db,
                                     "SELECT id, shots, seed FROM few_shot_sets WHERE shots = ? AND seed = ? ORDER BY id DESC");
        candidates.bind(1, set.shots);
        candidates.bind(2, static_cast<std::int64_t>(set.seed));
        while (auto stored = readFewShotSet(m_impl->db, candidates)) {
            if (stored->imageIds == set.imageIds && stored->classIds == set.classIds)
                return stored->id;
        }
        SQLite::Statement insertSet(m_impl->db, std::string("INSERT INTO few_shot_sets(shots, seed, created_at) "
                                                            "VALUES(?, ?, ") +
                                                    kNow + ")");
        insertSet.bind(1, set.shots);
        insertSet.bind(2, static_cast<std::int64_t>(set.seed));
        insertSet.exec();
        const std::int64_t setId = static_cast<std::int64_t>(m_impl->db.getLastInsertRowid());
        SQLite::Statement insertMember(m_impl->db,
                                       "INSERT INTO few_shot_members(set_id, image_id, class_id, draw) VALUES(?, ?, ?, ?)");
        for (std::size_t draw = 0; draw < set.imageIds.size(); ++draw) {
            insertMember.bind(1, setId);
            insertMember.bind(2, static_cast<std::int64_t>(set.imageIds[draw]));
            insertMember.bind(3, static_cast<std::int64_t>(set.classIds[draw]));
            insertMember.bind(4, static_cast<int>(draw));
            insertMember.exec();
            insertMember.reset();
        }
        transaction.commit();
        return static_cast<std::int64_t>(setId);
    });
}

Result<std::optional<FewShotSet>> Project::fewShotSetById(std::int64_t id) const
{
    return guarded(m_impl->path, "read", [&]() -> Result<std::optional<FewShotSet>> {
        SQLite::Statement header(m_impl->db, "SELECT id, shots, seed FROM few_shot_sets WHERE id = ?");
        header.bind(1, static_cast<std::int64_t>(id));
        return readFewShotSet(m_impl->db, header);
    });
}

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

Result<std::int64_t> Project::createRun(const RunSpec& spec)
{
    return guarded(m_impl->path, "saved", [&]() -> Result<std::int64_t> {
        SQLite::Statement statement(
            m_impl->db, std::string("INSERT INTO runs(name, config, status, seed, run_group, few_shot_set_id, "
                                    "model_fp, created_at) VALUES(?, ?, 'queued', ?, ?, ?, ?, ") +
                            kNow + ")");
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
            "FROM runs r" +
                where + " ORDER BY r.id DESC");
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
        run.bestEpoch = statement.getColumn(15).isNull() ? -1 : std::min(statement.getColumn(15).getInt(), run.lastEpoch);
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
                                                       "created_at) VALUES(?, ?, ?, ") +
                                               kNow + ")");
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
        SQLite::Statement statement(m_impl->db,
                                    "SELECT epoch, total_loss, task_loss, distill_loss, agg_reward, train_acc, val_acc, "
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
                                    "cos_template, cos_aape, zs_pred_class_id, topk FROM predictions" +
                                        where.sql() + order + pagingSql(filter.offset, filter.limit));
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
        SQLite::Statement statement(m_impl->db, "SELECT true_class_id, pred_class_id, COUNT(*) FROM predictions" +
                                                    where.sql() +
                                                    " GROUP BY true_class_id, pred_class_id "
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
        SQLite::Statement statement(m_impl->db,
                                    "SELECT true_class_id, COUNT(*), SUM(pred_class_id = true_class_id), "
                                    "SUM(COALESCE(zs_pred_class_id = true_class_id, 0)) FROM predictions" +
                                        where.sql() + " GROUP BY true_class_id ORDER BY true_class_id");
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
        SQLite::Statement insert(m_impl->db, "INSERT INTO attention(run_id, image_id, class_id, description_id, weight) "
                                             "VALUES(?, ?, ?, ?, ?)");
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
        SQLite::Statement statement(m_impl->db, "SELECT description_id, weight FROM attention "
                                                "WHERE run_id = ? AND image_id = ? AND class_id = ? "
                                                "ORDER BY weight DESC, description_id");
        statement.bind(1, static_cast<std::int64_t>(runId));
        statement.bind(2, static_cast<std::int64_t>(imageId));
        statement.bind(3, static_cast<std::int64_t>(classId));
        std::vector<AttentionWeight> out;
        while (statement.executeStep())
            out.push_back({statement.getColumn(0).getInt64(), statement.getColumn(1).getDouble()});
        return out;
    });
}

} // namespace aape::store
