#include "libs/server/authorizer.h"

#include "grpcpp/security/auth_context.h"
#include "grpcpp/server_context.h"

namespace lienthong {

Caller CallerOf(const grpc::ServerContextBase& context) {
  Caller caller;
  caller.peer = context.peer();
  caller.call = &context;
  if (context.deadline() != std::chrono::system_clock::time_point::max()) {
    caller.deadline = absl::FromChrono(context.deadline());
  }
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return caller;
  for (const grpc::string_ref& value :
       auth->FindPropertyValues(kAgencyProperty)) {
    caller.identity.assign(value.data(), value.size());
  }
  for (const grpc::string_ref& value :
       auth->FindPropertyValues(kRoleProperty)) {
    caller.role.assign(value.data(), value.size());
  }
  caller.authenticated = !caller.identity.empty() && !caller.role.empty();
  caller.platform = !auth->FindPropertyValues(kPlatformProperty).empty();
  return caller;
}

}  // namespace lienthong
