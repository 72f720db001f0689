#include "libs/testing/in_process_server.h"

#include <utility>

#include "gtest/gtest.h"

namespace lienthong::testing {

InProcessServer::InProcessServer(const std::vector<HostedService>& services,
                                 ServerOptions options) {
  options.address = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options, services);
  if (!server.ok()) {
    ADD_FAILURE() << "cannot start test server: " << server.status();
    return;
  }
  server_ = *std::move(server);
  channel_ = server_->InProcessChannel();
}

InProcessServer::~InProcessServer() {
  // Channel first: in-process calls must not outlive the server.
  channel_.reset();
  if (server_ != nullptr) server_->Shutdown(absl::Now());
}

}  // namespace lienthong::testing
