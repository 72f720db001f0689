#ifndef SERVICES_REPORTING_FEED_INDEX_H_
#define SERVICES_REPORTING_FEED_INDEX_H_

// The reported values as the ingestion change feed describes them, kept in
// memory for rollups: each change applied in sequence order, with the position
// reached, so a consumer resumes after it. Thread-safe: one feed follower
// applies while queries read.

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>

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

  // The value `unit` ("units/{code}") reported for `indicator`
  // ("indicators/{code}") and `period` (canonical), if any.
  absl::optional<common::v1::Value> Reported(const std::string& unit,
                                             const std::string& indicator,
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
  using Key = std::tuple<std::string, std::string, std::string>;

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<Key, common::v1::Value> values_ ABSL_GUARDED_BY(mutex_);
  // (unit, period) -> indicator -> first value late.
  absl::flat_hash_map<std::pair<std::string, std::string>,
                      std::map<std::string, bool>>
      reports_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, common::v1::PeriodType> period_types_
      ABSL_GUARDED_BY(mutex_);
  int64_t position_ ABSL_GUARDED_BY(mutex_) = 0;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_FEED_INDEX_H_
