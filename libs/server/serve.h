#ifndef LIBS_SERVER_SERVE_H_
#define LIBS_SERVER_SERVE_H_

// The body of every thin gRPC adapter method: ask the authorization hook, run
// the logic (which returns absl::StatusOr), convert the status once.

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"

namespace lienthong {

// Authorizes `method` on `resource` for the caller of `context`, with the unit
// hierarchy of `day`, then runs `logic` and moves its value into `response`.
template <typename Response, typename Logic>
grpc::Status Serve(const grpc::ServerContextBase& context,
                   const Authorizer& authorizer, absl::string_view method,
                   absl::string_view resource, const HierarchyDay& day,
                   Logic&& logic, Response* response) {
  if (absl::Status allowed =
          authorizer.Authorize(CallerOf(context), method, resource, day);
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<Response> result = std::forward<Logic>(logic)();
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// The same for a call that touches no dated unit data.
template <typename Response, typename Logic>
grpc::Status Serve(const grpc::ServerContextBase& context,
                   const Authorizer& authorizer, absl::string_view method,
                   absl::string_view resource, Logic&& logic,
                   Response* response) {
  return Serve(context, authorizer, method, resource, std::nullopt,
               std::forward<Logic>(logic), response);
}

}  // namespace lienthong

#endif  // LIBS_SERVER_SERVE_H_
