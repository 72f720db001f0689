#include "libs/audit/pg_audit_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_migrations.h"

namespace lienthong::audit {
namespace {

// As SqliteAuditStore's schema; AuditLog assigns the sequence, so it is a
// plain key, not an identity column.
const std::vector<Migration>& AuditMigrations() {
  static const auto* const migrations = new std::vector<Migration>{
      {1, "create audit_records",
       "CREATE TABLE audit_records ("
       "  sequence BIGINT PRIMARY KEY,"
       "  time_micros BIGINT NOT NULL,"
       "  agency TEXT NOT NULL,"
       "  role TEXT NOT NULL,"
       "  peer TEXT NOT NULL,"
       "  method TEXT NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  request_sha256 TEXT NOT NULL,"
       "  result_code TEXT NOT NULL,"
       "  result_message TEXT NOT NULL,"
       "  previous_hash TEXT NOT NULL,"
       "  hash TEXT NOT NULL,"
       "  result_reason TEXT NOT NULL)"},
  };
  return *migrations;
}

constexpr char kColumns[] =
    "sequence, time_micros, agency, role, peer, method, request_id, "
    "request_sha256, result_code, result_message, previous_hash, hash, "
    "result_reason";

AuditEntry ReadEntry(const PgResult& rows, int row) {
  AuditEntry entry;
  entry.sequence = rows.Int64(row, 0);
  entry.time = absl::FromUnixMicros(rows.Int64(row, 1));
  entry.event.agency = rows.Text(row, 2);
  entry.event.role = rows.Text(row, 3);
  entry.event.peer = rows.Text(row, 4);
  entry.event.method = rows.Text(row, 5);
  entry.event.request_id = rows.Text(row, 6);
  entry.event.request_sha256 = rows.Text(row, 7);
  entry.event.result_code = rows.Text(row, 8);
  entry.event.result_message = rows.Text(row, 9);
  entry.previous_hash = rows.Text(row, 10);
  entry.hash = rows.Text(row, 11);
  entry.event.result_reason = rows.Text(row, 12);
  return entry;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgAuditStore>> PgAuditStore::Open(
    const std::string& conninfo) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> db =
      PgDatabase::Connect(conninfo);
  if (!db.ok()) return db.status();
  if (absl::Status migrated = ApplyMigrations(**db, "audit", AuditMigrations());
      !migrated.ok()) {
    return migrated;
  }
  return std::unique_ptr<PgAuditStore>(new PgAuditStore(*std::move(db)));
}

PgAuditStore::PgAuditStore(std::unique_ptr<PgDatabase> db)
    : db_(std::move(db)) {}

PgAuditStore::~PgAuditStore() = default;

absl::Status PgAuditStore::Append(const AuditEntry& entry) {
  absl::MutexLock lock(&mutex_);
  if (absl::Status status = db_->EnsureConnected(); !status.ok()) {
    return status;
  }
  const AuditEvent& event = entry.event;
  // Outside a transaction the insert commits on its own, and the commit
  // waits for the WAL flush (synchronous_commit), so OK means durable.
  return db_
      ->Query(absl::StrCat("INSERT INTO audit_records (", kColumns,
                           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                           "$10, $11, $12, $13)"),
              {entry.sequence, absl::ToUnixMicros(entry.time), event.agency,
               event.role, event.peer, event.method, event.request_id,
               event.request_sha256, event.result_code, event.result_message,
               entry.previous_hash, entry.hash, event.result_reason})
      .status();
}

absl::StatusOr<absl::optional<AuditEntry>> PgAuditStore::Last() {
  absl::MutexLock lock(&mutex_);
  if (absl::Status status = db_->EnsureConnected(); !status.ok()) {
    return status;
  }
  absl::StatusOr<PgResult> rows = db_->Query(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_records ORDER BY sequence DESC LIMIT 1"));
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return absl::optional<AuditEntry>();
  return absl::optional<AuditEntry>(ReadEntry(*rows, 0));
}

absl::StatusOr<std::vector<AuditEntry>> PgAuditStore::Scan(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mutex_);
  if (absl::Status status = db_->EnsureConnected(); !status.ok()) {
    return status;
  }
  absl::StatusOr<PgResult> rows = db_->Query(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_records WHERE sequence > $1 "
                   "ORDER BY sequence LIMIT $2"),
      {after_sequence, limit < 0 ? PgParam::Null() : PgParam(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> entries;
  entries.reserve(rows->rows());
  for (int row = 0; row < rows->rows(); ++row) {
    entries.push_back(ReadEntry(*rows, row));
  }
  return entries;
}

}  // namespace lienthong::audit
