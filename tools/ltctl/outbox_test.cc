// The store-and-forward outbox against a real ingestion server over TCP that
// is down when the push starts, comes back, or stays down across a restart
// of ltctl itself.

#include "tools/ltctl/outbox.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "tools/ltctl/ingestion_test_server.h"
#include "tools/ltctl/outbox_delivery.h"

namespace lienthong::ltctl {
namespace {

using ::lienthong::testing::IsOk;
using ::testing::ElementsAre;

constexpr char kReport[] =
    "unit,indicator,period,value,numerator,denominator,comment\n"
    "00097,NLS.SO_LOP,2025-M12,12,,,\n"
    "00097,HTS.CAP_QUANG,2025-M12,,310,400,\n"
    "00097,NLS.SO_LOP,2026-M01,3,,,\n"
    "00097,HTS.CAP_QUANG,2026-M01,,320,400,\n"
    "00097,NLS.SO_LOP,2026-M02,5,,,\n";

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/outbox-test";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // A port nothing listens on yet: the server takes it, then goes away.
    server_ = std::make_unique<IngestionTestServer>(dir_);
    ASSERT_THAT(server_->Start(), IsOk());
    server_->Stop();
    LT_ASSERT_OK_AND_ASSIGN(outbox_, Outbox::Open(dir_ + "/outbox"));
    options_.schedule = "schedules/cds-xa-thang";
    options_.batch_rows = 2;
    hooks_.sleep = [this](absl::Duration wait) {
      sleeps_.push_back(wait);
      server_->clock().Advance(wait);
      if (on_sleep_) on_sleep_(static_cast<int>(sleeps_.size()));
    };
  }

  absl::Status ServerBack() { return server_->Start(server_->port()); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::vector<DeliveryResult> Deliver(const RetryPolicy& policy) {
    Connector connect = [this] {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      Connection connection;
      connection.ingestion =
          ingestion::v1::IngestionService::NewStub(grpc::CreateCustomChannel(
              server_->target(), grpc::InsecureChannelCredentials(), args));
      connection.value_types = server_->ValueTypes();
      return connection;
    };
    return DeliverPending(*outbox_, connect, policy, server_->clock(), hooks_);
  }

  absl::Time Now() { return server_->clock().Now(); }
  int64_t Head() { return *server_->store().HeadSequence(); }

  std::string dir_;
  std::unique_ptr<IngestionTestServer> server_;
  std::unique_ptr<Outbox> outbox_;
  PushOptions options_;
  DeliveryHooks hooks_;
  std::vector<absl::Duration> sleeps_;
  std::function<void(int)> on_sleep_;  // after the nth sleep
};

TEST_F(OutboxTest, APushWhileTheServerIsDownIsDeliveredWhenItComesBack) {
  LT_ASSERT_OK_AND_ASSIGN(
      OutboxJob queued,
      outbox_->Enqueue(Write("report.csv", kReport), options_, Now()));
  EXPECT_EQ(queued.state, OutboxJob::State::kPending);
  // The server comes back during the third wait.
  on_sleep_ = [this](int n) {
    if (n == 3) ASSERT_THAT(ServerBack(), IsOk());
  };
  std::vector<DeliveryResult> results = Deliver(RetryPolicy());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].job.state, OutboxJob::State::kDelivered);
  EXPECT_THAT(results[0].report.stopped, IsOk());
  EXPECT_EQ(results[0].report.totals.created(), 5);
  EXPECT_EQ(results[0].job.attempts, 4);
  // Backoff doubles, with jitter: each wait is half to all of 1, 2, 4 s.
  ASSERT_EQ(sleeps_.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(sleeps_[i], absl::Milliseconds(500) * (1 << i));
    EXPECT_LE(sleeps_[i], absl::Seconds(1) * (1 << i));
  }
  EXPECT_EQ(Head(), 5);
  LT_ASSERT_OK_AND_ASSIGN(std::vector<OutboxJob> pending, outbox_->List(true));
  EXPECT_TRUE(pending.empty());
}

