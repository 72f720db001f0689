#ifndef SERVICES_REPORTING_COMPLETENESS_H_
#define SERVICES_REPORTING_COMPLETENESS_H_

// Completeness and timeliness of one schedule and period under a unit: the
// reporting units expected (those at the schedule's level under the unit in
// the hierarchy on the last day of the period's data window), which reported
// all the schedule's indicators, some, or none, and who did so by the submit
// deadline. Pure logic over its inputs; rates never exceed 100%.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/period/period.h"
#include "lienthong/registry/v1/admin_unit.pb.h"
#include "lienthong/registry/v1/reporting_schedule.pb.h"
#include "lienthong/reporting/v1/reporting.pb.h"

namespace lienthong::reporting {

class CompletenessInputs {
 public:
  virtual ~CompletenessInputs() = default;
  // Names of the units directly under `unit` on `date`.
  virtual absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) = 0;
  // The unit `name` ("units/{code}"); NOT_FOUND when unknown.
  virtual absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) = 0;
  // Indicators `unit` has values for in `period`, each with whether its first
  // value came after the submit deadline.
  virtual std::map<std::string, bool> ReportedIndicators(
      const std::string& unit, const std::string& period) = 0;
};

absl::StatusOr<v1::Completeness> ComputeCompleteness(
    CompletenessInputs& inputs, const registry::v1::ReportingSchedule& schedule,
    const std::string& unit, const Period& period);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_COMPLETENESS_H_
