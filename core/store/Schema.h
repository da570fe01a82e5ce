#pragma once
// Schema of the project file and its forward migrations. Private to core/store.
// Called by Project only, on the thread that owns the connection.

#include <SQLiteCpp/Database.h>

namespace aape::store::detail {

// PRAGMA application_id of every project file ("AAPE"): tells our files from other SQLite files.
constexpr int kApplicationId = 0x41415045;

int latestSchemaVersion();

// Applies migrations fromVersion+1 .. toVersion, each in its own transaction that also sets
// user_version, so an interrupted upgrade leaves a consistent older version. Throws
// SQLite::Exception.
void migrate(SQLite::Database& db, int fromVersion, int toVersion);

} // namespace aape::store::detail
