#include "services/registry/sqlite_unit_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"
#include "services/registry/dates.h"

namespace lienthong::registry {
namespace {

// Open ends stored as sentinels so range tests are plain comparisons.
constexpr char kOpenStart[] = "0000-00-00";
constexpr char kOpenEnd[] = "9999-12-31";

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "units, parent links, succession events, request log",
       R"sql(
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  level INTEGER NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  revision INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE parent_links (
  child TEXT NOT NULL REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
  parent TEXT NOT NULL REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  PRIMARY KEY (child, valid_from)
);
CREATE INDEX parent_links_by_parent ON parent_links (parent, valid_from);
CREATE TABLE succession_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  effective_date TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE event_units (
  event_id INTEGER NOT NULL REFERENCES succession_events(id),
  unit TEXT NOT NULL,
  PRIMARY KEY (unit, event_id)
);
CREATE TABLE request_log (
  request_id TEXT PRIMARY KEY,
  response BLOB NOT NULL
);
)sql"}};
  return *migrations;
}

std::string StartText(const common::v1::DateRange& range) {
  return range.has_start() && !IsUnset(range.start())
             ? DayText(absl::CivilDay(range.start().year(),
                                      range.start().month(),
                                      range.start().day()))
             : kOpenStart;
}

std::string EndText(const common::v1::DateRange& range) {
  return range.has_end() && !IsUnset(range.end())
             ? DayText(absl::CivilDay(range.end().year(), range.end().month(),
                                      range.end().day()))
             : kOpenEnd;
}

