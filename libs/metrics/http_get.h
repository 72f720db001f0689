#ifndef LIBS_METRICS_HTTP_GET_H_
#define LIBS_METRICS_HTTP_GET_H_

// A minimal HTTP/1.0 client for tests that scrape /metrics on loopback, and
// a reader of the samples scraped.

#include <string>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"

namespace lienthong::metrics {

struct HttpResponse {
  int status = 0;
  std::string headers;  // the header lines, as received
  std::string body;
};

// Sends `method` `path` to 127.0.0.1:`port` and reads the whole response.
absl::StatusOr<HttpResponse> HttpRequest(int port, const std::string& method,
                                         const std::string& path);

// The value of `series` (name and labels exactly as rendered, e.g.
// `c_total{code="OK"}`) in Prometheus text `exposition`; nullopt if absent.
absl::optional<double> FindSample(const std::string& exposition,
                                  const std::string& series);

}  // namespace lienthong::metrics

#endif  // LIBS_METRICS_HTTP_GET_H_
