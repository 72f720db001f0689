#include "libs/period/period.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

absl::CivilDay D(int year, int month, int day) {
  return absl::CivilDay(year, month, day);
}

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::lienthong::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct CalendarCase {
  const char* text;
  PeriodType type;
  int year;
  int number;
  absl::CivilDay first;
  absl::CivilDay last;
};

class PeriodCalendarTest : public ::testing::TestWithParam<CalendarCase> {};

TEST_P(PeriodCalendarTest, ParsesPrintsAndSpans) {
  const CalendarCase& c = GetParam();
  LT_ASSERT_OK_AND_ASSIGN(Period period, Period::Parse(c.text));
  EXPECT_EQ(period.type(), c.type);
  EXPECT_EQ(period.year(), c.year);
  EXPECT_EQ(period.number(), c.number);
  EXPECT_EQ(period.ToString(), c.text);
  EXPECT_EQ(period.CalendarSpan(), (DaySpan{c.first, c.last}));
}

INSTANTIATE_TEST_SUITE_P(
    Periods, PeriodCalendarTest,
    ::testing::Values(
        CalendarCase{"2025-M03", PeriodType::kMonth, 2025, 3, D(2025, 3, 1),
                     D(2025, 3, 31)},
        CalendarCase{"2024-M02", PeriodType::kMonth, 2024, 2, D(2024, 2, 1),
                     D(2024, 2, 29)},  // leap year
        CalendarCase{"2025-M02", PeriodType::kMonth, 2025, 2, D(2025, 2, 1),
                     D(2025, 2, 28)},
        CalendarCase{"1900-M02", PeriodType::kMonth, 1900, 2, D(1900, 2, 1),
                     D(1900, 2, 28)},  // divisible by 100, not a leap year
        CalendarCase{"2000-M02", PeriodType::kMonth, 2000, 2, D(2000, 2, 1),
                     D(2000, 2, 29)},  // divisible by 400: leap year
        CalendarCase{"2025-M12", PeriodType::kMonth, 2025, 12, D(2025, 12, 1),
                     D(2025, 12, 31)},
        CalendarCase{"2025-Q1", PeriodType::kQuarter, 2025, 1, D(2025, 1, 1),
                     D(2025, 3, 31)},
        CalendarCase{"2025-Q4", PeriodType::kQuarter, 2025, 4, D(2025, 10, 1),
                     D(2025, 12, 31)},
        CalendarCase{"2025-H1", PeriodType::kHalfYear, 2025, 1, D(2025, 1, 1),
                     D(2025, 6, 30)},
        CalendarCase{"2025-H2", PeriodType::kHalfYear, 2025, 2, D(2025, 7, 1),
                     D(2025, 12, 31)},
        CalendarCase{"2025", PeriodType::kYear, 2025, 0, D(2025, 1, 1),
                     D(2025, 12, 31)},
        CalendarCase{"2025-C09", PeriodType::kCumulative, 2025, 9,
                     D(2025, 1, 1), D(2025, 9, 30)},
        CalendarCase{"2024-C02", PeriodType::kCumulative, 2024, 2,
                     D(2024, 1, 1), D(2024, 2, 29)}));

class PeriodRejectTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PeriodRejectTest, RejectsWithReason) {
  absl::StatusOr<Period> period = Period::Parse(GetParam());
  EXPECT_THAT(period, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(period.status()), "INVALID_PERIOD");
}

INSTANTIATE_TEST_SUITE_P(Malformed, PeriodRejectTest,
                         ::testing::Values("", "25", "2025-", "2025-M3",
                                           "2025-M13", "2025-M00", "2025-Q5",
                                           "2025-Q0", "2025-H3", "2025-C13",
                                           "2025-X01", "2025/M03", "abcd",
                                           "0999", "2025-M+1", "2025-Q01",
                                           " 2025"));

TEST(PeriodTest, ContainingPicksThePeriodOfADay) {
  absl::CivilDay day(2025, 7, 1);
  EXPECT_EQ(Period::Containing(PeriodType::kMonth, day).ToString(), "2025-M07");
  EXPECT_EQ(Period::Containing(PeriodType::kQuarter, day).ToString(),
            "2025-Q3");
  EXPECT_EQ(Period::Containing(PeriodType::kHalfYear, day).ToString(),
            "2025-H2");
  EXPECT_EQ(Period::Containing(PeriodType::kYear, day).ToString(), "2025");
}

