#include "services/reporting/rollup_reader.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/reporting/feed_index.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

class RollupReaderTest : public ::testing::Test {
 protected:
  RollupReaderTest()
      : reader_(
            &index_,
            [this](const std::string& unit,
                   absl::CivilDay) -> absl::StatusOr<std::vector<std::string>> {
              auto it = children_.find(unit);
              if (it == children_.end()) return absl::NotFoundError(unit);
              return it->second;
            },
            [](const std::string& name)
                -> absl::StatusOr<registry::v1::Indicator> {
              if (name != "indicators/SO_LOP") {
                return absl::NotFoundError(name);
              }
              registry::v1::Indicator indicator;
              indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
              indicator.set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
              return indicator;
            },
            absl::ZeroDuration()) {}

  void Report(const std::string& unit, const std::string& period,
              int64_t count) {
    ingestion::v1::Change change;
    change.set_sequence(index_.position() + 1);
    change.set_kind(ingestion::v1::CHANGE_KIND_UPSERT);
    change.mutable_value()->set_unit(unit);
    change.mutable_value()->set_indicator("indicators/SO_LOP");
    change.mutable_value()->mutable_period()->set_id(period);
    change.mutable_value()->mutable_period()->set_type(
        common::v1::PERIOD_TYPE_MONTH);
    change.mutable_value()->mutable_value()->set_count(count);
    ASSERT_THAT(index_.Apply(change), IsOk());
  }

  FeedIndex index_;
  std::map<std::string, std::vector<std::string>> children_ = {
      {"units/01", {"units/00004", "units/00010"}},
      {"units/00004", {}},
      {"units/00010", {}}};
  RollupReader reader_;
};

TEST_F(RollupReaderTest, ARollupSaysWhatItCountsAndHowCurrentItIs) {
  Report("units/00004", "2025-M07", 3);
  Report("units/00004", "2025-M08", 4);
  v1::GetRollupRequest request;
  request.set_unit("units/01");
  request.set_indicator("indicators/SO_LOP");
  request.set_period("2025-M07");
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup month, reader_.GetRollup(request));
  EXPECT_EQ(month.value().count(), 3);
  EXPECT_EQ(month.contributing_units(), 1);
  EXPECT_EQ(month.expected_units(), 2);
  EXPECT_EQ(month.as_of_sequence(), 2);
  EXPECT_EQ(month.period().type(), common::v1::PERIOD_TYPE_MONTH);
  EXPECT_EQ(month.period().calendar_span().end().day(), 31);
  // A quarter from the months reported so far.
  request.set_period("2025-Q3");
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup quarter, reader_.GetRollup(request));
  EXPECT_EQ(quarter.value().count(), 7);
  EXPECT_EQ(quarter.period().type(), common::v1::PERIOD_TYPE_QUARTER);
}

