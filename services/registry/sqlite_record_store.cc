#include "services/registry/sqlite_record_store.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong::registry {
namespace {

const std::vector<Migration>& Migrations() {
  static const auto* migrations =
      new std::vector<Migration>{{1, "records and request log", R"sql(
CREATE TABLE records (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  owner TEXT NOT NULL,
  revision INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX records_by_owner ON records (kind, owner, id);
CREATE TABLE record_requests (
  request_id TEXT PRIMARY KEY,
  response BLOB NOT NULL
);
)sql"}};
  return *migrations;
}

absl::StatusOr<std::vector<Record>> ReadRecords(SqliteStatement& statement) {
  std::vector<Record> records;
  while (true) {
    absl::StatusOr<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return records;
    Record& record = records.emplace_back();
    record.kind = statement.ColumnText(0);
    record.id = statement.ColumnText(1);
    record.owner = statement.ColumnText(2);
    record.revision = statement.ColumnInt64(3);
    record.body = statement.ColumnText(4);
  }
}

absl::Status Apply(SqliteDatabase& db, RecordPut& put) {
  Record& record = put.record;
  absl::StatusOr<SqliteStatement*> select =
      db.Prepare("SELECT revision FROM records WHERE kind = ? AND id = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, record.kind).Bind(2, record.id);
  absl::StatusOr<bool> found = (*select)->Step();
  if (!found.ok()) return found.status();
  int64_t revision = *found ? (*select)->ColumnInt64(0) : 0;
  std::map<std::string, std::string> metadata = {{"kind", record.kind},
                                                 {"id", record.id}};
  if (put.create && *found) {
    return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                             record.kind, " ", record.id, " already exists")),
                         "ALREADY_EXISTS", metadata);
  }
  if (!put.create && !*found) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no ", record.kind, " ", record.id)),
        "NOT_FOUND", metadata);
  }
  if (put.expected_revision != 0 && put.expected_revision != revision) {
    return WithErrorInfo(
        absl::AbortedError(absl::StrCat(record.kind, " ", record.id,
                                        " changed since it was read; read it "
                                        "again")),
        "ETAG_MISMATCH", metadata);
  }
  if (put.remove) {
    absl::StatusOr<SqliteStatement*> remove =
        db.Prepare("DELETE FROM records WHERE kind = ? AND id = ?");
    if (!remove.ok()) return remove.status();
    return (*remove)->Bind(1, record.kind).Bind(2, record.id).Run();
  }
  record.revision = revision + 1;
  absl::StatusOr<SqliteStatement*> upsert = db.Prepare(
      "INSERT INTO records (kind, id, owner, revision, body) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET "
      "owner = excluded.owner, revision = excluded.revision, "
      "body = excluded.body");
  if (!upsert.ok()) return upsert.status();
  return (*upsert)
      ->Bind(1, record.kind)
      .Bind(2, record.id)
      .Bind(3, record.owner)
      .Bind(4, record.revision)
      .BindBlob(5, record.body)
      .Run();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status status =
          ApplyMigrations(**db, "registry.records", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> reader =
      SqliteDatabase::Open({path, /*read_only=*/true});
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteRecordStore>(new SqliteRecordStore(
      std::make_unique<GroupCommitWriter>(*std::move(db)), *std::move(reader)));
}

SqliteRecordStore::SqliteRecordStore(std::unique_ptr<GroupCommitWriter> writer,
                                     std::unique_ptr<SqliteDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

SqliteRecordStore::~SqliteRecordStore() = default;

absl::StatusOr<Record> SqliteRecordStore::Get(const std::string& kind,
                                              const std::string& id) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(
      "SELECT kind, id, owner, revision, body FROM records "
      "WHERE kind = ? AND id = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, kind).Bind(2, id);
  absl::StatusOr<std::vector<Record>> records = ReadRecords(**select);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no ", kind, " ", id)), "NOT_FOUND",
        {{"kind", kind}, {"id", id}});
  }
  return std::move(records->front());
}

absl::StatusOr<std::vector<Record>> SqliteRecordStore::List(
    const std::string& kind, const std::string& owner,
    const std::string& after_id, int limit) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select =
      owner.empty()
          ? reader_->Prepare(
                "SELECT kind, id, owner, revision, body FROM records "
                "WHERE kind = ?1 AND id > ?3 ORDER BY id LIMIT ?4")
          : reader_->Prepare(
                "SELECT kind, id, owner, revision, body FROM records "
                "WHERE kind = ?1 AND owner = ?2 AND id > ?3 ORDER BY id "
                "LIMIT ?4");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, kind);
  if (!owner.empty()) (*select)->Bind(2, owner);
  (*select)->Bind(3, after_id).Bind(4, int64_t{limit});
  return ReadRecords(**select);
}

absl::StatusOr<absl::optional<std::string>> SqliteRecordStore::FindResponse(
    const std::string& request_id) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(
      "SELECT response FROM record_requests WHERE request_id = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, request_id);
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::optional<std::string>();
  return absl::optional<std::string>((*select)->ColumnText(0));
}

absl::StatusOr<std::vector<RecordPut>> SqliteRecordStore::Write(
    std::vector<RecordPut> puts, const std::string& request_id,
    const std::function<std::string(const std::vector<RecordPut>&)>& respond) {
  absl::Status status = writer_->Write([&](SqliteDatabase& db) -> absl::Status {
    for (RecordPut& put : puts) {
      if (absl::Status s = Apply(db, put); !s.ok()) return s;
    }
    if (request_id.empty()) return absl::OkStatus();
    absl::StatusOr<SqliteStatement*> log = db.Prepare(
        "INSERT INTO record_requests (request_id, response) VALUES (?, ?)");
    if (!log.ok()) return log.status();
    return (*log)
        ->Bind(1, request_id)
        .BindBlob(2, respond ? respond(puts) : std::string())
        .Run();
  });
  if (!status.ok()) return status;
  return puts;
}

}  // namespace lienthong::registry
