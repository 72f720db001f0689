#include "services/ingestion/pg_value_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_migrations.h"
#include "services/ingestion/pg_value_store_internal.h"

namespace lienthong::ingestion {
namespace {

using internal::NumberedParams;
using internal::ReadBodies;

// LIMIT NULL is no limit, as a negative one is in SQLite.
PgParam Limit(int limit) {
  return limit < 0 ? PgParam::Null() : PgParam(limit);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgValueStore>> PgValueStore::Open(
    const std::string& conninfo) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> writer =
      PgDatabase::Connect(conninfo);
  if (!writer.ok()) return writer.status();
  if (absl::Status status =
          ApplyMigrations(**writer, "ingestion", internal::Migrations());
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<PgDatabase>> reader =
      PgDatabase::Connect(conninfo);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<PgValueStore>(
      new PgValueStore(*std::move(writer), *std::move(reader)));
}

PgValueStore::PgValueStore(std::unique_ptr<PgDatabase> writer,
                           std::unique_ptr<PgDatabase> reader)
    : writer_(std::move(writer)), reader_(std::move(reader)) {}

PgValueStore::~PgValueStore() = default;

absl::StatusOr<absl::optional<v1::DataValue>> PgValueStore::Get(
    const ValueKey& key) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  return internal::ReadCurrent(*reader_, key);
}

absl::StatusOr<std::vector<v1::DataValue>> PgValueStore::List(
    const ValueQuery& query) {
  NumberedParams params;
  std::string sql = absl::StrCat("SELECT v.body FROM data_values v WHERE ",
                                 internal::QueryFilters(query, "v", params));
  if (!query.schedule.empty()) {
    absl::StrAppend(&sql, " AND v.schedule = ", params.Add(query.schedule));
  }
  if (query.updated_since_nanos > 0) {
    absl::StrAppend(&sql, " AND v.written_nanos >= ",
                    params.Add(query.updated_since_nanos));
  }
  absl::StrAppend(&sql, " ORDER BY v.unit, v.indicator, v.period LIMIT ",
                  params.Add(Limit(query.limit)));
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  return ReadBodies<v1::DataValue>(reader_->Query(sql, params.params()));
}

absl::StatusOr<std::vector<v1::DataValue>> PgValueStore::ListAsOf(
    const ValueQuery& query, int64_t as_of_unix_nanos) {
  // As SqliteValueStore, which fills a page of `limit`: none when it is not
  // positive.
  if (query.limit <= 0) return std::vector<v1::DataValue>();
  // Each key's latest change committed by `as_of`, unless it deleted the
  // value; the schedule is the one that change left.
  NumberedParams params;
  std::string sql = absl::StrCat(
      "SELECT c.body FROM changes c JOIN (SELECT MAX(l.sequence) AS last "
      "FROM changes l WHERE l.commit_nanos <= ",
      params.Add(as_of_unix_nanos), " AND ",
      internal::QueryFilters(query, "l", params),
      " GROUP BY l.unit, l.indicator, l.period) k ON c.sequence = k.last "
      "WHERE NOT c.deleted");
  if (!query.schedule.empty()) {
    absl::StrAppend(&sql, " AND c.schedule = ", params.Add(query.schedule));
  }
  absl::StrAppend(&sql, " ORDER BY c.unit, c.indicator, c.period LIMIT ",
                  params.Add(query.limit));
  absl::StatusOr<std::vector<v1::Change>> changes;
  {
    absl::MutexLock lock(&reader_mutex_);
    if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
      return status;
    }
    changes = ReadBodies<v1::Change>(reader_->Query(sql, params.params()));
  }
  if (!changes.ok()) return changes.status();
  std::vector<v1::DataValue> values;
  values.reserve(changes->size());
  for (v1::Change& change : *changes) {
    values.push_back(std::move(*change.mutable_value()));
  }
  return values;
}

absl::StatusOr<std::vector<v1::ValueRevision>> PgValueStore::Revisions(
    const ValueKey& key, int limit) {
  absl::StatusOr<std::vector<v1::Change>> changes;
  {
    absl::MutexLock lock(&reader_mutex_);
    if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
      return status;
    }
    changes = ReadBodies<v1::Change>(reader_->Query(
        "SELECT body FROM changes WHERE unit = $1 AND indicator = $2 AND "
        "period = $3 ORDER BY sequence DESC LIMIT $4",
        {key.unit, key.indicator, key.period, Limit(limit)}));
  }
  if (!changes.ok()) return changes.status();
  std::vector<v1::ValueRevision> revisions;
  revisions.reserve(changes->size());
  for (const v1::Change& change : *changes) {
    revisions.push_back(internal::RevisionOf(change));
  }
  return revisions;
}

