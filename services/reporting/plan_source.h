#ifndef SERVICES_REPORTING_PLAN_SOURCE_H_
#define SERVICES_REPORTING_PLAN_SOURCE_H_

// What achievement reads of the registry's plans. In lienthongd it is the
// PlanService over gRPC (GrpcPlanSource); tests give a fake.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lienthong/registry/v1/plan.pb.h"

namespace lienthong::reporting {

class PlanSource {
 public:
  virtual ~PlanSource() = default;
  // NOT_FOUND for an unknown plan.
  virtual absl::StatusOr<registry::v1::Plan> GetPlan(
      const std::string& name) = 0;
  // The plans implementing `name` directly (its children in the cascade).
  virtual absl::StatusOr<std::vector<registry::v1::Plan>> ChildPlans(
      const std::string& name) = 0;
  // Every plan.
  virtual absl::StatusOr<std::vector<registry::v1::Plan>> AllPlans() = 0;
  // The plan's targets, with those it inherits and does not override.
  virtual absl::StatusOr<std::vector<registry::v1::Target>> Targets(
      const std::string& plan) = 0;
  virtual absl::StatusOr<std::vector<registry::v1::Task>> Tasks(
      const std::string& plan) = 0;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_PLAN_SOURCE_H_
