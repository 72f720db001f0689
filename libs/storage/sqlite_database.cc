#include "libs/storage/sqlite_database.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace lienthong {
namespace {

absl::Status LastError(sqlite3* db, int code, absl::string_view context) {
  return SqliteStatus(
      sqlite3_extended_errcode(db) != 0 ? sqlite3_extended_errcode(db) : code,
      absl::StrCat(context, ": ", sqlite3_errmsg(db)));
}

}  // namespace

absl::Status SqliteStatus(int code, absl::string_view message) {
  switch (code & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::OkStatus();
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE ||
          code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::FailedPreconditionError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return absl::ResourceExhaustedError(message);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      return absl::FailedPreconditionError(message);
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return absl::InvalidArgumentError(message);
    case SQLITE_CORRUPT:
      return absl::DataLossError(message);
    case SQLITE_INTERRUPT:
      return absl::CancelledError(message);
    case SQLITE_ABORT:
      return absl::AbortedError(message);
    case SQLITE_IOERR:
      return absl::InternalError(message);
    default:
      return absl::InternalError(message);
  }
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_.ok())
    bind_error_ = LastError(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, double value) {
  int rc = sqlite3_bind_double(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_.ok())
    bind_error_ = LastError(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, absl::string_view text) {
  int rc = sqlite3_bind_text64(statement_, index, text.data(), text.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_.ok())
    bind_error_ = LastError(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, absl::string_view bytes) {
  int rc = sqlite3_bind_blob64(statement_, index, bytes.data(), bytes.size(),
                               SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_.ok())
    bind_error_ = LastError(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK && bind_error_.ok())
    bind_error_ = LastError(db_, rc, "bind");
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return LastError(db_, rc, sqlite3_sql(statement_));
}

absl::Status SqliteStatement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = absl::OkStatus();
}

int SqliteStatement::ColumnCount() const {
  return sqlite3_column_count(statement_);
}

int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_, column);
}

double SqliteStatement::ColumnDouble(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  return text == nullptr
             ? std::string()
             : std::string(reinterpret_cast<const char*>(text), size);
}

std::string SqliteStatement::ColumnBlob(int column) const {
  const void* bytes = sqlite3_column_blob(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  return bytes == nullptr ? std::string()
                          : std::string(static_cast<const char*>(bytes), size);
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::changes() const { return sqlite3_changes64(db_); }

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const Options& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (options.read_only ? SQLITE_OPEN_READONLY
                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteStatus(
        rc, absl::StrCat("cannot open ", options.path, ": ",
                         db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(
      db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(db, options));
  // WAL: readers never block the writer. synchronous=FULL: the WAL is synced at
  // every commit, so a commit that returned is on disk.
  // A 64 MiB page cache (SQLite's default is 2 MiB): batches of thousands of
  // rows touch more index pages than that, and every miss is a read.
  std::string pragmas =
      options.read_only ? "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                        : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;";
  if (absl::Status status = database->Exec(pragmas); !status.ok()) {
    return status;
  }
  return database;
}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::OpenReadOnly()
    const {
  if (options_.path.empty() || options_.path == ":memory:") {
    return absl::FailedPreconditionError(
        "an in-memory database has no file for another connection to open");
  }
  Options reader = options_;
  reader.read_only = true;
  return Open(reader);
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, statement] : statements_) {
    sqlite3_finalize(statement->statement_);
  }
  statements_.clear();
  sqlite3_close(db_);
}

absl::Status SqliteDatabase::Exec(absl::string_view sql) {
  char* error = nullptr;
  int rc =
      sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status =
      SqliteStatus(sqlite3_extended_errcode(db_),
                   absl::StrCat(error != nullptr ? error : sqlite3_errstr(rc),
                                " in: ", sql));
  sqlite3_free(error);
  return status;
}

absl::StatusOr<SqliteStatement*> SqliteDatabase::Prepare(
    absl::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK)
      return LastError(db_, rc, absl::StrCat("prepare ", sql));
    it = statements_
             .emplace(std::string(sql), std::unique_ptr<SqliteStatement>(
                                            new SqliteStatement(db_, raw)))
             .first;
  }
  // A statement left part-way through its rows keeps its read transaction (and
  // so an old snapshot) open; finishing them here means every statement starts
  // from the latest commit.
  for (auto& [other_sql, other] : statements_) {
    if (other.get() != it->second.get() &&
        sqlite3_stmt_busy(other->statement_)) {
      sqlite3_reset(other->statement_);
    }
  }
  it->second->Reset();
  return it->second.get();
}

absl::Status SqliteDatabase::Begin() { return Exec("BEGIN IMMEDIATE"); }
absl::Status SqliteDatabase::Commit() { return Exec("COMMIT"); }
absl::Status SqliteDatabase::Rollback() { return Exec("ROLLBACK"); }
bool SqliteDatabase::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

absl::Status SqliteDatabase::Savepoint(absl::string_view name) {
  return Exec(absl::StrCat("SAVEPOINT \"", name, "\""));
}
absl::Status SqliteDatabase::ReleaseSavepoint(absl::string_view name) {
  return Exec(absl::StrCat("RELEASE SAVEPOINT \"", name, "\""));
}
absl::Status SqliteDatabase::RollbackToSavepoint(absl::string_view name) {
  return Exec(absl::StrCat("ROLLBACK TO SAVEPOINT \"", name, "\""));
}

absl::StatusOr<Transaction> Transaction::Begin(SqliteDatabase& db) {
  if (absl::Status status = db.Begin(); !status.ok()) return status;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // SQLite may already have rolled back on its own (e.g. a full disk).
  if (db_ != nullptr && db_->in_transaction()) db_->Rollback().IgnoreError();
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError("transaction already finished");
  }
  absl::Status status = db_->Commit();
  if (status.ok()) db_ = nullptr;
  return status;
}

absl::StatusOr<ScopedSavepoint> ScopedSavepoint::Begin(SqliteDatabase& db,
                                                       std::string name) {
  if (absl::Status status = db.Savepoint(name); !status.ok()) return status;
  return ScopedSavepoint(&db, std::move(name));
}

ScopedSavepoint::ScopedSavepoint(ScopedSavepoint&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)) {}

ScopedSavepoint::~ScopedSavepoint() {
  if (db_ == nullptr || !db_->in_transaction()) return;
  // Rolling back to a savepoint keeps it open; releasing it ends it.
  db_->RollbackToSavepoint(name_).IgnoreError();
  db_->ReleaseSavepoint(name_).IgnoreError();
}

absl::Status ScopedSavepoint::Release() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("savepoint ", name_, " already finished"));
  }
  absl::Status status = db_->ReleaseSavepoint(name_);
  if (status.ok()) db_ = nullptr;
  return status;
}

}  // namespace lienthong
