#ifndef SERVICES_REPORTING_ROLLUP_CALCULATOR_H_
#define SERVICES_REPORTING_ROLLUP_CALCULATOR_H_

// One rollup computed from the reporting units under a unit, in the hierarchy
// in force on a date, by the indicator's aggregation rule; periods longer than
// the reported ones (a quarter of monthly values) roll up where the rule
// allows. Pure logic over two inputs: the hierarchy and the reported values.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "libs/period/period.h"
#include "lienthong/common/v1/value.pb.h"
#include "lienthong/registry/v1/indicator.pb.h"

namespace lienthong::reporting {

// What rollups read.
class RollupInputs {
 public:
  virtual ~RollupInputs() = default;
  // Names of the units directly under `unit` ("units/{code}") on `date`;
  // NOT_FOUND for an unknown unit.
  virtual absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) = 0;
  // The value `unit` reported for `indicator` ("indicators/{code}") and
  // `period` (canonical), if any.
  virtual absl::optional<common::v1::Value> Reported(
      const std::string& unit, const std::string& indicator,
      const std::string& period) = 0;
  // Reported() for each of `units`, in order; a store answers many at once.
  virtual std::vector<absl::optional<common::v1::Value>> ReportedMany(
      const std::vector<std::string>& units, const std::string& indicator,
      const std::string& period);
  // Units (other than `unit`) whose reported values count as `unit`'s in the
  // hierarchy of `date`: those merged into it (see CarriedHistory). None by
  // default.
  virtual absl::StatusOr<std::vector<std::string>> HistoryOf(
      const std::string& unit, absl::CivilDay date);

  // The reporting units under a unit on a date and whose values they carry.
  struct ReportingUnits {
    // Units with nothing under them on the date, or the unit itself when
    // nothing is under it.
    std::vector<std::string> leaves;
    // The leaves, then the units whose history they carry.
    std::vector<std::string> sources;
    // sources[i] counts for leaves[owner[i]].
    std::vector<size_t> owner;
  };
  // Shared, so a query's inputs may remember them and hand them out without
  // copying.
  using Leaves = std::shared_ptr<const ReportingUnits>;
  // The reporting units under `unit` on `date`.
  virtual absl::StatusOr<Leaves> LeavesOn(const std::string& unit,
                                          absl::CivilDay date);
};

// How an indicator rolls up, from its registry definition.
struct IndicatorRule {
  std::string name;  // indicators/{code}
  registry::v1::AggregationRule rule = registry::v1::AGGREGATION_RULE_SUM;
  registry::v1::ValueType type = registry::v1::VALUE_TYPE_COUNT;
  std::string weight_indicator;  // WEIGHTED_MEAN: indicators/{code}
  PeriodType reported_as = PeriodType::kMonth;  // the schedule's period type
};

struct RollupResult {
  // Rolled up from the reporting units below (for a reporting unit, its own
  // value); unset when none of them has one.
  absl::optional<common::v1::Value> value;
  // The unit's own value at its level, when it is not a reporting unit and
  // reported one anyway (compared with `value` for discrepancies).
  absl::optional<common::v1::Value> reported;
  int contributing_units = 0;  // reporting units below with a value
  int expected_units = 0;      // reporting units below on the date
};

// The rollup of `indicator` for `unit` and `period` over the hierarchy of
// `hierarchy_date`. Reporting units are those with no units under them on that
// date. INVALID_ARGUMENT when `period` cannot be made of the reported periods;
// FAILED_PRECONDITION when the rule does not roll up across periods.
absl::StatusOr<RollupResult> ComputeRollup(RollupInputs& inputs,
                                           const IndicatorRule& indicator,
                                           const std::string& unit,
                                           const Period& period,
                                           absl::CivilDay hierarchy_date);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ROLLUP_CALCULATOR_H_
