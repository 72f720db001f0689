#include "libs/metrics/metrics_http_server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lienthong::metrics {
namespace {

// Splits "host:port" or "[v6]:port".
absl::Status SplitAddress(const std::string& address, std::string& host,
                          std::string& port) {
  const size_t colon = address.rfind(':');
  int number = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &number) || number < 0 ||
      number > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics address \"", address, "\" is not host:port or [v6]:port"));
  }
  absl::string_view name(address.data(), colon);
  if (absl::ConsumePrefix(&name, "[") && !absl::ConsumeSuffix(&name, "]")) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address \"", address, "\" lacks a closing ]"));
  }
  host = std::string(name);
  port = address.substr(colon + 1);
  return absl::OkStatus();
}

MHD_Result Respond(MHD_Connection* connection, unsigned int code,
                   const std::string& body, const char* content_type) {
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  if (code == MHD_HTTP_METHOD_NOT_ALLOWED) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  }
  const MHD_Result queued = MHD_queue_response(connection, code, response);
  MHD_destroy_response(response);
  return queued;
}

}  // namespace

struct MetricsRequestHandler {
  static MHD_Result Handle(void* cls, MHD_Connection* connection,
                           const char* url, const char* method,
                           const char* /*version*/, const char* /*upload_data*/,
                           size_t* upload_data_size, void** /*con_cls*/) {
    auto* server = static_cast<MetricsHttpServer*>(cls);
    constexpr const char* kText = "text/plain; charset=utf-8";
    // A request with a body is refused before reading it.
    if (*upload_data_size != 0 ||
        (std::strcmp(method, "GET") != 0 && std::strcmp(method, "HEAD") != 0)) {
      return Respond(connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                     "only GET /metrics\n", kText);
    }
    if (std::strcmp(url, "/metrics") != 0) {
      return Respond(connection, MHD_HTTP_NOT_FOUND, "only GET /metrics\n",
                     kText);
    }
    return Respond(connection, MHD_HTTP_OK, server->render_(),
                   "text/plain; version=0.0.4; charset=utf-8");
  }
};

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& address, std::function<std::string()> render) {
  std::string host, port;
  if (absl::Status split = SplitAddress(address, host, port); !split.ok()) {
    return split;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int error = getaddrinfo(host.empty() ? nullptr : host.c_str(),
                              port.c_str(), &hints, &found);
      error != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics address \"", address, "\": ", gai_strerror(error)));
  }
  std::unique_ptr<MetricsHttpServer> server(
      new MetricsHttpServer(std::move(render)));
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (found->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
  server->daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &MetricsRequestHandler::Handle, server.get(),
      MHD_OPTION_SOCK_ADDR, found->ai_addr,
      // Scrapes are few and small: a handful of connections, none idle long.
      MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
      MHD_OPTION_END);
  freeaddrinfo(found);
  if (server->daemon_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot serve metrics on ", address, ": ", std::strerror(errno)));
  }
  const MHD_DaemonInfo* info =
      MHD_get_daemon_info(server->daemon_, MHD_DAEMON_INFO_BIND_PORT);
  server->port_ = info != nullptr ? info->port : 0;
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
}

}  // namespace lienthong::metrics
