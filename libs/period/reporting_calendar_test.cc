#include "libs/period/reporting_calendar.h"

#include "gtest/gtest.h"

namespace lienthong {
namespace {

absl::CivilDay D(int year, int month, int day) {
  return absl::CivilDay(year, month, day);
}

struct WindowCase {
  const char* period;
  WindowRule rule;
  absl::CivilDay first;
  absl::CivilDay last;
};

class DataWindowTest : public ::testing::TestWithParam<WindowCase> {};

TEST_P(DataWindowTest, MatchesTheRule) {
  const WindowCase& c = GetParam();
  absl::StatusOr<Period> period = Period::Parse(c.period);
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(DataWindow(*period, c.rule), (DaySpan{c.first, c.last}));
}

constexpr WindowRule kDecree = WindowRule::kDecree09Cutoff;
constexpr WindowRule kCalendar = WindowRule::kCalendar;

INSTANTIATE_TEST_SUITE_P(
    Windows, DataWindowTest,
    ::testing::Values(
        // Decree 09/2019 cut-off.
        WindowCase{"2025-M03", kDecree, D(2025, 2, 15), D(2025, 3, 14)},
        WindowCase{"2025-M01", kDecree, D(2024, 12, 15), D(2025, 1, 14)},
        WindowCase{"2024-M03", kDecree, D(2024, 2, 15), D(2024, 3, 14)},
        WindowCase{"2025-Q1", kDecree, D(2024, 12, 15), D(2025, 3, 14)},
        WindowCase{"2025-Q3", kDecree, D(2025, 6, 15), D(2025, 9, 14)},
        WindowCase{"2025-H1", kDecree, D(2024, 12, 15), D(2025, 6, 14)},
        WindowCase{"2025-H2", kDecree, D(2025, 6, 15), D(2025, 12, 14)},
        WindowCase{"2025", kDecree, D(2024, 12, 15), D(2025, 12, 14)},
        WindowCase{"2025-C09", kDecree, D(2024, 12, 15), D(2025, 9, 14)},
        // Calendar.
        WindowCase{"2024-M02", kCalendar, D(2024, 2, 1), D(2024, 2, 29)},
        WindowCase{"2025-Q1", kCalendar, D(2025, 1, 1), D(2025, 3, 31)},
        WindowCase{"2025-C06", kCalendar, D(2025, 1, 1), D(2025, 6, 30)}));

TEST(ResolvePeriodDatesTest, MonthlyReportsDueOnThe15th) {
  // TT 02/2023/TT-BTTTT: units report monthly by the 15th, the aggregating
  // level forwards by the 16th; input stays open 5 days past the deadline.
  ScheduleTiming timing{kDecree, 1, 2, 5};
  PeriodDates dates = ResolvePeriodDates(*Period::Parse("2025-M12"), timing);
  EXPECT_EQ(dates.window, (DaySpan{D(2025, 11, 15), D(2025, 12, 14)}));
  EXPECT_EQ(dates.submit_deadline, absl::CivilDay(2025, 12, 15));
  EXPECT_EQ(dates.forward_deadline, absl::CivilDay(2025, 12, 16));
  EXPECT_EQ(dates.open_until, absl::CivilDay(2025, 12, 20));
}

TEST(ResolvePeriodDatesTest, QuarterlyReportsDueBeforeTheWindowCloses) {
  // Quarterly by the 6th of the quarter's last month, forwarded by the 8th.
  ScheduleTiming timing{kDecree, -8, -6, 0};
  PeriodDates dates = ResolvePeriodDates(*Period::Parse("2025-Q2"), timing);
  EXPECT_EQ(dates.submit_deadline, absl::CivilDay(2025, 6, 6));
  EXPECT_EQ(dates.forward_deadline, absl::CivilDay(2025, 6, 8));
  EXPECT_EQ(dates.open_until, absl::CivilDay(2025, 6, 6));
}

TEST(ResolvePeriodDatesTest, CalendarDeadlinesCrossTheYearBoundary) {
  // Seed 003 style: the year's report before 05/01 of the next year.
  ScheduleTiming timing{kCalendar, 4, 10, 30};
  PeriodDates dates = ResolvePeriodDates(*Period::Parse("2024"), timing);
  EXPECT_EQ(dates.submit_deadline, absl::CivilDay(2025, 1, 4));
  EXPECT_EQ(dates.forward_deadline, absl::CivilDay(2025, 1, 10));
  EXPECT_EQ(dates.open_until, absl::CivilDay(2025, 2, 3));
}

TEST(ResolvePeriodDatesTest, LeapDayCounts) {
  ScheduleTiming timing{kCalendar, 1, 1, 1};
  PeriodDates dates = ResolvePeriodDates(*Period::Parse("2024-M02"), timing);
  EXPECT_EQ(dates.submit_deadline, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(dates.open_until, absl::CivilDay(2024, 3, 2));
}

}  // namespace
}  // namespace lienthong
