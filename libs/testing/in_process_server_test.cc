#include "libs/testing/in_process_server.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "libs/testing/echo_service.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class InProcessServerTest : public ::testing::Test {
 protected:
  EchoServiceImpl service_;
  InProcessServer server_{{{"lienthong.testing.EchoService", &service_}}};
  std::unique_ptr<EchoService::Stub> stub_ =
      EchoService::NewStub(server_.channel());
};

TEST_F(InProcessServerTest, CallsReachTheService) {
  grpc::ClientContext context;
  EchoRequest request;
  request.set_message("xin chào");
  EchoResponse response;
  ASSERT_TRUE(stub_->Echo(&context, request, &response).ok());
  EXPECT_EQ(response.message(), "xin chào");
}

TEST_F(InProcessServerTest, ErrorDetailsSurviveTheWire) {
  grpc::ClientContext context;
  EchoRequest request;
  request.set_message("bad");
  request.set_fail_with_code(static_cast<int>(absl::StatusCode::kAborted));
  EchoResponse response;

  absl::Status status =
      FromGrpcStatus(stub_->Echo(&context, request, &response));

  EXPECT_THAT(status, StatusIs(absl::StatusCode::kAborted, "asked to fail"));
  EXPECT_EQ(ErrorReason(status), "ASKED_TO_FAIL");
  EXPECT_THAT(ErrorMetadata(status), ElementsAre(Pair("message", "bad")));
  EXPECT_THAT(FieldViolations(status),
              ElementsAre(FieldViolation{"fail_with_code", "was non-zero"}));
}

}  // namespace
}  // namespace lienthong::testing