TEST_F(RollupReaderTest, BadRequestsAreRefusedWithTheirFields) {
  v1::GetRollupRequest request;
  request.set_unit("01");
  request.set_indicator("indicators/SO_LOP");
  request.set_period("2025-M13");
  absl::StatusOr<v1::Rollup> refused = reader_.GetRollup(request);
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(FieldViolations(refused.status()).size(), 2u);
  EXPECT_EQ(FieldViolations(refused.status())[0].field, "unit");
  request.set_unit("units/01");
  request.set_period("2025-M07");
  request.set_indicator("indicators/NONE");
  EXPECT_THAT(reader_.GetRollup(request),
              StatusCodeIs(absl::StatusCode::kNotFound));
  request.set_indicator("indicators/SO_LOP");
  request.set_unit("units/99");
  EXPECT_THAT(reader_.GetRollup(request),
              StatusCodeIs(absl::StatusCode::kNotFound));
  // Asking for a change the feed has not brought yet.
  request.set_unit("units/01");
  request.set_min_sequence(1);
  absl::StatusOr<v1::Rollup> behind = reader_.GetRollup(request);
  EXPECT_THAT(behind, StatusCodeIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ErrorReason(behind.status()), "FEED_BEHIND");
  request.set_min_sequence(-1);
  EXPECT_THAT(reader_.GetRollup(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RollupReaderTest, AQueryCoversAParentAndItsChildren) {
  Report("units/00004", "2025-M07", 3);
  Report("units/00010", "2025-M07", 5);
  v1::QueryRollupsRequest query;
  query.add_units("units/01");
  query.set_include_children(true);
  query.add_indicators("indicators/SO_LOP");
  query.add_periods("2025-M07");
  query.add_periods("2025-M08");
  LT_ASSERT_OK_AND_ASSIGN(v1::QueryRollupsResponse table,
                          reader_.QueryRollups(query));
  ASSERT_EQ(table.rollups_size(), 6);
  EXPECT_EQ(table.rollups(0).unit(), "units/00004");
  EXPECT_EQ(table.rollups(0).period().id(), "2025-M07");
  EXPECT_EQ(table.rollups(4).unit(), "units/01");
  EXPECT_EQ(table.rollups(4).value().count(), 8);
  EXPECT_FALSE(table.rollups(5).has_value());  // nobody reported August

  // More than 10,000 cells is refused before anything is computed.
  v1::QueryRollupsRequest huge = query;
  for (int i = 0; i < 5001; ++i) huge.add_indicators("indicators/SO_LOP");
  absl::StatusOr<v1::QueryRollupsResponse> too_large =
      reader_.QueryRollups(huge);
  EXPECT_THAT(too_large, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(too_large.status()), "QUERY_TOO_LARGE");

  query.clear_units();
  EXPECT_THAT(reader_.QueryRollups(query),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RollupReaderTest, ListsWhereAParentsOwnReportDiffersFromItsRollup) {
  Report("units/00004", "2025-M07", 3);
  Report("units/00010", "2025-M07", 5);
  Report("units/01", "2025-M07", 10);  // the province says 10, communes 8
  v1::ListDiscrepanciesRequest request;
  request.set_unit("units/01");
  request.set_period("2025-M07");
  LT_ASSERT_OK_AND_ASSIGN(v1::ListDiscrepanciesResponse found,
                          reader_.ListDiscrepancies(request));
  ASSERT_EQ(found.discrepancies_size(), 1);
  const v1::Discrepancy& discrepancy = found.discrepancies(0);
  EXPECT_EQ(discrepancy.unit(), "units/01");
  EXPECT_EQ(discrepancy.reported_value().count(), 10);
  EXPECT_EQ(discrepancy.rollup_value().count(), 8);
  EXPECT_DOUBLE_EQ(discrepancy.difference_percent(), 25);
  request.set_min_difference_percent(30);  // within the tolerance
  LT_ASSERT_OK_AND_ASSIGN(found, reader_.ListDiscrepancies(request));
  EXPECT_EQ(found.discrepancies_size(), 0);
  Report("units/01", "2025-M07", 8);  // corrected
  request.set_min_difference_percent(0);
  LT_ASSERT_OK_AND_ASSIGN(found, reader_.ListDiscrepancies(request));
  EXPECT_EQ(found.discrepancies_size(), 0);
  request.set_page_token("x");
  EXPECT_THAT(reader_.ListDiscrepancies(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  request.clear_page_token();
  request.set_min_difference_percent(-1);
  EXPECT_THAT(reader_.ListDiscrepancies(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

// The 2025 reform in miniature: until 2025-06-30 district 001 of province 01
// has communes 00004 and 00007; from 2025-07-01 districts are gone and the two
// communes are merged into the new commune 00099, directly under the province.
class ReformRollupTest : public RollupReaderTest {
 protected:
  ReformRollupTest()
      : reform_reader_(
            &index_,
            [](const std::string& unit, absl::CivilDay date)
                -> absl::StatusOr<std::vector<std::string>> {
              const bool before = date < absl::CivilDay(2025, 7, 1);
              if (unit == "units/01") {
                return before ? std::vector<std::string>{"units/001"}
                              : std::vector<std::string>{"units/00099"};
              }
              if (unit == "units/001" && before) {
                return std::vector<std::string>{"units/00004", "units/00007"};
              }
              if ((unit == "units/00004" || unit == "units/00007") && before) {
                return std::vector<std::string>();
              }
              if (unit == "units/00099" && !before) {
                return std::vector<std::string>();
              }
              return absl::NotFoundError(unit);
            },
            [](const std::string&) -> absl::StatusOr<registry::v1::Indicator> {
              registry::v1::Indicator indicator;
              indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
              indicator.set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
              return indicator;
            },
            absl::ZeroDuration(),
            [](const std::string& unit, absl::CivilDay date)
                -> absl::StatusOr<std::vector<std::string>> {
              if (unit == "units/00099" && date >= absl::CivilDay(2025, 7, 1)) {
                return std::vector<std::string>{"units/00004", "units/00007"};
              }
              return std::vector<std::string>();
            }) {}

  absl::StatusOr<v1::Rollup> Rollup(const std::string& unit,
                                    const std::string& period, int year,
                                    int month, int day) {
    v1::GetRollupRequest request;
    request.set_unit(unit);
    request.set_indicator("indicators/SO_LOP");
    request.set_period(period);
    request.mutable_hierarchy_date()->set_year(year);
    request.mutable_hierarchy_date()->set_month(month);
    request.mutable_hierarchy_date()->set_day(day);
    return reform_reader_.GetRollup(request);
  }

  RollupReader reform_reader_;
};

TEST_F(ReformRollupTest, OldCommunesDataAppearUnderTheirSuccessorInTheNewMap) {
  Report("units/00004", "2024-M12", 3);
  Report("units/00007", "2024-M12", 4);
  Report("units/00099", "2025-M07", 9);
  // Asked by the new hierarchy, December 2024 belongs to the successor.
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup successor,
                          Rollup("units/00099", "2024-M12", 2025, 7, 1));
  EXPECT_EQ(successor.value().count(), 7);
  EXPECT_EQ(successor.contributing_units(), 1);
  EXPECT_EQ(successor.expected_units(), 1);
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup province,
                          Rollup("units/01", "2024-M12", 2025, 7, 1));
  EXPECT_EQ(province.value().count(), 7);
  EXPECT_EQ(province.expected_units(), 1);
  // The year 2024 from its months, in the new map too.
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup year,
                          Rollup("units/01", "2024", 2025, 7, 1));
  EXPECT_EQ(year.value().count(), 7);
  // The successor's own reports count once, not with its predecessors twice.
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup july,
                          Rollup("units/01", "2025-M07", 2025, 7, 1));
  EXPECT_EQ(july.value().count(), 9);
}

TEST_F(ReformRollupTest, OldPeriodsStillRollUpTheOldWayWhenAskedByTheOldMap) {
  Report("units/00004", "2024-M12", 3);
  Report("units/00007", "2024-M12", 4);
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup district,
                          Rollup("units/001", "2024-M12", 2024, 12, 31));
  EXPECT_EQ(district.value().count(), 7);
  EXPECT_EQ(district.contributing_units(), 2);
  EXPECT_EQ(district.expected_units(), 2);
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup commune,
                          Rollup("units/00004", "2024-M12", 2024, 12, 31));
  EXPECT_EQ(commune.value().count(), 3);
  LT_ASSERT_OK_AND_ASSIGN(v1::Rollup province,
                          Rollup("units/01", "2024-M12", 2024, 12, 31));
  EXPECT_EQ(province.value().count(), 7);
  EXPECT_EQ(province.expected_units(), 2);
  // The district is gone from the new map.
  EXPECT_THAT(Rollup("units/001", "2024-M12", 2025, 7, 1),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lienthong::reporting
