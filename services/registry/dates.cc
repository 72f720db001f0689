#include "services/registry/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/status_details.h"

namespace lienthong::registry {

absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date,
                                          absl::string_view field) {
  absl::CivilDay day(date.year(), date.month(), date.day());
  bool valid = date.year() >= 1900 && date.year() <= 9999 &&
               day.year() == date.year() && day.month() == date.month() &&
               day.day() == date.day();
  if (!valid) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " is not a calendar date"), "INVALID_DATE",
        {{std::string(field),
          absl::StrFormat("%04d-%02d-%02d is not a date in 1900..9999",
                          date.year(), date.month(), date.day())}});
  }
  return day;
}

common::v1::Date ToDate(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool IsUnset(const common::v1::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

std::string DayText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::optional<absl::CivilDay> ParseDayText(absl::string_view text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return absl::nullopt;
  return day;
}

bool InRange(const common::v1::DateRange& range, absl::CivilDay day) {
  if (range.has_start() && !IsUnset(range.start()) &&
      day < absl::CivilDay(range.start().year(), range.start().month(),
                           range.start().day())) {
    return false;
  }
  if (range.has_end() && !IsUnset(range.end()) &&
      day > absl::CivilDay(range.end().year(), range.end().month(),
                           range.end().day())) {
    return false;
  }
  return true;
}

}  // namespace lienthong::registry
