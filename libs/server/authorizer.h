#ifndef LIBS_SERVER_AUTHORIZER_H_
#define LIBS_SERVER_AUTHORIZER_H_

// The authorization hook. Every service adapter asks it before acting, naming
// the method and the resource the call touches (e.g. "units/00097"), because
// policies by the unit hierarchy need the resource, which only the adapter
// knows after parsing.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace lienthong {

// Who is calling: the identity is the agency code from the client certificate,
// or empty on an unauthenticated (insecure, loopback) connection.
struct Caller {
  std::string identity;
  std::string peer;  // transport address, e.g. "ipv4:127.0.0.1:53312"
  bool authenticated = false;
};

// Decides whether a caller may perform a method on a resource.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OK to proceed, or PERMISSION_DENIED / UNAUTHENTICATED with a reason.
  virtual absl::Status Authorize(const Caller& caller, absl::string_view method,
                                 absl::string_view resource) const = 0;
};

// Allows everything: the policy of the insecure loopback mode.
class AllowAllAuthorizer final : public Authorizer {
 public:
  absl::Status Authorize(const Caller&, absl::string_view,
                         absl::string_view) const override {
    return absl::OkStatus();
  }
};

// The caller of a server call: identity from the peer certificate's common name
// when the transport is authenticated.
Caller CallerOf(const grpc::ServerContextBase& context);

}  // namespace lienthong

#endif  // LIBS_SERVER_AUTHORIZER_H_
