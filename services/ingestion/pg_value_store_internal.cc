#include "services/ingestion/pg_value_store_internal.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"

namespace lienthong::ingestion::internal {
namespace {

std::string KeyText(const ValueKey& key) {
  return absl::StrCat(key.unit, "/", key.indicator, "/", key.period);
}

// An upsert that changes nothing a reader sees writes no revision.
bool Same(const v1::DataValue& stored, const v1::DataValue& next) {
  return google::protobuf::util::MessageDifferencer::Equals(stored.value(),
                                                            next.value()) &&
         stored.comment() == next.comment() &&
         stored.schedule() == next.schedule();
}

// A text[] literal of `items`, each quoted (backslash escapes quotes and
// backslashes), for one array parameter instead of a parameter per item.
std::string TextArray(const std::vector<std::string>& items) {
  std::string array = "{";
  for (const std::string& item : items) {
    if (array.size() > 1) array += ",";
    array += "\"";
    for (char c : item) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += "\"";
  }
  return array + "}";
}

}  // namespace

// As SqliteValueStore's schema after its migration 4, in one step. Keys
// compare bytewise (COLLATE "C"), as in SQLite, so listing order and page
// tokens do not depend on the database's locale. Changes carry their value's
// schedule so as-of reads filter it in SQL. Sequences come from feed_head,
// not an identity column, because the feed must be gapless and in commit
// order (see PgValueStore::Apply).
const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "values, changes, feed head, request log", R"sql(
CREATE TABLE data_values (
  unit TEXT COLLATE "C" NOT NULL,
  indicator TEXT COLLATE "C" NOT NULL,
  period TEXT COLLATE "C" NOT NULL,
  schedule TEXT COLLATE "C" NOT NULL,
  body BYTEA NOT NULL,
  written_nanos BIGINT NOT NULL,
  PRIMARY KEY (unit, indicator, period)
);
CREATE INDEX data_values_by_slice ON data_values (unit, period, schedule);
CREATE INDEX data_values_by_written ON data_values (written_nanos);
CREATE TABLE changes (
  sequence BIGINT PRIMARY KEY,
  unit TEXT COLLATE "C" NOT NULL,
  indicator TEXT COLLATE "C" NOT NULL,
  period TEXT COLLATE "C" NOT NULL,
  schedule TEXT COLLATE "C" NOT NULL,
  body BYTEA NOT NULL,
  commit_nanos BIGINT NOT NULL,
  deleted BOOLEAN NOT NULL
);
CREATE INDEX changes_as_of ON changes (unit, indicator, period, commit_nanos);
CREATE TABLE feed_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sequence BIGINT NOT NULL
);
INSERT INTO feed_head (id, sequence) VALUES (1, 0);
CREATE TABLE value_requests (
  request_id TEXT PRIMARY KEY,
  response BYTEA NOT NULL
);
)sql"}};
  return *migrations;
}

std::string NumberedParams::Add(PgParam param) {
  params_.push_back(std::move(param));
  return absl::StrCat("$", params_.size());
}

std::string QueryFilters(const ValueQuery& query, absl::string_view t,
                         NumberedParams& params) {
  std::vector<std::string> after = absl::StrSplit(query.after, '/');
  after.resize(3);
  std::string where =
      absl::StrCat("(", t, ".unit, ", t, ".indicator, ", t, ".period) > (",
                   params.Add(after[0]), ", ", params.Add(after[1]), ", ",
                   params.Add(after[2]), ")");
  if (!query.unit.empty()) {
    absl::StrAppend(&where, " AND ", t, ".unit = ", params.Add(query.unit));
  }
  if (!query.units.empty()) {
    absl::StrAppend(&where, " AND ", t, ".unit = ANY(",
                    params.Add(TextArray(query.units)), "::text[])");
  }
  if (!query.indicator.empty()) {
    absl::StrAppend(&where, " AND ", t,
                    ".indicator = ", params.Add(query.indicator));
  }
  if (!query.period.empty()) {
    absl::StrAppend(&where, " AND ", t, ".period = ", params.Add(query.period));
  }
  return where;
}

