#ifndef SERVICES_REGISTRY_DATES_H_
#define SERVICES_REGISTRY_DATES_H_

// Conversions between the contract's Date/DateRange and absl::CivilDay, and the
// "YYYY-MM-DD" text the stores keep.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "lienthong/common/v1/date.pb.h"

namespace lienthong::registry {

// A Date that is set (year != 0) and a real calendar day; INVALID_ARGUMENT
// names `field` otherwise.
absl::StatusOr<absl::CivilDay> ToCivilDay(const common::v1::Date& date,
                                          absl::string_view field);
common::v1::Date ToDate(absl::CivilDay day);

// Whether `date` is unset (all zero).
bool IsUnset(const common::v1::Date& date);

// "YYYY-MM-DD".
std::string DayText(absl::CivilDay day);
absl::optional<absl::CivilDay> ParseDayText(absl::string_view text);

// Whether `day` falls within `range` (unset ends are open).
bool InRange(const common::v1::DateRange& range, absl::CivilDay day);

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_DATES_H_
