#include "store/ProjectSql.h"
#include "store/Schema.h"

#include <sqlite3.h>

#include <filesystem>

namespace fs = std::filesystem;

#include <SQLiteCpp/Transaction.h>

// Opening and creating the project file, its settings and its CLIP model.
namespace aape::store {

using namespace detail;

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

Project::Project(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
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
            return makeError(
                ErrorCode::Unsupported,
                "This project was written by a newer version of AAPE Studio; update the application "
                "to open it.",
                path, "schema " + std::to_string(version) + ", this build reads up to " + std::to_string(latest));
        if (version < latest && !writable)
            return makeError(ErrorCode::Unsupported,
                             "This project uses an older format; open it for writing once so it can be upgraded.", path,
                             "schema " + std::to_string(version));
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
        SQLite::Statement statement(m_impl->db, "INSERT INTO settings(key, value) VALUES(?, ?) "
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
            m_impl->db,
            std::string("INSERT INTO model(id, path, format, fingerprint, info, updated_at) "
                        "VALUES(1, ?, ?, ?, ?, ")
                + kNow
                + ") ON CONFLICT(id) DO UPDATE SET path = excluded.path, format = excluded.format, "
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

} // namespace aape::store
