#include "libs/storage/pg_migrations.h"

#include "libs/storage/pg_database.h"

namespace lienthong {
namespace {

constexpr absl::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "  schema TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
    "  PRIMARY KEY (schema, version))";

// Held until the transaction ends. Per database, so migrating one database
// never waits for another.
constexpr absl::string_view kLock =
    "SELECT pg_advisory_xact_lock(hashtext('lienthong.schema_migrations'))";

// PostgreSQL's side of the engine. Unlike SQLite's BEGIN IMMEDIATE, BEGIN
// locks nothing, so an advisory lock serializes migrating connections.
class PgMigrationTarget final : public MigrationTarget {
 public:
  explicit PgMigrationTarget(PgDatabase& db) : db_(db) {}

  absl::Status CreateHistoryTable() override {
    // CREATE TABLE IF NOT EXISTS is not safe against itself: two connections
    // both find no table and one fails on the catalog's unique index.
    return InMigrationTransaction([&] { return db_.Exec(kCreateTable); });
  }

  absl::StatusOr<bool> HasHistoryTable() override {
    absl::StatusOr<PgResult> exists =
        db_.Query("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists.ok()) return exists.status();
    return exists->Bool(0, 0);
  }

  absl::StatusOr<MigrationHistory> History(absl::string_view schema) override {
    absl::StatusOr<PgResult> rows = db_.Query(
        "SELECT version, name FROM schema_migrations WHERE schema = $1",
        {schema});
    if (!rows.ok()) return rows.status();
    MigrationHistory applied;
    for (int row = 0; row < rows->rows(); ++row) {
      applied[static_cast<int>(rows->Int64(row, 0))] = rows->Text(row, 1);
    }
    return applied;
  }

  absl::Status InMigrationTransaction(
      absl::FunctionRef<absl::Status()> body) override {
    return InTransaction(db_, [&]() -> absl::Status {
      if (absl::Status locked = db_.Exec(kLock); !locked.ok()) return locked;
      return body();
    });
  }

  absl::Status Exec(absl::string_view sql) override { return db_.Exec(sql); }

  absl::Status Record(absl::string_view schema,
                      const Migration& migration) override {
    return db_
        .Query(
            "INSERT INTO schema_migrations (schema, version, name) "
            "VALUES ($1, $2, $3)",
            {schema, migration.version, migration.name})
        .status();
  }

 private:
  PgDatabase& db_;
};

}  // namespace

absl::StatusOr<int> SchemaVersion(PgDatabase& db, absl::string_view schema) {
  PgMigrationTarget target(db);
  return SchemaVersion(target, schema);
}

absl::Status ApplyMigrations(PgDatabase& db, absl::string_view schema,
                             const std::vector<Migration>& migrations) {
  PgMigrationTarget target(db);
  return ApplyMigrations(target, schema, migrations);
}

}  // namespace lienthong
