#include "libs/server/grpc_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "libs/log/logger.h"

namespace lienthong {
namespace {

int Millis(absl::Duration d) {
  return static_cast<int>(absl::ToInt64Milliseconds(d));
}

// Lets ServerOptions share a factory, while gRPC wants to own one per server.
class SharedInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit SharedInterceptorFactory(
      std::shared_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
          factory)
      : factory_(std::move(factory)) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return factory_->CreateServerInterceptor(info);
  }

 private:
  std::shared_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
      factory_;
};

std::string HostOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

}  // namespace

grpc::ChannelArguments ClientChannelArguments(const ServerOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_send_message_bytes);
  args.SetMaxSendMessageSize(options.max_receive_message_bytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              Millis(options.keepalive.ping_interval));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              Millis(options.keepalive.ping_timeout));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // A restarted peer is reached again within seconds, not gRPC's default two
  // minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return args;
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const ServerOptions& options, const std::vector<HostedService>& services) {
  // The health descriptors must be in the generated pool for reflection clients
  // to list grpc.health.v1.Health; naming one here keeps health.pb.cc linked
  // in.
  (void)grpc::health::v1::HealthCheckResponse::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials =
      options.credentials != nullptr ? options.credentials
                                     : grpc::InsecureServerCredentials();
  int port = 0;
  builder.AddListeningPort(options.address, credentials, &port);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options.max_send_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             Millis(options.keepalive.ping_interval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Millis(options.keepalive.ping_timeout));
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      Millis(options.keepalive.min_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // A second daemon on a port in use must fail, not share the port silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (const HostedService& hosted : services) {
    builder.RegisterService(hosted.service);
  }
  if (!options.interceptors.empty()) {
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        creators;
    for (const auto& factory : options.interceptors) {
      creators.push_back(std::make_unique<SharedInterceptorFactory>(factory));
    }
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.address,
                     " (address in use, or not a valid host:port)"));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  for (const HostedService& hosted : services) {
    health->SetServingStatus(hosted.name, true);
  }
  if (options.logger != nullptr) {
    options.logger->Info(
        "server.started",
        {{"address", absl::StrCat(HostOf(options.address), ":", port)},
         {"services", absl::StrCat(services.size())}});
  }
  return std::unique_ptr<GrpcServer>(
      new GrpcServer(std::move(server), port, options));
}

GrpcServer::GrpcServer(std::unique_ptr<grpc::Server> server, int port,
                       const ServerOptions& options)
    : server_(std::move(server)),
      port_(port),
      options_(options),
      authorizer_(options.authorizer != nullptr
                      ? options.authorizer
                      : std::make_shared<AllowAllAuthorizer>()) {}

GrpcServer::~GrpcServer() { Shutdown(absl::Now()); }

std::string GrpcServer::target() const {
  return absl::StrCat(HostOf(options_.address), ":", port_);
}

std::shared_ptr<grpc::Channel> GrpcServer::InProcessChannel() {
  return server_->InProcessChannel(ClientChannelArguments(options_));
}

void GrpcServer::EnterNotServing() {
  // Shutdown() of the health service marks every name NOT_SERVING and freezes
  // it.
  server_->GetHealthCheckService()->Shutdown();
}

void GrpcServer::Shutdown(absl::Time deadline) {
  if (shut_down_) return;
  shut_down_ = true;
  EnterNotServing();
  if (options_.logger != nullptr) {
    options_.logger->Info("server.stopping", {{"port", absl::StrCat(port_)}});
  }
  server_->Shutdown(absl::ToChronoTime(deadline));
  if (options_.logger != nullptr) {
    options_.logger->Info("server.stopped", {{"port", absl::StrCat(port_)}});
  }
}

void GrpcServer::Wait() { server_->Wait(); }

}  // namespace lienthong