std::string CodeOf(const std::string& name) {
  constexpr absl::string_view kPrefix = "units/";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

absl::Status PutUnit(SqliteDatabase& db, UnitPut& put,
                     const google::protobuf::Timestamp& now) {
  v1::AdminUnit& unit = put.unit;
  absl::StatusOr<SqliteStatement*> select =
      db.Prepare("SELECT revision FROM units WHERE code = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, unit.code());
  absl::StatusOr<bool> found = (*select)->Step();
  if (!found.ok()) return found.status();
  int64_t revision = *found ? (*select)->ColumnInt64(0) : 0;
  if (put.create && *found) {
    return WithErrorInfo(absl::AlreadyExistsError(absl::StrCat(
                             "unit code ", unit.code(),
                             " is taken or retired; codes are never reused")),
                         "UNIT_CODE_TAKEN", {{"code", unit.code()}});
  }
  if (!put.create && !*found) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no unit ", unit.code())),
        "UNIT_NOT_FOUND", {{"code", unit.code()}});
  }
  if (!put.expected_etag.empty() &&
      put.expected_etag != absl::StrCat(revision)) {
    return WithErrorInfo(
        absl::AbortedError(absl::StrCat(
            "unit ", unit.code(), " changed since it was read (etag ",
            put.expected_etag, ", now ", revision, "); read it again")),
        "ETAG_MISMATCH", {{"code", unit.code()}});
  }
  unit.set_name(absl::StrCat("units/", unit.code()));
  unit.set_etag(absl::StrCat(revision + 1));
  *unit.mutable_update_time() = now;

  absl::StatusOr<SqliteStatement*> upsert = db.Prepare(
      "INSERT INTO units (code, level, valid_from, valid_to, revision, body) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
      "level = excluded.level, valid_from = excluded.valid_from, "
      "valid_to = excluded.valid_to, revision = excluded.revision, "
      "body = excluded.body");
  if (!upsert.ok()) return upsert.status();
  absl::Status status = (*upsert)
                            ->Bind(1, unit.code())
                            .Bind(2, int64_t{unit.level()})
                            .Bind(3, StartText(unit.valid()))
                            .Bind(4, EndText(unit.valid()))
                            .Bind(5, revision + 1)
                            .BindBlob(6, unit.SerializeAsString())
                            .Run();
  if (!status.ok()) return status;

  absl::StatusOr<SqliteStatement*> clear =
      db.Prepare("DELETE FROM parent_links WHERE child = ?");
  if (!clear.ok()) return clear.status();
  if (status = (*clear)->Bind(1, unit.code()).Run(); !status.ok()) {
    return status;
  }
  for (const v1::ParentLink& link : unit.parents()) {
    absl::StatusOr<SqliteStatement*> insert = db.Prepare(
        "INSERT INTO parent_links (child, parent, valid_from, valid_to) "
        "VALUES (?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    status = (*insert)
                 ->Bind(1, unit.code())
                 .Bind(2, CodeOf(link.parent()))
                 .Bind(3, StartText(link.valid()))
                 .Bind(4, EndText(link.valid()))
                 .Run();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status PutEvent(SqliteDatabase& db, v1::SuccessionEvent& event,
                      const google::protobuf::Timestamp& now) {
  absl::StatusOr<SqliteStatement*> insert = db.Prepare(
      "INSERT INTO succession_events (effective_date, body) VALUES (?, '')");
  if (!insert.ok()) return insert.status();
  absl::Status status =
      (*insert)
          ->Bind(1, DayText(absl::CivilDay(event.effective_date().year(),
                                           event.effective_date().month(),
                                           event.effective_date().day())))
          .Run();
  if (!status.ok()) return status;
  absl::StatusOr<SqliteStatement*> last =
      db.Prepare("SELECT last_insert_rowid()");
  if (!last.ok()) return last.status();
  if (absl::StatusOr<bool> row = (*last)->Step(); !row.ok())
    return row.status();
  int64_t id = (*last)->ColumnInt64(0);
  event.set_name(absl::StrCat("successionEvents/", id));
  *event.mutable_create_time() = now;

  absl::StatusOr<SqliteStatement*> body =
      db.Prepare("UPDATE succession_events SET body = ? WHERE id = ?");
  if (!body.ok()) return body.status();
  status = (*body)->BindBlob(1, event.SerializeAsString()).Bind(2, id).Run();
  if (!status.ok()) return status;

  std::vector<std::string> units(event.predecessors().begin(),
                                 event.predecessors().end());
  for (const v1::Successor& successor : event.successors()) {
    units.push_back(successor.unit());
  }
  for (const std::string& unit : units) {
    absl::StatusOr<SqliteStatement*> link = db.Prepare(
        "INSERT OR IGNORE INTO event_units (event_id, unit) VALUES (?, ?)");
    if (!link.ok()) return link.status();
    status = (*link)->Bind(1, id).Bind(2, CodeOf(unit)).Run();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ReadBodies(SqliteStatement& statement) {
  std::vector<Message> out;
  while (true) {
    absl::StatusOr<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    if (!out.emplace_back().ParseFromString(statement.ColumnText(0))) {
      return absl::DataLossError("stored record does not parse");
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteUnitStore>> SqliteUnitStore::Open(
    const std::string& path, const Clock* clock) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status status =
          ApplyMigrations(**db, "registry.units", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> reader =
      SqliteDatabase::Open({path, /*read_only=*/true});
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteUnitStore>(
      new SqliteUnitStore(std::make_unique<GroupCommitWriter>(*std::move(db)),
                          *std::move(reader), clock));
}

SqliteUnitStore::SqliteUnitStore(std::unique_ptr<GroupCommitWriter> writer,
                                 std::unique_ptr<SqliteDatabase> reader,
                                 const Clock* clock)
    : writer_(std::move(writer)), reader_(std::move(reader)), clock_(clock) {}

SqliteUnitStore::~SqliteUnitStore() = default;

absl::StatusOr<v1::AdminUnit> SqliteUnitStore::GetUnit(
    const std::string& code) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select =
      reader_->Prepare("SELECT body FROM units WHERE code = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, code);
  absl::StatusOr<std::vector<v1::AdminUnit>> units =
      ReadBodies<v1::AdminUnit>(**select);
  if (!units.ok()) return units.status();
  if (units->empty()) {
    return WithErrorInfo(absl::NotFoundError(absl::StrCat("no unit ", code)),
                         "UNIT_NOT_FOUND", {{"code", code}});
  }
  return std::move(units->front());
}

absl::StatusOr<std::vector<v1::AdminUnit>> SqliteUnitStore::ListUnits(
    const UnitQuery& query) {
  std::string sql = "SELECT u.body FROM units u";
  if (!query.parent.empty()) {
    sql +=
        " JOIN parent_links p ON p.child = u.code AND p.parent = ?1"
        " AND p.valid_from <= ?2 AND p.valid_to >= ?2";
  }
  sql += " WHERE u.code > ?3";
  if (query.level != 0) sql += " AND u.level = ?4";
  if (query.as_of.has_value()) {
    sql += " AND u.valid_from <= ?2 AND u.valid_to >= ?2";
  }
  sql += " ORDER BY u.code LIMIT ?5";

  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(sql);
  if (!select.ok()) return select.status();
  if (!query.parent.empty()) (*select)->Bind(1, query.parent);
  if (query.as_of.has_value()) (*select)->Bind(2, DayText(*query.as_of));
  (*select)->Bind(3, query.after_code);
  if (query.level != 0) (*select)->Bind(4, int64_t{query.level});
  (*select)->Bind(5, int64_t{query.limit});
  return ReadBodies<v1::AdminUnit>(**select);
}

absl::StatusOr<std::vector<v1::SuccessionEvent>> SqliteUnitStore::ListEvents(
    const std::string& code) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select =
      code.empty()
          ? reader_->Prepare(
                "SELECT body FROM succession_events "
                "ORDER BY effective_date DESC, id DESC")
          : reader_->Prepare(
                "SELECT e.body FROM succession_events e "
                "JOIN event_units eu ON eu.event_id = e.id WHERE eu.unit = ? "
                "ORDER BY e.effective_date DESC, e.id DESC");
  if (!select.ok()) return select.status();
  if (!code.empty()) (*select)->Bind(1, code);
  return ReadBodies<v1::SuccessionEvent>(**select);
}

absl::StatusOr<absl::optional<std::string>> SqliteUnitStore::FindResponse(
    const std::string& request_id) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select =
      reader_->Prepare("SELECT response FROM request_log WHERE request_id = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, request_id);
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::optional<std::string>();
  return absl::optional<std::string>((*select)->ColumnText(0));
}

absl::StatusOr<UnitWrite> SqliteUnitStore::Write(UnitWrite write) {
  google::protobuf::Timestamp now =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_->Now()));
  absl::Status status = writer_->Write([&](SqliteDatabase& db) -> absl::Status {
    for (UnitPut& put : write.puts) {
      if (absl::Status s = PutUnit(db, put, now); !s.ok()) return s;
    }
    for (v1::SuccessionEvent& event : write.events) {
      if (absl::Status s = PutEvent(db, event, now); !s.ok()) return s;
    }
    if (write.request_id.empty()) return absl::OkStatus();
    absl::StatusOr<SqliteStatement*> log = db.Prepare(
        "INSERT INTO request_log (request_id, response) VALUES (?, ?)");
    if (!log.ok()) return log.status();
    return (*log)
        ->Bind(1, write.request_id)
        .BindBlob(2, write.respond ? write.respond(write) : std::string())
        .Run();
  });
  if (!status.ok()) return status;
  return write;
}

}  // namespace lienthong::registry
