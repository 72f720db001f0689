#include "services/reporting/rollup_reader.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/period/period.h"
#include "libs/status/status_details.h"
#include "libs/value/value_number.h"
#include "services/registry/dates.h"
#include "services/registry/schedule_dates.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/offset_page.h"
#include "services/reporting/period_message.h"
#include "services/reporting/rollup_calculator.h"

namespace lienthong::reporting {
namespace {

constexpr int kMaxRollups = 10000;

}  // namespace

// The inputs of one query: the feed's values and the registry's hierarchy,
// each unit's reporting units found once per date.
class RollupReader::Inputs final : public RollupInputs {
 public:
  Inputs(const FeedIndex& index, const RollupReader::ChildrenFn& children,
         const RollupReader::HistoryFn& history)
      : index_(index), children_(children), history_(history) {}

  absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) override {
    return children_(unit, date);
  }
  absl::StatusOr<std::vector<std::string>> HistoryOf(
      const std::string& unit, absl::CivilDay date) override {
    if (history_ == nullptr) return RollupInputs::HistoryOf(unit, date);
    return history_(unit, date);
  }
  absl::optional<common::v1::Value> Reported(
      const std::string& unit, const std::string& indicator,
      const std::string& period) override {
    return index_.Reported(unit, indicator, period);
  }
  std::vector<absl::optional<common::v1::Value>> ReportedMany(
      const std::vector<std::string>& units, const std::string& indicator,
      const std::string& period) override {
    return index_.ReportedMany(units, indicator, period);
  }
  // The indicator's definition, asked of the registry once per query.
  absl::StatusOr<registry::v1::Indicator> Definition(
      const std::string& indicator, const RollupReader::IndicatorFn& lookup) {
    auto it = definitions_.find(indicator);
    if (it == definitions_.end()) {
      it = definitions_.emplace(indicator, lookup(indicator)).first;
    }
    return it->second;
  }

  absl::StatusOr<Leaves> LeavesOn(const std::string& unit,
                                  absl::CivilDay date) override {
    auto key = std::make_pair(unit, date);
    auto it = leaves_.find(key);
    if (it != leaves_.end()) return it->second;
    absl::StatusOr<Leaves> leaves = RollupInputs::LeavesOn(unit, date);
    if (leaves.ok()) leaves_.emplace(std::move(key), *leaves);
    return leaves;
  }

 private:
  const FeedIndex& index_;
  const RollupReader::ChildrenFn& children_;
  const RollupReader::HistoryFn& history_;
  absl::flat_hash_map<std::pair<std::string, absl::CivilDay>, Leaves> leaves_;
  absl::flat_hash_map<std::string, absl::StatusOr<registry::v1::Indicator>>
      definitions_;
};

namespace {

// Waits until `index` has applied `sequence` (read-your-writes).
absl::Status AwaitSequence(const FeedIndex& index, int64_t sequence,
                           absl::Duration max_wait) {
  if (sequence < 0) {
    return InvalidArgumentWithViolations(
        "invalid rollup request", "INVALID_ROLLUP_REQUEST",
        {{"min_sequence", "must not be negative"}});
  }
  if (index.WaitFor(sequence, absl::Now() + max_wait)) {
    return absl::OkStatus();
  }
  return WithErrorInfo(
      absl::UnavailableError(
          absl::StrCat("rollups reflect the change feed up to ",
                       index.position(), ", not yet ", sequence, "; retry")),
      "FEED_BEHIND");
}

}  // namespace

