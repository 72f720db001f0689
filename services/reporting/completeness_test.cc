#include "services/reporting/completeness.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;

// Province 01: district 001 (communes 00004, 00008) and district 002 (commune
// 00010) until 2025-06-30; afterwards 00004 and 00010 directly under it
// (00008 merged into 00004).
class FakeInputs final : public CompletenessInputs {
 public:
  absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) override {
    bool before = date < absl::CivilDay(2025, 7, 1);
    if (unit == "units/01") {
      return before ? std::vector<std::string>{"units/001", "units/002"}
                    : std::vector<std::string>{"units/00004", "units/00010"};
    }
    if (unit == "units/001") {
      return std::vector<std::string>{"units/00004", "units/00008"};
    }
    if (unit == "units/002") return std::vector<std::string>{"units/00010"};
    return std::vector<std::string>{};
  }
  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    registry::v1::AdminUnit unit;
    unit.set_name(name);
    if (name == "units/01") {
      unit.set_level(common::v1::UNIT_LEVEL_PROVINCE);
    } else if (name == "units/001" || name == "units/002") {
      unit.set_level(common::v1::UNIT_LEVEL_DISTRICT);
    } else if (name.size() == 11) {
      unit.set_level(common::v1::UNIT_LEVEL_COMMUNE);
    } else {
      return absl::NotFoundError(name);
    }
    return unit;
  }
  std::map<std::string, bool> ReportedIndicators(
      const std::string& unit, const std::string& period) override {
    return reports[{unit, period}];
  }

  std::map<std::pair<std::string, std::string>, std::map<std::string, bool>>
      reports;
};

registry::v1::ReportingSchedule Monthly() {
  registry::v1::ReportingSchedule schedule;
  schedule.set_name("schedules/cds-xa-thang");
  schedule.add_indicators("indicators/A");
  schedule.add_indicators("indicators/B");
  schedule.set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
  schedule.set_period_type(common::v1::PERIOD_TYPE_MONTH);
  schedule.set_window_rule(registry::v1::WINDOW_RULE_DECREE_09_CUTOFF);
  schedule.mutable_deadline()->set_submit_days_after_window(1);
  return schedule;
}

TEST(CompletenessTest, CountsCompletePartialLateAndMissingUnits) {
  FakeInputs inputs;
  // 2025-M05's window is 15/4-14/5, in the three-tier hierarchy.
  inputs.reports[{"units/00004", "2025-M05"}] = {{"indicators/A", false},
                                                 {"indicators/B", false}};
  inputs.reports[{"units/00008", "2025-M05"}] = {{"indicators/A", false},
                                                 {"indicators/B", true}};
  LT_ASSERT_OK_AND_ASSIGN(v1::Completeness province,
                          ComputeCompleteness(inputs, Monthly(), "units/01",
                                              *Period::Parse("2025-M05")));
  EXPECT_EQ(province.expected(), 3);
  EXPECT_EQ(province.complete(), 2);
  EXPECT_EQ(province.on_time(), 1);
  EXPECT_EQ(province.late(), 1);
  EXPECT_THAT(province.missing_units(), ElementsAre("units/00010"));
  EXPECT_NEAR(province.completeness_percent(), 66.67, 0.01);
  EXPECT_NEAR(province.timeliness_percent(), 33.33, 0.01);
  EXPECT_EQ(province.submit_deadline().month(), 5);
  EXPECT_EQ(province.submit_deadline().day(), 15);
  EXPECT_EQ(province.period().id(), "2025-M05");
}

TEST(CompletenessTest, UnitsMergedAwayAreNotExpectedAndRatesStayWithin100) {
  FakeInputs inputs;
  inputs.reports[{"units/00004", "2025-M08"}] = {{"indicators/A", false}};
  inputs.reports[{"units/00010", "2025-M08"}] = {{"indicators/A", false},
                                                 {"indicators/B", false}};
  // 00008, merged on 1/7, reported too: it is not expected, so not counted.
  inputs.reports[{"units/00008", "2025-M08"}] = {{"indicators/A", false},
                                                 {"indicators/B", false}};
  LT_ASSERT_OK_AND_ASSIGN(v1::Completeness province,
                          ComputeCompleteness(inputs, Monthly(), "units/01",
                                              *Period::Parse("2025-M08")));
  EXPECT_EQ(province.expected(), 2);
  EXPECT_EQ(province.partial(), 1);
  EXPECT_EQ(province.complete(), 1);
  EXPECT_LE(province.completeness_percent(), 100);
  EXPECT_EQ(province.completeness_percent(), 50);
}

TEST(CompletenessTest, AReportingUnitCountsItselfAndUnknownUnitsAreNotFound) {
  FakeInputs inputs;
  LT_ASSERT_OK_AND_ASSIGN(v1::Completeness commune,
                          ComputeCompleteness(inputs, Monthly(), "units/00010",
                                              *Period::Parse("2025-M08")));
  EXPECT_EQ(commune.expected(), 1);
  EXPECT_EQ(commune.missing_units_size(), 1);
  EXPECT_EQ(commune.completeness_percent(), 0);
  EXPECT_THAT(ComputeCompleteness(inputs, Monthly(), "units/9",
                                  *Period::Parse("2025-M08")),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lienthong::reporting
