#include "services/registry/plan_service.h"

#include "libs/server/serve.h"
#include "services/registry/plan_registry.h"

namespace lienthong::registry {

grpc::Status PlanServiceImpl::GetPlan(grpc::ServerContext* context,
                                      const v1::GetPlanRequest* request,
                                      v1::Plan* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.get", request->name(),
      [&] { return registry_->GetPlan(*request); }, response);
}

grpc::Status PlanServiceImpl::ListPlans(grpc::ServerContext* context,
                                        const v1::ListPlansRequest* request,
                                        v1::ListPlansResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.list", request->scope_unit(),
      [&] { return registry_->ListPlans(*request); }, response);
}

grpc::Status PlanServiceImpl::CreatePlan(grpc::ServerContext* context,
                                         const v1::CreatePlanRequest* request,
                                         v1::Plan* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.create",
      request->plan().scope_unit(),
      [&] { return registry_->CreatePlan(*request); }, response);
}

grpc::Status PlanServiceImpl::UpdatePlan(grpc::ServerContext* context,
                                         const v1::UpdatePlanRequest* request,
                                         v1::Plan* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->plan().name(),
      [&] { return registry_->UpdatePlan(*request); }, response);
}

grpc::Status PlanServiceImpl::CreateTarget(
    grpc::ServerContext* context, const v1::CreateTargetRequest* request,
    v1::Target* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->parent(),
      [&] { return registry_->CreateTarget(*request); }, response);
}

grpc::Status PlanServiceImpl::ListTargets(grpc::ServerContext* context,
                                          const v1::ListTargetsRequest* request,
                                          v1::ListTargetsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.get", request->parent(),
      [&] { return registry_->ListTargets(*request); }, response);
}

grpc::Status PlanServiceImpl::UpdateTarget(
    grpc::ServerContext* context, const v1::UpdateTargetRequest* request,
    v1::Target* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->target().name(),
      [&] { return registry_->UpdateTarget(*request); }, response);
}

grpc::Status PlanServiceImpl::DeleteTarget(
    grpc::ServerContext* context, const v1::DeleteTargetRequest* request,
    google::protobuf::Empty* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->name(),
      [&] { return registry_->DeleteTarget(*request); }, response);
}

grpc::Status PlanServiceImpl::CreateTask(grpc::ServerContext* context,
                                         const v1::CreateTaskRequest* request,
                                         v1::Task* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->parent(),
      [&] { return registry_->CreateTask(*request); }, response);
}

grpc::Status PlanServiceImpl::GetTask(grpc::ServerContext* context,
                                      const v1::GetTaskRequest* request,
                                      v1::Task* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.get", request->name(),
      [&] { return registry_->GetTask(*request); }, response);
}

grpc::Status PlanServiceImpl::ListTasks(grpc::ServerContext* context,
                                        const v1::ListTasksRequest* request,
                                        v1::ListTasksResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.get", request->parent(),
      [&] { return registry_->ListTasks(*request); }, response);
}

grpc::Status PlanServiceImpl::UpdateTask(grpc::ServerContext* context,
                                         const v1::UpdateTaskRequest* request,
                                         v1::Task* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.update", request->task().name(),
      [&] { return registry_->UpdateTask(*request); }, response);
}

grpc::Status PlanServiceImpl::SubmitTaskProgress(
    grpc::ServerContext* context, const v1::SubmitTaskProgressRequest* request,
    v1::ProgressUpdate* response) {
  // Agencies report only on their own tasks; the platform's own calls (and a
  // plain-text daemon's, which trusts everyone) are not checked.
  const Caller caller = CallerOf(*context);
  const std::string reporting_agency =
      caller.authenticated && !caller.platform ? caller.identity : "";
  return Serve(
      *context, *authorizer_, "registry.tasks.progress", request->task(),
      [&] {
        return registry_->SubmitTaskProgress(*request, caller.identity,
                                             reporting_agency);
      },
      response);
}

grpc::Status PlanServiceImpl::ListTaskProgress(
    grpc::ServerContext* context, const v1::ListTaskProgressRequest* request,
    v1::ListTaskProgressResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.plans.get", request->task(),
      [&] { return registry_->ListTaskProgress(*request); }, response);
}

}  // namespace lienthong::registry
