#include "services/registry/indicator_service.h"

#include "libs/server/serve.h"
#include "services/registry/indicator_registry.h"

namespace lienthong::registry {

grpc::Status IndicatorServiceImpl::GetIndicator(
    grpc::ServerContext* context, const v1::GetIndicatorRequest* request,
    v1::Indicator* response) {
  return Serve(
      *context, *authorizer_, "registry.indicators.get", request->name(),
      [&] { return registry_->GetIndicator(*request); }, response);
}

grpc::Status IndicatorServiceImpl::ListIndicators(
    grpc::ServerContext* context, const v1::ListIndicatorsRequest* request,
    v1::ListIndicatorsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.indicators.list", "indicators",
      [&] { return registry_->ListIndicators(*request); }, response);
}

grpc::Status IndicatorServiceImpl::CreateIndicator(
    grpc::ServerContext* context, const v1::CreateIndicatorRequest* request,
    v1::Indicator* response) {
  return Serve(
      *context, *authorizer_, "registry.indicators.create",
      request->indicator().code(),
      [&] { return registry_->CreateIndicator(*request); }, response);
}

grpc::Status IndicatorServiceImpl::UpdateIndicator(
    grpc::ServerContext* context, const v1::UpdateIndicatorRequest* request,
    v1::Indicator* response) {
  return Serve(
      *context, *authorizer_, "registry.indicators.update",
      request->indicator().name(),
      [&] { return registry_->UpdateIndicator(*request); }, response);
}

grpc::Status IndicatorServiceImpl::ListIndicatorVersions(
    grpc::ServerContext* context,
    const v1::ListIndicatorVersionsRequest* request,
    v1::ListIndicatorVersionsResponse* response) {
  return Serve(
      *context, *authorizer_, "registry.indicators.get", request->name(),
      [&] { return registry_->ListIndicatorVersions(*request); }, response);
}

}  // namespace lienthong::registry
