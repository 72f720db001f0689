#include "libs/server/authorizer.h"

#include "grpcpp/security/auth_context.h"
#include "grpcpp/server_context.h"

namespace lienthong {

Caller CallerOf(const grpc::ServerContextBase& context) {
  Caller caller;
  caller.peer = context.peer();
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const grpc::string_ref& name :
         auth->FindPropertyValues("x509_common_name")) {
      caller.identity.assign(name.data(), name.size());
    }
    caller.authenticated = !caller.identity.empty();
  }
  return caller;
}

}  // namespace lienthong