absl::StatusOr<v1::Rollup> RollupReader::Compute(
    Inputs& inputs, const std::string& unit, const std::string& indicator,
    const std::string& period_text, const common::v1::Date* hierarchy_date) {
  std::vector<FieldViolation> violations;
  if (!absl::StartsWith(unit, "units/")) {
    violations.push_back({"unit", "must be units/{code}"});
  }
  if (!absl::StartsWith(indicator, "indicators/")) {
    violations.push_back({"indicator", "must be indicators/{code}"});
  }
  absl::StatusOr<Period> period = Period::Parse(period_text);
  if (!period.ok()) {
    violations.push_back({"period", std::string(period.status().message())});
  }
  absl::optional<absl::CivilDay> date;
  if (hierarchy_date != nullptr) {
    absl::StatusOr<absl::CivilDay> day =
        registry::ToCivilDay(*hierarchy_date, "hierarchy_date");
    if (day.ok()) {
      date = *day;
    } else {
      violations.push_back({"hierarchy_date", "is not a valid date"});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid rollup request",
                                         "INVALID_ROLLUP_REQUEST", violations);
  }
  absl::StatusOr<registry::v1::Indicator> definition =
      inputs.Definition(indicator, indicators_);
  if (!definition.ok()) return definition.status();
  IndicatorRule rule;
  rule.name = indicator;
  rule.rule = definition->aggregation();
  rule.type = definition->value_type();
  rule.weight_indicator = definition->weight_indicator();
  // Values are rolled up from the period type they are reported in.
  absl::optional<common::v1::PeriodType> reported =
      index_->PeriodTypeOf(indicator);
  absl::optional<PeriodType> reported_as =
      reported.has_value() ? registry::PeriodTypeOf(*reported) : absl::nullopt;
  rule.reported_as = reported_as.value_or(period->type());
  const int64_t as_of = index_->position();
  absl::StatusOr<RollupResult> result = ComputeRollup(
      inputs, rule, unit, *period, date.value_or(period->CalendarSpan().last));
  if (!result.ok()) return result.status();

  v1::Rollup rollup;
  rollup.set_unit(unit);
  rollup.set_indicator(indicator);
  *rollup.mutable_period() = PeriodMessage(*period);
  if (result->value.has_value()) *rollup.mutable_value() = *result->value;
  if (result->reported.has_value()) {
    *rollup.mutable_reported_value() = *result->reported;
  }
  rollup.set_contributing_units(result->contributing_units);
  rollup.set_expected_units(result->expected_units);
  rollup.set_as_of_sequence(as_of);
  return rollup;
}

absl::StatusOr<v1::Rollup> RollupReader::GetRollup(
    const v1::GetRollupRequest& request) {
  if (absl::Status reached =
          AwaitSequence(*index_, request.min_sequence(), max_wait_);
      !reached.ok()) {
    return reached;
  }
  Inputs inputs(*index_, children_, history_);
  return Compute(
      inputs, request.unit(), request.indicator(), request.period(),
      request.has_hierarchy_date() ? &request.hierarchy_date() : nullptr);
}

