#include "services/registry/schedule_dates.h"

#include <algorithm>

namespace lienthong::registry {

absl::optional<PeriodType> PeriodTypeOf(common::v1::PeriodType type) {
  switch (type) {
    case common::v1::PERIOD_TYPE_MONTH:
      return PeriodType::kMonth;
    case common::v1::PERIOD_TYPE_QUARTER:
      return PeriodType::kQuarter;
    case common::v1::PERIOD_TYPE_HALF_YEAR:
      return PeriodType::kHalfYear;
    case common::v1::PERIOD_TYPE_YEAR:
      return PeriodType::kYear;
    case common::v1::PERIOD_TYPE_CUMULATIVE:
      return PeriodType::kCumulative;
    default:
      return absl::nullopt;
  }
}

PeriodDates ScheduleDates(const v1::ReportingSchedule& schedule,
                          const Period& period, const std::string& unit) {
  ScheduleTiming timing;
  timing.window_rule = schedule.window_rule() == v1::WINDOW_RULE_CALENDAR
                           ? WindowRule::kCalendar
                           : WindowRule::kDecree09Cutoff;
  timing.submit_days_after_window =
      schedule.deadline().submit_days_after_window();
  timing.forward_days_after_window =
      schedule.deadline().forward_days_after_window();
  timing.lock_days_after_deadline = schedule.lock_days_after_deadline();
  PeriodDates dates = ResolvePeriodDates(period, timing);
  if (unit.empty()) return dates;
  for (const v1::LockException& exception : schedule.lock_exceptions()) {
    if (exception.unit() != unit || exception.period() != period.ToString()) {
      continue;
    }
    const common::v1::Date& until = exception.open_until();
    absl::CivilDay day(until.year(), until.month(), until.day());
    // Only real dates extend the lock (CivilDay would normalise 31/02).
    if (day.year() == until.year() && day.month() == until.month() &&
        day.day() == until.day()) {
      dates.open_until = std::max(dates.open_until, day);
    }
  }
  return dates;
}

}  // namespace lienthong::registry