absl::StatusOr<absl::optional<std::string>> PgValueStore::FindResponse(
    const std::string& request_id) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  absl::StatusOr<PgResult> rows = reader_->Query(
      "SELECT response FROM value_requests WHERE request_id = $1",
      {request_id});
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return absl::optional<std::string>();
  return absl::optional<std::string>(rows->Bytes(0, 0));
}

absl::StatusOr<ApplyResult> PgValueStore::Plan(
    const std::vector<ValueWrite>& writes,
    const std::vector<SliceKey>& replace) {
  ApplyResult result;
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  // One snapshot for all the reads (READ COMMITTED takes one per statement),
  // so the counts describe one state of the store.
  absl::Status status = InTransaction(
      *reader_,
      [&]() -> absl::Status {
        return internal::Decide(*reader_, writes, replace, result).status();
      },
      PgIsolation::kRepeatableRead);
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<ApplyResult> PgValueStore::Apply(
    std::vector<ValueWrite> writes, const std::vector<SliceKey>& replace,
    const common::v1::AuditInfo& written,
    const std::function<std::string(const ApplyResult&)>& respond) {
  ApplyResult result;
  absl::MutexLock lock(&writer_mutex_);
  if (absl::Status status = writer_->EnsureConnected(); !status.ok()) {
    return status;
  }
  PgDatabase& db = *writer_;
  absl::Status status = InTransaction(db, [&]() -> absl::Status {
    // Batches take turns on the head row (locked until commit), as SQLite's
    // single writer orders them. Without it, READ COMMITTED would let two
    // batches decide against the same stored values and number changes from
    // the same head; a sequence object instead would leave gaps on rollback
    // and could commit numbers out of order, letting a feed reader skip a
    // change for good. Under it, each statement sees every earlier batch's
    // commit, and the feed is gapless in commit order.
    absl::StatusOr<PgResult> head =
        db.Query("SELECT sequence FROM feed_head WHERE id = 1 FOR UPDATE");
    if (!head.ok()) return head.status();
    if (head->rows() != 1) {
      return absl::DataLossError("the feed head row is missing");
    }
    absl::StatusOr<std::vector<internal::PlannedChange>> plan =
        internal::Decide(db, writes, replace, result);
    if (!plan.ok()) return plan.status();
    if (!plan->empty()) {
      absl::StatusOr<int64_t> last =
          internal::Execute(db, *plan, written, head->Int64(0, 0));
      if (!last.ok()) return last.status();
      result.last_sequence = *last;
      absl::Status moved =
          db.Query("UPDATE feed_head SET sequence = $1 WHERE id = 1", {*last})
              .status();
      if (!moved.ok()) return moved;
    }
    if (written.request_id().empty()) return absl::OkStatus();
    return db
        .Query(
            "INSERT INTO value_requests (request_id, response) "
            "VALUES ($1, $2)",
            {written.request_id(),
             PgParam::Bytes(respond ? respond(result) : "")})
        .status();
  });
  if (!status.ok()) return status;
  commits_.fetch_add(1, std::memory_order_relaxed);
  return result;
}

absl::StatusOr<std::vector<v1::Change>> PgValueStore::ChangesAfter(
    int64_t after, int limit) {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  return ReadBodies<v1::Change>(reader_->Query(
      "SELECT body FROM changes WHERE sequence > $1 ORDER BY sequence "
      "LIMIT $2",
      {after, Limit(limit)}));
}

absl::StatusOr<int64_t> PgValueStore::HeadSequence() {
  absl::MutexLock lock(&reader_mutex_);
  if (absl::Status status = reader_->EnsureConnected(); !status.ok()) {
    return status;
  }
  // Moved in the transaction that appends the changes, so it is the last
  // committed sequence.
  absl::StatusOr<PgResult> head =
      reader_->Query("SELECT sequence FROM feed_head WHERE id = 1");
  if (!head.ok()) return head.status();
  if (head->rows() != 1) {
    return absl::DataLossError("the feed head row is missing");
  }
  return head->Int64(0, 0);
}

int64_t PgValueStore::commits() const {
  return commits_.load(std::memory_order_relaxed);
}

}  // namespace lienthong::ingestion