TEST(PeriodTest, NextCrossesYearBoundaries) {
  EXPECT_EQ(Period::Parse("2025-M12")->Next().ToString(), "2026-M01");
  EXPECT_EQ(Period::Parse("2025-Q4")->Next().ToString(), "2026-Q1");
  EXPECT_EQ(Period::Parse("2025-H1")->Next().ToString(), "2025-H2");
  EXPECT_EQ(Period::Parse("2025")->Next().ToString(), "2026");
}

TEST(PeriodTest, OfRejectsImpossibleParts) {
  EXPECT_THAT(Period::Of(PeriodType::kYear, 2025, 1),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Period::Of(PeriodType::kMonth, 10000, 1).status(),
              testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("1900..9999")));
}

// The canonical forms of SubPeriods(period, type).
std::vector<std::string> Subs(absl::string_view period, PeriodType type) {
  absl::StatusOr<Period> parsed = Period::Parse(period);
  EXPECT_THAT(parsed, IsOk());
  if (!parsed.ok()) return {};
  absl::StatusOr<std::vector<Period>> subs = SubPeriods(*parsed, type);
  EXPECT_THAT(subs, IsOk()) << period;
  std::vector<std::string> out;
  if (subs.ok()) {
    for (const Period& p : *subs) out.push_back(p.ToString());
  }
  return out;
}

TEST(SubPeriodsTest, DividesCalendarPeriods) {
  EXPECT_THAT(Subs("2025-Q2", PeriodType::kMonth),
              ElementsAre("2025-M04", "2025-M05", "2025-M06"));
  EXPECT_THAT(Subs("2025-H2", PeriodType::kMonth),
              ElementsAre("2025-M07", "2025-M08", "2025-M09", "2025-M10",
                          "2025-M11", "2025-M12"));
  EXPECT_THAT(Subs("2025-H1", PeriodType::kQuarter),
              ElementsAre("2025-Q1", "2025-Q2"));
  EXPECT_THAT(Subs("2025-H2", PeriodType::kQuarter),
              ElementsAre("2025-Q3", "2025-Q4"));
  EXPECT_THAT(Subs("2025", PeriodType::kQuarter),
              ElementsAre("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"));
  EXPECT_THAT(Subs("2025", PeriodType::kHalfYear),
              ElementsAre("2025-H1", "2025-H2"));
  EXPECT_EQ(Subs("2025", PeriodType::kMonth).size(), 12u);
  EXPECT_EQ(Subs("2025", PeriodType::kMonth).back(), "2025-M12");
}

TEST(SubPeriodsTest, APeriodOfItsOwnTypeIsItself) {
  EXPECT_THAT(Subs("2025-M03", PeriodType::kMonth), ElementsAre("2025-M03"));
  EXPECT_THAT(Subs("2025-Q4", PeriodType::kQuarter), ElementsAre("2025-Q4"));
  EXPECT_THAT(Subs("2025-H1", PeriodType::kHalfYear), ElementsAre("2025-H1"));
  EXPECT_THAT(Subs("2025", PeriodType::kYear), ElementsAre("2025"));
}

TEST(SubPeriodsTest, RefusesTypesThatDoNotDivide) {
  const std::vector<std::pair<std::string, PeriodType>> refused = {
      {"2025-Q1", PeriodType::kHalfYear},  // a quarter of half years
      {"2025-M03", PeriodType::kQuarter},  // a month of quarters
      {"2025-M03", PeriodType::kYear},
      {"2025-H1", PeriodType::kYear},
      {"2025", PeriodType::kCumulative},
      {"2025-C09", PeriodType::kMonth},  // cumulative periods overlap
      {"2025-C09", PeriodType::kCumulative},
  };
  for (const auto& [text, type] : refused) {
    absl::StatusOr<Period> period = Period::Parse(text);
    ASSERT_THAT(period, IsOk());
    absl::StatusOr<std::vector<Period>> subs = SubPeriods(*period, type);
    EXPECT_THAT(subs, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("is not made of")))
        << text;
    EXPECT_EQ(ErrorReason(subs.status()), "PERIOD_NOT_DIVISIBLE");
  }
}

}  // namespace
}  // namespace lienthong
