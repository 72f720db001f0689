#ifndef SERVICES_REPORTING_AGGREGATION_H_
#define SERVICES_REPORTING_AGGREGATION_H_

// The aggregation rules of the reporting service: how indicator values combine
// up the unit hierarchy (communes -> district -> province) and across periods
// (months -> quarter -> year). Pure functions; no storage, no gRPC.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "libs/period/period.h"
#include "lienthong/common/v1/value.pb.h"
#include "lienthong/registry/v1/indicator.pb.h"

namespace lienthong::reporting {

// One input of a rollup: a unit's value for the period (reported, or itself
// rolled up), or one sub-period's value.
struct Contribution {
  common::v1::Value value;
  // WEIGHTED_MEAN: the weight indicator's value for the same unit and period;
  // a contribution without a weight does not count.
  absl::optional<double> weight;
  // LAST: which contribution is latest (larger is later).
  int64_t order = 0;
};

// The aggregate of `inputs` under `rule` for an indicator of `type`, e.g. the
// district's value from its communes'.
//   SUM: count -> count (int64; overflow is OUT_OF_RANGE), amount -> amount.
//   RATIO_OF_SUMS: ratio -> ratio{sum of numerators, sum of denominators}.
//   WEIGHTED_MEAN: percent/amount -> same type, sum(w*v)/sum(w) over inputs
//     with a weight (weights must be finite and >= 0).
//   SHARE_TRUE: flag -> percent = 100 * (true inputs) / (inputs).
//   MIN / MAX: the smallest / largest input, same type (count, amount,
//     percent; ratio compared by numerator/denominator); ties keep the first.
//   LAST: the input with the largest order; ties keep the later input.
// absl::nullopt when nothing counts (no inputs; all weights missing or summing
// to 0). INVALID_ARGUMENT when an input is not a valid value of `type` (as
// ingestion accepts it: counts >= 0, ratio denominators > 0, finite reals), or
// the rule does not go with the type; FAILED_PRECONDITION for
// AGGREGATION_RULE_UNSPECIFIED; OUT_OF_RANGE when the result overflows.
absl::StatusOr<absl::optional<common::v1::Value>> Aggregate(
    registry::v1::AggregationRule rule, registry::v1::ValueType type,
    absl::Span<const Contribution> inputs);

// Whether values of shorter periods roll up into a longer one (months ->
// quarter -> year) under `rule`: SUM, RATIO_OF_SUMS, MIN, MAX and LAST (the
// latest sub-period's value) do; WEIGHTED_MEAN and SHARE_TRUE do not (their
// weights and units are per period).
bool RollsUpAcrossPeriods(registry::v1::AggregationRule rule);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_AGGREGATION_H_
