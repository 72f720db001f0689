#ifndef SERVICES_REPORTING_GRPC_PLAN_SOURCE_H_
#define SERVICES_REPORTING_GRPC_PLAN_SOURCE_H_

// PlanSource over the registry's PlanService, following every page.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "lienthong/registry/v1/plan_service.grpc.pb.h"
#include "services/reporting/plan_source.h"

namespace lienthong::reporting {

class GrpcPlanSource final : public PlanSource {
 public:
  explicit GrpcPlanSource(std::shared_ptr<grpc::Channel> channel,
                          absl::Duration rpc_timeout = absl::Seconds(10));

  absl::StatusOr<registry::v1::Plan> GetPlan(const std::string& name) override;
  absl::StatusOr<std::vector<registry::v1::Plan>> ChildPlans(
      const std::string& name) override;
  absl::StatusOr<std::vector<registry::v1::Plan>> AllPlans() override;
  absl::StatusOr<std::vector<registry::v1::Target>> Targets(
      const std::string& plan) override;
  absl::StatusOr<std::vector<registry::v1::Task>> Tasks(
      const std::string& plan) override;

 private:
  absl::StatusOr<std::vector<registry::v1::Plan>> ListPlans(
      const std::string& parent_plan);

  std::unique_ptr<registry::v1::PlanService::Stub> stub_;
  absl::Duration rpc_timeout_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_GRPC_PLAN_SOURCE_H_
