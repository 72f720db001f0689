#ifndef SERVICES_REPORTING_ACHIEVEMENT_H_
#define SERVICES_REPORTING_ACHIEVEMENT_H_

// How plan targets stand against actual values, and where plan tasks stand,
// on a reference date. Pure logic over its inputs: the caller looks up the
// actual value (the unit's rollup) and the tasks.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "lienthong/common/v1/value.pb.h"
#include "lienthong/registry/v1/plan.pb.h"
#include "lienthong/reporting/v1/reporting.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::reporting {

// The actual value of a target's indicator for its unit: the latest period
// with data up to the reference date (canonical form), and that value.
struct Actual {
  std::string period;
  common::v1::Value value;
};

// How `target` (of `plan`, the plan it belongs to) stands on `today` given
// `actual` (nullopt: no data). INVALID_ARGUMENT when the target is malformed
// (reason INVALID_TARGET) or the actual value is not of the target's kind
// (reason VALUE_TYPE_MISMATCH).
absl::StatusOr<v1::TargetAchievement> Achievement(
    const registry::v1::Plan& plan, const registry::v1::Target& target,
    const absl::optional<Actual>& actual, absl::CivilDay today);

// Tasks counted by lead agency on `today`, ordered by agency, with the total.
// A task past its due date and neither done nor cancelled counts only as
// overdue.
v1::SummarizeTasksResponse SummarizeTasks(
    const std::vector<registry::v1::Task>& tasks, absl::CivilDay today);

// The tasks overdue on `today`, most overdue first, ties by task name.
std::vector<v1::OverdueTask> OverdueTasks(
    const std::vector<registry::v1::Task>& tasks, absl::CivilDay today);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ACHIEVEMENT_H_
