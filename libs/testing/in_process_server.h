#ifndef LIBS_TESTING_IN_PROCESS_SERVER_H_
#define LIBS_TESTING_IN_PROCESS_SERVER_H_

// Test fixture piece: a real GrpcServer (loopback, port 0) hosting the services
// under test, with an in-process channel to call them through the generated
// stubs.

#include <memory>
#include <vector>

#include "libs/server/grpc_server.h"

namespace lienthong::testing {

class InProcessServer {
 public:
  // Starts the server or fails the test (the server is then null).
  explicit InProcessServer(const std::vector<HostedService>& services,
                           ServerOptions options = {});
  ~InProcessServer();

  // A channel to the server without a socket.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  GrpcServer& server() { return *server_; }

 private:
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace lienthong::testing

#endif  // LIBS_TESTING_IN_PROCESS_SERVER_H_
