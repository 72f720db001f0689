#include "services/reporting/aggregation.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::lienthong::testing::StatusIs;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;

constexpr auto kCount = registry::v1::VALUE_TYPE_COUNT;
constexpr auto kAmount = registry::v1::VALUE_TYPE_AMOUNT;
constexpr auto kPercent = registry::v1::VALUE_TYPE_PERCENT;
constexpr auto kRatio = registry::v1::VALUE_TYPE_RATIO;
constexpr auto kBoolean = registry::v1::VALUE_TYPE_BOOLEAN;
constexpr auto kSum = registry::v1::AGGREGATION_RULE_SUM;
constexpr auto kRatioOfSums = registry::v1::AGGREGATION_RULE_RATIO_OF_SUMS;
constexpr auto kWeightedMean = registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN;
constexpr auto kShareTrue = registry::v1::AGGREGATION_RULE_SHARE_TRUE;
constexpr auto kMin = registry::v1::AGGREGATION_RULE_MIN;
constexpr auto kMax = registry::v1::AGGREGATION_RULE_MAX;
constexpr auto kLast = registry::v1::AGGREGATION_RULE_LAST;

Contribution Count(int64_t n, int64_t order = 0) {
  Contribution c;
  c.value.set_count(n);
  c.order = order;
  return c;
}
Contribution Amount(double x, absl::optional<double> weight = absl::nullopt) {
  Contribution c;
  c.value.set_amount(x);
  c.weight = weight;
  return c;
}
Contribution Percent(double x, absl::optional<double> weight = absl::nullopt) {
  Contribution c;
  c.value.set_percent(x);
  c.weight = weight;
  return c;
}
Contribution Ratio(double numerator, double denominator) {
  Contribution c;
  c.value.mutable_ratio()->set_numerator(numerator);
  c.value.mutable_ratio()->set_denominator(denominator);
  return c;
}
Contribution Flag(bool b, int64_t order = 0) {
  Contribution c;
  c.value.set_flag(b);
  c.order = order;
  return c;
}

// The aggregate, which the test expects to exist.
Value Agg(registry::v1::AggregationRule rule, registry::v1::ValueType type,
          const std::vector<Contribution>& inputs) {
  absl::StatusOr<absl::optional<Value>> result = Aggregate(rule, type, inputs);
  EXPECT_THAT(result, IsOk());
  if (!result.ok() || !result->has_value()) {
    ADD_FAILURE() << "no aggregate";
    return Value();
  }
  return **result;
}

TEST(AggregateTest, SumsThreeCommunesCounts) {
  Value v = Agg(kSum, kCount, {Count(12), Count(7), Count(0)});
  ASSERT_TRUE(v.has_count());
  EXPECT_EQ(v.count(), 19);
}

TEST(AggregateTest, SumsAmounts) {
  Value v = Agg(kSum, kAmount, {Amount(1.5), Amount(2.25), Amount(-1)});
  ASSERT_TRUE(v.has_amount());
  EXPECT_DOUBLE_EQ(v.amount(), 2.75);
}

TEST(AggregateTest, RatioOfSumsOfFibreHouseholds) {
  Value v = Agg(kRatioOfSums, kRatio, {Ratio(310, 400), Ratio(120, 200)});
  ASSERT_TRUE(v.has_ratio());
  EXPECT_DOUBLE_EQ(v.ratio().numerator(), 430);
  EXPECT_DOUBLE_EQ(v.ratio().denominator(), 600);
}

TEST(AggregateTest, WeightedMeanOfPercentsByPopulation) {
  // 80% of 10,000 people and 50% of 30,000: 57.5%, not the plain mean 65%.
  Value v = Agg(kWeightedMean, kPercent,
                {Percent(80, 10000), Percent(50, 30000), Percent(99)});
  ASSERT_TRUE(v.has_percent());
  EXPECT_DOUBLE_EQ(v.percent(), 57.5);
}

TEST(AggregateTest, WeightedMeanOfAmounts) {
  Value v = Agg(kWeightedMean, kAmount, {Amount(10, 1), Amount(20, 3)});
  ASSERT_TRUE(v.has_amount());
  EXPECT_DOUBLE_EQ(v.amount(), 17.5);
}

TEST(AggregateTest, ZeroWeightCountsForNothing) {
  Value v = Agg(kWeightedMean, kPercent, {Percent(10, 0), Percent(40, 2)});
  EXPECT_DOUBLE_EQ(v.percent(), 40);
}

TEST(AggregateTest, ShareOfCommunesWithAnOnlinePortal) {
  Value v = Agg(kShareTrue, kBoolean, {Flag(true), Flag(false), Flag(true)});
  ASSERT_TRUE(v.has_percent());
  EXPECT_THAT(v.percent(), DoubleNear(66.67, 0.01));
}

