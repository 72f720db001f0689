#include "libs/server/crash_injection.h"

#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::StatusCodeIs;

// The crash itself is exercised by tests/e2e:crash_test, on real processes.
TEST(CrashInjectionTest, ParsesMethodAndCount) {
  LT_ASSERT_OK_AND_ASSIGN(
      CrashPoint point,
      ParseCrashPoint("/lienthong.ingestion.v1.IngestionService/"
                      "SubmitValues:20"));
  EXPECT_EQ(point.method,
            "/lienthong.ingestion.v1.IngestionService/SubmitValues");
  EXPECT_EQ(point.after_calls, 20);
}

TEST(CrashInjectionTest, RefusesWhatIsNotAMethodAndACount) {
  for (const char* spec : {"", "SubmitValues:1", "/a.B/C", "/a.B/C:0",
                           "/a.B/C:-1", "/a.B/C:x", ":3"}) {
    absl::StatusOr<CrashPoint> point = ParseCrashPoint(spec);
    EXPECT_THAT(point, StatusCodeIs(absl::StatusCode::kInvalidArgument))
        << spec;
    EXPECT_EQ(ErrorReason(point.status()), "INVALID_CRASH_POINT") << spec;
  }
}

}  // namespace
}  // namespace lienthong
