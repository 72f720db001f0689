#ifndef SERVICES_REGISTRY_SCHEDULE_DATES_H_
#define SERVICES_REGISTRY_SCHEDULE_DATES_H_

// A period's dates under a reporting schedule (window, deadlines, lock with the
// unit's exceptions): the one computation the registry's ResolvePeriod and
// ingestion's lock checks share, on top of libs/period.

#include <string>

#include "absl/types/optional.h"
#include "libs/period/period.h"
#include "libs/period/reporting_calendar.h"
#include "lienthong/registry/v1/reporting_schedule.pb.h"

namespace lienthong::registry {

// The period type a schedule's contract enum names; nullopt when unset.
absl::optional<PeriodType> PeriodTypeOf(common::v1::PeriodType type);

// The dates of `period` under `schedule`; for `unit` ("units/{code}", or "" for
// none) a lock exception can keep input open longer.
PeriodDates ScheduleDates(const v1::ReportingSchedule& schedule,
                          const Period& period, const std::string& unit);

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SCHEDULE_DATES_H_
