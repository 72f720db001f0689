#ifndef LIBS_STORAGE_PG_MIGRATIONS_H_
#define LIBS_STORAGE_PG_MIGRATIONS_H_

// Versioned schema migrations on PostgreSQL, with the contract of
// migrations.h (the same engine, migration_runner.h). schema_migrations lives
// in the connection's current schema (the first of its search_path), and
// PostgreSQL's transactional DDL keeps each migration atomic with its record.

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/storage/migration_runner.h"

namespace lienthong {

class PgDatabase;

// As ApplyMigrations in migrations.h. Concurrent callers (several processes
// starting at once) take turns on a transaction-scoped advisory lock.
absl::Status ApplyMigrations(PgDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations);

// The highest applied version of `schema` (0 when none).
absl::StatusOr<int> SchemaVersion(PgDatabase& db, absl::string_view schema);

}  // namespace lienthong

#endif  // LIBS_STORAGE_PG_MIGRATIONS_H_
