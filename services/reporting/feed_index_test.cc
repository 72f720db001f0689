#include "services/reporting/feed_index.h"

#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

ingestion::v1::Change Upsert(int64_t sequence, const std::string& unit,
                             int64_t count) {
  ingestion::v1::Change change;
  change.set_sequence(sequence);
  change.set_kind(ingestion::v1::CHANGE_KIND_UPSERT);
  change.mutable_value()->set_unit(unit);
  change.mutable_value()->set_indicator("indicators/SO_LOP");
  change.mutable_value()->mutable_period()->set_id("2025-M06");
  change.mutable_value()->mutable_period()->set_type(
      common::v1::PERIOD_TYPE_MONTH);
  change.mutable_value()->mutable_value()->set_count(count);
  return change;
}

TEST(FeedIndexTest, KeepsTheLatestValueOfEachKeyInFeedOrder) {
  FeedIndex index;
  ASSERT_THAT(index.Apply(Upsert(1, "units/00004", 3)), IsOk());
  ASSERT_THAT(index.Apply(Upsert(2, "units/00004", 5)), IsOk());
  ASSERT_THAT(index.Apply(Upsert(3, "units/00010", 1)), IsOk());
  EXPECT_EQ(
      index.Reported("units/00004", "indicators/SO_LOP", "2025-M06")->count(),
      5);
  EXPECT_FALSE(index.Reported("units/00004", "indicators/SO_LOP", "2025-M05"));
  ingestion::v1::Change removal = Upsert(4, "units/00004", 5);
  removal.set_kind(ingestion::v1::CHANGE_KIND_DELETE);
  ASSERT_THAT(index.Apply(removal), IsOk());
  EXPECT_FALSE(index.Reported("units/00004", "indicators/SO_LOP", "2025-M06"));
  EXPECT_EQ(index.position(), 4);
  EXPECT_EQ(index.PeriodTypeOf("indicators/SO_LOP"),
            common::v1::PERIOD_TYPE_MONTH);
  EXPECT_FALSE(index.PeriodTypeOf("indicators/OTHER").has_value());
}

TEST(FeedIndexTest, IgnoresReplaysAndRefusesGaps) {
  FeedIndex index;
  ASSERT_THAT(index.Apply(Upsert(1, "units/00004", 3)), IsOk());
  ASSERT_THAT(index.Apply(Upsert(1, "units/00004", 9)), IsOk());  // replay
  EXPECT_EQ(
      index.Reported("units/00004", "indicators/SO_LOP", "2025-M06")->count(),
      3);
  EXPECT_THAT(index.Apply(Upsert(3, "units/00004", 9)),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(index.position(), 1);
  EXPECT_TRUE(index.WaitFor(1, absl::InfinitePast()));
  EXPECT_FALSE(index.WaitFor(2, absl::InfinitePast()));
}

}  // namespace
}  // namespace lienthong::reporting
