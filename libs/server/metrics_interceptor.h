#ifndef LIBS_SERVER_METRICS_INTERCEPTOR_H_
#define LIBS_SERVER_METRICS_INTERCEPTOR_H_

// Counts every call by method, as the grpc-ecosystem Prometheus interceptors
// name them, so existing dashboards and alerts apply:
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{...,grpc_code}   errors: grpc_code != "OK"
//   grpc_server_handling_seconds{...}          latency histogram
//   grpc_server_msg_received_total, grpc_server_msg_sent_total
// Calls that end with a server-side failure (INTERNAL, UNAVAILABLE, UNKNOWN,
// DATA_LOSS, DEADLINE_EXCEEDED) are also logged, one line each.

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace lienthong {

class Logger;

namespace metrics {
class MetricsRegistry;
}  // namespace metrics

// `registry` (and `logger`, which may be null) must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MetricsInterceptorFactory(metrics::MetricsRegistry* registry,
                          const Logger* logger);

}  // namespace lienthong

#endif  // LIBS_SERVER_METRICS_INTERCEPTOR_H_
