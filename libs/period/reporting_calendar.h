#ifndef LIBS_PERIOD_REPORTING_CALENDAR_H_
#define LIBS_PERIOD_REPORTING_CALENDAR_H_

// Data windows, deadlines and input locks of reporting periods: the one place
// these are computed, so registry, ingestion and reporting always agree.

#include "absl/time/civil_time.h"
#include "libs/period/period.h"

namespace lienthong {

enum class WindowRule {
  // Nghị định 09/2019/NĐ-CP cut-off: from the 15th of the month before the
  // period's
  // first month to the 14th of its last month (month: 15/02–14/03; quarter 1:
  // 15/12–14/03; half 1: 15/12–14/06; year: 15/12–14/12; cumulative "9 tháng":
  // 15/12–14/09).
  kDecree09Cutoff,
  // The calendar period itself (cumulative periods from 1 January).
  kCalendar,
};

// How a schedule times its periods.
struct ScheduleTiming {
  WindowRule window_rule = WindowRule::kDecree09Cutoff;
  // Days from the window's last day to the reporting units' deadline; negative
  // when reports are due before the window closes (TT 02/2023/TT-BTTTT:
  // quarterly by the 6th of the quarter's last month, -8 under the Decree 09
  // window).
  int submit_days_after_window = 1;
  // Days from the window's last day to the aggregating level's deadline.
  int forward_days_after_window = 2;
  // Days after the submit deadline that input stays open.
  int lock_days_after_deadline = 0;
};

// A period's dates under a schedule.
struct PeriodDates {
  DaySpan window;
  absl::CivilDay submit_deadline;   // last day to submit on time
  absl::CivilDay forward_deadline;  // last day to forward on time
  absl::CivilDay open_until;        // last day any input is accepted
};

// The data window of `period` under `rule`.
DaySpan DataWindow(const Period& period, WindowRule rule);

// Window, deadlines and lock of `period` under `timing`.
PeriodDates ResolvePeriodDates(const Period& period,
                               const ScheduleTiming& timing);

}  // namespace lienthong

#endif  // LIBS_PERIOD_REPORTING_CALENDAR_H_
