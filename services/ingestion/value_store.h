#ifndef SERVICES_INGESTION_VALUE_STORE_H_
#define SERVICES_INGESTION_VALUE_STORE_H_

// Storage of indicator values: the current value of each unit × indicator ×
// period, every change as a revision, and the revisions in commit order as the
// change feed (a revision's sequence is its feed position). Implementations:
// SqliteValueStore, PgValueStore.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "lienthong/ingestion/v1/data_value.pb.h"

namespace lienthong::ingestion {

// One value's identity.
struct ValueKey {
  std::string unit;       // unit code, e.g. "00097"
  std::string indicator;  // indicator code
  std::string period;     // canonical period, e.g. "2025-M06"
};

// One row of a batch: the new state, or a removal. The store decides its
// effect against the current value, inside the batch's transaction: an upsert
// equal to the stored value (value, comment, schedule) and a removal of
// nothing write no revision.
struct ValueWrite {
  ValueKey key;
  v1::DataValue value;  // for upserts: the whole new value (revision assigned)
  bool remove = false;
};

// A unit × period × schedule slice a batch replaces: its stored values that
// the batch does not write are removed.
struct SliceKey {
  std::string unit;      // unit code
  std::string period;    // canonical period
  std::string schedule;  // schedules/{id}
};

// What a batch did (or, planned, would do).
struct ApplyResult {
  int64_t last_sequence = 0;  // of the batch's last change; 0 if none
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int deleted = 0;  // removals and values omitted from replaced slices
};

// Which values to list.
struct ValueQuery {
  std::string unit;  // unit code; empty for any
  // Unit codes, any of them; empty for any (used instead of `unit`).
  std::vector<std::string> units;
  std::string indicator;  // indicator code; empty for any
  std::string period;     // canonical period; empty for any
  std::string schedule;   // schedule id; empty for any
  std::string after;      // resume after this "unit/indicator/period"
  // Only values whose current revision was written at or after this time (Unix
  // nanoseconds); 0 for any. Not applied to as-of reads.
  int64_t updated_since_nanos = 0;
  int limit = 1000;
};

class ValueStore {
 public:
  virtual ~ValueStore() = default;

  // The current value of `key`, if any.
  virtual absl::StatusOr<absl::optional<v1::DataValue>> Get(
      const ValueKey& key) = 0;
  // Current values matching `query`, by unit, indicator, period.
  virtual absl::StatusOr<std::vector<v1::DataValue>> List(
      const ValueQuery& query) = 0;
  // Values matching `query` as they stood at `as_of` (Unix nanoseconds): each
  // key's latest change committed by then, unless that change deleted it.
  virtual absl::StatusOr<std::vector<v1::DataValue>> ListAsOf(
      const ValueQuery& query, int64_t as_of_unix_nanos) = 0;
  // Revisions of `key`, newest first.
  virtual absl::StatusOr<std::vector<v1::ValueRevision>> Revisions(
      const ValueKey& key, int limit) = 0;
  // The stored response of an earlier batch with `request_id`, if any.
  virtual absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) = 0;
  // Applies `writes` and the removals `replace` implies atomically and
  // durably, each change as a revision written by `written` (actor, time,
  // request_id). With a request_id, `respond(result)` is stored for replays in
  // the same transaction.
  virtual absl::StatusOr<ApplyResult> Apply(
      std::vector<ValueWrite> writes, const std::vector<SliceKey>& replace,
      const common::v1::AuditInfo& written,
      const std::function<std::string(const ApplyResult&)>& respond) = 0;
  // What Apply would do now, writing nothing (dry runs).
  virtual absl::StatusOr<ApplyResult> Plan(
      const std::vector<ValueWrite>& writes,
      const std::vector<SliceKey>& replace) = 0;
  // Changes with a sequence after `after`, in order, at most `limit`.
  virtual absl::StatusOr<std::vector<v1::Change>> ChangesAfter(int64_t after,
                                                               int limit) = 0;
  // The sequence of the latest change (0 for none).
  virtual absl::StatusOr<int64_t> HeadSequence() = 0;

  // Transactions committed so far, each one durable write (SQLite: one fsync
  // shared by a group of batches; PostgreSQL: one WAL flush), for metrics.
  virtual int64_t commits() const = 0;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_VALUE_STORE_H_
