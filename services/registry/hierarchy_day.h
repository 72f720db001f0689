#ifndef SERVICES_REGISTRY_HIERARCHY_DAY_H_
#define SERVICES_REGISTRY_HIERARCHY_DAY_H_

// The day whose unit hierarchy decides who may read a request's unit data
// (lienthong::HierarchyDay), taken from the request as reporting takes it.

#include "absl/strings/string_view.h"
#include "libs/server/authorizer.h"
#include "lienthong/common/v1/date.pb.h"

namespace lienthong::registry {

// The last day of `period`, the day a period's data belongs to (and its
// rollup counts its units on); none when `period` is empty or does not parse,
// so the latest arrangement decides and the read itself refuses a bad period.
HierarchyDay PeriodEnd(absl::string_view period);

// `date` when it is set and valid, else none.
HierarchyDay DayOf(const common::v1::Date& date);

// Whether `hierarchy_date` asks for units grouped as on a day other than
// `period`'s last day: sums over another arrangement's members, which only a
// reader of every unit may see (HierarchyAuthorizer's
// "reporting.rollups.regroup").
bool Regroups(absl::string_view period, const common::v1::Date& hierarchy_date);

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_HIERARCHY_DAY_H_
