#include "services/lienthongd/daemon.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "libs/metrics/http_get.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"

namespace lienthong {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::lienthong::testing::StatusCodeIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

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

TEST(DaemonTest, ServesMetricsWhenAsked) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("metrics");
  options.metrics_listen = "127.0.0.1:0";
  LT_ASSERT_OK_AND_ASSIGN(auto daemon, Daemon::Start(options));
  ASSERT_GT(daemon->metrics_port(), 0);
  auto stub = Health::NewStub(daemon->server().InProcessChannel());
  grpc::ClientContext context;
  HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, HealthCheckRequest(), &response).ok());

  LT_ASSERT_OK_AND_ASSIGN(
      metrics::HttpResponse scraped,
      metrics::HttpRequest(daemon->metrics_port(), "GET", "/metrics"));
  EXPECT_EQ(scraped.status, 200);
  EXPECT_EQ(metrics::FindSample(
                scraped.body,
                "grpc_server_handled_total{grpc_service=\"grpc.health.v1."
                "Health\",grpc_method=\"Check\",grpc_type=\"unary\","
                "grpc_code=\"OK\"}"),
            1);
  // Each hosted service's own figures, before any traffic.
  EXPECT_EQ(metrics::FindSample(scraped.body,
                                "lienthong_ingestion_batches_total{outcome="
                                "\"written\"}"),
            0);
  // No lag is claimed before ingestion has reported the feed's end.
  EXPECT_EQ(
      metrics::FindSample(scraped.body, "lienthong_reporting_feed_lag_changes"),
      absl::nullopt);
  EXPECT_GT(metrics::FindSample(scraped.body, "process_open_fds").value_or(0),
            0);
  daemon->Shutdown(absl::Seconds(1));
}

TEST(DaemonTest, RefusesAMetricsAddressItCannotUse) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("bad_metrics");
  options.metrics_listen = "nowhere";
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  // Without a metrics address, none is served.
  options.metrics_listen = "";
  LT_ASSERT_OK_AND_ASSIGN(auto quiet, Daemon::Start(options));
  EXPECT_EQ(quiet->metrics_port(), 0);
}

TEST(DaemonTest, RefusesADatabaseItCannotReach) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("bad_database");
  // A socket directory that does not exist: libpq fails at once.
  options.database = "host=/nonexistent/lienthong dbname=lienthong";
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kUnavailable));
  // The data directory is free again for a daemon on SQLite.
  options.database.clear();
  EXPECT_TRUE(Daemon::Start(options).ok());
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

TEST(DaemonTest, RefusesServicesItCannotHostOrReach) {
  DaemonOptions options;
  options.plaintext = true;
  options.data_dir = TestDir("split_refused");
  options.services = {"registry", "billing"};
  absl::StatusOr<std::unique_ptr<Daemon>> daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(daemon.status()), "UNKNOWN_SERVICE");

  // Reporting calls the registry and follows ingestion's change feed.
  options.services = {"reporting"};
  daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(daemon.status()), "PEER_ADDRESS_MISSING");
  EXPECT_EQ(ErrorMetadata(daemon.status())["service"], "registry");
  options.peers = {{"registry", "127.0.0.1:1"}};
  daemon = Daemon::Start(options);
  EXPECT_EQ(ErrorReason(daemon.status()), "PEER_ADDRESS_MISSING");
  EXPECT_EQ(ErrorMetadata(daemon.status())["service"], "ingestion");

  options.services = {"documents"};
  daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(daemon.status()), "DOCUMENTS_NEED_PKI");

  options.services = {"ingestion"};
  options.testing_crash_after = "SubmitValues:1";
  daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(daemon.status()), "INVALID_CRASH_POINT");
  options.testing_crash_after.clear();

  options.load_seeds_dir = "deploy/demo/seeds";
  daemon = Daemon::Start(options);
  EXPECT_THAT(daemon, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(daemon.status()), "REGISTRY_NOT_HOSTED");
}

TEST(DaemonTest, HostsOnlyItsServicesAndCallsTheRegistryAtItsPeer) {
  DaemonOptions registry_options;
  registry_options.plaintext = true;
  registry_options.data_dir = TestDir("split_registry");
  registry_options.services = {"registry"};
  LT_ASSERT_OK_AND_ASSIGN(auto registry, Daemon::Start(registry_options));
  EXPECT_THAT(registry->hosted(), ElementsAre("registry"));
  EXPECT_THAT(registry->service_names(),
              Not(Contains("lienthong.ingestion.v1.IngestionService")));

  DaemonOptions ingestion_options;
  ingestion_options.plaintext = true;
  ingestion_options.data_dir = TestDir("split_ingestion");
  ingestion_options.services = {"ingestion"};
  ingestion_options.peers = {{"registry", registry->server().target()}};
  LT_ASSERT_OK_AND_ASSIGN(auto ingestion, Daemon::Start(ingestion_options));
  EXPECT_THAT(ingestion->service_names(),
              ElementsAre("lienthong.ingestion.v1.IngestionService",
                          "lienthong.audit.v1.AuditService"));

  // Values under a schedule the registry does not know: refused as such,
  // which only the registry in the other daemon can say.
  auto stub = ingestion::v1::IngestionService::NewStub(
      ingestion->server().InProcessChannel());
  ingestion::v1::SubmitValuesRequest request;
  request.mutable_options()->set_request_id("split-1");
  request.mutable_options()->set_schedule("schedules/none");
  ingestion::v1::ValueRow* row = request.add_rows();
  row->set_unit("units/99999");
  row->set_indicator("indicators/NONE");
  row->set_period("2025-M07");
  row->mutable_value()->set_count(1);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  ingestion::v1::ImportSummary summary;
  grpc::Status status = stub->SubmitValues(&context, request, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_EQ(status.error_message(), "unknown schedule");

  // Once the registry is gone, the same call says so.
  registry->Shutdown(absl::Seconds(1));
  registry.reset();
  grpc::ClientContext again;
  again.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
  request.mutable_options()->set_schedule("schedules/other");
  status = stub->SubmitValues(&again, request, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  ingestion->Shutdown(absl::Seconds(1));
}

}  // namespace
}  // namespace lienthong
