#ifndef SERVICES_REGISTRY_ADMIN_UNIT_SERVICE_H_
#define SERVICES_REGISTRY_ADMIN_UNIT_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.AdminUnitService over UnitRegistry.
// Synchronous handlers: the logic reads and writes the store, which may wait on
// the disk, and gRPC's sync server runs handlers on its own thread pool.

#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class UnitImporter;
class UnitRegistry;

class AdminUnitServiceImpl final : public v1::AdminUnitService::Service {
 public:
  // `registry` and `authorizer` must outlive the service.
  AdminUnitServiceImpl(UnitRegistry* registry, UnitImporter* importer,
                       const Authorizer* authorizer)
      : registry_(registry), importer_(importer), authorizer_(authorizer) {}

  grpc::Status GetUnit(grpc::ServerContext* context,
                       const v1::GetUnitRequest* request,
                       v1::AdminUnit* response) override;
  grpc::Status ListUnits(grpc::ServerContext* context,
                         const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;
  grpc::Status ListAncestors(grpc::ServerContext* context,
                             const v1::ListAncestorsRequest* request,
                             v1::ListAncestorsResponse* response) override;
  grpc::Status CreateUnit(grpc::ServerContext* context,
                          const v1::CreateUnitRequest* request,
                          v1::AdminUnit* response) override;
  grpc::Status UpdateUnit(grpc::ServerContext* context,
                          const v1::UpdateUnitRequest* request,
                          v1::AdminUnit* response) override;
  grpc::Status MergeUnits(grpc::ServerContext* context,
                          const v1::MergeUnitsRequest* request,
                          v1::SuccessionEvent* response) override;
  grpc::Status SplitUnit(grpc::ServerContext* context,
                         const v1::SplitUnitRequest* request,
                         v1::SuccessionEvent* response) override;
  grpc::Status GetUnitLineage(grpc::ServerContext* context,
                              const v1::GetUnitLineageRequest* request,
                              v1::GetUnitLineageResponse* response) override;
  grpc::Status RenameUnit(grpc::ServerContext* context,
                          const v1::RenameUnitRequest* request,
                          v1::SuccessionEvent* response) override;
  grpc::Status ReparentUnit(grpc::ServerContext* context,
                            const v1::ReparentUnitRequest* request,
                            v1::SuccessionEvent* response) override;
  grpc::Status ListSuccessionEvents(
      grpc::ServerContext* context,
      const v1::ListSuccessionEventsRequest* request,
      v1::ListSuccessionEventsResponse* response) override;
  grpc::Status ImportUnits(grpc::ServerContext* context,
                           const v1::ImportUnitsRequest* request,
                           v1::ImportUnitsResponse* response) override;

 private:
  UnitRegistry* registry_;
  UnitImporter* importer_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_ADMIN_UNIT_SERVICE_H_