TEST(AggregateTest, MinAndMaxOfEveryComparableType) {
  std::vector<Contribution> counts = {Count(5), Count(2), Count(9)};
  EXPECT_EQ(Agg(kMin, kCount, counts).count(), 2);
  EXPECT_EQ(Agg(kMax, kCount, counts).count(), 9);

  std::vector<Contribution> amounts = {Amount(-3.5), Amount(7), Amount(0)};
  EXPECT_DOUBLE_EQ(Agg(kMin, kAmount, amounts).amount(), -3.5);
  EXPECT_DOUBLE_EQ(Agg(kMax, kAmount, amounts).amount(), 7);

  std::vector<Contribution> percents = {Percent(80), Percent(95.5),
                                        Percent(12)};
  EXPECT_DOUBLE_EQ(Agg(kMin, kPercent, percents).percent(), 12);
  EXPECT_DOUBLE_EQ(Agg(kMax, kPercent, percents).percent(), 95.5);

  // 310/400 = 77.5% is below 120/150 = 80% though its parts are larger.
  std::vector<Contribution> ratios = {Ratio(310, 400), Ratio(120, 150)};
  Value min = Agg(kMin, kRatio, ratios);
  EXPECT_DOUBLE_EQ(min.ratio().numerator(), 310);
  EXPECT_DOUBLE_EQ(min.ratio().denominator(), 400);
  Value max = Agg(kMax, kRatio, ratios);
  EXPECT_DOUBLE_EQ(max.ratio().numerator(), 120);
  EXPECT_DOUBLE_EQ(max.ratio().denominator(), 150);
}

TEST(AggregateTest, MinKeepsTheFirstOfEqualRatios) {
  Value v = Agg(kMin, kRatio, {Ratio(1, 2), Ratio(2, 4)});
  EXPECT_DOUBLE_EQ(v.ratio().denominator(), 2);
}

TEST(AggregateTest, LastTakesTheLargestOrderOfEveryType) {
  EXPECT_EQ(Agg(kLast, kCount, {Count(5, 2), Count(8, 3), Count(1, 1)}).count(),
            8);
  EXPECT_FALSE(Agg(kLast, kBoolean, {Flag(true, 0), Flag(false, 1)}).flag());

  Contribution amount = Amount(4);
  amount.order = 7;
  EXPECT_DOUBLE_EQ(Agg(kLast, kAmount, {amount, Amount(9)}).amount(), 4);

  Contribution percent = Percent(60);
  percent.order = -1;
  EXPECT_DOUBLE_EQ(Agg(kLast, kPercent, {percent, Percent(70)}).percent(), 70);

  Contribution ratio = Ratio(1, 3);
  ratio.order = 5;
  EXPECT_DOUBLE_EQ(Agg(kLast, kRatio, {Ratio(2, 3), ratio}).ratio().numerator(),
                   1);
}

TEST(AggregateTest, LastKeepsTheLaterInputOfEqualOrders) {
  EXPECT_EQ(Agg(kLast, kCount, {Count(5, 1), Count(6, 1)}).count(), 6);
}

TEST(AggregateTest, NothingCountsGivesNoValue) {
  for (auto [rule, type] : std::vector<
           std::pair<registry::v1::AggregationRule, registry::v1::ValueType>>{
           {kSum, kCount},
           {kSum, kAmount},
           {kRatioOfSums, kRatio},
           {kWeightedMean, kPercent},
           {kShareTrue, kBoolean},
           {kMin, kCount},
           {kMax, kAmount},
           {kLast, kPercent}}) {
    EXPECT_THAT(Aggregate(rule, type, {}), IsOkAndHolds(Eq(absl::nullopt)))
        << registry::v1::AggregationRule_Name(rule);
  }
  EXPECT_THAT(Aggregate(kWeightedMean, kPercent, {Percent(50), Percent(70)}),
              IsOkAndHolds(Eq(absl::nullopt)));
  EXPECT_THAT(Aggregate(kWeightedMean, kAmount, {Amount(5, 0), Amount(6, 0)}),
              IsOkAndHolds(Eq(absl::nullopt)));
}

