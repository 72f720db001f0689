#include "services/reporting/rollup_calculator.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"
#include "libs/value/value_number.h"
#include "services/reporting/aggregation.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;

// Depth first through ChildrenOn: the units with nothing under them.
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

// Each leaf's value for `periods` (the reported periods making up the asked
// one), aggregated across them by the rule.
absl::StatusOr<std::vector<absl::optional<Value>>> LeafValues(
    RollupInputs& inputs, const IndicatorRule& indicator,
    const std::vector<std::string>& leaves,
    const std::vector<Period>& periods) {
  if (periods.size() == 1) {
    return inputs.ReportedMany(leaves, indicator.name, periods[0].ToString());
  }
  std::vector<std::vector<Contribution>> parts(leaves.size());
  for (size_t p = 0; p < periods.size(); ++p) {
    std::vector<absl::optional<Value>> values =
        inputs.ReportedMany(leaves, indicator.name, periods[p].ToString());
    for (size_t l = 0; l < leaves.size(); ++l) {
      if (!values[l].has_value()) continue;
      parts[l].push_back(
          {*std::move(values[l]), absl::nullopt, static_cast<int64_t>(p)});
    }
  }
  std::vector<absl::optional<Value>> out;
  for (const std::vector<Contribution>& leaf : parts) {
    absl::StatusOr<absl::optional<Value>> value =
        Aggregate(indicator.rule, indicator.type, leaf);
    if (!value.ok()) return value.status();
    out.push_back(*std::move(value));
  }
  return out;
}

}  // namespace

std::vector<absl::optional<Value>> RollupInputs::ReportedMany(
    const std::vector<std::string>& units, const std::string& indicator,
    const std::string& period) {
  std::vector<absl::optional<Value>> values;
  values.reserve(units.size());
  for (const std::string& unit : units) {
    values.push_back(Reported(unit, indicator, period));
  }
  return values;
}

absl::StatusOr<std::vector<std::string>> RollupInputs::HistoryOf(
    const std::string&, absl::CivilDay) {
  return std::vector<std::string>();
}

absl::StatusOr<RollupInputs::Leaves> RollupInputs::LeavesOn(
    const std::string& unit, absl::CivilDay date) {
  auto found = std::make_shared<ReportingUnits>();
  if (absl::Status status = CollectLeaves(*this, unit, date, found->leaves);
      !status.ok()) {
    return status;
  }
  found->sources = found->leaves;
  for (size_t l = 0; l < found->leaves.size(); ++l) found->owner.push_back(l);
  for (size_t l = 0; l < found->leaves.size(); ++l) {
    absl::StatusOr<std::vector<std::string>> carried =
        HistoryOf(found->leaves[l], date);
    if (!carried.ok()) return carried.status();
    for (std::string& source : *carried) {
      found->sources.push_back(std::move(source));
      found->owner.push_back(l);
    }
  }
  return Leaves(std::move(found));
}

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
  absl::StatusOr<RollupInputs::Leaves> found =
      inputs.LeavesOn(unit, hierarchy_date);
  if (!found.ok()) return found.status();
  const RollupInputs::ReportingUnits& units = **found;
  RollupResult result;
  result.expected_units = static_cast<int>(units.leaves.size());
  absl::StatusOr<std::vector<absl::optional<Value>>> values =
      LeafValues(inputs, indicator, units.sources, *periods);
  if (!values.ok()) return values.status();
  // A leaf and the units it carries contribute one by one, so sums and ratios
  // of sums come out as if they had always been one unit.
  const size_t leaf_count = units.leaves.size();
  // Which leaves have a value, kept only when some carry others (the sources
  // after the leaves), to count each leaf once.
  std::vector<bool> contributed;
  if (units.sources.size() > leaf_count) contributed.assign(leaf_count, false);
  std::vector<Contribution> contributions;
  contributions.reserve(units.sources.size());
  for (size_t s = 0; s < units.sources.size(); ++s) {
    if (!(*values)[s].has_value()) continue;
    if (s < leaf_count) {
      ++result.contributing_units;
      if (!contributed.empty()) contributed[s] = true;
    } else if (!contributed[units.owner[s]]) {
      contributed[units.owner[s]] = true;
      ++result.contributing_units;
    }
    Contribution contribution{*std::move((*values)[s]), absl::nullopt, 0};
    if (indicator.rule == registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN) {
      // The weight of the same unit and period (e.g. its population).
      absl::optional<Value> weight = inputs.Reported(
          units.sources[s], indicator.weight_indicator, period.ToString());
      if (weight.has_value()) contribution.weight = NumericValue(*weight);
    }
    contributions.push_back(std::move(contribution));
  }
  const bool reporting_unit =
      units.leaves.size() == 1 && units.leaves[0] == unit;
  if (reporting_unit && contributions.size() <= 1) {
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
  if (reporting_unit) return result;
  absl::StatusOr<std::vector<absl::optional<Value>>> own =
      LeafValues(inputs, indicator, {unit}, *periods);
  if (!own.ok()) return own.status();
  result.reported = std::move(own->front());
  return result;
}

}  // namespace lienthong::reporting
