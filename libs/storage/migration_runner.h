#ifndef LIBS_STORAGE_MIGRATION_RUNNER_H_
#define LIBS_STORAGE_MIGRATION_RUNNER_H_

// The engine behind ApplyMigrations, shared by every backend: it checks a
// store's migration list against the history the database records in
// schema_migrations and applies what is missing. A backend only adapts its
// database to MigrationTarget (the SQL dialect, the transaction, the lock);
// stores call the backend's ApplyMigrations (migrations.h for SQLite,
// pg_migrations.h for PostgreSQL).

#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong {

// One step of a schema's history. Once released, a migration is never edited
// or removed; changes come as new migrations with higher versions.
struct Migration {
  int version;       // positive, strictly increasing within a schema
  std::string name;  // short description, e.g. "create units"
  std::string sql;   // one or more statements; no BEGIN/COMMIT of its own
};

// Applied versions of a schema and their recorded names.
using MigrationHistory = std::map<int, std::string>;

// What the engine needs from a database.
class MigrationTarget {
 public:
  virtual ~MigrationTarget() = default;

  // Creates schema_migrations (schema, version, name, applied_at; primary key
  // (schema, version)) unless it exists.
  virtual absl::Status CreateHistoryTable() = 0;
  // Whether schema_migrations exists; only reads.
  virtual absl::StatusOr<bool> HasHistoryTable() = 0;
  // The applied migrations of `schema`.
  virtual absl::StatusOr<MigrationHistory> History(
      absl::string_view schema) = 0;
  // Runs `body` in a transaction that no other process migrates the database
  // in at the same time; commits when `body` returns OK, else rolls back.
  virtual absl::Status InMigrationTransaction(
      absl::FunctionRef<absl::Status()> body) = 0;
  // Runs a migration's statements.
  virtual absl::Status Exec(absl::string_view sql) = 0;
  // Records `migration` of `schema` as applied.
  virtual absl::Status Record(absl::string_view schema,
                              const Migration& migration) = 0;
};

// Applies the migrations of `schema` that the database lacks, in order, each in
// its own transaction together with its row in schema_migrations, so a
// migration is either wholly applied and recorded or not at all. Applying the
// same list again is a no-op. FAILED_PRECONDITION, before anything is applied,
// when the list's versions are not positive and strictly increasing, when the
// database has a version the list does not know (written by newer code), when
// a recorded name differs from the list's, or when the list has a version
// older than the newest applied one that was never applied (history edited).
absl::Status ApplyMigrations(MigrationTarget& target, absl::string_view schema,
                             const std::vector<Migration>& migrations);

// The highest applied version of `schema` (0 when none); only reads.
absl::StatusOr<int> SchemaVersion(MigrationTarget& target,
                                  absl::string_view schema);

}  // namespace lienthong

#endif  // LIBS_STORAGE_MIGRATION_RUNNER_H_
