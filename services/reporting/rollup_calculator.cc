#include "services/reporting/rollup_calculator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"
#include "services/reporting/aggregation.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;

// The reporting units under `unit` on `date` (the unit itself when nothing is
// under it), depth first.
absl::Status CollectLeaves(RollupInputs& inputs, const std::string& unit,
                           absl::CivilDay date,
                           std::vector<std::string>& leaves) {
  absl::StatusOr<std::vector<std::string>> children =
      inputs.ChildrenOn(unit, date);
  if (!children.ok()) return children.status();
  if (children->empty()) {
    leaves.push_back(unit);
    return absl::OkStatus();
  }
  for (const std::string& child : *children) {
    if (absl::Status status = CollectLeaves(inputs, child, date, leaves);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::optional<double> Number(const absl::optional<Value>& value) {
  if (!value.has_value()) return absl::nullopt;
  switch (value->kind_case()) {
    case Value::kCount:
      return static_cast<double>(value->count());
    case Value::kAmount:
      return value->amount();
    case Value::kPercent:
      return value->percent();
    default:
      return absl::nullopt;
  }
}

// One reporting unit's value for `periods` (the reported periods making up the
// asked one), aggregated across them by the rule.
absl::StatusOr<absl::optional<Value>> LeafValue(
    RollupInputs& inputs, const IndicatorRule& indicator,
    const std::string& leaf, const std::vector<Period>& periods) {
  if (periods.size() == 1) {
    return inputs.Reported(leaf, indicator.name, periods[0].ToString());
  }
  std::vector<Contribution> parts;
  for (size_t i = 0; i < periods.size(); ++i) {
    absl::optional<Value> value =
        inputs.Reported(leaf, indicator.name, periods[i].ToString());
    if (!value.has_value()) continue;
    parts.push_back(
        {*std::move(value), absl::nullopt, static_cast<int64_t>(i)});
  }
  return Aggregate(indicator.rule, indicator.type, parts);
}

}  // namespace

absl::StatusOr<RollupResult> ComputeRollup(RollupInputs& inputs,
                                           const IndicatorRule& indicator,
                                           const std::string& unit,
                                           const Period& period,
                                           absl::CivilDay hierarchy_date) {
  absl::StatusOr<std::vector<Period>> periods =
      SubPeriods(period, indicator.reported_as);
  if (!periods.ok()) return periods.status();
  if (periods->size() > 1 && !RollsUpAcrossPeriods(indicator.rule)) {
    return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                             indicator.name, " (",
                             registry::v1::AggregationRule_Name(indicator.rule),
                             ") does not roll up from shorter periods into ",
                             period.ToString())),
                         "NO_ROLLUP_ACROSS_PERIODS");
  }
  std::vector<std::string> leaves;
  if (absl::Status status = CollectLeaves(inputs, unit, hierarchy_date, leaves);
      !status.ok()) {
    return status;
  }
  RollupResult result;
  result.expected_units = static_cast<int>(leaves.size());
  std::vector<Contribution> contributions;
  for (const std::string& leaf : leaves) {
    absl::StatusOr<absl::optional<Value>> value =
        LeafValue(inputs, indicator, leaf, *periods);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    ++result.contributing_units;
    Contribution contribution{**std::move(value), absl::nullopt, 0};
    if (indicator.rule == registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN) {
      // The weight of the same unit and period (e.g. its population).
      contribution.weight = Number(
          inputs.Reported(leaf, indicator.weight_indicator, period.ToString()));
    }
    contributions.push_back(std::move(contribution));
  }
  if (leaves.size() == 1 && leaves[0] == unit) {
    // A reporting unit: its own value is the rollup.
    result.value = contributions.empty()
                       ? absl::nullopt
                       : absl::optional<Value>(contributions[0].value);
    return result;
  }
  absl::StatusOr<absl::optional<Value>> value =
      Aggregate(indicator.rule, indicator.type, contributions);
  if (!value.ok()) return value.status();
  result.value = *std::move(value);
  absl::StatusOr<absl::optional<Value>> own =
      LeafValue(inputs, indicator, unit, *periods);
  if (!own.ok()) return own.status();
  result.reported = *std::move(own);
  return result;
}

}  // namespace lienthong::reporting
