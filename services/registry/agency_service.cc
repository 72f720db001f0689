#include "services/registry/agency_service.h"

#include "libs/server/serve.h"
#include "services/registry/agency_registry.h"

namespace lienthong::registry {

grpc::Status AgencyServiceImpl::GetAgency(grpc::ServerContext* context,
                                          const v1::GetAgencyRequest* request,
                                          v1::Agency* response) {
  return Serve(
      *context, *authorizer_, "registry.agencies.get", request->name(),
      [&] { return registry_->GetAgency(*request); }, response);
}

grpc::Status AgencyServiceImpl::ListAgencies(
    grpc::ServerContext* context, const v1::ListAgenciesRequest* request,
    v1::ListAgenciesResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.agencies.list", request->unit(),
      [&] { return registry_->ListAgencies(*request); }, response);
}

grpc::Status AgencyServiceImpl::CreateAgency(
    grpc::ServerContext* context, const v1::CreateAgencyRequest* request,
    v1::Agency* response) {
  return Serve(
      *context, *authorizer_, "registry.agencies.create",
      request->agency().unit(),
      [&] { return registry_->CreateAgency(*request); }, response);
}

grpc::Status AgencyServiceImpl::UpdateAgency(
    grpc::ServerContext* context, const v1::UpdateAgencyRequest* request,
    v1::Agency* response) {
  return Serve(
      *context, *authorizer_, "registry.agencies.update",
      request->agency().name(),
      [&] { return registry_->UpdateAgency(*request); }, response);
}

grpc::Status AgencyServiceImpl::DeleteAgency(
    grpc::ServerContext* context, const v1::DeleteAgencyRequest* request,
    google::protobuf::Empty* response) {
  return Serve(
      *context, *authorizer_, "registry.agencies.delete", request->name(),
      [&] { return registry_->DeleteAgency(*request); }, response);
}

}  // namespace lienthong::registry
