#include "libs/storage/migrations.h"

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

// SQLite's side of the engine. BEGIN IMMEDIATE takes the database's write
// lock, which holds off every other migrating connection.
class SqliteMigrationTarget final : public MigrationTarget {
 public:
  explicit SqliteMigrationTarget(SqliteDatabase& db) : db_(db) {}

  absl::Status CreateHistoryTable() override { return db_.Exec(kCreateTable); }

  absl::StatusOr<bool> HasHistoryTable() override {
    // Only reads, so it also works on a read-only connection.
    absl::StatusOr<SqliteStatement*> exists = db_.Prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
        "name = 'schema_migrations'");
    if (!exists.ok()) return exists.status();
    if (absl::StatusOr<bool> row = (*exists)->Step(); !row.ok()) {
      return row.status();
    }
    return (*exists)->ColumnInt64(0) != 0;
  }

  absl::StatusOr<MigrationHistory> History(absl::string_view schema) override {
    absl::StatusOr<SqliteStatement*> select = db_.Prepare(
        "SELECT version, name FROM schema_migrations WHERE schema = ?");
    if (!select.ok()) return select.status();
    (*select)->Bind(1, schema);
    MigrationHistory applied;
    while (true) {
      absl::StatusOr<bool> row = (*select)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      applied[static_cast<int>((*select)->ColumnInt64(0))] =
          (*select)->ColumnText(1);
    }
    return applied;
  }

  absl::Status InMigrationTransaction(
      absl::FunctionRef<absl::Status()> body) override {
    return InTransaction(db_, body);
  }

  absl::Status Exec(absl::string_view sql) override { return db_.Exec(sql); }

  absl::Status Record(absl::string_view schema,
                      const Migration& migration) override {
    absl::StatusOr<SqliteStatement*> record = db_.Prepare(
        "INSERT INTO schema_migrations (schema, version, name) "
        "VALUES (?, ?, ?)");
    if (!record.ok()) return record.status();
    (*record)
        ->Bind(1, schema)
        .Bind(2, migration.version)
        .Bind(3, migration.name);
    return (*record)->Run();
  }

 private:
  SqliteDatabase& db_;
};

}  // namespace

absl::StatusOr<int> SchemaVersion(SqliteDatabase& db,
                                  absl::string_view schema) {
  SqliteMigrationTarget target(db);
  return SchemaVersion(target, schema);
}

absl::Status ApplyMigrations(SqliteDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations) {
  SqliteMigrationTarget target(db);
  return ApplyMigrations(target, schema, migrations);
}

}  // namespace lienthong
