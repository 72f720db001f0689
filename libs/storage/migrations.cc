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

absl::StatusOr<std::map<int, std::string>> AppliedMigrations(
    SqliteDatabase& db, absl::string_view schema) {
  if (absl::Status status = db.Exec(kCreateTable); !status.ok()) return status;
  absl::StatusOr<SqliteStatement*> select = db.Prepare(
      "SELECT version, name FROM schema_migrations WHERE schema = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, schema);
  std::map<int, std::string> applied;
  while (true) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    applied[static_cast<int>((*select)->ColumnInt64(0))] =
        (*select)->ColumnText(1);
  }
  return applied;
}

}  // namespace

absl::StatusOr<int> SchemaVersion(SqliteDatabase& db,
                                  absl::string_view schema) {
  absl::StatusOr<std::map<int, std::string>> applied =
      AppliedMigrations(db, schema);
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->rbegin()->first;
}

absl::Status ApplyMigrations(SqliteDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migrations of schema ", schema, " must be numbered 1, 2, 3 ...; ",
          "position ", i + 1, " has version ", migrations[i].version));
    }
  }
  absl::StatusOr<std::map<int, std::string>> applied =
      AppliedMigrations(db, schema);
  if (!applied.ok()) return applied.status();
  for (const auto& [version, name] : *applied) {
    if (version > static_cast<int>(migrations.size())) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema ", schema, " is at version ", version,
                       ", newer than this program knows (", migrations.size(),
                       "); upgrade the program"));
    }
    if (migrations[version - 1].name != name) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database schema ", schema, " version ", version,
          " was applied as \"", name, "\" but this program calls it \"",
          migrations[version - 1].name,
          "\"; migrations must never be edited once released"));
    }
  }
  for (const Migration& migration : migrations) {
    if (applied->count(migration.version) > 0) continue;
    absl::Status status = InTransaction(db, [&]() -> absl::Status {
      if (absl::Status s = db.Exec(migration.sql); !s.ok()) return s;
      absl::StatusOr<SqliteStatement*> record = db.Prepare(
          "INSERT INTO schema_migrations (schema, version, name) "
          "VALUES (?, ?, ?)");
      if (!record.ok()) return record.status();
      (*record)
          ->Bind(1, schema)
          .Bind(2, static_cast<int64_t>(migration.version))
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
