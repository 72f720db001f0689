#ifndef LIBS_METRICS_HTTP_GET_H_
#define LIBS_METRICS_HTTP_GET_H_

// A minimal HTTP/1.0 client for tests that scrape /metrics on loopback.

#include <string>

#include "absl/status/statusor.h"

namespace lienthong::metrics {

struct HttpResponse {
  int status = 0;
  std::string headers;  // the header lines, as received
  std::string body;
};

// Sends `method` `path` to 127.0.0.1:`port` and reads the whole response.
absl::StatusOr<HttpResponse> HttpRequest(int port, const std::string& method,
                                         const std::string& path);

}  // namespace lienthong::metrics

#endif  // LIBS_METRICS_HTTP_GET_H_
