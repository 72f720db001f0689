#include "libs/server/metrics_interceptor.h"

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/server_context.h"
#include "libs/log/logger.h"
#include "libs/metrics/metrics_registry.h"

namespace lienthong {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// The families every call updates.
struct CallMetrics {
  explicit CallMetrics(metrics::MetricsRegistry& registry) {
    const std::vector<std::string> labels = {"grpc_service", "grpc_method",
                                             "grpc_type"};
    started = registry.AddCounter("grpc_server_started_total",
                                  "Calls started on the server.", labels);
    std::vector<std::string> with_code = labels;
    with_code.push_back("grpc_code");
    handled = registry.AddCounter(
        "grpc_server_handled_total",
        "Calls completed on the server, by status code.", with_code);
    seconds = registry.AddHistogram(
        "grpc_server_handling_seconds",
        "Time from a call's start to its status, in seconds.", labels,
        metrics::DefaultLatencyBuckets());
    received = registry.AddCounter("grpc_server_msg_received_total",
                                   "Request messages received.", labels);
    sent = registry.AddCounter("grpc_server_msg_sent_total",
                               "Response messages sent.", labels);
  }
  metrics::CounterFamily* started;
  metrics::CounterFamily* handled;
  metrics::HistogramFamily* seconds;
  metrics::CounterFamily* received;
  metrics::CounterFamily* sent;
};

const char* TypeName(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return "unary";
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return "client_stream";
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return "server_stream";
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unknown";
}

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "Canceled",
                                       "Unknown",
                                       "InvalidArgument",
                                       "DeadlineExceeded",
                                       "NotFound",
                                       "AlreadyExists",
                                       "PermissionDenied",
                                       "ResourceExhausted",
                                       "FailedPrecondition",
                                       "Aborted",
                                       "OutOfRange",
                                       "Unimplemented",
                                       "Internal",
                                       "Unavailable",
                                       "DataLoss",
                                       "Unauthenticated"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "Unknown";
}

// Failures that are the server's to fix, not the caller's.
bool ServerSide(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::DATA_LOSS ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(ServerRpcInfo* info, const CallMetrics& metrics,
                     const Logger* logger)
      : metrics_(metrics),
        logger_(logger),
        method_(info->method() != nullptr ? info->method() : ""),
        start_(std::chrono::steady_clock::now()) {
    // "/package.Service/Method"
    const size_t slash = method_.rfind('/');
    if (slash != std::string::npos && slash > 0) {
      labels_ = {method_.substr(1, slash - 1), method_.substr(slash + 1),
                 TypeName(info->type())};
    } else {
      labels_ = {"", method_, TypeName(info->type())};
    }
    metrics_.started->WithLabels(labels_).Increment();
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() != nullptr) {
      metrics_.received->WithLabels(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      metrics_.sent->WithLabels(labels_).Increment();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Finish(const grpc::Status& status) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
    std::vector<std::string> with_code = labels_;
    with_code.push_back(CodeName(status.error_code()));
    metrics_.handled->WithLabels(with_code).Increment();
    metrics_.seconds->WithLabels(labels_).Observe(seconds);
    if (logger_ != nullptr && ServerSide(status.error_code())) {
      logger_->Warning("grpc.call_failed",
                       {{"method", method_},
                        {"code", with_code.back()},
                        {"message", status.error_message()},
                        {"seconds", absl::StrCat(seconds)}});
    }
  }

  const CallMetrics& metrics_;
  const Logger* logger_;
  std::string method_;
  std::vector<std::string> labels_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  MetricsFactory(metrics::MetricsRegistry* registry, const Logger* logger)
      : metrics_(*registry), logger_(logger) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_, logger_);
  }

 private:
  CallMetrics metrics_;
  const Logger* logger_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MetricsInterceptorFactory(metrics::MetricsRegistry* registry,
                          const Logger* logger) {
  return std::make_unique<MetricsFactory>(registry, logger);
}

}  // namespace lienthong
