#ifndef SERVICES_REPORTING_ROLLUP_READER_H_
#define SERVICES_REPORTING_ROLLUP_READER_H_

// Rollup queries (GetRollup, QueryRollups) over the reported values of the
// change feed and the registry's hierarchy and indicators. No gRPC here.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lienthong/registry/v1/indicator.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::reporting {

class FeedIndex;

class RollupReader {
 public:
  // Units directly under a unit on a date (the registry's hierarchy).
  using ChildrenFn = std::function<absl::StatusOr<std::vector<std::string>>(
      const std::string& unit, absl::CivilDay date)>;
  // An indicator's definition; NOT_FOUND when unknown.
  using IndicatorFn = std::function<absl::StatusOr<registry::v1::Indicator>(
      const std::string& name)>;

  // Units whose values count as a unit's own in the hierarchy of a date
  // (those merged into it; see CarriedHistory).
  using HistoryFn = std::function<absl::StatusOr<std::vector<std::string>>(
      const std::string& unit, absl::CivilDay date)>;

  // `index` must outlive the reader. A read with min_sequence waits at most
  // `max_wait` for the feed. Without `history`, no unit carries another's.
  RollupReader(const FeedIndex* index, ChildrenFn children,
               IndicatorFn indicators,
               absl::Duration max_wait = absl::Seconds(10),
               HistoryFn history = nullptr)
      : index_(index),
        children_(std::move(children)),
        indicators_(std::move(indicators)),
        max_wait_(max_wait),
        history_(std::move(history)) {}

  absl::StatusOr<v1::Rollup> GetRollup(const v1::GetRollupRequest& request);
  // At most 10,000 rollups per query.
  absl::StatusOr<v1::QueryRollupsResponse> QueryRollups(
      const v1::QueryRollupsRequest& request);
  // Units under (and including) the request's unit that reported their own
  // value where they also have a rollup from below, and the two differ.
  absl::StatusOr<v1::ListDiscrepanciesResponse> ListDiscrepancies(
      const v1::ListDiscrepanciesRequest& request);

 private:
  class Inputs;
  absl::StatusOr<v1::Rollup> Compute(Inputs& inputs, const std::string& unit,
                                     const std::string& indicator,
                                     const std::string& period,
                                     const common::v1::Date* hierarchy_date);

  const FeedIndex* index_;
  ChildrenFn children_;
  IndicatorFn indicators_;
  absl::Duration max_wait_;
  HistoryFn history_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ROLLUP_READER_H_
