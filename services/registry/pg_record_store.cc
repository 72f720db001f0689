#include "services/registry/pg_record_store.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_migrations.h"

namespace lienthong::registry {
namespace {

// As SqliteRecordStore's schema. The keys compare bytewise (COLLATE "C"), as
// in SQLite, so listing order and pages do not depend on the database's
// locale.
const std::vector<Migration>& Migrations() {
  static const auto* migrations =
      new std::vector<Migration>{{1, "records and request log", R"sql(
CREATE TABLE records (
  kind TEXT COLLATE "C" NOT NULL,
  id TEXT COLLATE "C" NOT NULL,
  owner TEXT COLLATE "C" NOT NULL,
  revision BIGINT NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX records_by_owner ON records (kind, owner, id);
CREATE TABLE record_requests (
  request_id TEXT PRIMARY KEY,
  response BYTEA NOT NULL
);
)sql"}};
  return *migrations;
}

constexpr char kColumns[] = "kind, id, owner, revision, body";

std::vector<Record> ReadRecords(const PgResult& rows) {
  std::vector<Record> records;
  records.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    Record& record = records.emplace_back();
    record.kind = rows.Text(row, 0);
    record.id = rows.Text(row, 1);
    record.owner = rows.Text(row, 2);
    record.revision = rows.Int64(row, 3);
    record.body = rows.Bytes(row, 4);
  }
  return records;
}

absl::Status AlreadyExists(const Record& record) {
  return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                           record.kind, " ", record.id, " already exists")),
                       "ALREADY_EXISTS",
                       {{"kind", record.kind}, {"id", record.id}});
}

absl::Status Apply(PgDatabase& db, RecordPut& put) {
  Record& record = put.record;
  // FOR UPDATE: the revision checked is the one replaced, whatever other
  // processes write meanwhile.
  absl::StatusOr<PgResult> current = db.Query(
      "SELECT revision FROM records WHERE kind = $1 AND id = $2 FOR UPDATE",
      {record.kind, record.id});
  if (!current.ok()) return current.status();
  bool found = current->rows() > 0;
  int64_t revision = found ? current->Int64(0, 0) : 0;
  std::map<std::string, std::string> metadata = {{"kind", record.kind},
                                                 {"id", record.id}};
  if (put.create && found) return AlreadyExists(record);
  if (!put.create && !found) {
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
    return db
        .Query("DELETE FROM records WHERE kind = $1 AND id = $2",
               {record.kind, record.id})
        .status();
  }
  record.revision = revision + 1;
  if (found) {
    return db
        .Query(
            "UPDATE records SET owner = $3, revision = $4, body = $5 "
            "WHERE kind = $1 AND id = $2",
            {record.kind, record.id, record.owner, record.revision,
             PgParam::Bytes(record.body)})
        .status();
  }
  absl::Status inserted =
      db.Query(absl::StrCat("INSERT INTO records (", kColumns,
                            ") VALUES ($1, $2, $3, $4, $5)"),
               {record.kind, record.id, record.owner, record.revision,
                PgParam::Bytes(record.body)})
          .status();
  // A row no FOR UPDATE could lock: another process created it meanwhile.
  if (absl::IsAlreadyExists(inserted)) return AlreadyExists(record);
  return inserted;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgRecordStore>> PgRecordStore::Open(
    const std::string& conninfo) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> writer =
      PgDatabase::Connect(conninfo);
  if (!writer.ok()) return writer.status();
  if (absl::Status status =
          ApplyMigrations(**writer, "registry.records", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<PgDatabase>> reader =
      PgDatabase::Connect(conninfo);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<PgRecordStore>(
      new PgRecordStore(*std::move(writer), *std::move(reader)));
}

PgRecordStore::PgRecordStore(std::unique_ptr<PgDatabase> writer,
                             std::unique_ptr<PgDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

PgRecordStore::~PgRecordStore() = default;

absl::StatusOr<Record> PgRecordStore::Get(const std::string& kind,
                                          const std::string& id) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  absl::StatusOr<PgResult> rows =
      reader_->Query(absl::StrCat("SELECT ", kColumns,
                                  " FROM records WHERE kind = $1 AND id = $2"),
                     {kind, id});
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no ", kind, " ", id)), "NOT_FOUND",
        {{"kind", kind}, {"id", id}});
  }
  return std::move(ReadRecords(*rows).front());
}

absl::StatusOr<std::vector<Record>> PgRecordStore::List(
    const std::string& kind, const std::string& owner,
    const std::string& after_id, int limit) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  // LIMIT NULL is no limit, as a negative one is in SQLite.
  PgParam rows_wanted = limit < 0 ? PgParam::Null() : PgParam(limit);
  absl::StatusOr<PgResult> rows =
      owner.empty()
          ? reader_->Query(absl::StrCat("SELECT ", kColumns,
                                        " FROM records WHERE kind = $1 AND "
                                        "id > $2 ORDER BY id LIMIT $3"),
                           {kind, after_id, rows_wanted})
          : reader_->Query(
                absl::StrCat("SELECT ", kColumns,
                             " FROM records WHERE kind = $1 AND owner = $2 "
                             "AND id > $3 ORDER BY id LIMIT $4"),
                {kind, owner, after_id, rows_wanted});
  if (!rows.ok()) return rows.status();
  return ReadRecords(*rows);
}

absl::StatusOr<absl::optional<std::string>> PgRecordStore::FindResponse(
    const std::string& request_id) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  absl::StatusOr<PgResult> rows = reader_->Query(
      "SELECT response FROM record_requests WHERE request_id = $1",
      {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return absl::optional<std::string>();
  return absl::optional<std::string>(rows->Bytes(0, 0));
}

absl::StatusOr<std::vector<RecordPut>> PgRecordStore::Write(
    std::vector<RecordPut> puts, const std::string& request_id,
    const std::function<std::string(const std::vector<RecordPut>&)>& respond) {
  absl::MutexLock lock(&writer_mutex_);
  if (absl::Status status = writer_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *writer_;
  absl::Status status = InTransaction(db, [&]() -> absl::Status {
    for (RecordPut& put : puts) {
      if (absl::Status s = Apply(db, put); !s.ok()) return s;
    }
    if (request_id.empty()) return absl::OkStatus();
    return db
        .Query(
            "INSERT INTO record_requests (request_id, response) "
            "VALUES ($1, $2)",
            {request_id, PgParam::Bytes(respond ? respond(puts) : "")})
        .status();
  });
  if (!status.ok()) return status;
  return puts;
}

}  // namespace lienthong::registry
