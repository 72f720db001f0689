#ifndef SERVICES_REGISTRY_PLAN_SERVICE_H_
#define SERVICES_REGISTRY_PLAN_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.PlanService over PlanRegistry.

#include "lienthong/registry/v1/plan_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class PlanRegistry;

class PlanServiceImpl final : public v1::PlanService::Service {
 public:
  // `registry` and `authorizer` must outlive the service.
  PlanServiceImpl(PlanRegistry* registry, const Authorizer* authorizer)
      : registry_(registry), authorizer_(authorizer) {}

  grpc::Status GetPlan(grpc::ServerContext* context,
                       const v1::GetPlanRequest* request,
                       v1::Plan* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context,
                         const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;
  grpc::Status CreatePlan(grpc::ServerContext* context,
                          const v1::CreatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status UpdatePlan(grpc::ServerContext* context,
                          const v1::UpdatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status CreateTarget(grpc::ServerContext* context,
                            const v1::CreateTargetRequest* request,
                            v1::Target* response) override;
  grpc::Status ListTargets(grpc::ServerContext* context,
                           const v1::ListTargetsRequest* request,
                           v1::ListTargetsResponse* response) override;
  grpc::Status UpdateTarget(grpc::ServerContext* context,
                            const v1::UpdateTargetRequest* request,
                            v1::Target* response) override;
  grpc::Status DeleteTarget(grpc::ServerContext* context,
                            const v1::DeleteTargetRequest* request,
                            google::protobuf::Empty* response) override;
  grpc::Status CreateTask(grpc::ServerContext* context,
                          const v1::CreateTaskRequest* request,
                          v1::Task* response) override;
  grpc::Status GetTask(grpc::ServerContext* context,
                       const v1::GetTaskRequest* request,
                       v1::Task* response) override;
  grpc::Status ListTasks(grpc::ServerContext* context,
                         const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  grpc::Status UpdateTask(grpc::ServerContext* context,
                          const v1::UpdateTaskRequest* request,
                          v1::Task* response) override;
  grpc::Status SubmitTaskProgress(grpc::ServerContext* context,
                                  const v1::SubmitTaskProgressRequest* request,
                                  v1::ProgressUpdate* response) override;
  grpc::Status ListTaskProgress(
      grpc::ServerContext* context, const v1::ListTaskProgressRequest* request,
      v1::ListTaskProgressResponse* response) override;

 private:
  PlanRegistry* registry_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_PLAN_SERVICE_H_
