#include "libs/server/metrics_interceptor.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
#include "libs/metrics/metrics_registry.h"
#include "libs/server/grpc_server.h"
#include "libs/testing/echo_service.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MetricsInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.interceptors.push_back(
        MetricsInterceptorFactory(&registry_, &logger_));
    LT_ASSERT_OK_AND_ASSIGN(
        server_, GrpcServer::Start(
                     options, {{"lienthong.testing.EchoService", &service_}}));
    stub_ = testing::EchoService::NewStub(grpc::CreateChannel(
        server_->target(), grpc::InsecureChannelCredentials()));
  }

  grpc::Status Echo(int fail_with_code) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    testing::EchoRequest request;
    request.set_message("xin chào");
    request.set_fail_with_code(fail_with_code);
    testing::EchoResponse response;
    return stub_->Echo(&context, request, &response);
  }

  metrics::MetricsRegistry registry_;
  MemoryLogSink sink_;
  FakeClock clock_{absl::FromUnixSeconds(1751328000)};
  Logger logger_{&sink_, &clock_};
  testing::EchoServiceImpl service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<testing::EchoService::Stub> stub_;
};

constexpr char kEcho[] =
    "grpc_service=\"lienthong.testing.EchoService\",grpc_method=\"Echo\","
    "grpc_type=\"unary\"";

TEST_F(MetricsInterceptorTest, CountsCallsByMethodAndCode) {
  ASSERT_TRUE(Echo(0).ok());
  ASSERT_TRUE(Echo(0).ok());
  ASSERT_EQ(Echo(static_cast<int>(grpc::StatusCode::NOT_FOUND)).error_code(),
            grpc::StatusCode::NOT_FOUND);

  const std::string text = registry_.Render();
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_started_total{", kEcho,
                                           "} 3\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handled_total{", kEcho,
                                           ",grpc_code=\"OK\"} 2\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_handled_total{", kEcho,
                                           ",grpc_code=\"NotFound\"} 1\n")));
  EXPECT_THAT(
      text, HasSubstr(absl::StrCat("grpc_server_handling_seconds_count{", kEcho,
                                   "} 3\n")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("grpc_server_handling_seconds_bucket{",
                                     kEcho, ",le=\"+Inf\"} 3\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_msg_received_total{",
                                           kEcho, "} 3\n")));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("grpc_server_msg_sent_total{", kEcho,
                                           "} 2\n")));
  // A caller's mistake is not the server's failure: nothing logged.
  for (const std::string& line : sink_.lines()) {
    EXPECT_THAT(line, Not(HasSubstr("grpc.call_failed")));
  }
}

TEST_F(MetricsInterceptorTest, LogsServerSideFailures) {
  ASSERT_EQ(Echo(static_cast<int>(grpc::StatusCode::INTERNAL)).error_code(),
            grpc::StatusCode::INTERNAL);
  EXPECT_THAT(registry_.Render(),
              HasSubstr(absl::StrCat("grpc_server_handled_total{", kEcho,
                                     ",grpc_code=\"Internal\"} 1\n")));
  bool logged = false;
  for (const std::string& line : sink_.lines()) {
    if (absl::StrContains(line, "event=grpc.call_failed")) {
      logged = true;
      EXPECT_THAT(line,
                  HasSubstr("method=/lienthong.testing.EchoService/Echo"));
      EXPECT_THAT(line, HasSubstr("code=Internal"));
    }
  }
  EXPECT_TRUE(logged);
}

}  // namespace
}  // namespace lienthong
