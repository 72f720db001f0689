#include "libs/audit/sqlite_audit_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong::audit {
namespace {

const std::vector<Migration>& AuditMigrations() {
  static const auto* const migrations = new std::vector<Migration>{
      {1, "create audit_records",
       "CREATE TABLE audit_records ("
       "  sequence INTEGER PRIMARY KEY,"
       "  time_micros INTEGER NOT NULL,"
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

AuditEntry ReadEntry(const SqliteStatement& row) {
  AuditEntry entry;
  entry.sequence = row.ColumnInt64(0);
  entry.time = absl::FromUnixMicros(row.ColumnInt64(1));
  entry.event.agency = row.ColumnText(2);
  entry.event.role = row.ColumnText(3);
  entry.event.peer = row.ColumnText(4);
  entry.event.method = row.ColumnText(5);
  entry.event.request_id = row.ColumnText(6);
  entry.event.request_sha256 = row.ColumnText(7);
  entry.event.result_code = row.ColumnText(8);
  entry.event.result_message = row.ColumnText(9);
  entry.previous_hash = row.ColumnText(10);
  entry.hash = row.ColumnText(11);
  entry.event.result_reason = row.ColumnText(12);
  return entry;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status migrated = ApplyMigrations(**db, "audit", AuditMigrations());
      !migrated.ok()) {
    return migrated;
  }
  return std::unique_ptr<SqliteAuditStore>(
      new SqliteAuditStore(*std::move(db)));
}

SqliteAuditStore::SqliteAuditStore(std::unique_ptr<SqliteDatabase> db)
    : db_(std::move(db)) {}

SqliteAuditStore::~SqliteAuditStore() = default;

absl::Status SqliteAuditStore::Append(const AuditEntry& entry) {
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<SqliteStatement*> insert = db_->Prepare(
      absl::StrCat("INSERT INTO audit_records (", kColumns,
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (!insert.ok()) return insert.status();
  const AuditEvent& event = entry.event;
  (*insert)
      ->Bind(1, entry.sequence)
      .Bind(2, absl::ToUnixMicros(entry.time))
      .Bind(3, event.agency)
      .Bind(4, event.role)
      .Bind(5, event.peer)
      .Bind(6, event.method)
      .Bind(7, event.request_id)
      .Bind(8, event.request_sha256)
      .Bind(9, event.result_code)
      .Bind(10, event.result_message)
      .Bind(11, entry.previous_hash)
      .Bind(12, entry.hash)
      .Bind(13, event.result_reason);
  // Outside a transaction the insert commits (and syncs) on its own.
  return (*insert)->Run();
}

absl::StatusOr<absl::optional<AuditEntry>> SqliteAuditStore::Last() {
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<SqliteStatement*> select = db_->Prepare(
      absl::StrCat("SELECT ", kColumns,
                   " FROM audit_records ORDER BY sequence DESC LIMIT 1"));
  if (!select.ok()) return select.status();
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::optional<AuditEntry>();
  return absl::optional<AuditEntry>(ReadEntry(**select));
}

absl::StatusOr<std::vector<AuditEntry>> SqliteAuditStore::Scan(
    int64_t after_sequence, int limit) {
  absl::MutexLock lock(&mutex_);
  absl::StatusOr<SqliteStatement*> select =
      db_->Prepare(absl::StrCat("SELECT ", kColumns,
                                " FROM audit_records WHERE sequence > ? "
                                "ORDER BY sequence LIMIT ?"));
  if (!select.ok()) return select.status();
  (*select)->Bind(1, after_sequence).Bind(2, limit);
  std::vector<AuditEntry> entries;
  while (true) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    entries.push_back(ReadEntry(**select));
  }
  return entries;
}

}  // namespace lienthong::audit
