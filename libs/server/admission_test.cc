#include "libs/server/admission.h"

#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/server/call_limiter.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

class AdmittingAuthorizerTest : public ::testing::Test {
 protected:
  AdmittingAuthorizerTest() {
    CallLimits limits;
    limits.calls_per_second = 1;
    limits.burst = 1;
    limiter_ = std::make_unique<CallLimiter>(limits, &clock_);
    authorizer_ = std::make_unique<AdmittingAuthorizer>(
        std::make_shared<AllowAllAuthorizer>(), limiter_.get());
  }

  static Caller Agency(const void* call) {
    Caller caller;
    caller.identity = "AG.1";
    caller.role = "system";
    caller.authenticated = true;
    caller.call = call;
    return caller;
  }

  FakeClock clock_{absl::FromUnixSeconds(1751328000)};
  std::unique_ptr<CallLimiter> limiter_;
  std::unique_ptr<AdmittingAuthorizer> authorizer_;
};

TEST_F(AdmittingAuthorizerTest, AgenciesPassTheLimiterOncePerCall) {
  int first = 0, second = 0;
  EXPECT_THAT(authorizer_->Authorize(Agency(&first), "m", "units/1"), IsOk());
  // The same call authorizing another resource costs nothing more.
  EXPECT_THAT(authorizer_->Authorize(Agency(&first), "m", "units/2"), IsOk());
  absl::Status refused = authorizer_->Authorize(Agency(&second), "m", "");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kResourceExhausted));
  EXPECT_TRUE(RetryDelay(refused).has_value());
}

TEST_F(AdmittingAuthorizerTest, PlatformCallsNeedADeadlineButNoToken) {
  int call = 0;
  Caller platform;
  platform.platform = true;
  platform.authenticated = true;
  platform.call = &call;
  absl::Status refused = authorizer_->Authorize(platform, "m", "");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(refused), "DEADLINE_REQUIRED");
  platform.deadline = clock_.Now() + absl::Seconds(5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(authorizer_->Authorize(platform, "m", ""), IsOk());
  }
  EXPECT_EQ(limiter_->in_flight(), 0);
}

TEST_F(AdmittingAuthorizerTest, ThePolicyStillDecides) {
  class DenyAll final : public Authorizer {
   public:
    absl::Status Authorize(const Caller&, absl::string_view, absl::string_view,
                           const HierarchyDay&) const override {
      return absl::PermissionDeniedError("no");
    }
  };
  AdmittingAuthorizer authorizer(std::make_shared<DenyAll>(), limiter_.get());
  int call = 0;
  EXPECT_THAT(authorizer.Authorize(Agency(&call), "m", ""),
              StatusCodeIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace lienthong
