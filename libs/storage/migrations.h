#ifndef LIBS_STORAGE_MIGRATIONS_H_
#define LIBS_STORAGE_MIGRATIONS_H_

// Versioned schema migrations. Each store owns a named schema ("registry",
// "ingestion", ...) and a list of migrations; the applied ones are recorded in
// schema_migrations, so applying the list again is a no-op, and a database
// written by newer code, or history edited after the fact, is refused rather
// than guessed at. This header runs them on SQLite; pg_migrations.h on
// PostgreSQL; the engine (migration_runner.h) is the same.

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/storage/migration_runner.h"

namespace lienthong {

class SqliteDatabase;

// Applies the migrations of `schema` that the database lacks, in order, each in
// its own transaction together with its row in schema_migrations, so a
// migration is either wholly applied and recorded or not at all. Applying the
// same list again is a no-op. FAILED_PRECONDITION, before anything is applied,
// when the list's versions are not positive and strictly increasing, when the
// database has a version the list does not know (written by newer code), when
// a recorded name differs from the list's, or when the list has a version
// older than the newest applied one that was never applied (history edited).
absl::Status ApplyMigrations(SqliteDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations);

// The highest applied version of `schema` (0 when none).
absl::StatusOr<int> SchemaVersion(SqliteDatabase& db, absl::string_view schema);

}  // namespace lienthong

#endif  // LIBS_STORAGE_MIGRATIONS_H_
