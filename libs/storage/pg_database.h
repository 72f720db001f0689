#ifndef LIBS_STORAGE_PG_DATABASE_H_
#define LIBS_STORAGE_PG_DATABASE_H_

// PostgreSQL through libpq, as a server-side counterpart of SqliteDatabase:
// one connection, statements with parameters, results read by row and column,
// transactions (RAII: roll back unless committed), and PostgreSQL errors as
// absl::Status by SQLSTATE.
//
// Durability: a commit that returned OK is durable as the server's settings
// make it; a connection whose session has synchronous_commit=off is switched
// to on, so an acknowledged write is never lost to a server crash.
//
// Thread safety: a PgDatabase is NOT thread-safe (neither is a libpq
// connection); one thread at a time uses it, and a thread that must run
// concurrently with another connects on its own, as with SqliteDatabase.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

// libpq's PGconn and PGresult, without including <libpq-fe.h> here.
struct pg_conn;
struct pg_result;

namespace lienthong {

// One statement parameter: text, which the server converts to the type the
// statement expects there (an integer column takes "42"); bytes, sent in
// binary for a BYTEA; or NULL.
class PgParam {
 public:
  PgParam(absl::string_view text) : value_(text) {}   // NOLINT: implicit
  PgParam(const char* text) : value_(text) {}         // NOLINT: implicit
  PgParam(const std::string& text) : value_(text) {}  // NOLINT: implicit
  PgParam(int64_t value);                             // NOLINT: implicit
  // An int would be ambiguous between the int64_t and double overloads.
  PgParam(int value) : PgParam(static_cast<int64_t>(value)) {}  // NOLINT
  PgParam(double value);                                        // NOLINT
  PgParam(bool value) : value_(value ? "true" : "false") {}     // NOLINT

  // A BYTEA value, any bytes (text parameters cannot hold a NUL byte).
  static PgParam Bytes(absl::string_view bytes);
  static PgParam Null();

 private:
  friend class PgDatabase;
  PgParam() = default;

  std::string value_;
  bool binary_ = false;
  bool null_ = false;
};

// Frees a PGresult.
struct PgResultDeleter {
  void operator()(pg_result* result) const;
};

// The rows of one statement. Values arrive in PostgreSQL's text format; the
// accessors convert them. Rows and columns are 0-based.
class PgResult {
 public:
  int rows() const;
  int columns() const;
  bool IsNull(int row, int column) const;
  // NULL reads as "", 0, 0.0 or false (as SqliteStatement's columns do); a
  // value that is not of the accessor's type is a programming error and
  // reads the same.
  std::string Text(int row, int column) const;
  int64_t Int64(int row, int column) const;
  double Double(int row, int column) const;
  bool Bool(int row, int column) const;
  // A BYTEA column's bytes.
  std::string Bytes(int row, int column) const;

  // Rows changed by an INSERT/UPDATE/DELETE (0 for other statements).
  int64_t affected_rows() const;

 private:
  friend class PgDatabase;
  explicit PgResult(pg_result* result) : result_(result) {}

  std::unique_ptr<pg_result, PgResultDeleter> result_;
};

// The isolation level of a transaction.
enum class PgIsolation {
  kReadCommitted,   // PostgreSQL's default: each statement sees the last commit
  kRepeatableRead,  // one snapshot for the whole transaction
  kSerializable,
};

// One connection to a PostgreSQL database. Not thread-safe (see the file
// comment).
class PgDatabase {
 public:
  // Connects with a libpq connection string, either a URI
  // ("postgresql://user@host:5432/db") or key=value pairs
  // ("host=/run/postgresql dbname=lienthong"). UNAVAILABLE when the server
  // cannot be reached or refuses the connection.
  static absl::StatusOr<std::unique_ptr<PgDatabase>> Connect(
      const std::string& conninfo);
  ~PgDatabase();
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  // Connects again when the connection broke (the server restarted, the
  // network failed); OK when it is fine. Call it only between transactions:
  // whatever the old session held (a transaction, SETs) is gone with it.
  absl::Status EnsureConnected();

  // Runs one or more statements without parameters (DDL, SET, ...); outside
  // a transaction, several statements run as one implicit transaction.
  absl::Status Exec(absl::string_view sql);

  // Runs one statement with parameters $1, $2, ... and returns its rows.
  absl::StatusOr<PgResult> Query(absl::string_view sql,
                                 absl::Span<const PgParam> params = {});
  absl::StatusOr<PgResult> Query(absl::string_view sql,
                                 std::initializer_list<PgParam> params) {
    return Query(sql, absl::MakeConstSpan(params.begin(), params.size()));
  }

  // Transactions. After a failed statement PostgreSQL refuses every further
  // one until the rollback; Commit() then rolls back and says so.
  absl::Status Begin(PgIsolation isolation = PgIsolation::kReadCommitted);
  // UNAVAILABLE when the connection broke, and the outcome is then unknown.
  absl::Status Commit();
  absl::Status Rollback();
  bool in_transaction() const;

 private:
  explicit PgDatabase(pg_conn* conn) : conn_(conn) {}

  // Sets up a new session: UTF-8, durable commits.
  absl::Status Configure();

  // The status of `result` (null when libpq could not even send `sql`).
  absl::Status ResultStatus(const pg_result* result, absl::string_view sql);

  pg_conn* conn_;
};

// A transaction that rolls back when it goes out of scope without a
// successful Commit(), so every early return undoes its writes.
class PgTransaction {
 public:
  static absl::StatusOr<PgTransaction> Begin(
      PgDatabase& db, PgIsolation isolation = PgIsolation::kReadCommitted);
  PgTransaction(PgTransaction&& other) noexcept;
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();

  // Makes the writes durable; afterwards the destructor does nothing. On
  // failure the destructor still rolls back.
  absl::Status Commit();

 private:
  explicit PgTransaction(PgDatabase* db) : db_(db) {}
  PgDatabase* db_;  // null once committed or moved from
};

// Runs `body` in a transaction: commits when it returns OK, rolls back
// otherwise.
template <typename Body>
absl::Status InTransaction(
    PgDatabase& db, Body&& body,
    PgIsolation isolation = PgIsolation::kReadCommitted) {
  absl::StatusOr<PgTransaction> transaction =
      PgTransaction::Begin(db, isolation);
  if (!transaction.ok()) return transaction.status();
  if (absl::Status status = body(); !status.ok()) return status;
  return transaction->Commit();
}

// The absl::Status for SQLSTATE `sqlstate` (OK for "00000"), with an
// ErrorInfo reason and the SQLSTATE in its metadata: unique violations
// ALREADY_EXISTS, other integrity violations FAILED_PRECONDITION,
// serialization failures, deadlocks, lock timeouts and lost connections
// UNAVAILABLE (retry), insufficient resources RESOURCE_EXHAUSTED, corruption
// DATA_LOSS, invalid values INVALID_ARGUMENT, cancellation CANCELLED, anything
// else INTERNAL.
absl::Status PgStatus(absl::string_view sqlstate, absl::string_view message);

}  // namespace lienthong

#endif  // LIBS_STORAGE_PG_DATABASE_H_
