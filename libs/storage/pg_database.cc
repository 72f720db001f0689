#include "libs/storage/pg_database.h"

#include <libpq-fe.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

constexpr Oid kByteaOid = 17;  // pg_type.oid of bytea, fixed since forever

// libpq's messages end in a newline.
std::string Trimmed(const char* message) {
  return std::string(
      absl::StripTrailingAsciiWhitespace(message == nullptr ? "" : message));
}

absl::Status ConnectionLost(pg_conn* conn, absl::string_view sql) {
  return WithErrorInfo(absl::UnavailableError(absl::StrCat(
                           "PostgreSQL connection lost: ",
                           Trimmed(PQerrorMessage(conn)), " in: ", sql)),
                       "DATABASE_UNAVAILABLE");
}

// Notices ("relation ... already exists, skipping") are not errors; libpq
// would print them on stderr.
void IgnoreNotice(void*, const char*) {}

}  // namespace

absl::Status PgStatus(absl::string_view sqlstate, absl::string_view message) {
  if (sqlstate == "00000") return absl::OkStatus();
  absl::string_view sql_class = sqlstate.substr(0, 2);
  absl::StatusCode code = absl::StatusCode::kInternal;
  absl::string_view reason = "DATABASE_ERROR";
  if (sqlstate == "23505") {  // unique_violation
    code = absl::StatusCode::kAlreadyExists;
    reason = "DATABASE_UNIQUE_VIOLATION";
  } else if (sql_class == "23") {  // not null, foreign key, check, exclusion
    code = absl::StatusCode::kFailedPrecondition;
    reason = "DATABASE_CONSTRAINT_VIOLATION";
  } else if (sqlstate == "40001" || sqlstate == "40P01") {
    // Serialization failure or deadlock: the transaction was rolled back and
    // may simply be retried.
    code = absl::StatusCode::kUnavailable;
    reason = "DATABASE_CONFLICT";
  } else if (sqlstate == "55P03") {  // lock_not_available (lock_timeout)
    code = absl::StatusCode::kUnavailable;
    reason = "DATABASE_BUSY";
  } else if (sql_class == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
             sqlstate == "57P03") {
    // Connection exceptions, and the server shutting down or starting up.
    code = absl::StatusCode::kUnavailable;
    reason = "DATABASE_UNAVAILABLE";
  } else if (sql_class == "53" || sql_class == "54") {
    // Insufficient resources (disk full, out of memory, too many
    // connections) and program limits (as SQLITE_TOOBIG).
    code = absl::StatusCode::kResourceExhausted;
    reason = "DATABASE_RESOURCE_EXHAUSTED";
  } else if (sqlstate == "XX001" || sqlstate == "XX002") {
    code = absl::StatusCode::kDataLoss;  // data_corrupted, index_corrupted
    reason = "DATABASE_CORRUPTED";
  } else if (sql_class == "22") {  // data exceptions, as SQLITE_MISMATCH
    code = absl::StatusCode::kInvalidArgument;
    reason = "DATABASE_INVALID_VALUE";
  } else if (sqlstate == "57014") {  // query_canceled, statement_timeout
    code = absl::StatusCode::kCancelled;
    reason = "DATABASE_CANCELLED";
  } else if (sqlstate == "25006") {  // read_only_sql_transaction
    code = absl::StatusCode::kFailedPrecondition;
    reason = "DATABASE_READ_ONLY";
  }
  return WithErrorInfo(absl::Status(code, message), reason,
                       {{"sqlstate", std::string(sqlstate)}});
}

PgParam::PgParam(int64_t value) : value_(absl::StrCat(value)) {}

// 17 significant digits: the text reads back as the same double.
PgParam::PgParam(double value) : value_(absl::StrFormat("%.17g", value)) {}

PgParam PgParam::Bytes(absl::string_view bytes) {
  PgParam param;
  param.value_ = std::string(bytes);
  param.binary_ = true;
  return param;
}

PgParam PgParam::Null() {
  PgParam param;
  param.null_ = true;
  return param;
}

void PgResultDeleter::operator()(pg_result* result) const { PQclear(result); }

int PgResult::rows() const { return PQntuples(result_.get()); }

int PgResult::columns() const { return PQnfields(result_.get()); }

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string PgResult::Text(int row, int column) const {
  // PQgetvalue gives "" for NULL and null out of range.
  const char* value = PQgetvalue(result_.get(), row, column);
  if (value == nullptr) return std::string();
  return std::string(value, PQgetlength(result_.get(), row, column));
}

int64_t PgResult::Int64(int row, int column) const {
  int64_t value = 0;
  return absl::SimpleAtoi(Text(row, column), &value) ? value : 0;
}

double PgResult::Double(int row, int column) const {
  double value = 0;
  return absl::SimpleAtod(Text(row, column), &value) ? value : 0;
}

bool PgResult::Bool(int row, int column) const {
  return Text(row, column) == "t";
}

std::string PgResult::Bytes(int row, int column) const {
  if (IsNull(row, column)) return std::string();
  const char* text = PQgetvalue(result_.get(), row, column);
  if (text == nullptr) return std::string();
  size_t size = 0;
  unsigned char* bytes =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
  if (bytes == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(bytes), size);
  PQfreemem(bytes);
  return out;
}

int64_t PgResult::affected_rows() const {
  int64_t rows = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_.get()), &rows) ? rows : 0;
}

