#ifndef LIBS_STORAGE_SQLITE_DATABASE_H_
#define LIBS_STORAGE_SQLITE_DATABASE_H_

// SQLite as the embedded store: WAL journal, full sync (an acknowledged commit
// survives a crash or power loss), prepared statements cached per connection,
// transactions and savepoints. A connection is used by one thread at a time;
// readers open their own read-only connections on the same file (WAL lets them
// read while the writer writes).

#include <cstdint>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lienthong {

struct SqliteOptions {
  // A file path, or ":memory:" for a private in-memory database.
  std::string path;
  bool read_only = false;
  // How long a statement waits for another connection's lock before
  // UNAVAILABLE.
  absl::Duration busy_timeout = absl::Seconds(5);
};

// One prepared statement. Obtained from SqliteDatabase::Prepare(), already
// reset and with its bindings cleared; owned by the database's cache.
class SqliteStatement {
 public:
  // Bind by 1-based parameter index.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& Bind(int index, absl::string_view text);
  SqliteStatement& Bind(int index, const char* text) {
    return Bind(index, absl::string_view(text));
  }
  SqliteStatement& BindBlob(int index, absl::string_view bytes);
  SqliteStatement& BindNull(int index);
  template <typename T>
  SqliteStatement& Bind(int index, const absl::optional<T>& value) {
    return value.has_value() ? Bind(index, *value) : BindNull(index);
  }

  // Advances: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to the end, for statements that return no rows.
  absl::Status Run();

  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

  // Rows changed by the last Run() of an INSERT/UPDATE/DELETE.
  int64_t changes() const;

 private:
  friend class SqliteDatabase;
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement)
      : db_(db), statement_(statement) {}

  sqlite3* db_;
  sqlite3_stmt* statement_;
  absl::Status bind_error_;  // the first binding error, reported by Step()
};

// One connection to a database file.
class SqliteDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const SqliteOptions& options);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs one or more statements without results (DDL, PRAGMA, BEGIN ...).
  absl::Status Exec(absl::string_view sql);

  // A cached prepared statement for `sql`, reset and unbound. Valid until the
  // database closes; not reentrant (one use of the same SQL at a time).
  // Preparing ends every other statement's pending rows: read what you need
  // from a statement before preparing the next.
  absl::StatusOr<SqliteStatement*> Prepare(absl::string_view sql);

  // Transactions. BEGIN IMMEDIATE takes the write lock up front, so a
  // transaction never fails half-way on a lock upgrade.
  absl::Status Begin();
  absl::Status Commit();
  absl::Status Rollback();
  bool in_transaction() const;

  // Named savepoints inside a transaction: release keeps, rollback undoes.
  absl::Status Savepoint(absl::string_view name);
  absl::Status ReleaseSavepoint(absl::string_view name);
  absl::Status RollbackToSavepoint(absl::string_view name);

  const std::string& path() const { return path_; }

 private:
  SqliteDatabase(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  absl::flat_hash_map<std::string, std::unique_ptr<SqliteStatement>>
      statements_;
};

// Runs `body` in a transaction: commits when it returns OK, rolls back
// otherwise.
template <typename Body>
absl::Status InTransaction(SqliteDatabase& db, Body&& body) {
  if (absl::Status status = db.Begin(); !status.ok()) return status;
  absl::Status status = body();
  if (!status.ok()) {
    db.Rollback().IgnoreError();
    return status;
  }
  status = db.Commit();
  if (!status.ok()) db.Rollback().IgnoreError();
  return status;
}

// The absl::Status for SQLite result code `code` (OK for SQLITE_OK/ROW/DONE):
// constraint violations become ALREADY_EXISTS (unique, primary key) or
// FAILED_PRECONDITION, locks UNAVAILABLE, a full disk RESOURCE_EXHAUSTED.
absl::Status SqliteStatus(int code, absl::string_view message);

}  // namespace lienthong

#endif  // LIBS_STORAGE_SQLITE_DATABASE_H_
