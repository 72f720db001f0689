#include "services/registry/schedule_service.h"

#include "libs/server/serve.h"
#include "services/registry/schedule_registry.h"

namespace lienthong::registry {

grpc::Status ScheduleServiceImpl::GetSchedule(
    grpc::ServerContext* context, const v1::GetScheduleRequest* request,
    v1::ReportingSchedule* response) {
  return Serve(
      *context, *authorizer_, "registry.schedules.get", request->name(),
      [&] { return registry_->GetSchedule(*request); }, response);
}

grpc::Status ScheduleServiceImpl::ListSchedules(
    grpc::ServerContext* context, const v1::ListSchedulesRequest* request,
    v1::ListSchedulesResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.schedules.list", "schedules",
      [&] { return registry_->ListSchedules(*request); }, response);
}

grpc::Status ScheduleServiceImpl::CreateSchedule(
    grpc::ServerContext* context, const v1::CreateScheduleRequest* request,
    v1::ReportingSchedule* response) {
  return Serve(
      *context, *authorizer_, "registry.schedules.create",
      request->schedule_id(),
      [&] { return registry_->CreateSchedule(*request); }, response);
}

grpc::Status ScheduleServiceImpl::UpdateSchedule(
    grpc::ServerContext* context, const v1::UpdateScheduleRequest* request,
    v1::ReportingSchedule* response) {
  return Serve(
      *context, *authorizer_, "registry.schedules.update",
      request->schedule().name(),
      [&] { return registry_->UpdateSchedule(*request); }, response);
}

grpc::Status ScheduleServiceImpl::ResolvePeriod(
    grpc::ServerContext* context, const v1::ResolvePeriodRequest* request,
    v1::ResolvePeriodResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.schedules.get", request->schedule(),
      [&] { return registry_->ResolvePeriod(*request); }, response);
}

}  // namespace lienthong::registry
