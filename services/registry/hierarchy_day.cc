#include "services/registry/hierarchy_day.h"

#include "libs/period/period.h"
#include "services/registry/dates.h"

namespace lienthong::registry {

HierarchyDay HierarchyDayOf(absl::string_view period,
                            const common::v1::Date& hierarchy_date) {
  if (!IsUnset(hierarchy_date)) {
    absl::StatusOr<absl::CivilDay> day =
        ToCivilDay(hierarchy_date, "hierarchy_date");
    if (day.ok()) return *day;
    return std::nullopt;
  }
  if (period.empty()) return std::nullopt;
  absl::StatusOr<Period> parsed = Period::Parse(period);
  if (!parsed.ok()) return std::nullopt;
  return parsed->CalendarSpan().last;
}

}  // namespace lienthong::registry
