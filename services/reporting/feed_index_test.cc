#include "services/reporting/feed_index.h"

#include <string>
#include <vector>

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

TEST(FeedIndexTest, RemembersWhetherEachReportFirstArrivedLate) {
  FeedIndex index;
  ingestion::v1::Change late = Upsert(1, "units/00004", 3);
  late.mutable_value()->set_late(true);
  ASSERT_THAT(index.Apply(late), IsOk());
  ingestion::v1::Change other = Upsert(2, "units/00004", 1);
  other.mutable_value()->set_indicator("indicators/CAP_QUANG");
  ASSERT_THAT(index.Apply(other), IsOk());
  ASSERT_THAT(index.Apply(Upsert(3, "units/00004", 4)), IsOk());  // on time
  std::map<std::string, bool> reported =
      index.ReportedIndicators("units/00004", "2025-M06");
  EXPECT_EQ(reported,
            (std::map<std::string, bool>{{"indicators/CAP_QUANG", false},
                                         {"indicators/SO_LOP", true}}));
  ingestion::v1::Change removal = other;
  removal.set_sequence(4);
  removal.set_kind(ingestion::v1::CHANGE_KIND_DELETE);
  ASSERT_THAT(index.Apply(removal), IsOk());
  EXPECT_EQ(index.ReportedIndicators("units/00004", "2025-M06").size(), 1u);
  EXPECT_TRUE(index.ReportedIndicators("units/00010", "2025-M06").empty());
}

TEST(FeedIndexTest, KeepsEveryKindOfValueExactly) {
  FeedIndex index;
  std::vector<common::v1::Value> kinds(5);
  kinds[0].set_count(9007199254740993);  // beyond a double's exact integers
  kinds[1].set_amount(1234.5);
  kinds[2].set_percent(72.5);
  kinds[3].mutable_ratio()->set_numerator(310);
  kinds[3].mutable_ratio()->set_denominator(400);
  kinds[4].set_flag(true);
  for (size_t i = 0; i < kinds.size(); ++i) {
    ingestion::v1::Change change = Upsert(i + 1, "units/00004", 0);
    change.mutable_value()->set_indicator("indicators/K" + std::to_string(i));
    *change.mutable_value()->mutable_value() = kinds[i];
    ASSERT_THAT(index.Apply(change), IsOk());
  }
  for (size_t i = 0; i < kinds.size(); ++i) {
    absl::optional<common::v1::Value> read = index.Reported(
        "units/00004", "indicators/K" + std::to_string(i), "2025-M06");
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->SerializeAsString(), kinds[i].SerializeAsString()) << i;
  }
  std::vector<absl::optional<common::v1::Value>> many = index.ReportedMany(
      {"units/00004", "units/00099"}, "indicators/K3", "2025-M06");
  ASSERT_EQ(many.size(), 2u);
  EXPECT_EQ(many[0]->ratio().denominator(), 400);
  EXPECT_FALSE(many[1].has_value());
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
