#ifndef LIBS_TESTING_ECHO_SERVICE_H_
#define LIBS_TESTING_ECHO_SERVICE_H_

// The test service: echoes messages, or fails with a chosen code, reason and
// field violation (to exercise error details end to end).

#include "libs/testing/echo.grpc.pb.h"

namespace lienthong::testing {

class EchoServiceImpl final : public EchoService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest* request,
                                 EchoResponse* response) override;
};

}  // namespace lienthong::testing

#endif  // LIBS_TESTING_ECHO_SERVICE_H_
