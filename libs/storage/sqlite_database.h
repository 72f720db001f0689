#ifndef LIBS_STORAGE_SQLITE_DATABASE_H_
#define LIBS_STORAGE_SQLITE_DATABASE_H_

// SQLite as the embedded store: WAL journal, full sync (an acknowledged commit
// survives a crash or power loss), foreign keys enforced, prepared statements
// cached per connection, transactions and savepoints.
//
// Thread safety: a SqliteDatabase (and the statements it hands out) is NOT
// thread-safe; it is opened without SQLite's own mutex and must be used by one
// thread at a time. The intended shape is one writer thread owning the
// read-write connection (see GroupCommitWriter) plus readers, each on its own
// connection from OpenReadOnly(); WAL lets them read the last commit while the
// writer writes.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

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
  // An int would be ambiguous between the int64_t and double overloads.
  SqliteStatement& Bind(int index, int value) {
    return Bind(index, static_cast<int64_t>(value));
  }
  SqliteStatement& BindBlob(int index, absl::string_view bytes);
  SqliteStatement& BindNull(int index);
  // NULL when `value` is empty.
  template <typename T>
  SqliteStatement& Bind(int index, const absl::optional<T>& value) {
    return value.has_value() ? Bind(index, *value) : BindNull(index);
  }
  template <typename T>
  SqliteStatement& BindBlob(int index, const absl::optional<T>& bytes) {
    return bytes.has_value() ? BindBlob(index, absl::string_view(*bytes))
                             : BindNull(index);
  }

  // Advances: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to the end, for statements that return no rows.
  absl::Status Run();

  // Back to before the first Step(), bindings cleared, so it can run again.
  void Reset();

  // Columns of the current row, 0-based. NULL reads as 0, 0.0 or "".
  int ColumnCount() const;
  int64_t ColumnInt64(int column) const;
  double ColumnDouble(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
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

// One connection to a database file. Not thread-safe (see the file comment).
class SqliteDatabase {
 public:
  using Options = SqliteOptions;

  // Opens (creating when writable) the database: WAL, synchronous=FULL,
  // foreign keys on, the busy timeout set.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(
      const Options& options);
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

  // Another connection on the same file, read-only, for a reader thread.
  // FAILED_PRECONDITION for ":memory:", which no other connection can see.
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> OpenReadOnly() const;

  const std::string& path() const { return options_.path; }

 private:
  SqliteDatabase(sqlite3* db, Options options)
      : db_(db), options_(std::move(options)) {}

  sqlite3* db_;
  Options options_;
  absl::flat_hash_map<std::string, std::unique_ptr<SqliteStatement>>
      statements_;
};

// A transaction (BEGIN IMMEDIATE) that rolls back when it goes out of scope
// without a successful Commit(), so every early return undoes its writes.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(SqliteDatabase& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Makes the writes durable; afterwards the destructor does nothing. On
  // failure the destructor still rolls back.
  absl::Status Commit();

 private:
  explicit Transaction(SqliteDatabase* db) : db_(db) {}
  SqliteDatabase* db_;  // null once committed or moved from
};

// A savepoint inside a transaction that rolls back to itself (and is released)
// when it goes out of scope without Release(): undoes one part of the
// transaction, keeps the rest.
class ScopedSavepoint {
 public:
  static absl::StatusOr<ScopedSavepoint> Begin(SqliteDatabase& db,
                                               std::string name);
  ScopedSavepoint(ScopedSavepoint&& other) noexcept;
  ScopedSavepoint& operator=(ScopedSavepoint&&) = delete;
  ~ScopedSavepoint();

  // Keeps this savepoint's writes as part of the enclosing transaction.
  absl::Status Release();

 private:
  ScopedSavepoint(SqliteDatabase* db, std::string name)
      : db_(db), name_(std::move(name)) {}
  SqliteDatabase* db_;  // null once released or moved from
  std::string name_;
};

// Runs `body` in a transaction: commits when it returns OK, rolls back
// otherwise.
template <typename Body>
absl::Status InTransaction(SqliteDatabase& db, Body&& body) {
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db);
  if (!transaction.ok()) return transaction.status();
  if (absl::Status status = body(); !status.ok()) return status;
  return transaction->Commit();
}

// The absl::Status for SQLite result code `code` (OK for SQLITE_OK/ROW/DONE):
// constraint violations become ALREADY_EXISTS (unique, primary key) or
// FAILED_PRECONDITION (not null, foreign key, check), locks UNAVAILABLE, a full
// disk RESOURCE_EXHAUSTED, corruption DATA_LOSS, I/O errors INTERNAL.
absl::Status SqliteStatus(int code, absl::string_view message);

}  // namespace lienthong

#endif  // LIBS_STORAGE_SQLITE_DATABASE_H_
