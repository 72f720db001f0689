#ifndef LIBS_SERVER_AUTHORIZER_H_
#define LIBS_SERVER_AUTHORIZER_H_

// The authorization hook. Every service adapter asks it before acting, naming
// the method and the resource the call touches (e.g. "units/00097"), because
// policies by the unit hierarchy need the resource, which only the adapter
// knows after parsing.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace grpc {
class ServerContextBase;
}  // namespace grpc

namespace lienthong {

// Auth-context properties naming a verified caller's agency and role; the
// certificate processor adds them, CallerOf reads them.
inline constexpr char kAgencyProperty[] = "lienthong.agency";
inline constexpr char kRoleProperty[] = "lienthong.role";
// Present (value "1") when the client certificate is the platform's own, i.e.
// another service of this platform is calling.
inline constexpr char kPlatformProperty[] = "lienthong.platform";

// Who is calling, as the verified client certificate says (see
// CertificateAuthProcessor); empty on a plain-text loopback connection or an
// in-process channel, both of which only the platform itself can open.
struct Caller {
  std::string identity;  // agency code, e.g. "000.00.04.G14"
  std::string role;      // "system", "operator" or "auditor"
  std::string peer;      // transport address, e.g. "ipv4:127.0.0.1:53312"
  bool authenticated = false;
  // The caller presented the platform's own certificate: a service-to-service
  // call, trusted like an in-process one.
  bool platform = false;
  // The call itself (its server context), so per-call admission happens once
  // however many resources a call authorizes; null outside a server call.
  const void* call = nullptr;
  // When the caller gives up; InfiniteFuture when it set no deadline.
  absl::Time deadline = absl::InfiniteFuture();
};

// The day whose unit hierarchy decides a read of unit data, since units move
// between parents (the 2025 reform, a reparented commune): a period's last
// day, the day reporting counts a period's units on, or the hierarchy date a
// request names. nullopt when a read names neither: the unit's latest
// arrangement then decides.
using HierarchyDay = std::optional<absl::CivilDay>;

// Decides whether a caller may perform a method on a resource.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OK to proceed, or PERMISSION_DENIED / UNAUTHENTICATED with a reason.
  virtual absl::Status Authorize(const Caller& caller, absl::string_view method,
                                 absl::string_view resource,
                                 const HierarchyDay& day) const = 0;
  // The same for a call that touches no dated unit data.
  absl::Status Authorize(const Caller& caller, absl::string_view method,
                         absl::string_view resource) const {
    return Authorize(caller, method, resource, std::nullopt);
  }
};

// Allows everything: the policy of the insecure loopback mode.
class AllowAllAuthorizer final : public Authorizer {
 public:
  using Authorizer::Authorize;
  absl::Status Authorize(const Caller&, absl::string_view, absl::string_view,
                         const HierarchyDay&) const override {
    return absl::OkStatus();
  }
};

// The caller of a server call: the agency and role the certificate processor
// verified, when there was one.
Caller CallerOf(const grpc::ServerContextBase& context);

}  // namespace lienthong

#endif  // LIBS_SERVER_AUTHORIZER_H_
