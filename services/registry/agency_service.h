#ifndef SERVICES_REGISTRY_AGENCY_SERVICE_H_
#define SERVICES_REGISTRY_AGENCY_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.AgencyService over AgencyRegistry.

#include "lienthong/registry/v1/agency.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class AgencyRegistry;

class AgencyServiceImpl final : public v1::AgencyService::Service {
 public:
  // `registry` and `authorizer` must outlive the service.
  AgencyServiceImpl(AgencyRegistry* registry, const Authorizer* authorizer)
      : registry_(registry), authorizer_(authorizer) {}

  grpc::Status GetAgency(grpc::ServerContext* context,
                         const v1::GetAgencyRequest* request,
                         v1::Agency* response) override;
  grpc::Status ListAgencies(grpc::ServerContext* context,
                            const v1::ListAgenciesRequest* request,
                            v1::ListAgenciesResponse* response) override;
  grpc::Status CreateAgency(grpc::ServerContext* context,
                            const v1::CreateAgencyRequest* request,
                            v1::Agency* response) override;
  grpc::Status UpdateAgency(grpc::ServerContext* context,
                            const v1::UpdateAgencyRequest* request,
                            v1::Agency* response) override;
  grpc::Status DeleteAgency(grpc::ServerContext* context,
                            const v1::DeleteAgencyRequest* request,
                            google::protobuf::Empty* response) override;

 private:
  AgencyRegistry* registry_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_AGENCY_SERVICE_H_
