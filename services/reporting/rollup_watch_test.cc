#include "services/reporting/rollup_watch.h"

#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/rollup_reader.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

class RollupWatchTest : public ::testing::Test {
 protected:
  RollupWatchTest()
      : reader_(
            &index_,
            [](const std::string& unit,
               absl::CivilDay) -> absl::StatusOr<std::vector<std::string>> {
              if (unit == "units/01") {
                return std::vector<std::string>{"units/00004", "units/00010"};
              }
              return std::vector<std::string>{};
            },
            [](const std::string&) -> absl::StatusOr<registry::v1::Indicator> {
              registry::v1::Indicator indicator;
              indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
              indicator.set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
              return indicator;
            }) {
    query_.add_units("units/01");
    query_.set_include_children(true);
    query_.add_indicators("indicators/SO_LOP");
    query_.add_periods("2025-M07");
  }

  void Report(const std::string& unit, const std::string& indicator,
              int64_t count) {
    ingestion::v1::Change change;
    change.set_sequence(index_.position() + 1);
    change.set_kind(ingestion::v1::CHANGE_KIND_UPSERT);
    change.mutable_value()->set_unit(unit);
    change.mutable_value()->set_indicator(indicator);
    change.mutable_value()->mutable_period()->set_id("2025-M07");
    change.mutable_value()->mutable_period()->set_type(
        common::v1::PERIOD_TYPE_MONTH);
    change.mutable_value()->mutable_value()->set_count(count);
    ASSERT_THAT(index_.Apply(change), IsOk());
  }

  FeedIndex index_;
  RollupReader reader_;
  v1::QueryRollupsRequest query_;
};

TEST_F(RollupWatchTest, SendsEverythingFirstThenOnlyWhatChanged) {
  Report("units/00004", "indicators/SO_LOP", 3);
  RollupWatch watch(&reader_, &index_, query_);
  LT_ASSERT_OK_AND_ASSIGN(auto first, watch.Next(absl::InfinitePast()));
  EXPECT_EQ(first.size(), 3u);  // 00004, 00010, 01

  // Nothing moved: nothing to send when the wait ends.
  LT_ASSERT_OK_AND_ASSIGN(auto idle, watch.Next(absl::InfinitePast()));
  EXPECT_TRUE(idle.empty());

  Report("units/00010", "indicators/SO_LOP", 5);
  LT_ASSERT_OK_AND_ASSIGN(auto changed, watch.Next(absl::InfinitePast()));
  ASSERT_EQ(changed.size(), 2u);  // the commune and its province
  EXPECT_EQ(changed[0].unit(), "units/00010");
  EXPECT_EQ(changed[1].unit(), "units/01");
  EXPECT_EQ(changed[1].value().count(), 8);

  // A change to another indicator moves the feed but no watched figure.
  Report("units/00010", "indicators/OTHER", 1);
  LT_ASSERT_OK_AND_ASSIGN(auto unrelated, watch.Next(absl::InfinitePast()));
  EXPECT_TRUE(unrelated.empty());
}

TEST_F(RollupWatchTest, ABadQueryFailsAtOnceAndAClosedIndexEndsTheWait) {
  v1::QueryRollupsRequest bad = query_;
  bad.clear_units();
  RollupWatch refused(&reader_, &index_, bad);
  EXPECT_THAT(refused.Next(absl::InfinitePast()),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  RollupWatch watch(&reader_, &index_, query_);
  ASSERT_THAT(watch.Next(absl::InfinitePast()), IsOk());
  index_.Close();
  LT_ASSERT_OK_AND_ASSIGN(auto after, watch.Next(absl::InfiniteFuture()));
  EXPECT_TRUE(after.empty());
}

}  // namespace
}  // namespace lienthong::reporting
