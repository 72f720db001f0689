#include "services/reporting/completeness.h"

#include "libs/period/reporting_calendar.h"
#include "services/registry/dates.h"
#include "services/registry/schedule_dates.h"
#include "services/reporting/period_message.h"

namespace lienthong::reporting {
namespace {

// The units at `level` under `unit` (or `unit` itself) on `date`.
absl::Status CollectExpected(CompletenessInputs& inputs,
                             const std::string& unit,
                             common::v1::UnitLevel level, absl::CivilDay date,
                             std::vector<std::string>& expected) {
  absl::StatusOr<registry::v1::AdminUnit> found = inputs.GetUnit(unit);
  if (!found.ok()) return found.status();
  if (found->level() == level) {
    expected.push_back(unit);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> children =
      inputs.ChildrenOn(unit, date);
  if (!children.ok()) return children.status();
  for (const std::string& child : *children) {
    if (absl::Status status =
            CollectExpected(inputs, child, level, date, expected);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

double Percent(int part, int whole) {
  return whole == 0 ? 0 : 100.0 * part / whole;
}

}  // namespace

absl::StatusOr<v1::Completeness> ComputeCompleteness(
    CompletenessInputs& inputs, const registry::v1::ReportingSchedule& schedule,
    const std::string& unit, const Period& period) {
  PeriodDates dates = registry::ScheduleDates(schedule, period, "");
  // Units merged away before the window ends are not expected; their
  // successors are.
  std::vector<std::string> expected;
  if (absl::Status status =
          CollectExpected(inputs, unit, schedule.reporting_level(),
                          dates.window.last, expected);
      !status.ok()) {
    return status;
  }
  v1::Completeness completeness;
  completeness.set_schedule(schedule.name());
  *completeness.mutable_period() = PeriodMessage(period);
  completeness.set_unit(unit);
  completeness.set_expected(static_cast<int32_t>(expected.size()));
  *completeness.mutable_submit_deadline() =
      registry::ToDate(dates.submit_deadline);
  for (const std::string& reporter : expected) {
    std::map<std::string, bool> reported =
        inputs.ReportedIndicators(reporter, period.ToString());
    int present = 0;
    bool late = false;
    for (const std::string& indicator : schedule.indicators()) {
      auto it = reported.find(indicator);
      if (it == reported.end()) continue;
      ++present;
      late = late || it->second;
    }
    if (present == 0) {
      completeness.add_missing_units(reporter);
    } else if (present < schedule.indicators_size()) {
      completeness.set_partial(completeness.partial() + 1);
    } else {
      completeness.set_complete(completeness.complete() + 1);
      if (late) {
        completeness.set_late(completeness.late() + 1);
      } else {
        completeness.set_on_time(completeness.on_time() + 1);
      }
    }
  }
  completeness.set_completeness_percent(
      Percent(completeness.complete(), completeness.expected()));
  completeness.set_timeliness_percent(
      Percent(completeness.on_time(), completeness.expected()));
  return completeness;
}

}  // namespace lienthong::reporting
