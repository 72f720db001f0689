#include "services/reporting/rollup_calculator.h"

#include <map>
#include <tuple>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;
using ::lienthong::testing::StatusCodeIs;

const absl::CivilDay kBeforeReform(2025, 6, 30);
const absl::CivilDay kAfterReform(2025, 7, 1);

// A province of two districts (three communes) until 30/6/2025; from 1/7 the
// districts are gone and the communes sit under the province.
class FakeInputs final : public RollupInputs {
 public:
  absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) override {
    const auto& tree = date < kAfterReform ? before_ : after_;
    auto it = tree.find(unit);
    if (it == tree.end()) return absl::NotFoundError(unit);
    return it->second;
  }
  absl::optional<Value> Reported(const std::string& unit,
                                 const std::string& indicator,
                                 const std::string& period) override {
    auto it = values.find({unit, indicator, period});
    if (it == values.end()) return absl::nullopt;
    return it->second;
  }

  void Count(const std::string& unit, const std::string& period, int64_t n,
             const std::string& indicator = "indicators/SO_LOP") {
    values[{unit, indicator, period}].set_count(n);
  }

  std::map<std::tuple<std::string, std::string, std::string>, Value> values;

 private:
  std::map<std::string, std::vector<std::string>> before_ = {
      {"units/01", {"units/001", "units/002"}},
      {"units/001", {"units/00004", "units/00008"}},
      {"units/002", {"units/00010"}},
      {"units/00004", {}},
      {"units/00008", {}},
      {"units/00010", {}}};
  std::map<std::string, std::vector<std::string>> after_ = {
      {"units/01", {"units/00004", "units/00010"}},
      {"units/00004", {}},
      {"units/00010", {}}};
};

IndicatorRule Sum() {
  IndicatorRule rule;
  rule.name = "indicators/SO_LOP";
  rule.rule = registry::v1::AGGREGATION_RULE_SUM;
  rule.type = registry::v1::VALUE_TYPE_COUNT;
  return rule;
}

Period P(const char* text) { return *Period::Parse(text); }

TEST(RollupCalculatorTest, SumsTheReportingUnitsAndCountsWhoReported) {
  FakeInputs inputs;
  inputs.Count("units/00004", "2025-M06", 3);
  inputs.Count("units/00010", "2025-M06", 4);
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult province,
      ComputeRollup(inputs, Sum(), "units/01", P("2025-M06"), kBeforeReform));
  EXPECT_EQ(province.value->count(), 7);
  EXPECT_EQ(province.contributing_units, 2);
  EXPECT_EQ(province.expected_units, 3);  // 00008 did not report
  EXPECT_FALSE(province.reported.has_value());
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult district,
      ComputeRollup(inputs, Sum(), "units/001", P("2025-M06"), kBeforeReform));
  EXPECT_EQ(district.value->count(), 3);
  EXPECT_EQ(district.expected_units, 2);
}

