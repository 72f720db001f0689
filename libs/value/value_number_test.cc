#include "libs/value/value_number.h"

#include "gtest/gtest.h"

namespace lienthong {
namespace {

TEST(NumericValueTest, PutsEveryKindOnOneScale) {
  common::v1::Value value;
  EXPECT_FALSE(NumericValue(value).has_value());  // unset
  value.set_count(12);
  EXPECT_EQ(NumericValue(value), 12);
  value.set_amount(1234.5);
  EXPECT_EQ(NumericValue(value), 1234.5);
  value.set_percent(72.5);
  EXPECT_EQ(NumericValue(value), 72.5);
  value.mutable_ratio()->set_numerator(1840);
  value.mutable_ratio()->set_denominator(2300);
  EXPECT_EQ(NumericValue(value), 80);  // exactly
  value.mutable_ratio()->set_denominator(0);
  EXPECT_FALSE(NumericValue(value).has_value());
  value.set_flag(true);
  EXPECT_FALSE(NumericValue(value).has_value());
}

}  // namespace
}  // namespace lienthong
