#ifndef SERVICES_REPORTING_FEED_INDEX_H_
#define SERVICES_REPORTING_FEED_INDEX_H_

// The reported values as the ingestion change feed describes them, kept in
// memory for rollups: each change applied in sequence order, with the position
// reached, so a consumer resumes after it. Thread-safe: one feed follower
// applies while queries read.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "lienthong/common/v1/period.pb.h"
#include "lienthong/common/v1/value.pb.h"
#include "lienthong/ingestion/v1/data_value.pb.h"

namespace lienthong::reporting {

class FeedIndex {
 public:
  // Applies `change`. Changes at or below the position reached are ignored
  // (a replay after a reconnect); a gap is FAILED_PRECONDITION, since a
  // missed change would leave a wrong value behind.
  absl::Status Apply(const ingestion::v1::Change& change);

  // Puts a value saved by an earlier run (see ReportingStore), whose first
  // value was late or not; then Resume() at the position saved with it.
  void Restore(const ingestion::v1::DataValue& value, bool first_late);
  void Resume(int64_t position);

  // The value `unit` ("units/{code}") reported for `indicator`
  // ("indicators/{code}") and `period` (canonical), if any.
  absl::optional<common::v1::Value> Reported(const std::string& unit,
                                             const std::string& indicator,
                                             const std::string& period) const;

  // Reported() for each of `units`, in order, under one lock.
  std::vector<absl::optional<common::v1::Value>> ReportedMany(
      const std::vector<std::string>& units, const std::string& indicator,
      const std::string& period) const;

  // The indicators `unit` has values for in `period`, each with whether its
  // first value arrived after the submit deadline (corrections do not make a
  // report late).
  std::map<std::string, bool> ReportedIndicators(
      const std::string& unit, const std::string& period) const;

  // The period type `indicator` is reported in, as last seen on the feed.
  absl::optional<common::v1::PeriodType> PeriodTypeOf(
      const std::string& indicator) const;

  // The sequence of the last change applied; 0 before any.
  int64_t position() const;
  // Waits until `sequence` is applied, `deadline` passes or the index is
  // closed; true if applied.
  bool WaitFor(int64_t sequence, absl::Time deadline) const;

  // Ends every wait, now and later (the daemon is stopping: watches end).
  void Close();
  bool closed() const;

 private:
  // Units, indicators and periods as small numbers: a national dataset holds
  // about ten million values, which must fit in memory with room to spare.
  class Names {
   public:
    uint32_t Intern(const std::string& name);
    absl::optional<uint32_t> Find(const std::string& name) const;
    const std::string& Name(uint32_t id) const { return names_[id]; }

   private:
    absl::flat_hash_map<std::string, uint32_t> ids_;
    std::vector<std::string> names_;
  };
  // A value in 16 bytes rather than a message; a ratio's denominator is kept
  // aside (few indicators are ratios).
  struct Stored {
    union {
      int64_t count = 0;  // count, or flag as 0/1
      double real;        // amount, percent or ratio numerator
    };
    uint8_t kind = 0;   // common::v1::Value::KindCase
    bool late = false;  // the first value arrived after the deadline
  };
  static Stored Store(const common::v1::Value& value);
  // Upserts `value`; `late` counts when it is the key's first value.
  absl::Status Put(const ingestion::v1::DataValue& value, bool late)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  common::v1::Value Load(uint64_t key, const Stored& stored) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // unit (24 bits) | indicator (16 bits) | period (24 bits).
  static uint64_t ValueKey(uint32_t unit, uint32_t indicator, uint32_t period);
  static uint64_t ColumnKey(uint32_t indicator, uint32_t period);
  // The stored value, or null.
  const Stored* Find(uint32_t unit, uint32_t indicator, uint32_t period) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  static uint64_t SliceKey(uint32_t unit, uint32_t period);

  mutable absl::Mutex mutex_;
  Names units_ ABSL_GUARDED_BY(mutex_);
  Names indicators_ ABSL_GUARDED_BY(mutex_);
  Names periods_ ABSL_GUARDED_BY(mutex_);
  // One column per indicator and period, indexed by unit: the communes of a
  // province sit side by side, so a rollup reads memory in order. An absent
  // value has kind 0.
  absl::flat_hash_map<uint64_t, std::vector<Stored>> columns_
      ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<uint64_t, double> denominators_ ABSL_GUARDED_BY(mutex_);
  // (unit, period) -> the indicators with a value.
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> slices_
      ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<uint32_t, common::v1::PeriodType> period_types_
      ABSL_GUARDED_BY(mutex_);
  int64_t position_ ABSL_GUARDED_BY(mutex_) = 0;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_FEED_INDEX_H_