absl::StatusOr<std::unique_ptr<PgDatabase>> PgDatabase::Connect(
    const std::string& conninfo) {
  pg_conn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return absl::ResourceExhaustedError("out of memory for a connection");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    // Not the conninfo itself, which may hold a password.
    absl::Status status =
        WithErrorInfo(absl::UnavailableError(absl::StrCat(
                          "cannot connect to PostgreSQL database ", PQdb(conn),
                          ": ", Trimmed(PQerrorMessage(conn)))),
                      "DATABASE_UNAVAILABLE");
    PQfinish(conn);
    return status;
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  std::unique_ptr<PgDatabase> db(new PgDatabase(conn));
  if (absl::Status status = db->Configure(); !status.ok()) return status;
  return db;
}

absl::Status PgDatabase::Configure() {
  // Strings are UTF-8 throughout, whatever the environment's PGCLIENTENCODING.
  if (PQsetClientEncoding(conn_, "UTF8") != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PostgreSQL cannot use UTF-8: ", Trimmed(PQerrorMessage(conn_))));
  }
  // An acknowledged write must survive a server crash; stronger settings
  // (remote_write, remote_apply) are kept.
  absl::StatusOr<PgResult> sync = Query("SHOW synchronous_commit");
  if (!sync.ok()) return sync.status();
  if (sync->Text(0, 0) == "off") return Exec("SET synchronous_commit = on");
  return absl::OkStatus();
}

absl::Status PgDatabase::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return WithErrorInfo(
        absl::UnavailableError(
            absl::StrCat("cannot reconnect to PostgreSQL database ",
                         PQdb(conn_), ": ", Trimmed(PQerrorMessage(conn_)))),
        "DATABASE_UNAVAILABLE");
  }
  return Configure();
}

PgDatabase::~PgDatabase() { PQfinish(conn_); }

absl::Status PgDatabase::ResultStatus(const pg_result* result,
                                      absl::string_view sql) {
  if (result == nullptr) return ConnectionLost(conn_, sql);
  switch (PQresultStatus(result)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
      return absl::OkStatus();
    default:
      break;
  }
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (sqlstate == nullptr) {
    // Errors libpq makes up itself (a broken connection) carry no SQLSTATE.
    if (PQstatus(conn_) == CONNECTION_BAD) return ConnectionLost(conn_, sql);
    return WithErrorInfo(
        absl::InternalError(
            absl::StrCat(Trimmed(PQresultErrorMessage(result)), " in: ", sql)),
        "DATABASE_ERROR");
  }
  // The primary message and the constraint's name, not the DETAIL, which
  // quotes the rows' values.
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  return PgStatus(sqlstate, absl::StrCat(primary != nullptr ? primary : "error",
                                         constraint != nullptr
                                             ? absl::StrCat(" (constraint ",
                                                            constraint, ")")
                                             : "",
                                         " in: ", sql));
}

absl::Status PgDatabase::Exec(absl::string_view sql) {
  PgResult result(PQexec(conn_, std::string(sql).c_str()));
  return ResultStatus(result.result_.get(), sql);
}

absl::StatusOr<PgResult> PgDatabase::Query(absl::string_view sql,
                                           absl::Span<const PgParam> params) {
  std::vector<Oid> types(params.size(), 0);  // 0: the server infers
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  std::vector<int> formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const PgParam& param = params[i];
    if (!param.binary_ && param.value_.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("text parameter $", i + 1,
                       " holds a NUL byte, which PostgreSQL text cannot; ",
                       "bind it with PgParam::Bytes in: ", sql));
    }
    if (param.binary_) types[i] = kByteaOid;
    values[i] = param.null_ ? nullptr : param.value_.c_str();
    lengths[i] = static_cast<int>(param.value_.size());
    formats[i] = param.binary_ ? 1 : 0;
  }
  PgResult result(PQexecParams(conn_, std::string(sql).c_str(),
                               static_cast<int>(params.size()), types.data(),
                               values.data(), lengths.data(), formats.data(),
                               /*resultFormat=*/0));
  if (absl::Status status = ResultStatus(result.result_.get(), sql);
      !status.ok()) {
    return status;
  }
  return result;
}

absl::Status PgDatabase::Begin(PgIsolation isolation) {
  switch (isolation) {
    case PgIsolation::kReadCommitted:
      return Exec("BEGIN");
    case PgIsolation::kRepeatableRead:
      return Exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    case PgIsolation::kSerializable:
      return Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
  }
  return absl::InvalidArgumentError("unknown isolation level");
}

absl::Status PgDatabase::Commit() {
  // PostgreSQL answers COMMIT of a failed transaction with a rollback, not an
  // error; say so instead of reporting success.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    Rollback().IgnoreError();
    return WithErrorInfo(
        absl::AbortedError(
            "transaction rolled back: a statement in it failed earlier"),
        "DATABASE_TRANSACTION_FAILED");
  }
  return Exec("COMMIT");
}

absl::Status PgDatabase::Rollback() { return Exec("ROLLBACK"); }

bool PgDatabase::in_transaction() const {
  PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

absl::StatusOr<PgTransaction> PgTransaction::Begin(PgDatabase& db,
                                                   PgIsolation isolation) {
  if (absl::Status status = db.Begin(isolation); !status.ok()) return status;
  return PgTransaction(&db);
}

PgTransaction::PgTransaction(PgTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

PgTransaction::~PgTransaction() {
  if (db_ != nullptr && db_->in_transaction()) db_->Rollback().IgnoreError();
}

absl::Status PgTransaction::Commit() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError("transaction already finished");
  }
  absl::Status status = db_->Commit();
  if (status.ok()) db_ = nullptr;
  return status;
}

}  // namespace lienthong
