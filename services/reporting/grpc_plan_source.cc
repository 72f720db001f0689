#include "services/reporting/grpc_plan_source.h"

#include <chrono>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "libs/status/grpc_status.h"

namespace lienthong::reporting {
namespace {

// Calls `list` page by page, gathering `items` of each response.
template <typename Request, typename Response, typename Call, typename Items>
absl::Status AllPages(Request request, absl::Duration timeout, Call call,
                      Items items) {
  request.set_page_size(1000);
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(timeout));
    Response response;
    grpc::Status status = call(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    items(response);
    if (response.next_page_token().empty()) return absl::OkStatus();
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace

GrpcPlanSource::GrpcPlanSource(std::shared_ptr<grpc::Channel> channel,
                               absl::Duration rpc_timeout)
    : stub_(registry::v1::PlanService::NewStub(channel)),
      rpc_timeout_(rpc_timeout) {}

absl::StatusOr<registry::v1::Plan> GrpcPlanSource::GetPlan(
    const std::string& name) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(rpc_timeout_));
  registry::v1::GetPlanRequest request;
  request.set_name(name);
  registry::v1::Plan plan;
  grpc::Status status = stub_->GetPlan(&context, request, &plan);
  if (!status.ok()) return FromGrpcStatus(status);
  return plan;
}

absl::StatusOr<std::vector<registry::v1::Plan>> GrpcPlanSource::ListPlans(
    const std::string& parent_plan) {
  registry::v1::ListPlansRequest request;
  request.set_parent_plan(parent_plan);
  std::vector<registry::v1::Plan> plans;
  absl::Status status =
      AllPages<registry::v1::ListPlansRequest, registry::v1::ListPlansResponse>(
          request, rpc_timeout_,
          [this](grpc::ClientContext* context, const auto& r, auto* response) {
            return stub_->ListPlans(context, r, response);
          },
          [&plans](const registry::v1::ListPlansResponse& response) {
            plans.insert(plans.end(), response.plans().begin(),
                         response.plans().end());
          });
  if (!status.ok()) return status;
  return plans;
}

absl::StatusOr<std::vector<registry::v1::Plan>> GrpcPlanSource::ChildPlans(
    const std::string& name) {
  return ListPlans(name);
}

absl::StatusOr<std::vector<registry::v1::Plan>> GrpcPlanSource::AllPlans() {
  return ListPlans("");
}

absl::StatusOr<std::vector<registry::v1::Target>> GrpcPlanSource::Targets(
    const std::string& plan) {
  registry::v1::ListTargetsRequest request;
  request.set_parent(plan);
  request.set_include_inherited(true);
  std::vector<registry::v1::Target> targets;
  absl::Status status = AllPages<registry::v1::ListTargetsRequest,
                                 registry::v1::ListTargetsResponse>(
      request, rpc_timeout_,
      [this](grpc::ClientContext* context, const auto& r, auto* response) {
        return stub_->ListTargets(context, r, response);
      },
      [&targets](const registry::v1::ListTargetsResponse& response) {
        targets.insert(targets.end(), response.targets().begin(),
                       response.targets().end());
      });
  if (!status.ok()) return status;
  return targets;
}

absl::StatusOr<std::vector<registry::v1::Task>> GrpcPlanSource::Tasks(
    const std::string& plan) {
  registry::v1::ListTasksRequest request;
  request.set_parent(plan);
  std::vector<registry::v1::Task> tasks;
  absl::Status status =
      AllPages<registry::v1::ListTasksRequest, registry::v1::ListTasksResponse>(
          request, rpc_timeout_,
          [this](grpc::ClientContext* context, const auto& r, auto* response) {
            return stub_->ListTasks(context, r, response);
          },
          [&tasks](const registry::v1::ListTasksResponse& response) {
            tasks.insert(tasks.end(), response.tasks().begin(),
                         response.tasks().end());
          });
  if (!status.ok()) return status;
  return tasks;
}

}  // namespace lienthong::reporting
