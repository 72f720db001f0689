#include "services/ingestion/sqlite_value_store.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "libs/storage/group_commit_writer.h"
#include "libs/storage/migrations.h"
#include "libs/storage/sqlite_database.h"

namespace lienthong::ingestion {
namespace {

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "values, changes, request log", R"sql(
CREATE TABLE data_values (
  unit TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  schedule TEXT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (unit, indicator, period)
);
CREATE INDEX data_values_by_slice ON data_values (unit, period, schedule);
CREATE TABLE changes (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  unit TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX changes_by_value ON changes (unit, indicator, period, sequence);
CREATE TABLE value_requests (
  request_id TEXT PRIMARY KEY,
  response BLOB NOT NULL
);
)sql"},
      {2, "commit times and deletions on changes, for as-of reads", R"sql(
ALTER TABLE changes ADD COLUMN commit_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE changes ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX changes_as_of ON changes (unit, indicator, period, commit_nanos);
)sql"},
      {3, "write time of current values, for updated-since reads", R"sql(
ALTER TABLE data_values ADD COLUMN written_nanos INTEGER NOT NULL DEFAULT 0;
UPDATE data_values SET written_nanos = COALESCE((SELECT MAX(c.commit_nanos)
  FROM changes c WHERE c.unit = data_values.unit AND
  c.indicator = data_values.indicator AND c.period = data_values.period), 0);
CREATE INDEX data_values_by_written ON data_values (written_nanos);
)sql"},
      {4, "drop changes_by_value: changes_as_of serves the same lookups",
       R"sql(
DROP INDEX changes_by_value;
)sql"}};
  return *migrations;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ReadBodies(SqliteStatement& statement,
                                                int column = 0) {
  std::vector<Message> out;
  while (true) {
    absl::StatusOr<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    if (!out.emplace_back().ParseFromString(statement.ColumnText(column))) {
      return absl::DataLossError("stored record does not parse");
    }
  }
}

v1::ValueRevision RevisionOf(const v1::Change& change) {
  v1::ValueRevision revision;
  revision.set_data_value(change.value().name());
  revision.set_revision(change.value().revision());
  if (change.has_previous_value()) {
    *revision.mutable_old_value() = change.previous_value();
  }
  if (change.kind() == v1::CHANGE_KIND_UPSERT) {
    *revision.mutable_new_value() = change.value().value();
  }
  revision.set_comment(change.value().comment());
  *revision.mutable_written() = change.value().written();
  revision.set_sequence(change.sequence());
  revision.set_source_system(change.value().source_system());
  return revision;
}

std::string KeyText(const ValueKey& key) {
  return absl::StrCat(key.unit, "/", key.indicator, "/", key.period);
}

absl::StatusOr<absl::optional<v1::DataValue>> ReadCurrent(SqliteDatabase& db,
                                                          const ValueKey& key) {
  absl::StatusOr<SqliteStatement*> select = db.Prepare(
      "SELECT body FROM data_values WHERE unit = ? AND indicator = ? AND "
      "period = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, key.unit).Bind(2, key.indicator).Bind(3, key.period);
  absl::StatusOr<std::vector<v1::DataValue>> found =
      ReadBodies<v1::DataValue>(**select);
  if (!found.ok()) return found.status();
  if (found->empty()) return absl::optional<v1::DataValue>();
  return absl::optional<v1::DataValue>(std::move(found->front()));
}

// An upsert that changes nothing a reader sees writes no revision.
bool Same(const v1::DataValue& stored, const v1::DataValue& next) {
  return google::protobuf::util::MessageDifferencer::Equals(stored.value(),
                                                            next.value()) &&
         stored.comment() == next.comment() &&
         stored.schedule() == next.schedule();
}

}  // namespace

// Decides each write's effect against what `db` holds (reads only), counting
// it in `result`.
absl::StatusOr<std::vector<SqliteValueStore::PlannedChange>>
SqliteValueStore::Decide(SqliteDatabase& db,
                         const std::vector<ValueWrite>& writes,
                         const std::vector<SliceKey>& replace,
                         ApplyResult& result) {
  std::vector<PlannedChange> plan;
  std::set<std::string> kept;  // keys the batch writes, for replaced slices
  for (const ValueWrite& write : writes) {
    absl::StatusOr<absl::optional<v1::DataValue>> current =
        ReadCurrent(db, write.key);
    if (!current.ok()) return current.status();
    if (!replace.empty()) kept.insert(KeyText(write.key));
    if (write.remove) {
      if (!current->has_value()) {
        ++result.unchanged;  // nothing to delete
        continue;
      }
      ++result.deleted;
    } else if (!current->has_value()) {
      ++result.created;
    } else if (Same(**current, write.value)) {
      ++result.unchanged;
      continue;
    } else {
      ++result.updated;
    }
    plan.push_back({write.key, *std::move(current),
                    write.remove ? nullptr : &write.value});
  }
  for (const SliceKey& slice : replace) {
    absl::StatusOr<SqliteStatement*> select = db.Prepare(
        "SELECT indicator, body FROM data_values WHERE unit = ? AND period = ? "
        "AND schedule = ? ORDER BY indicator");
    if (!select.ok()) return select.status();
    (*select)
        ->Bind(1, slice.unit)
        .Bind(2, slice.period)
        .Bind(3, slice.schedule);
    absl::StatusOr<std::vector<v1::DataValue>> stored =
        ReadBodies<v1::DataValue>(**select, 1);
    if (!stored.ok()) return stored.status();
    for (v1::DataValue& value : *stored) {
      ValueKey key{slice.unit,
                   value.indicator().substr(sizeof("indicators/") - 1),
                   slice.period};
      if (kept.count(KeyText(key)) > 0) continue;
      ++result.deleted;
      plan.push_back({std::move(key), std::move(value), nullptr});
    }
  }
  return plan;
}

// Writes the planned changes, each as a revision on the change feed; returns
// the last sequence (0 if none).
absl::StatusOr<int64_t> SqliteValueStore::Execute(
    SqliteDatabase& db, const std::vector<PlannedChange>& plan,
    const common::v1::AuditInfo& written) {
  if (plan.empty()) return 0;
  const int64_t commit_nanos =
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(written.time());
  // Sequences are assigned here, inside the writer's transaction, so each
  // change is one INSERT with its final body.
  absl::StatusOr<SqliteStatement*> head =
      db.Prepare("SELECT COALESCE(MAX(sequence), 0) FROM changes");
  if (!head.ok()) return head.status();
  if (absl::StatusOr<bool> row = (*head)->Step(); !row.ok()) {
    return row.status();
  }
  int64_t sequence = (*head)->ColumnInt64(0);
  for (const PlannedChange& planned : plan) {
    const ValueKey& key = planned.key;
    v1::Change change;
    *change.mutable_commit_time() = written.time();
    int64_t revision = 1;
    if (planned.current.has_value()) {
      *change.mutable_previous_value() = planned.current->value();
      revision = planned.current->revision() + 1;
    }
    if (planned.next == nullptr) {
      change.set_kind(v1::CHANGE_KIND_DELETE);
      *change.mutable_value() = *planned.current;
      // The deletion's revision says who deleted it, when.
      *change.mutable_value()->mutable_written() = written;
      absl::StatusOr<SqliteStatement*> remove = db.Prepare(
          "DELETE FROM data_values WHERE unit = ? AND indicator = ? AND "
          "period = ?");
      if (!remove.ok()) return remove.status();
      absl::Status s = (*remove)
                           ->Bind(1, key.unit)
                           .Bind(2, key.indicator)
                           .Bind(3, key.period)
                           .Run();
      if (!s.ok()) return s;
    } else {
      change.set_kind(v1::CHANGE_KIND_UPSERT);
      v1::DataValue* value = change.mutable_value();
      *value = *planned.next;
      value->set_revision(revision);
      *value->mutable_written() = written;
      absl::StatusOr<SqliteStatement*> upsert = db.Prepare(
          "INSERT INTO data_values (unit, indicator, period, schedule, body, "
          "written_nanos) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit, "
          "indicator, period) DO UPDATE SET schedule = excluded.schedule, "
          "body = excluded.body, written_nanos = excluded.written_nanos");
      if (!upsert.ok()) return upsert.status();
      absl::Status s = (*upsert)
                           ->Bind(1, key.unit)
                           .Bind(2, key.indicator)
                           .Bind(3, key.period)
                           .Bind(4, value->schedule())
                           .BindBlob(5, value->SerializeAsString())
                           .Bind(6, commit_nanos)
                           .Run();
      if (!s.ok()) return s;
    }
    change.mutable_value()->set_revision(revision);
    change.set_sequence(++sequence);
    absl::StatusOr<SqliteStatement*> append = db.Prepare(
        "INSERT INTO changes (sequence, unit, indicator, period, body, "
        "commit_nanos, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!append.ok()) return append.status();
    absl::Status s = (*append)
                         ->Bind(1, sequence)
                         .Bind(2, key.unit)
                         .Bind(3, key.indicator)
                         .Bind(4, key.period)
                         .BindBlob(5, change.SerializeAsString())
                         .Bind(6, commit_nanos)
                         .Bind(7, int64_t{planned.next == nullptr ? 1 : 0})
                         .Run();
    if (!s.ok()) return s;
  }
  return sequence;
}

absl::StatusOr<std::unique_ptr<SqliteValueStore>> SqliteValueStore::Open(
    const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open({path});
  if (!db.ok()) return db.status();
  if (absl::Status status = ApplyMigrations(**db, "ingestion", Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<SqliteDatabase>> reader =
      SqliteDatabase::Open({path, /*read_only=*/true});
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<SqliteValueStore>(new SqliteValueStore(
      std::make_unique<GroupCommitWriter>(*std::move(db)), *std::move(reader)));
}

SqliteValueStore::SqliteValueStore(std::unique_ptr<GroupCommitWriter> writer,
                                   std::unique_ptr<SqliteDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

SqliteValueStore::~SqliteValueStore() = default;

absl::StatusOr<absl::optional<v1::DataValue>> SqliteValueStore::Get(
    const ValueKey& key) {
  absl::MutexLock lock(&reader_mutex_);
  return ReadCurrent(*reader_, key);
}

// The WHERE conditions of `query` on table alias `t`, parameters ?1-?9, and
// binding them.
std::string QueryFilters(const ValueQuery& query, absl::string_view t) {
  std::string where = absl::StrCat("(", t, ".unit, ", t, ".indicator, ", t,
                                   ".period) > (?1, ?2, ?3)");
  if (!query.unit.empty()) absl::StrAppend(&where, " AND ", t, ".unit = ?4");
  if (!query.units.empty()) {
    absl::StrAppend(&where, " AND ", t,
                    ".unit IN (SELECT value FROM json_each(?5))");
  }
  if (!query.indicator.empty()) {
    absl::StrAppend(&where, " AND ", t, ".indicator = ?6");
  }
  if (!query.period.empty())
    absl::StrAppend(&where, " AND ", t, ".period = ?7");
  return where;
}

void BindQuery(const ValueQuery& query, SqliteStatement& statement) {
  std::vector<std::string> after = absl::StrSplit(query.after, '/');
  after.resize(3);
  statement.Bind(1, after[0]).Bind(2, after[1]).Bind(3, after[2]);
  if (!query.unit.empty()) statement.Bind(4, query.unit);
  if (!query.units.empty()) {
    // Codes are digits; quotes and backslashes escaped all the same.
    std::string json = "[";
    for (const std::string& unit : query.units) {
      if (json.size() > 1) json += ",";
      absl::StrAppend(
          &json, "\"",
          absl::StrReplaceAll(unit, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
    }
    json += "]";
    statement.Bind(5, json);
  }
  if (!query.indicator.empty()) statement.Bind(6, query.indicator);
  if (!query.period.empty()) statement.Bind(7, query.period);
}

absl::StatusOr<std::vector<v1::DataValue>> SqliteValueStore::List(
    const ValueQuery& query) {
  std::string sql = absl::StrCat("SELECT v.body FROM data_values v WHERE ",
                                 QueryFilters(query, "v"));
  if (!query.schedule.empty()) sql += " AND v.schedule = ?8";
  if (query.updated_since_nanos > 0) sql += " AND v.written_nanos >= ?9";
  sql += " ORDER BY v.unit, v.indicator, v.period LIMIT ?10";
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(sql);
  if (!select.ok()) return select.status();
  BindQuery(query, **select);
  if (!query.schedule.empty()) (*select)->Bind(8, query.schedule);
  if (query.updated_since_nanos > 0) {
    (*select)->Bind(9, query.updated_since_nanos);
  }
  (*select)->Bind(10, int64_t{query.limit});
  return ReadBodies<v1::DataValue>(**select);
}

absl::StatusOr<std::vector<v1::DataValue>> SqliteValueStore::ListAsOf(
    const ValueQuery& query, int64_t as_of_unix_nanos) {
  // Each key's latest change committed by `as_of`, unless it deleted the value.
  std::string sql = absl::StrCat(
      "SELECT c.body FROM changes c JOIN (SELECT MAX(sequence) AS last FROM "
      "changes l WHERE l.commit_nanos <= ?11 AND ",
      QueryFilters(query, "l"),
      " GROUP BY l.unit, l.indicator, l.period) k ON c.sequence = k.last "
      "WHERE c.deleted = 0 ORDER BY c.unit, c.indicator, c.period");
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(sql);
  if (!select.ok()) return select.status();
  BindQuery(query, **select);
  (*select)->Bind(11, as_of_unix_nanos);
  std::vector<v1::DataValue> values;
  // The schedule is only in the body; read until the page is full.
  while (static_cast<int>(values.size()) < query.limit) {
    absl::StatusOr<bool> row = (*select)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::Change change;
    if (!change.ParseFromString((*select)->ColumnText(0))) {
      return absl::DataLossError("stored change does not parse");
    }
    if (!query.schedule.empty() &&
        change.value().schedule() != query.schedule) {
      continue;
    }
    values.push_back(std::move(*change.mutable_value()));
  }
  (*select)->Reset();
  return values;
}

absl::StatusOr<std::vector<v1::ValueRevision>> SqliteValueStore::Revisions(
    const ValueKey& key, int limit) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(
      "SELECT body FROM changes WHERE unit = ? AND indicator = ? AND "
      "period = ? ORDER BY sequence DESC LIMIT ?");
  if (!select.ok()) return select.status();
  (*select)
      ->Bind(1, key.unit)
      .Bind(2, key.indicator)
      .Bind(3, key.period)
      .Bind(4, int64_t{limit});
  absl::StatusOr<std::vector<v1::Change>> changes =
      ReadBodies<v1::Change>(**select);
  if (!changes.ok()) return changes.status();
  std::vector<v1::ValueRevision> revisions;
  for (const v1::Change& change : *changes) {
    revisions.push_back(RevisionOf(change));
  }
  return revisions;
}

absl::StatusOr<absl::optional<std::string>> SqliteValueStore::FindResponse(
    const std::string& request_id) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(
      "SELECT response FROM value_requests WHERE request_id = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, request_id);
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::optional<std::string>();
  return absl::optional<std::string>((*select)->ColumnText(0));
}

absl::StatusOr<ApplyResult> SqliteValueStore::Plan(
    const std::vector<ValueWrite>& writes,
    const std::vector<SliceKey>& replace) {
  ApplyResult result;
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<std::vector<PlannedChange>> plan =
      Decide(*reader_, writes, replace, result);
  if (!plan.ok()) return plan.status();
  return result;
}

absl::StatusOr<ApplyResult> SqliteValueStore::Apply(
    std::vector<ValueWrite> writes, const std::vector<SliceKey>& replace,
    const common::v1::AuditInfo& written,
    const std::function<std::string(const ApplyResult&)>& respond) {
  ApplyResult result;
  absl::Status status = writer_->Write([&](SqliteDatabase& db) -> absl::Status {
    // Decided inside the writer's transaction, so concurrent batches see each
    // other's effects in commit order.
    result = ApplyResult();
    absl::StatusOr<std::vector<PlannedChange>> plan =
        Decide(db, writes, replace, result);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<int64_t> last = Execute(db, *plan, written);
    if (!last.ok()) return last.status();
    result.last_sequence = *last;
    if (written.request_id().empty()) return absl::OkStatus();
    absl::StatusOr<SqliteStatement*> log = db.Prepare(
        "INSERT INTO value_requests (request_id, response) VALUES (?, ?)");
    if (!log.ok()) return log.status();
    return (*log)
        ->Bind(1, written.request_id())
        .BindBlob(2, respond ? respond(result) : std::string())
        .Run();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<v1::Change>> SqliteValueStore::ChangesAfter(
    int64_t after, int limit) {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select = reader_->Prepare(
      "SELECT body FROM changes WHERE sequence > ? ORDER BY sequence LIMIT ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, after).Bind(2, int64_t{limit});
  return ReadBodies<v1::Change>(**select);
}

int64_t SqliteValueStore::commits() const { return writer_->stats().commits; }

absl::StatusOr<int64_t> SqliteValueStore::HeadSequence() {
  absl::MutexLock lock(&reader_mutex_);
  absl::StatusOr<SqliteStatement*> select =
      reader_->Prepare("SELECT COALESCE(MAX(sequence), 0) FROM changes");
  if (!select.ok()) return select.status();
  absl::StatusOr<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  return (*select)->ColumnInt64(0);
}

}  // namespace lienthong::ingestion
