// Overload at three times capacity, against a real daemon over mutual TLS:
// calls beyond the limits are refused at once with RESOURCE_EXHAUSTED or
// UNAVAILABLE and a retry delay (google.rpc.RetryInfo), never more than the
// capacity is in flight, and service resumes once the load drops.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/registry_watch.grpc.pb.h"
#include "services/lienthongd/daemon.h"
#include "services/lienthongd/test_pki.h"

namespace lienthong {
namespace {

using registry::v1::AdminUnitService;
using registry::v1::RegistryWatchService;

constexpr int kCapacity = 6;  // calls in flight, all agencies together
constexpr double kRate = 10;  // calls a second per agency
constexpr int kBurst = 6;

class OverloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir =
        std::string(std::getenv("TEST_TMPDIR")) + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir + "/certs");
    LT_ASSERT_OK_AND_ASSIGN(TestPki pki, TestPki::Create(dir + "/certs"));
    pki_ = std::make_unique<TestPki>(std::move(pki));
    DaemonOptions options;
    options.data_dir = dir + "/var";
    options.certs_dir = dir + "/certs";
    options.clock = &clock_;
    options.limits.calls_per_second = kRate;
    options.limits.burst = kBurst;
    options.limits.max_calls_per_identity = 4;
    options.limits.max_calls = kCapacity;
    LT_ASSERT_OK_AND_ASSIGN(daemon_, Daemon::Start(options));
  }

  void TearDown() override {
    if (daemon_ != nullptr) daemon_->Shutdown(absl::Seconds(1));
  }

  std::shared_ptr<grpc::Channel> As(const std::string& agency) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        pki_->Channel(daemon_->server().target(), agency, "system");
    EXPECT_TRUE(channel.ok()) << channel.status();
    return *channel;
  }

  // One unary call; NOT_FOUND means admitted (there are no units).
  absl::Status GetUnit(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = AdminUnitService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    registry::v1::GetUnitRequest request;
    request.set_name("units/91");
    registry::v1::AdminUnit unit;
    return FromGrpcStatus(stub->GetUnit(&context, request, &unit));
  }

  FakeClock clock_{
      absl::FromCivil(absl::CivilDay(2025, 7, 1), absl::UTCTimeZone())};
  std::unique_ptr<TestPki> pki_;
  std::unique_ptr<Daemon> daemon_;
};

// A watch stream held open: admitted ones answer at once, refused ones end.
struct Watch {
  std::unique_ptr<RegistryWatchService::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<registry::v1::WatchRegistryResponse>>
      reader;
  bool admitted = false;
  absl::Status refusal;
};

void Open(const std::shared_ptr<grpc::Channel>& channel, Watch& watch) {
  watch.stub = RegistryWatchService::NewStub(channel);
  watch.context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(60));
  watch.reader = watch.stub->WatchRegistry(&watch.context, {});
  registry::v1::WatchRegistryResponse first;
  watch.admitted = watch.reader->Read(&first);
  if (!watch.admitted) watch.refusal = FromGrpcStatus(watch.reader->Finish());
}

TEST_F(OverloadTest, StreamsAtThreeTimesCapacityAreCappedAndServiceResumes) {
  // Six agencies open three watches each: 18 streams for 6 places.
  std::vector<std::shared_ptr<grpc::Channel>> agencies;
  for (int a = 0; a < 6; ++a) agencies.push_back(As(absl::StrCat("AG.", a)));
  std::vector<std::unique_ptr<Watch>> watches;
  for (int round = 0; round < 3; ++round) {
    for (const auto& channel : agencies) {
      watches.push_back(std::make_unique<Watch>());
      Open(channel, *watches.back());
    }
  }
  int admitted = 0;
  for (const auto& watch : watches) {
    if (watch->admitted) {
      ++admitted;
      continue;
    }
    EXPECT_EQ(watch->refusal.code(), absl::StatusCode::kUnavailable)
        << watch->refusal;
    EXPECT_EQ(ErrorReason(watch->refusal), "SERVER_OVERLOADED");
    EXPECT_EQ(RetryDelay(watch->refusal), absl::Seconds(1));
  }
  EXPECT_EQ(admitted, kCapacity);
  // A unary call is refused the same way while the places are taken.
  absl::Status refused = GetUnit(agencies[0]);
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable) << refused;
  EXPECT_TRUE(RetryDelay(refused).has_value());
  // What is in flight never passed the capacity: memory stays bounded.
  EXPECT_EQ(daemon_->call_limiter()->peak_in_flight(), kCapacity);

  // The load drops: the streams end.
  for (const auto& watch : watches) {
    if (!watch->admitted) continue;
    watch->context.TryCancel();
    watch->reader->Finish().ok();
  }
  // A client following the retry advice is served again. (The server notices
  // a cancelled watch within a second.)
  absl::Status after = refused;
  for (int attempt = 0; attempt < 30 && !after.ok() &&
                        after.code() != absl::StatusCode::kNotFound;
       ++attempt) {
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(
        RetryDelay(after).value_or(absl::Seconds(1))));
    after = GetUnit(agencies[0]);
  }
  EXPECT_EQ(after.code(), absl::StatusCode::kNotFound) << after;
  EXPECT_EQ(daemon_->call_limiter()->peak_in_flight(), kCapacity);
}

TEST_F(OverloadTest, OneAgencysStreamsAreCappedWithoutStarvingOthers) {
  std::shared_ptr<grpc::Channel> greedy = As("AG.GREEDY");
  std::vector<std::unique_ptr<Watch>> watches;
  for (int i = 0; i < 5; ++i) {
    watches.push_back(std::make_unique<Watch>());
    Open(greedy, *watches.back());
  }
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(watches[i]->admitted) << i;
  EXPECT_FALSE(watches[4]->admitted);
  EXPECT_EQ(watches[4]->refusal.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(watches[4]->refusal), "TOO_MANY_CONCURRENT_CALLS");
  EXPECT_TRUE(RetryDelay(watches[4]->refusal).has_value());
  EXPECT_EQ(GetUnit(As("AG.OTHER")).code(), absl::StatusCode::kNotFound);
  for (int i = 0; i < 4; ++i) {
    watches[i]->context.TryCancel();
    watches[i]->reader->Finish().ok();
  }
}

TEST_F(OverloadTest, CallsAtThreeTimesTheRateAreRefusedUntilTheBucketRefills) {
  std::shared_ptr<grpc::Channel> busy = As("AG.BUSY");
  int admitted = 0;
  absl::Status refused;
  for (int i = 0; i < 3 * kBurst; ++i) {
    absl::Status status = GetUnit(busy);
    if (status.code() == absl::StatusCode::kNotFound) {
      ++admitted;
    } else {
      refused = status;
      EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
      EXPECT_EQ(ErrorReason(status), "RATE_LIMITED");
    }
  }
  EXPECT_EQ(admitted, kBurst);
  EXPECT_EQ(RetryDelay(refused), absl::Seconds(1) / kRate);
  // Others are not held back by one agency's flood.
  EXPECT_EQ(GetUnit(As("AG.QUIET")).code(), absl::StatusCode::kNotFound);
  // After the advised delay (on the server's clock) the agency is served.
  clock_.Advance(*RetryDelay(refused));
  EXPECT_EQ(GetUnit(busy).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetUnit(busy).code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace lienthong