TEST(RollupCalculatorTest, TheHierarchyIsTheOneInForceOnTheDate) {
  FakeInputs inputs;
  inputs.Count("units/00008", "2025-M06", 5);
  inputs.Count("units/00010", "2025-M06", 4);
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult old_way,
      ComputeRollup(inputs, Sum(), "units/01", P("2025-M06"), kBeforeReform));
  EXPECT_EQ(old_way.value->count(), 9);
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult new_way,
      ComputeRollup(inputs, Sum(), "units/01", P("2025-M06"), kAfterReform));
  EXPECT_EQ(new_way.value->count(), 4);  // 00008 is not under it any more
  EXPECT_EQ(new_way.expected_units, 2);
  EXPECT_THAT(
      ComputeRollup(inputs, Sum(), "units/001", P("2025-M06"), kAfterReform),
      StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST(RollupCalculatorTest, AReportingUnitIsItsOwnRollup) {
  FakeInputs inputs;
  inputs.Count("units/00004", "2025-M06", 3);
  LT_ASSERT_OK_AND_ASSIGN(RollupResult commune,
                          ComputeRollup(inputs, Sum(), "units/00004",
                                        P("2025-M06"), kBeforeReform));
  EXPECT_EQ(commune.value->count(), 3);
  EXPECT_EQ(commune.contributing_units, 1);
  EXPECT_EQ(commune.expected_units, 1);
  LT_ASSERT_OK_AND_ASSIGN(RollupResult silent,
                          ComputeRollup(inputs, Sum(), "units/00008",
                                        P("2025-M06"), kBeforeReform));
  EXPECT_FALSE(silent.value.has_value());
  EXPECT_EQ(silent.contributing_units, 0);
}

TEST(RollupCalculatorTest, AParentsOwnValueStandsBesideTheRollup) {
  FakeInputs inputs;
  inputs.Count("units/00004", "2025-M06", 3);
  inputs.Count("units/00008", "2025-M06", 2);
  inputs.Count("units/001", "2025-M06", 6);  // the district's own figure
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult district,
      ComputeRollup(inputs, Sum(), "units/001", P("2025-M06"), kBeforeReform));
  EXPECT_EQ(district.value->count(), 5);
  EXPECT_EQ(district.reported->count(), 6);
}

TEST(RollupCalculatorTest, MonthsRollIntoQuartersWhereTheRuleAllows) {
  FakeInputs inputs;
  inputs.Count("units/00004", "2025-M04", 1);
  inputs.Count("units/00004", "2025-M05", 2);
  inputs.Count("units/00010", "2025-M06", 4);
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult quarter,
      ComputeRollup(inputs, Sum(), "units/01", P("2025-Q2"), kBeforeReform));
  EXPECT_EQ(quarter.value->count(), 7);
  EXPECT_EQ(quarter.contributing_units, 2);

  IndicatorRule last = Sum();
  last.rule = registry::v1::AGGREGATION_RULE_LAST;
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult latest,
      ComputeRollup(inputs, last, "units/00004", P("2025-Q2"), kBeforeReform));
  EXPECT_EQ(latest.value->count(), 2);  // May, the latest month reported

  IndicatorRule share;
  share.name = "indicators/CO_CONG";
  share.rule = registry::v1::AGGREGATION_RULE_SHARE_TRUE;
  share.type = registry::v1::VALUE_TYPE_BOOLEAN;
  EXPECT_THAT(
      ComputeRollup(inputs, share, "units/01", P("2025-Q2"), kBeforeReform),
      StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  IndicatorRule quarterly = Sum();
  quarterly.reported_as = PeriodType::kQuarter;
  EXPECT_THAT(ComputeRollup(inputs, quarterly, "units/01", P("2025-M06"),
                            kBeforeReform),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST(RollupCalculatorTest, AWeightedMeanWeighsEachUnitByItsWeightIndicator) {
  FakeInputs inputs;
  IndicatorRule coverage;
  coverage.name = "indicators/TY_LE";
  coverage.rule = registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN;
  coverage.type = registry::v1::VALUE_TYPE_PERCENT;
  coverage.weight_indicator = "indicators/DAN_SO";
  inputs.values[{"units/00004", "indicators/TY_LE", "2025-M06"}].set_percent(
      50);
  inputs.values[{"units/00010", "indicators/TY_LE", "2025-M06"}].set_percent(
      80);
  inputs.Count("units/00004", "2025-M06", 1000, "indicators/DAN_SO");
  inputs.Count("units/00010", "2025-M06", 3000, "indicators/DAN_SO");
  LT_ASSERT_OK_AND_ASSIGN(
      RollupResult province,
      ComputeRollup(inputs, coverage, "units/01", P("2025-M06"), kAfterReform));
  EXPECT_DOUBLE_EQ(province.value->percent(), 72.5);
  EXPECT_EQ(province.contributing_units, 2);
}

}  // namespace
}  // namespace lienthong::reporting