absl::StatusOr<v1::QueryRollupsResponse> RollupReader::QueryRollups(
    const v1::QueryRollupsRequest& request) {
  if (absl::Status reached =
          AwaitSequence(*index_, request.min_sequence(), max_wait_);
      !reached.ok()) {
    return reached;
  }
  std::vector<FieldViolation> violations;
  if (request.units().empty()) violations.push_back({"units", "at least one"});
  if (request.indicators().empty()) {
    violations.push_back({"indicators", "at least one"});
  }
  if (request.periods().empty()) {
    violations.push_back({"periods", "at least one"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid rollup query",
                                         "INVALID_ROLLUP_REQUEST", violations);
  }
  const common::v1::Date* date =
      request.has_hierarchy_date() ? &request.hierarchy_date() : nullptr;
  // Each unit, then its children on each period's hierarchy date when asked.
  std::set<std::pair<std::string, std::string>> cells;  // (unit, period)
  for (const std::string& unit : request.units()) {
    for (const std::string& period_text : request.periods()) {
      cells.insert({unit, period_text});
      if (!request.include_children()) continue;
      absl::StatusOr<Period> period = Period::Parse(period_text);
      if (!period.ok()) continue;  // Compute reports it
      absl::StatusOr<absl::CivilDay> day =
          date != nullptr
              ? registry::ToCivilDay(*date, "hierarchy_date")
              : absl::StatusOr<absl::CivilDay>(period->CalendarSpan().last);
      if (!day.ok()) continue;
      absl::StatusOr<std::vector<std::string>> children = children_(unit, *day);
      if (!children.ok()) return children.status();
      for (const std::string& child : *children) {
        cells.insert({child, period_text});
      }
    }
  }
  if (cells.size() * request.indicators_size() > kMaxRollups) {
    return InvalidArgumentWithViolations(
        "query too large", "QUERY_TOO_LARGE",
        {{"units", absl::StrCat("at most ", kMaxRollups,
                                " rollups (units x indicators x periods)")}});
  }
  v1::QueryRollupsResponse response;
  Inputs inputs(*index_, children_, history_);
  for (const auto& [unit, period] : cells) {
    for (const std::string& indicator : request.indicators()) {
      absl::StatusOr<v1::Rollup> rollup =
          Compute(inputs, unit, indicator, period, date);
      if (!rollup.ok()) return rollup.status();
      *response.add_rollups() = *std::move(rollup);
    }
  }
  // Ordered by unit, indicator, period.
  std::sort(response.mutable_rollups()->begin(),
            response.mutable_rollups()->end(),
            [](const v1::Rollup& a, const v1::Rollup& b) {
              return std::tie(a.unit(), a.indicator(), a.period().id()) <
                     std::tie(b.unit(), b.indicator(), b.period().id());
            });
  return response;
}

absl::StatusOr<v1::ListDiscrepanciesResponse> RollupReader::ListDiscrepancies(
    const v1::ListDiscrepanciesRequest& request) {
  std::vector<FieldViolation> violations;
  if (!absl::StartsWith(request.unit(), "units/")) {
    violations.push_back({"unit", "must be units/{code}"});
  }
  absl::StatusOr<Period> period = Period::Parse(request.period());
  if (!period.ok()) {
    violations.push_back({"period", std::string(period.status().message())});
  }
  if (request.min_difference_percent() < 0) {
    violations.push_back({"min_difference_percent", "must not be negative"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid discrepancy request",
                                         "INVALID_DISCREPANCY_REQUEST",
                                         violations);
  }
  const absl::CivilDay date = period->CalendarSpan().last;
  std::vector<v1::Discrepancy> found;
  Inputs inputs(*index_, children_, history_);
  // Every unit with units under it, from the request's unit down.
  std::vector<std::string> pending = {request.unit()};
  while (!pending.empty()) {
    std::string unit = std::move(pending.back());
    pending.pop_back();
    absl::StatusOr<std::vector<std::string>> children = children_(unit, date);
    if (!children.ok()) return children.status();
    if (children->empty()) continue;
    pending.insert(pending.end(), children->begin(), children->end());
    for (const auto& [indicator, late] :
         index_->ReportedIndicators(unit, period->ToString())) {
      absl::StatusOr<v1::Rollup> rollup =
          Compute(inputs, unit, indicator, period->ToString(), nullptr);
      if (!rollup.ok()) return rollup.status();
      if (!rollup->has_value() || !rollup->has_reported_value()) continue;
      absl::optional<double> reported = NumericValue(rollup->reported_value());
      absl::optional<double> below = NumericValue(rollup->value());
      if (!reported.has_value() || !below.has_value()) continue;
      double difference =
          *below == 0 ? (*reported == 0 ? 0 : 100)
                      : 100 * std::abs(*reported - *below) / std::abs(*below);
      if (difference == 0 || difference < request.min_difference_percent()) {
        continue;
      }
      v1::Discrepancy& discrepancy = found.emplace_back();
      discrepancy.set_unit(unit);
      discrepancy.set_indicator(indicator);
      discrepancy.set_period(period->ToString());
      *discrepancy.mutable_reported_value() = rollup->reported_value();
      *discrepancy.mutable_rollup_value() = rollup->value();
      discrepancy.set_difference_percent(difference);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const v1::Discrepancy& a, const v1::Discrepancy& b) {
              return std::make_tuple(-a.difference_percent(), a.unit(),
                                     a.indicator()) <
                     std::make_tuple(-b.difference_percent(), b.unit(),
                                     b.indicator());
            });
  v1::ListDiscrepanciesResponse response;
  if (absl::Status status = TakePage(
          found, request.page_token(), request.page_size(),
          response.mutable_discrepancies(), response.mutable_next_page_token());
      !status.ok()) {
    return status;
  }
  return response;
}

}  // namespace lienthong::reporting
