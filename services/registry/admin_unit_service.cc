#include "services/registry/admin_unit_service.h"

#include "libs/server/serve.h"
#include "services/registry/unit_import.h"
#include "services/registry/unit_registry.h"

namespace lienthong::registry {

grpc::Status AdminUnitServiceImpl::GetUnit(grpc::ServerContext* context,
                                           const v1::GetUnitRequest* request,
                                           v1::AdminUnit* response) {
  return Serve(
      *context, *authorizer_, "registry.units.get", request->name(),
      [&] { return registry_->GetUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::ListUnits(
    grpc::ServerContext* context, const v1::ListUnitsRequest* request,
    v1::ListUnitsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.units.list", request->parent(),
      [&] { return registry_->ListUnits(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::ListAncestors(
    grpc::ServerContext* context, const v1::ListAncestorsRequest* request,
    v1::ListAncestorsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.units.get", request->name(),
      [&] { return registry_->ListAncestors(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::CreateUnit(
    grpc::ServerContext* context, const v1::CreateUnitRequest* request,
    v1::AdminUnit* response) {
  return Serve(
      *context, *authorizer_, "registry.units.create", request->unit().code(),
      [&] { return registry_->CreateUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::UpdateUnit(
    grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
    v1::AdminUnit* response) {
  return Serve(
      *context, *authorizer_, "registry.units.update", request->unit().name(),
      [&] { return registry_->UpdateUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::MergeUnits(
    grpc::ServerContext* context, const v1::MergeUnitsRequest* request,
    v1::SuccessionEvent* response) {
  return Serve(
      *context, *authorizer_, "registry.units.merge",
      request->successor().code(),
      [&] { return registry_->MergeUnits(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::SplitUnit(
    grpc::ServerContext* context, const v1::SplitUnitRequest* request,
    v1::SuccessionEvent* response) {
  return Serve(
      *context, *authorizer_, "registry.units.split", request->name(),
      [&] { return registry_->SplitUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::GetUnitLineage(
    grpc::ServerContext* context, const v1::GetUnitLineageRequest* request,
    v1::GetUnitLineageResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.units.get", request->name(),
      [&] { return registry_->GetUnitLineage(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::RenameUnit(
    grpc::ServerContext* context, const v1::RenameUnitRequest* request,
    v1::SuccessionEvent* response) {
  return Serve(
      *context, *authorizer_, "registry.units.rename", request->name(),
      [&] { return registry_->RenameUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::ReparentUnit(
    grpc::ServerContext* context, const v1::ReparentUnitRequest* request,
    v1::SuccessionEvent* response) {
  return Serve(
      *context, *authorizer_, "registry.units.reparent", request->name(),
      [&] { return registry_->ReparentUnit(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::ListSuccessionEvents(
    grpc::ServerContext* context,
    const v1::ListSuccessionEventsRequest* request,
    v1::ListSuccessionEventsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.units.list", request->unit(),
      [&] { return registry_->ListSuccessionEvents(*request); }, response);
}

grpc::Status AdminUnitServiceImpl::ImportUnits(
    grpc::ServerContext* context, const v1::ImportUnitsRequest* request,
    v1::ImportUnitsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.units.import", "units",
      [&] { return importer_->Import(*request); }, response);
}

}  // namespace lienthong::registry
