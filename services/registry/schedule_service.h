#ifndef SERVICES_REGISTRY_SCHEDULE_SERVICE_H_
#define SERVICES_REGISTRY_SCHEDULE_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.ReportingScheduleService over
// ScheduleRegistry.

#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class ScheduleRegistry;

class ScheduleServiceImpl final : public v1::ReportingScheduleService::Service {
 public:
  // `registry` and `authorizer` must outlive the service.
  ScheduleServiceImpl(ScheduleRegistry* registry, const Authorizer* authorizer)
      : registry_(registry), authorizer_(authorizer) {}

  grpc::Status GetSchedule(grpc::ServerContext* context,
                           const v1::GetScheduleRequest* request,
                           v1::ReportingSchedule* response) override;
  grpc::Status ListSchedules(grpc::ServerContext* context,
                             const v1::ListSchedulesRequest* request,
                             v1::ListSchedulesResponse* response) override;
  grpc::Status CreateSchedule(grpc::ServerContext* context,
                              const v1::CreateScheduleRequest* request,
                              v1::ReportingSchedule* response) override;
  grpc::Status UpdateSchedule(grpc::ServerContext* context,
                              const v1::UpdateScheduleRequest* request,
                              v1::ReportingSchedule* response) override;
  grpc::Status ResolvePeriod(grpc::ServerContext* context,
                             const v1::ResolvePeriodRequest* request,
                             v1::ResolvePeriodResponse* response) override;

 private:
  ScheduleRegistry* registry_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SCHEDULE_SERVICE_H_