TEST(AggregateTest, RefusesRulesThatDoNotGoWithTheType) {
  const std::vector<
      std::pair<registry::v1::AggregationRule, registry::v1::ValueType>>
      refused = {
          {kSum, kPercent},
          {kSum, kRatio},
          {kSum, kBoolean},
          {kRatioOfSums, kCount},
          {kRatioOfSums, kAmount},
          {kRatioOfSums, kPercent},
          {kRatioOfSums, kBoolean},
          {kWeightedMean, kCount},
          {kWeightedMean, kRatio},
          {kWeightedMean, kBoolean},
          {kShareTrue, kCount},
          {kShareTrue, kAmount},
          {kShareTrue, kPercent},
          {kShareTrue, kRatio},
          {kMin, kBoolean},
          {kMax, kBoolean},
          {kLast, registry::v1::VALUE_TYPE_UNSPECIFIED},
      };
  for (auto [rule, type] : refused) {
    absl::StatusOr<absl::optional<Value>> result = Aggregate(rule, type, {});
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("does not aggregate")))
        << registry::v1::AggregationRule_Name(rule) << " "
        << registry::v1::ValueType_Name(type);
    EXPECT_EQ(ErrorReason(result.status()), "AGGREGATION_RULE_MISMATCH");
  }
}

TEST(AggregateTest, RefusesInputsOfTheWrongKindForEachRule) {
  struct Case {
    registry::v1::AggregationRule rule;
    registry::v1::ValueType type;
    Contribution fits;
    Contribution wrong;
  };
  const std::vector<Case> cases = {
      {kSum, kCount, Count(3), Ratio(1, 2)},  // a ratio in a SUM of counts
      {kSum, kAmount, Amount(1), Count(1)},
      {kRatioOfSums, kRatio, Ratio(1, 2), Percent(50)},
      {kWeightedMean, kPercent, Percent(5, 1), Amount(5, 1)},
      {kWeightedMean, kAmount, Amount(5, 1), Percent(5, 1)},
      {kShareTrue, kBoolean, Flag(true), Count(1)},
      {kMin, kPercent, Percent(1), Amount(1)},
      {kMax, kRatio, Ratio(1, 2), Flag(true)},
      {kLast, kCount, Count(1), Contribution()},  // no value at all
  };
  for (const Case& c : cases) {
    absl::StatusOr<absl::optional<Value>> result =
        Aggregate(c.rule, c.type, {c.fits, c.wrong});
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("input 1 is not a valid")))
        << registry::v1::AggregationRule_Name(c.rule);
    EXPECT_EQ(ErrorReason(result.status()), "VALUE_TYPE_MISMATCH");
  }
}

TEST(AggregateTest, RefusesValuesIngestionWouldNotAccept) {
  EXPECT_THAT(Aggregate(kSum, kCount, {Count(-1)}),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Aggregate(kRatioOfSums, kRatio, {Ratio(0, 0)}),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Aggregate(kSum, kAmount,
                        {Amount(std::numeric_limits<double>::quiet_NaN())}),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST(AggregateTest, RefusesNegativeWeights) {
  absl::StatusOr<absl::optional<Value>> result =
      Aggregate(kWeightedMean, kPercent, {Percent(10, 5), Percent(20, -5)});
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("input 1 has weight -5")));
  EXPECT_EQ(ErrorReason(result.status()), "INVALID_WEIGHT");
}

TEST(AggregateTest, CountOverflowIsOutOfRange) {
  absl::StatusOr<absl::optional<Value>> result = Aggregate(
      kSum, kCount, {Count(std::numeric_limits<int64_t>::max()), Count(1)});
  EXPECT_THAT(result, StatusCodeIs(absl::StatusCode::kOutOfRange));
  EXPECT_EQ(ErrorReason(result.status()), "AGGREGATE_OUT_OF_RANGE");
}

TEST(AggregateTest, AmountOverflowIsOutOfRange) {
  double big = std::numeric_limits<double>::max();
  EXPECT_THAT(Aggregate(kSum, kAmount, {Amount(big), Amount(big)}),
              StatusCodeIs(absl::StatusCode::kOutOfRange));
}

TEST(AggregateTest, UnspecifiedRuleIsFailedPrecondition) {
  absl::StatusOr<absl::optional<Value>> result =
      Aggregate(registry::v1::AGGREGATION_RULE_UNSPECIFIED, kCount, {Count(1)});
  EXPECT_THAT(result, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(result.status()), "AGGREGATION_RULE_UNSPECIFIED");
}

TEST(RollsUpAcrossPeriodsTest, EveryRule) {
  EXPECT_TRUE(RollsUpAcrossPeriods(kSum));
  EXPECT_TRUE(RollsUpAcrossPeriods(kRatioOfSums));
  EXPECT_TRUE(RollsUpAcrossPeriods(kMin));
  EXPECT_TRUE(RollsUpAcrossPeriods(kMax));
  EXPECT_TRUE(RollsUpAcrossPeriods(kLast));
  EXPECT_FALSE(RollsUpAcrossPeriods(kWeightedMean));
  EXPECT_FALSE(RollsUpAcrossPeriods(kShareTrue));
  EXPECT_FALSE(
      RollsUpAcrossPeriods(registry::v1::AGGREGATION_RULE_UNSPECIFIED));
}

}  // namespace
}  // namespace lienthong::reporting
