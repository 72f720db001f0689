#include "libs/server/call_limiter.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

// Distinct call keys.
const void* Call(int i) { return reinterpret_cast<const void*>(0x1000 + i); }

class CallLimiterTest : public ::testing::Test {
 protected:
  CallLimiter Limiter(CallLimits limits) {
    return CallLimiter(limits, &clock_);
  }
  FakeClock clock_{absl::FromUnixSeconds(1751328000)};
};

TEST_F(CallLimiterTest, ABurstPassesThenTheRateHoldsWithTheDelayToWait) {
  CallLimits limits;
  limits.calls_per_second = 2;
  limits.burst = 3;
  CallLimiter limiter(limits, &clock_);
  int call = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(limiter.Admit(Call(call), "A"), IsOk());
    limiter.Release(Call(call++));
  }
  absl::Status refused = limiter.Admit(Call(call), "A");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(ErrorReason(refused), "RATE_LIMITED");
  EXPECT_EQ(RetryDelay(refused), absl::Milliseconds(500));
  // Another identity has its own bucket.
  EXPECT_THAT(limiter.Admit(Call(100), "B"), IsOk());
  clock_.Advance(absl::Milliseconds(499));
  EXPECT_THAT(limiter.Admit(Call(call), "A"),
              StatusCodeIs(absl::StatusCode::kResourceExhausted));
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_THAT(limiter.Admit(Call(call), "A"), IsOk());
}

TEST_F(CallLimiterTest, ACallIsAdmittedOnceHoweverOftenItAsks) {
  CallLimits limits;
  limits.calls_per_second = 1;
  limits.burst = 1;
  CallLimiter limiter(limits, &clock_);
  for (int i = 0; i < 5; ++i) EXPECT_THAT(limiter.Admit(Call(1), "A"), IsOk());
  EXPECT_EQ(limiter.in_flight(), 1);
}

TEST_F(CallLimiterTest, CapsEachIdentitysCallsInFlightUntilOneEnds) {
  CallLimits limits;
  limits.max_calls_per_identity = 2;
  CallLimiter limiter(limits, &clock_);
  ASSERT_THAT(limiter.Admit(Call(1), "A"), IsOk());
  ASSERT_THAT(limiter.Admit(Call(2), "A"), IsOk());
  absl::Status refused = limiter.Admit(Call(3), "A");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(ErrorReason(refused), "TOO_MANY_CONCURRENT_CALLS");
  EXPECT_TRUE(RetryDelay(refused).has_value());
  EXPECT_THAT(limiter.Admit(Call(4), "B"), IsOk());
  limiter.Release(Call(1));
  EXPECT_THAT(limiter.Admit(Call(3), "A"), IsOk());
}

TEST_F(CallLimiterTest, CapsAllCallsInFlightWithUnavailable) {
  CallLimits limits;
  limits.max_calls = 3;
  CallLimiter limiter(limits, &clock_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(limiter.Admit(Call(i), std::string(1, 'A' + i)), IsOk());
  }
  absl::Status refused = limiter.Admit(Call(9), "Z");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ErrorReason(refused), "SERVER_OVERLOADED");
  EXPECT_EQ(RetryDelay(refused), absl::Seconds(1));
  EXPECT_EQ(limiter.peak_in_flight(), 3);
  limiter.Release(Call(0));
  limiter.Release(Call(0));  // twice changes nothing
  EXPECT_EQ(limiter.in_flight(), 2);
  EXPECT_THAT(limiter.Admit(Call(9), "Z"), IsOk());
}

TEST_F(CallLimiterTest, ForgetsIdleIdentitiesButNotBusyOnes) {
  CallLimits limits;
  limits.max_calls_per_identity = 1;
  limits.max_identities = 4;
  CallLimiter limiter(limits, &clock_);
  ASSERT_THAT(limiter.Admit(Call(1), "A"), IsOk());
  for (int i = 0; i < 50; ++i) {
    const std::string identity = absl::StrCat("X", i);
    ASSERT_THAT(limiter.Admit(Call(100 + i), identity), IsOk());
    limiter.Release(Call(100 + i));
    clock_.Advance(absl::Seconds(10));  // refills what each spent
  }
  EXPECT_LE(limiter.tracked_identities(), 5);
  // A's call in flight was not forgotten.
  EXPECT_EQ(ErrorReason(limiter.Admit(Call(2), "A")),
            "TOO_MANY_CONCURRENT_CALLS");
}

}  // namespace
}  // namespace lienthong
