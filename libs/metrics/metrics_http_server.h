#ifndef LIBS_METRICS_METRICS_HTTP_SERVER_H_
#define LIBS_METRICS_METRICS_HTTP_SERVER_H_

// Serves GET /metrics over plain HTTP (libmicrohttpd) for Prometheus to
// scrape: the text a render function returns, fresh on every request. Nothing
// else is served. Bind it to loopback or an internal address: it has no
// authentication, and shows only counts by method and status, never data.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

struct MHD_Daemon;

namespace lienthong::metrics {

class MetricsHttpServer {
 public:
  // Listens on `address` ("host:port", "[v6]:port"; port 0 picks a free one)
  // with a thread of its own; `render` runs on it for every scrape.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& address, std::function<std::string()> render);
  // Stops listening and waits for a scrape in progress.
  ~MetricsHttpServer();
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The bound port.
  int port() const { return port_; }

 private:
  explicit MetricsHttpServer(std::function<std::string()> render)
      : render_(std::move(render)) {}

  std::function<std::string()> render_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;

  friend struct MetricsRequestHandler;
};

}  // namespace lienthong::metrics

#endif  // LIBS_METRICS_METRICS_HTTP_SERVER_H_