TEST_F(OutboxTest, PushesOutlastTheRetryTimeAndARestartOfTheClient) {
  std::string first = Write("thang-12.csv", kReport);
  std::string second = Write("thang-01.csv",
                             "unit,indicator,period,value\n"
                             "00097,NLS.SO_LOP,2026-M03,8\n");
  ASSERT_THAT(outbox_->Enqueue(first, options_, Now()), IsOk());
  ASSERT_THAT(outbox_->Enqueue(second, options_, Now()), IsOk());
  RetryPolicy policy;
  policy.retry_for = absl::Seconds(30);
  std::vector<DeliveryResult> results = Deliver(policy);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].job.state, OutboxJob::State::kPending);
  EXPECT_TRUE(absl::IsUnavailable(results[0].report.stopped))
      << results[0].report.stopped;
  EXPECT_GT(results[0].job.attempts, 1);
  // The later push waits its turn, untried: reports keep their order.
  EXPECT_EQ(results[1].job.state, OutboxJob::State::kPending);
  EXPECT_EQ(results[1].job.attempts, 0);
  absl::Duration waited;
  for (absl::Duration wait : sleeps_) waited += wait;
  EXPECT_LE(waited, absl::Seconds(30));

  // ltctl exits; the next run finds both and delivers them once the server
  // is back, the first with the request_ids it always had.
  outbox_.reset();
  LT_ASSERT_OK_AND_ASSIGN(outbox_, Outbox::Open(dir_ + "/outbox"));
  LT_ASSERT_OK_AND_ASSIGN(std::vector<OutboxJob> pending, outbox_->List(true));
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].source, first);
  EXPECT_FALSE(pending[0].last_error.empty());
  ASSERT_THAT(ServerBack(), IsOk());
  results = Deliver(policy);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].job.state, OutboxJob::State::kDelivered);
  EXPECT_EQ(results[1].job.state, OutboxJob::State::kDelivered);
  EXPECT_EQ(results[0].report.totals.created(), 5);
  EXPECT_EQ(results[1].report.totals.created(), 1);
  EXPECT_EQ(Head(), 6);

  // Pushing the first file again sends the same request_ids: the server
  // replays its answers and writes nothing.
  ASSERT_THAT(outbox_->Enqueue(first, options_, Now()), IsOk());
  results = Deliver(policy);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].report.batches_replayed, 3);
  EXPECT_EQ(Head(), 6);
  LT_ASSERT_OK_AND_ASSIGN(std::vector<OutboxJob> all, outbox_->List(false));
  ASSERT_EQ(all.size(), 2u);  // one job per file and options
}

TEST_F(OutboxTest, AFileTheServerCannotTakeFailsWithoutRetries) {
  ASSERT_THAT(ServerBack(), IsOk());
  ASSERT_THAT(outbox_->Enqueue(Write("broken.csv", "unit,indicator\n00097\n"),
                               options_, Now()),
              IsOk());
  std::vector<DeliveryResult> results = Deliver(RetryPolicy());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].job.state, OutboxJob::State::kFailed);
  EXPECT_TRUE(absl::IsInvalidArgument(results[0].report.stopped))
      << results[0].report.stopped;
  EXPECT_TRUE(sleeps_.empty());
  EXPECT_EQ(Head(), 0);
}

TEST_F(OutboxTest, AMissingFileIsNotQueued) {
  absl::StatusOr<OutboxJob> queued =
      outbox_->Enqueue(dir_ + "/no-such.csv", options_, Now());
  EXPECT_TRUE(absl::IsNotFound(queued.status())) << queued.status();
  LT_ASSERT_OK_AND_ASSIGN(std::vector<OutboxJob> all, outbox_->List(false));
  EXPECT_TRUE(all.empty());
}

TEST(OutboxTransienceTest, OnlyLinkAndLoadFailuresAreRetried) {
  EXPECT_TRUE(IsTransient(absl::UnavailableError("down")));
  EXPECT_TRUE(IsTransient(absl::ResourceExhaustedError("busy")));
  EXPECT_TRUE(IsTransient(absl::DeadlineExceededError("slow")));
  EXPECT_FALSE(IsTransient(absl::InvalidArgumentError("bad file")));
  EXPECT_FALSE(IsTransient(absl::PermissionDeniedError("not yours")));
  EXPECT_FALSE(IsTransient(absl::UnauthenticatedError("no certificate")));
}

}  // namespace
}  // namespace lienthong::ltctl
