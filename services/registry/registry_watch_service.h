#ifndef SERVICES_REGISTRY_REGISTRY_WATCH_SERVICE_H_
#define SERVICES_REGISTRY_REGISTRY_WATCH_SERVICE_H_

// The gRPC adapter of lienthong.registry.v1.RegistryWatchService: streams
// revision changes to registry caches. Sync streaming handler: each watcher
// holds one of the server's threads, which is right for the few caches a
// deployment has.

#include "absl/time/time.h"
#include "lienthong/registry/v1/registry_watch.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::registry {

class RegistryRevision;

class RegistryWatchServiceImpl final
    : public v1::RegistryWatchService::Service {
 public:
  // `poll` bounds how long a wait lasts before the handler checks whether the
  // call was cancelled. The arguments must outlive the service.
  RegistryWatchServiceImpl(RegistryRevision* revision,
                           const Authorizer* authorizer,
                           absl::Duration poll = absl::Seconds(1))
      : revision_(revision), authorizer_(authorizer), poll_(poll) {}

  grpc::Status WatchRegistry(
      grpc::ServerContext* context, const v1::WatchRegistryRequest* request,
      grpc::ServerWriter<v1::WatchRegistryResponse>* writer) override;

 private:
  RegistryRevision* revision_;
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_REGISTRY_WATCH_SERVICE_H_
