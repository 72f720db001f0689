// The audit interceptor on a live (in-process) server: a mutating call is
// recorded with its method, request digest and result, and a call whose record
// cannot be written is answered UNAVAILABLE rather than acknowledged.

#include "libs/server/audit_interceptor.h"

#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/sqlite_audit_store.h"
#include "libs/clock/clock.h"
#include "libs/pki/key_material.h"
#include "libs/testing/echo_service.h"
#include "libs/testing/in_process_server.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

// Keeps records in a SQLite store until told to fail.
class BreakableStore final : public audit::AuditStore {
 public:
  BreakableStore() { store_ = *audit::SqliteAuditStore::Open(":memory:"); }
  absl::Status Append(const audit::AuditEntry& entry) override {
    if (broken_) return absl::InternalError("disk full");
    return store_->Append(entry);
  }
  absl::StatusOr<absl::optional<audit::AuditEntry>> Last() override {
    return store_->Last();
  }
  absl::StatusOr<std::vector<audit::AuditEntry>> Scan(int64_t after,
                                                      int limit) override {
    return store_->Scan(after, limit);
  }
  bool broken_ = false;

 private:
  std::unique_ptr<audit::SqliteAuditStore> store_;
};

class AuditInterceptorTest : public ::testing::Test {
 protected:
  AuditInterceptorTest() {
    ServerOptions options;
    options.interceptors.push_back(AuditInterceptorFactory(&log_, nullptr));
    server_ = std::make_unique<testing::InProcessServer>(
        std::vector<HostedService>{{"lienthong.testing.EchoService", &echo_}},
        options);
    stub_ = testing::EchoService::NewStub(server_->channel());
  }

  grpc::Status Echo(const testing::EchoRequest& request) {
    grpc::ClientContext context;
    testing::EchoResponse response;
    return stub_->Echo(&context, request, &response);
  }

  std::vector<audit::AuditEntry> Records() { return *store_.Scan(0, 100); }

  FakeClock clock_{absl::FromUnixSeconds(1751328000)};
  BreakableStore store_;
  audit::AuditLog log_{&store_, &clock_};
  testing::EchoServiceImpl echo_;
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<testing::EchoService::Stub> stub_;
};

TEST_F(AuditInterceptorTest, RecordsWhatWasAskedAndHowItEnded) {
  testing::EchoRequest request;
  request.set_message("xin chào");
  ASSERT_TRUE(Echo(request).ok());
  testing::EchoRequest failing;
  failing.set_fail_with_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(Echo(failing).error_code(), grpc::StatusCode::NOT_FOUND);

  std::vector<audit::AuditEntry> records = Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].event.method, "/lienthong.testing.EchoService/Echo");
  EXPECT_EQ(records[0].event.request_sha256,
            pki::Sha256Hex(request.SerializeAsString()));
  EXPECT_EQ(records[0].event.result_code, "OK");
  EXPECT_EQ(records[0].time, clock_.Now());
  EXPECT_EQ(records[1].event.result_code, "NOT_FOUND");
  EXPECT_EQ(records[1].previous_hash, records[0].hash);
}

TEST_F(AuditInterceptorTest, ACallThatCannotBeAuditedIsNotAcknowledged) {
  store_.broken_ = true;
  testing::EchoRequest request;
  request.set_message("mất dấu");
  grpc::Status status = Echo(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("AUDIT_UNAVAILABLE"),
            std::string::npos);
  store_.broken_ = false;
  EXPECT_TRUE(Echo(request).ok());
  ASSERT_EQ(Records().size(), 1u);
  EXPECT_EQ(Records()[0].sequence, 1);
}

}  // namespace
}  // namespace lienthong
