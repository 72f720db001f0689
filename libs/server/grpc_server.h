#ifndef LIBS_SERVER_GRPC_SERVER_H_
#define LIBS_SERVER_GRPC_SERVER_H_

// The server runtime every lienthong process uses: health with a status per
// service, reflection, explicit message-size limits, a keepalive policy shared
// with clients, port 0, in-process channels, and a two-step graceful shutdown.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/server/authorizer.h"

namespace lienthong {

class Logger;

// Keepalive on both ends; servers and clients must agree, or servers close
// connections with GOAWAY "too_many_pings".
struct KeepalivePolicy {
  absl::Duration ping_interval = absl::Minutes(1);  // client pings when idle
  absl::Duration ping_timeout = absl::Seconds(20);  // no ack: connection dead
  absl::Duration min_ping_interval = absl::Seconds(30);  // server tolerates
};

// Limits and credentials of one server.
struct ServerOptions {
  // host:port; port 0 picks a free one (see GrpcServer::port()).
  std::string address = "127.0.0.1:0";
  // Transport credentials; null means insecure, which callers allow only on
  // loopback.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Authorization hook handed to services; null means AllowAllAuthorizer.
  std::shared_ptr<const Authorizer> authorizer;
  int max_receive_message_bytes = 16 << 20;
  int max_send_message_bytes = 16 << 20;
  KeepalivePolicy keepalive;
  // Interceptors every call passes through, in order (e.g. the audit log's).
  std::vector<
      std::shared_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // Logger for lifecycle events; must outlive the server. Null: no logs.
  const Logger* logger = nullptr;
};

// A service to host, with the fully-qualified name health reports it under
// (e.g. "lienthong.registry.v1.AdminUnitService").
struct HostedService {
  std::string name;
  grpc::Service* service;  // not owned; must outlive the server
};

// Channel arguments a client uses to talk to servers started with `options`:
// the same message limits and a keepalive the server tolerates.
grpc::ChannelArguments ClientChannelArguments(const ServerOptions& options);

// A started gRPC server.
class GrpcServer {
 public:
  // Builds and starts a server hosting `services`; reports each one SERVING.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const ServerOptions& options, const std::vector<HostedService>& services);

  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // The bound port (the chosen one when the address asked for port 0).
  int port() const { return port_; }
  // "host:port" to dial.
  std::string target() const;
  // The authorization hook services must consult.
  const Authorizer& authorizer() const { return *authorizer_; }

  // A channel into this server without a socket, with the client arguments
  // above. Calls on it must end before Shutdown(): gRPC 1.51 crashes starting a
  // call on an in-process channel whose server has shut down.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Step one of shutdown: every service (and the server as a whole, "") reports
  // NOT_SERVING from now on, so load balancers and clients move away.
  void EnterNotServing();

  // Step two: EnterNotServing(), then stop accepting calls, let calls in flight
  // finish until `deadline`, and cancel those still running then. Idempotent.
  void Shutdown(absl::Time deadline);

  // Blocks until Shutdown() completes.
  void Wait();

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port,
             const ServerOptions& options);

  std::unique_ptr<grpc::Server> server_;
  int port_;
  ServerOptions options_;
  std::shared_ptr<const Authorizer> authorizer_;
  bool shut_down_ = false;
};

}  // namespace lienthong

#endif  // LIBS_SERVER_GRPC_SERVER_H_
