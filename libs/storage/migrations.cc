#include "libs/storage/migrations.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong {
namespace {

constexpr absl::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  schema TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', "
    "'now')),"
    "  PRIMARY KEY (schema, version))";

// Applied versions of `schema` and their recorded names.
using History = std::map<int, std::string>;

absl::StatusOr<History> AppliedMigrations(SqliteDatabase& db,
                                          absl::string_view schema) {
  absl::StatusOr<SqliteStatement*> select = db.Prepare(
      "SELECT version, name FROM schema_migrations WHERE schema = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, schema);
  History applied;
  while (true) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    applied[static_cast<int>((*select)->ColumnInt64(0))] =
        (*select)->ColumnText(1);
  }
  return applied;
}

absl::Status CheckList(absl::string_view schema,
                       const std::vector<Migration>& migrations) {
  int previous = 0;
  for (const Migration& migration : migrations) {
    if (migration.version <= previous) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migrations of schema ", schema,
          " must have positive, strictly increasing versions; ",
          migration.version, " (", migration.name, ") follows ", previous));
    }
    previous = migration.version;
  }
  return absl::OkStatus();
}

// The database's history must be a prefix of the list: same versions, same
// names, nothing newer, nothing inserted below what is applied.
absl::Status CheckHistory(absl::string_view schema,
                          const std::vector<Migration>& migrations,
                          const History& applied) {
  std::map<int, const Migration*> known;
  for (const Migration& migration : migrations) {
    known[migration.version] = &migration;
  }
  int newest_known = migrations.empty() ? 0 : migrations.back().version;
  for (const auto& [version, name] : applied) {
    auto it = known.find(version);
    if (version > newest_known) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema ", schema, " is at version ", version,
                       ", newer than this program knows (", newest_known,
                       "); upgrade the program"));
    }
    if (it == known.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database schema ", schema, " has version ", version, " (", name,
          ") that this program does not know; migrations must never be "
          "edited once released"));
    }
    if (it->second->name != name) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema ", schema, " version ", version,
                       " was applied as \"", name,
                       "\" but this program calls it \"", it->second->name,
                       "\"; migrations must never be edited once released"));
    }
  }
  int newest_applied = applied.empty() ? 0 : applied.rbegin()->first;
  for (const Migration& migration : migrations) {
    if (migration.version < newest_applied &&
        applied.count(migration.version) == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", schema, " v", migration.version, " (", migration.name,
          ") is older than the applied v", newest_applied,
          "; migrations must never be edited once released"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> SchemaVersion(SqliteDatabase& db,
                                  absl::string_view schema) {
  // Only reads, so it also works on a read-only connection.
  absl::StatusOr<SqliteStatement*> exists = db.Prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
      "name = 'schema_migrations'");
  if (!exists.ok()) return exists.status();
  if (absl::StatusOr<bool> row = (*exists)->Step(); !row.ok()) {
    return row.status();
  }
  if ((*exists)->ColumnInt64(0) == 0) return 0;
  absl::StatusOr<History> applied = AppliedMigrations(db, schema);
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->rbegin()->first;
}

absl::Status ApplyMigrations(SqliteDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations) {
  if (absl::Status status = CheckList(schema, migrations); !status.ok()) {
    return status;
  }
  if (absl::Status status = db.Exec(kCreateTable); !status.ok()) return status;
  // Check everything before applying anything; when nothing is missing (every
  // start but the first) this takes no write lock.
  absl::StatusOr<History> applied = AppliedMigrations(db, schema);
  if (!applied.ok()) return applied.status();
  if (absl::Status status = CheckHistory(schema, migrations, *applied);
      !status.ok()) {
    return status;
  }
  for (const Migration& migration : migrations) {
    if (applied->count(migration.version) > 0) continue;
    absl::Status status = InTransaction(db, [&]() -> absl::Status {
      // Another process may have migrated since the check above; under the
      // write lock the history is final.
      absl::StatusOr<History> now = AppliedMigrations(db, schema);
      if (!now.ok()) return now.status();
      if (absl::Status s = CheckHistory(schema, migrations, *now); !s.ok()) {
        return s;
      }
      if (now->count(migration.version) > 0) return absl::OkStatus();
      if (absl::Status s = db.Exec(migration.sql); !s.ok()) return s;
      absl::StatusOr<SqliteStatement*> record = db.Prepare(
          "INSERT INTO schema_migrations (schema, version, name) "
          "VALUES (?, ?, ?)");
      if (!record.ok()) return record.status();
      (*record)
          ->Bind(1, schema)
          .Bind(2, migration.version)
          .Bind(3, migration.name);
      return (*record)->Run();
    });
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("migration ", schema, " v", migration.version, " (",
                       migration.name, ") failed: ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace lienthong
