#ifndef SERVICES_REGISTRY_INDICATOR_SERVICE_H_
#define SERVICES_REGISTRY_INDICATOR_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.IndicatorService over
// IndicatorRegistry.

#include "lienthong/registry/v1/indicator.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class IndicatorRegistry;

class IndicatorServiceImpl final : public v1::IndicatorService::Service {
 public:
  // `registry` and `authorizer` must outlive the service.
  IndicatorServiceImpl(IndicatorRegistry* registry,
                       const Authorizer* authorizer)
      : registry_(registry), authorizer_(authorizer) {}

  grpc::Status GetIndicator(grpc::ServerContext* context,
                            const v1::GetIndicatorRequest* request,
                            v1::Indicator* response) override;
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* response) override;
  grpc::Status CreateIndicator(grpc::ServerContext* context,
                               const v1::CreateIndicatorRequest* request,
                               v1::Indicator* response) override;
  grpc::Status UpdateIndicator(grpc::ServerContext* context,
                               const v1::UpdateIndicatorRequest* request,
                               v1::Indicator* response) override;
  grpc::Status ListIndicatorVersions(
      grpc::ServerContext* context,
      const v1::ListIndicatorVersionsRequest* request,
      v1::ListIndicatorVersionsResponse* response) override;

 private:
  IndicatorRegistry* registry_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_INDICATOR_SERVICE_H_
