#include "services/registry/registry_watch_service.h"

#include <string>

#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"
#include "services/registry/registry_revision.h"

namespace lienthong::registry {

grpc::Status RegistryWatchServiceImpl::WatchRegistry(
    grpc::ServerContext* context, const v1::WatchRegistryRequest* request,
    grpc::ServerWriter<v1::WatchRegistryResponse>* writer) {
  if (absl::Status allowed = authorizer_->Authorize(
          CallerOf(*context), "registry.watch", "registry");
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  std::string epoch = request->epoch();
  int64_t after = request->after_revision();
  bool first = true;
  while (!context->IsCancelled() && !revision_->closed()) {
    // The first answer comes at once; later ones when something changes.
    RevisionChanges changes = revision_->WaitForChanges(
        epoch, after, first ? absl::Now() : absl::Now() + poll_);
    if (!first && changes.collections.empty()) continue;
    v1::WatchRegistryResponse response;
    response.set_epoch(revision_->epoch());
    response.set_revision(changes.revision);
    for (const std::string& collection : changes.collections) {
      response.add_changed_collections(collection);
    }
    if (!writer->Write(response)) break;  // the client went away
    epoch = revision_->epoch();
    after = changes.revision;
    first = false;
  }
  return grpc::Status::OK;
}

}  // namespace lienthong::registry
