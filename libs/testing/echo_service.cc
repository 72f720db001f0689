#include "libs/testing/echo_service.h"

#include "absl/status/status.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"

namespace lienthong::testing {

grpc::ServerUnaryReactor* EchoServiceImpl::Echo(
    grpc::CallbackServerContext* context, const EchoRequest* request,
    EchoResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status;
  if (request->fail_with_code() != 0) {
    status = WithFieldViolations(
        WithErrorInfo(absl::Status(static_cast<absl::StatusCode>(
                                       request->fail_with_code()),
                                   "asked to fail"),
                      "ASKED_TO_FAIL", {{"message", request->message()}}),
        {{"fail_with_code", "was non-zero"}});
  } else {
    response->set_message(request->message());
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace lienthong::testing
