#ifndef SERVICES_REGISTRY_PLAN_REGISTRY_H_
#define SERVICES_REGISTRY_PLAN_REGISTRY_H_

// Plans with their targets, tasks and task progress. Targets cascade: a plan
// that implements a parent plan inherits the parent's targets it does not
// override (same indicator and year). References are checked against agencies,
// indicators and units. No gRPC here.

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/empty.pb.h"
#include "lienthong/registry/v1/plan_service.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class RecordStore;
class UnitStore;

class PlanRegistry {
 public:
  // The stores and clock must outlive the registry.
  PlanRegistry(RecordStore* records, UnitStore* units, const Clock* clock)
      : records_(records), units_(units), clock_(clock) {}

  absl::StatusOr<v1::Plan> GetPlan(const v1::GetPlanRequest& request);
  absl::StatusOr<v1::ListPlansResponse> ListPlans(
      const v1::ListPlansRequest& request);
  absl::StatusOr<v1::Plan> CreatePlan(const v1::CreatePlanRequest& request);
  absl::StatusOr<v1::Plan> UpdatePlan(const v1::UpdatePlanRequest& request);

  absl::StatusOr<v1::Target> CreateTarget(
      const v1::CreateTargetRequest& request);
  absl::StatusOr<v1::ListTargetsResponse> ListTargets(
      const v1::ListTargetsRequest& request);
  absl::StatusOr<v1::Target> UpdateTarget(
      const v1::UpdateTargetRequest& request);
  absl::StatusOr<google::protobuf::Empty> DeleteTarget(
      const v1::DeleteTargetRequest& request);

  absl::StatusOr<v1::Task> CreateTask(const v1::CreateTaskRequest& request);
  absl::StatusOr<v1::Task> GetTask(const v1::GetTaskRequest& request);
  absl::StatusOr<v1::ListTasksResponse> ListTasks(
      const v1::ListTasksRequest& request);
  absl::StatusOr<v1::Task> UpdateTask(const v1::UpdateTaskRequest& request);

  // `actor` is the caller's identity, recorded as the update's author.
  // `reporting_agency` (an agency code) must be the task's lead or one of its
  // coordinators, or the call is refused PERMISSION_DENIED (NOT_TASK_AGENCY);
  // empty for the platform's own calls.
  absl::StatusOr<v1::ProgressUpdate> SubmitTaskProgress(
      const v1::SubmitTaskProgressRequest& request, const std::string& actor,
      const std::string& reporting_agency);
  absl::StatusOr<v1::ListTaskProgressResponse> ListTaskProgress(
      const v1::ListTaskProgressRequest& request);

 private:
  absl::Status CheckPlan(const v1::Plan& plan);
  absl::Status CheckTarget(const v1::Plan& plan, const v1::Target& target);
  absl::Status CheckTask(const v1::Task& task);

  RecordStore* records_;
  UnitStore* units_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_PLAN_REGISTRY_H_
