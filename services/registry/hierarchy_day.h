#ifndef SERVICES_REGISTRY_HIERARCHY_DAY_H_
#define SERVICES_REGISTRY_HIERARCHY_DAY_H_

// The day whose unit hierarchy decides who may read a request's unit data
// (lienthong::HierarchyDay), taken from the request as reporting takes it.

#include "absl/strings/string_view.h"
#include "libs/server/authorizer.h"
#include "lienthong/common/v1/date.pb.h"

namespace lienthong::registry {

// `hierarchy_date` when set, else the last day of `period` (the day a
// period's rollup counts its units on), else none: the latest arrangement.
// A period or date that does not parse gives none; the read then refuses it.
HierarchyDay HierarchyDayOf(absl::string_view period,
                            const common::v1::Date& hierarchy_date = {});

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_HIERARCHY_DAY_H_
