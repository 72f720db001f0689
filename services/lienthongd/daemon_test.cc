#include "services/lienthongd/daemon.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::lienthong::testing::StatusCodeIs;

std::string TestDir(const std::string& name) {
  std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(DaemonTest, ServesHealthOnAFreePortAndCreatesTheDataDir) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("serves") + "/nested/var";
  LT_ASSERT_OK_AND_ASSIGN(auto daemon, Daemon::Start(options));
  EXPECT_TRUE(std::filesystem::is_directory(options.data_dir));

  auto stub = Health::NewStub(daemon->server().InProcessChannel());
  for (const std::string& name : daemon->service_names()) {
    grpc::ClientContext context;
    HealthCheckRequest request;
    request.set_service(name);
    HealthCheckResponse response;
    ASSERT_TRUE(stub->Check(&context, request, &response).ok()) << name;
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << name;
  }
  grpc::ClientContext context;
  HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, HealthCheckRequest(), &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  daemon->Shutdown(absl::Seconds(1));
}

TEST(DaemonTest, RefusesADataDirInUse) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("locked");
  LT_ASSERT_OK_AND_ASSIGN(auto first, Daemon::Start(options));
  absl::StatusOr<std::unique_ptr<Daemon>> second = Daemon::Start(options);
  EXPECT_THAT(second, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(second.status()), "DATA_DIR_LOCKED");
  // Once the first one is gone the directory is free again.
  first.reset();
  EXPECT_TRUE(Daemon::Start(options).ok());
}

TEST(DaemonTest, RefusesADataDirThatCannotBeCreated) {
  std::string file = TestDir("a_file");
  std::ofstream(file) << "not a directory";
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = file + "/var";
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(daemon.status()), "DATA_DIR_UNUSABLE");
}

TEST(DaemonTest, RefusesToServeWithoutTlsUnlessAskedOnLoopback) {
  DaemonOptions options;
  options.data_dir = TestDir("no_tls");
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(daemon.status()), "TLS_REQUIRED");

  options.plaintext = true;
  options.server.address = "0.0.0.0:0";
  daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(daemon.status()), "PLAINTEXT_NOT_LOOPBACK");
}

TEST(DaemonTest, RefusesLimitsThatAdmitNothing) {
  DaemonOptions options;
  options.data_dir = TestDir("bad_limits");
  options.plaintext = true;
  options.limits.calls_per_second = 0;
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(daemon.status()), "INVALID_LIMITS");
}

}  // namespace
}  // namespace lienthong
