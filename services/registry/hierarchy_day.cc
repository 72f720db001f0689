#include "services/registry/hierarchy_day.h"

#include "libs/period/period.h"
#include "services/registry/dates.h"

namespace lienthong::registry {

HierarchyDay PeriodEnd(absl::string_view period) {
  if (period.empty()) return std::nullopt;
  absl::StatusOr<Period> parsed = Period::Parse(period);
  if (!parsed.ok()) return std::nullopt;
  return parsed->CalendarSpan().last;
}

HierarchyDay DayOf(const common::v1::Date& date) {
  if (IsUnset(date)) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date, "date");
  if (!day.ok()) return std::nullopt;
  return *day;
}

bool Regroups(absl::string_view period,
              const common::v1::Date& hierarchy_date) {
  if (IsUnset(hierarchy_date)) return false;
  HierarchyDay end = PeriodEnd(period);
  return !end.has_value() || DayOf(hierarchy_date) != end;
}

}  // namespace lienthong::registry