absl::StatusOr<absl::optional<v1::DataValue>> ReadCurrent(PgDatabase& db,
                                                          const ValueKey& key) {
  absl::StatusOr<std::vector<v1::DataValue>> found =
      ReadBodies<v1::DataValue>(db.Query(
          "SELECT body FROM data_values WHERE unit = $1 AND indicator = $2 "
          "AND period = $3",
          {key.unit, key.indicator, key.period}));
  if (!found.ok()) return found.status();
  if (found->empty()) return absl::optional<v1::DataValue>();
  return absl::optional<v1::DataValue>(std::move(found->front()));
}

absl::StatusOr<std::vector<PlannedChange>> Decide(
    PgDatabase& db, const std::vector<ValueWrite>& writes,
    const std::vector<SliceKey>& replace, ApplyResult& result) {
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
    absl::StatusOr<PgResult> rows = db.Query(
        "SELECT indicator, body FROM data_values WHERE unit = $1 AND "
        "period = $2 AND schedule = $3 ORDER BY indicator",
        {slice.unit, slice.period, slice.schedule});
    if (!rows.ok()) return rows.status();
    absl::StatusOr<std::vector<v1::DataValue>> stored =
        ReadBodies<v1::DataValue>(rows, 1);
    if (!stored.ok()) return stored.status();
    for (int row = 0; row < rows->rows(); ++row) {
      ValueKey key{slice.unit, rows->Text(row, 0), slice.period};
      if (kept.count(KeyText(key)) > 0) continue;
      ++result.deleted;
      plan.push_back({std::move(key), std::move((*stored)[row]), nullptr});
    }
  }
  return plan;
}

absl::StatusOr<int64_t> Execute(PgDatabase& db,
                                const std::vector<PlannedChange>& plan,
                                const common::v1::AuditInfo& written,
                                int64_t head) {
  const int64_t commit_nanos =
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(written.time());
  int64_t sequence = head;
  for (const PlannedChange& planned : plan) {
    const ValueKey& key = planned.key;
    v1::Change change;
    *change.mutable_commit_time() = written.time();
    int64_t revision = 1;
    if (planned.current.has_value()) {
      *change.mutable_previous_value() = planned.current->value();
      revision = planned.current->revision() + 1;
    }
    absl::Status status;
    if (planned.next == nullptr) {
      change.set_kind(v1::CHANGE_KIND_DELETE);
      *change.mutable_value() = *planned.current;
      // The deletion's revision says who deleted it, when.
      *change.mutable_value()->mutable_written() = written;
      status = db.Query(
                     "DELETE FROM data_values WHERE unit = $1 AND "
                     "indicator = $2 AND period = $3",
                     {key.unit, key.indicator, key.period})
                   .status();
    } else {
      change.set_kind(v1::CHANGE_KIND_UPSERT);
      v1::DataValue* value = change.mutable_value();
      *value = *planned.next;
      value->set_revision(revision);
      *value->mutable_written() = written;
      status =
          db.Query(
                "INSERT INTO data_values (unit, indicator, period, schedule, "
                "body, written_nanos) VALUES ($1, $2, $3, $4, $5, $6) "
                "ON CONFLICT (unit, indicator, period) DO UPDATE SET "
                "schedule = excluded.schedule, body = excluded.body, "
                "written_nanos = excluded.written_nanos",
                {key.unit, key.indicator, key.period, value->schedule(),
                 PgParam::Bytes(value->SerializeAsString()), commit_nanos})
              .status();
    }
    if (!status.ok()) return status;
    change.mutable_value()->set_revision(revision);
    change.set_sequence(++sequence);
    status = db.Query(
                   "INSERT INTO changes (sequence, unit, indicator, period, "
                   "schedule, body, commit_nanos, deleted) VALUES ($1, $2, "
                   "$3, $4, $5, $6, $7, $8)",
                   {sequence, key.unit, key.indicator, key.period,
                    change.value().schedule(),
                    PgParam::Bytes(change.SerializeAsString()), commit_nanos,
                    planned.next == nullptr})
                 .status();
    if (!status.ok()) return status;
  }
  return sequence;
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

}  // namespace lienthong::ingestion::internal
