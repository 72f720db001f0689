#include "libs/period/reporting_calendar.h"

namespace lienthong {

DaySpan DataWindow(const Period& period, WindowRule rule) {
  DaySpan calendar = period.CalendarSpan();
  if (rule == WindowRule::kCalendar) return calendar;
  absl::CivilMonth first_month(calendar.first);
  absl::CivilMonth last_month(calendar.last);
  absl::CivilMonth before_first = first_month - 1;
  return {absl::CivilDay(before_first.year(), before_first.month(), 15),
          absl::CivilDay(last_month.year(), last_month.month(), 14)};
}

PeriodDates ResolvePeriodDates(const Period& period,
                               const ScheduleTiming& timing) {
  PeriodDates dates;
  dates.window = DataWindow(period, timing.window_rule);
  dates.submit_deadline = dates.window.last + timing.submit_days_after_window;
  dates.forward_deadline = dates.window.last + timing.forward_days_after_window;
  dates.open_until = dates.submit_deadline + timing.lock_days_after_deadline;
  return dates;
}

}  // namespace lienthong
