#include "services/ingestion/value_intake.h"

#include <cstdlib>
#include <filesystem>
#include <map>

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/ingestion/fake_registry_lookup.h"
#include "services/ingestion/sqlite_value_store.h"

namespace lienthong::ingestion {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolations(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

class ValueIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/values.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(store_, SqliteValueStore::Open(path));
    intake_ = std::make_unique<ValueIntake>(store_.get(), &registry_, &clock_);
  }

  static v1::ValueRow Count(const std::string& period, int64_t count) {
    v1::ValueRow row;
    row.set_unit("units/00097");
    row.set_indicator("indicators/NLS.SO_LOP");
    row.set_period(period);
    row.mutable_value()->set_count(count);
    return row;
  }
  static v1::ValueRow Fibre(const std::string& period, double numerator,
                            double denominator) {
    v1::ValueRow row;
    row.set_unit("units/00097");
    row.set_indicator("indicators/HTS.CAP_QUANG");
    row.set_period(period);
    row.mutable_value()->mutable_ratio()->set_numerator(numerator);
    row.mutable_value()->mutable_ratio()->set_denominator(denominator);
    return row;
  }

  absl::StatusOr<v1::ImportSummary> Submit(
      std::vector<v1::ValueRow> rows,
      v1::ImportMode mode = v1::IMPORT_MODE_UPSERT,
      const std::string& request_id = "", bool accept_partial = false,
      bool dry_run = false) {
    v1::SubmitValuesRequest request;
    request.mutable_options()->set_schedule("schedules/cds-xa-thang");
    request.mutable_options()->set_mode(mode);
    request.mutable_options()->set_request_id(request_id);
    request.mutable_options()->set_accept_partial(accept_partial);
    request.mutable_options()->set_dry_run(dry_run);
    for (auto& row : rows) *request.add_rows() = std::move(row);
    return intake_->Submit(request, "DEMO.00097.UBND");
  }

  std::vector<std::string> Stored() {
    v1::ListValuesRequest request;
    absl::StatusOr<v1::ListValuesResponse> listed =
        intake_->ListValues(request);
    EXPECT_THAT(listed, IsOk());
    std::vector<std::string> names;
    for (const auto& value : listed->values()) names.push_back(value.name());
    return names;
  }

  // 2025-12-05: 2025-M11's window (15/10–14/11) is open until 25/11 + ...
  // locked; 2025-M12 (15/11–14/12) is open.
  FakeClock clock_{absl::FromUnixSeconds(1764900000)};  // 2025-12-05T02:00Z
  FakeRegistry registry_;
  std::unique_ptr<SqliteValueStore> store_;
  std::unique_ptr<ValueIntake> intake_;
};

TEST_F(ValueIntakeTest, AcceptsABatchAndSkipsIdenticalResends) {
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary first,
      Submit({Count("2025-M12", 3), Fibre("2025-M12", 1840, 2300)}));
  EXPECT_EQ(first.created(), 2);
  EXPECT_EQ(first.last_sequence(), 2);
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary again,
      Submit({Count("2025-M12", 3), Fibre("2025-M12", 1840, 2300)}));
  EXPECT_EQ(again.unchanged(), 2);
  EXPECT_EQ(again.last_sequence(), 0);  // no revision for identical values
  EXPECT_EQ(intake_->GetChangeFeedPosition({})->head_sequence(), 2);
  LT_ASSERT_OK_AND_ASSIGN(v1::ImportSummary changed,
                          Submit({Count("2025-M12", 4)}));
  EXPECT_EQ(changed.updated(), 1);

  v1::ListValueRevisionsRequest revisions;
  revisions.set_unit("units/00097");
  revisions.set_indicator("indicators/NLS.SO_LOP");
  revisions.set_period("2025-M12");
  LT_ASSERT_OK_AND_ASSIGN(auto history, intake_->ListValueRevisions(revisions));
  ASSERT_EQ(history.revisions_size(), 2);
  EXPECT_EQ(history.revisions(0).old_value().count(), 3);
  EXPECT_EQ(history.revisions(0).new_value().count(), 4);
  EXPECT_EQ(history.revisions(0).written().actor(), "DEMO.00097.UBND");
  EXPECT_EQ(history.revisions(0).sequence(), 3);
}

TEST_F(ValueIntakeTest, AnInvalidRowRejectsTheWholeBatch) {
  v1::ValueRow bad_ratio = Fibre("2025-M12", 10, 0);
  v1::ValueRow unknown = Count("2025-M12", 1);
  unknown.set_indicator("indicators/KHONG.CO");
  v1::ValueRow quarter = Count("2025-Q4", 1);
  absl::StatusOr<v1::ImportSummary> summary =
      Submit({Count("2025-M12", 3), bad_ratio, unknown, quarter});
  EXPECT_THAT(summary, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(summary.status()), "INVALID_ROWS");
  EXPECT_THAT(
      Fields(summary.status()),
      ElementsAre("rows[1].value", "rows[2].indicator", "rows[3].period"));
  EXPECT_TRUE(Stored().empty());

  // With accept_partial the valid rows go in and the rest is reported.
  LT_ASSERT_OK_AND_ASSIGN(v1::ImportSummary partial,
                          Submit({Count("2025-M12", 3), bad_ratio},
                                 v1::IMPORT_MODE_UPSERT, "", true));
  EXPECT_EQ(partial.created(), 1);
  EXPECT_EQ(partial.rejected(), 1);
  ASSERT_EQ(partial.problems_size(), 1);
  EXPECT_EQ(partial.problems(0).reason(), "VALUE_TYPE_MISMATCH");
}

TEST_F(ValueIntakeTest, ValuesOutOfRangeOrOfTheWrongUnitLevelAreRejected) {
  v1::ValueRow above = Fibre("2025-M12", 2400, 2300);  // more than the whole
  v1::ValueRow province = Count("2025-M12", 1);
  province.set_unit("units/01");
  v1::ValueRow before = Count("2025-M05", 1);  // locked, and before the unit
  v1::ValueRow big =
      Count("2025-M12", 5000);  // the indicator's maximum is 1000
  absl::StatusOr<v1::ImportSummary> summary =
      Submit({above, province, before, big});
  std::vector<std::string> reasons;
  for (const auto& violation : FieldViolations(summary.status())) {
    reasons.push_back(
        violation.field + " " +
        violation.description.substr(0, violation.description.find(':')));
  }
  EXPECT_THAT(reasons, ElementsAre("rows[0].value NUMERATOR_ABOVE_DENOMINATOR",
                                   "rows[1].unit WRONG_LEVEL",
                                   "rows[2].period PERIOD_LOCKED",
                                   "rows[2].unit UNIT_NOT_IN_FORCE",
                                   "rows[3].value VALUE_OUT_OF_RANGE"));
}

TEST_F(ValueIntakeTest, LockedPeriodsOpenOnlyForExceptions) {
  absl::StatusOr<v1::ImportSummary> late = Submit({Count("2025-M10", 2)});
  EXPECT_THAT(Fields(late.status()), ElementsAre("rows[0].period"));
  registry::v1::LockException* exception =
      registry_.schedules["schedules/cds-xa-thang"].add_lock_exceptions();
  exception->set_unit("units/00097");
  exception->set_period("2025-M10");
  exception->mutable_open_until()->set_year(2025);
  exception->mutable_open_until()->set_month(12);
  exception->mutable_open_until()->set_day(31);
  LT_ASSERT_OK_AND_ASSIGN(v1::ImportSummary allowed,
                          Submit({Count("2025-M10", 2)}));
  EXPECT_EQ(allowed.created(), 1);
  v1::ListValuesRequest list;
  list.set_period("2025-M10");
  EXPECT_TRUE(intake_->ListValues(list)->values(0).late());
}

TEST_F(ValueIntakeTest, ReplaceSliceRemovesWhatTheResentReportOmits) {
  ASSERT_THAT(Submit({Count("2025-M12", 3), Fibre("2025-M12", 1840, 2300)}),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary replaced,
      Submit({Count("2025-M12", 5)}, v1::IMPORT_MODE_REPLACE_SLICE));
  EXPECT_EQ(replaced.updated(), 1);
  EXPECT_EQ(replaced.deleted(), 1);
  EXPECT_THAT(Stored(), ElementsAre("dataValues/00097/NLS.SO_LOP/2025-M12"));
  // The removal is on the change feed like any change.
  LT_ASSERT_OK_AND_ASSIGN(std::vector<v1::Change> feed,
                          store_->ChangesAfter(0, 10));
  ASSERT_EQ(feed.size(), 4u);
  EXPECT_EQ(feed.back().kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(feed.back().previous_value().ratio().numerator(), 1840);
}

TEST_F(ValueIntakeTest, ReadsAsOfAPastTime) {
  ASSERT_THAT(Submit({Count("2025-M12", 3), Fibre("2025-M12", 10, 20)}),
              IsOk());
  google::protobuf::Timestamp first =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_.Now()));
  clock_.Advance(absl::Hours(1));
  ASSERT_THAT(Submit({Count("2025-M12", 7)}, v1::IMPORT_MODE_REPLACE_SLICE),
              IsOk());  // 3 -> 7, fibre removed

  v1::ListValuesRequest list;
  *list.mutable_as_of() = first;
  LT_ASSERT_OK_AND_ASSIGN(auto then, intake_->ListValues(list));
  ASSERT_EQ(then.values_size(), 2);
  EXPECT_EQ(then.values(1).value().count(), 3);
  list.clear_as_of();
  LT_ASSERT_OK_AND_ASSIGN(auto now, intake_->ListValues(list));
  ASSERT_EQ(now.values_size(), 1);
  EXPECT_EQ(now.values(0).value().count(), 7);
  // Before anything was written there was nothing.
  *list.mutable_as_of() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(0);
  EXPECT_EQ(intake_->ListValues(list)->values_size(), 0);
}

TEST_F(ValueIntakeTest, DeleteModeAndDryRun) {
  ASSERT_THAT(Submit({Count("2025-M12", 3)}), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary dry,
      Submit({Count("2025-M12", 0)}, v1::IMPORT_MODE_DELETE, "", false, true));
  EXPECT_TRUE(dry.dry_run());
  EXPECT_EQ(dry.deleted(), 1);
  EXPECT_EQ(Stored().size(), 1u);
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary deleted,
      Submit({Count("2025-M12", 0)}, v1::IMPORT_MODE_DELETE));
  EXPECT_EQ(deleted.deleted(), 1);
  EXPECT_TRUE(Stored().empty());
}

TEST_F(ValueIntakeTest, ARepeatedRequestIdReplaysAndWritesOnce) {
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary first,
      Submit({Count("2025-M12", 3)}, v1::IMPORT_MODE_UPSERT, "batch-1"));
  EXPECT_FALSE(first.replayed());
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary second,
      Submit({Count("2025-M12", 9)}, v1::IMPORT_MODE_UPSERT, "batch-1"));
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(second.created(), 1);
  EXPECT_EQ(second.last_sequence(), first.last_sequence());
  v1::ListValuesRequest list;
  EXPECT_EQ(intake_->ListValues(list)->values(0).value().count(), 3);
}

TEST_F(ValueIntakeTest, ARequestIdIsRememberedAcrossARestart) {
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary first,
      Submit({Count("2025-M12", 3)}, v1::IMPORT_MODE_UPSERT, "batch-restart"));
  // Reopen the database as a restarted server would.
  intake_.reset();
  store_.reset();
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/values.db";
  LT_ASSERT_OK_AND_ASSIGN(store_, SqliteValueStore::Open(path));
  intake_ = std::make_unique<ValueIntake>(store_.get(), &registry_, &clock_);
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportSummary again,
      Submit({Count("2025-M12", 3)}, v1::IMPORT_MODE_UPSERT, "batch-restart"));
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.last_sequence(), first.last_sequence());
  EXPECT_EQ(intake_->GetChangeFeedPosition({})->head_sequence(), 1);
}

TEST_F(ValueIntakeTest, TheFeedResumesFromACursorWithoutGapsOrDuplicates) {
  for (int count = 1; count <= 5; ++count) {
    ASSERT_THAT(Submit({Count("2025-M12", count)}), IsOk());
  }
  std::vector<int64_t> seen;
  int64_t cursor = 0;
  // A consumer reading two at a time, "restarting" between reads.
  while (true) {
    LT_ASSERT_OK_AND_ASSIGN(std::vector<v1::Change> page,
                            store_->ChangesAfter(cursor, 2));
    if (page.empty()) break;
    for (const v1::Change& change : page) seen.push_back(change.sequence());
    cursor = page.back().sequence();
  }
  EXPECT_THAT(seen, ElementsAre(1, 2, 3, 4, 5));
}

TEST_F(ValueIntakeTest, BatchLevelErrors) {
  v1::SubmitValuesRequest request;
  absl::StatusOr<v1::ImportSummary> summary = intake_->Submit(request, "");
  EXPECT_THAT(Fields(summary.status()), ElementsAre("options.schedule"));
  request.mutable_options()->set_schedule("schedules/khong-co");
  summary = intake_->Submit(request, "");
  EXPECT_EQ(ErrorReason(summary.status()), "UNKNOWN_SCHEDULE");
  v1::ListValuesRequest list;
  list.set_page_size(-1);
  EXPECT_THAT(intake_->ListValues(list),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ValueIntakeTest, TheSourceSystemIsKeptWithTheValueAndItsRevisions) {
  v1::ValueRow row = Count("2025-M12", 4);
  row.set_source_system("motcua.xa-phuc-xa");
  ASSERT_THAT(Submit({row}), IsOk());
  v1::ListValuesRequest list;
  LT_ASSERT_OK_AND_ASSIGN(v1::ListValuesResponse listed,
                          intake_->ListValues(list));
  ASSERT_EQ(listed.values_size(), 1);
  EXPECT_EQ(listed.values(0).source_system(), "motcua.xa-phuc-xa");
  v1::ListValueRevisionsRequest history;
  history.set_unit("units/00097");
  history.set_indicator("indicators/NLS.SO_LOP");
  history.set_period("2025-M12");
  LT_ASSERT_OK_AND_ASSIGN(v1::ListValueRevisionsResponse revisions,
                          intake_->ListValueRevisions(history));
  ASSERT_EQ(revisions.revisions_size(), 1);
  EXPECT_EQ(revisions.revisions(0).source_system(), "motcua.xa-phuc-xa");

  v1::ValueRow bad = Count("2025-M12", 5);
  bad.set_source_system("hệ thống xã");
  absl::StatusOr<v1::ImportSummary> refused =
      Submit({Count("2025-M12", 5), bad});
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(refused.status()), ElementsAre("rows[1].source_system"));
}

TEST_F(ValueIntakeTest, ARefusedBatchKeepsItsRejectedRows) {
  v1::SubmitValuesRequest request;
  request.mutable_options()->set_schedule("schedules/cds-xa-thang");
  *request.add_rows() = Count("2025-M12", 1);
  *request.add_rows() = Count("2025-M13", 1);
  *request.add_rows() = Fibre("2025-M12", 9, 4);
  BatchOutcome outcome = intake_->SubmitBatch(request, "DEMO.00097.UBND");
  EXPECT_THAT(outcome.status, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(outcome.summary.received(), 3);
  EXPECT_EQ(outcome.summary.rejected(), 2);
  ASSERT_EQ(outcome.summary.problems_size(), 2);
  EXPECT_EQ(outcome.summary.problems(0).row(), 1);
  EXPECT_EQ(outcome.summary.problems(0).reason(), "INVALID_PERIOD");
  EXPECT_EQ(outcome.summary.problems(1).row(), 2);
  EXPECT_EQ(outcome.summary.problems(1).reason(),
            "NUMERATOR_ABOVE_DENOMINATOR");
  EXPECT_THAT(Stored(), ::testing::IsEmpty());
}

TEST_F(ValueIntakeTest, ListsWhatChangedSinceATime) {
  ASSERT_THAT(Submit({Count("2025-M12", 1), Fibre("2025-M12", 1, 2)}), IsOk());
  clock_.Advance(absl::Minutes(5));
  absl::Time checkpoint = clock_.Now();
  ASSERT_THAT(Submit({Count("2025-M12", 2), Fibre("2025-M12", 1, 2)}), IsOk());

  v1::ListValuesRequest request;
  *request.mutable_updated_since() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(checkpoint));
  LT_ASSERT_OK_AND_ASSIGN(v1::ListValuesResponse changed,
                          intake_->ListValues(request));
  ASSERT_EQ(changed.values_size(), 1);  // the unchanged ratio is not
  EXPECT_EQ(changed.values(0).value().count(), 2);
  clock_.Advance(absl::Seconds(1));
  *request.mutable_updated_since() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_.Now()));
  LT_ASSERT_OK_AND_ASSIGN(changed, intake_->ListValues(request));
  EXPECT_EQ(changed.values_size(), 0);
}

TEST_F(ValueIntakeTest, ListsTheValuesOfAUnitsDescendants) {
  registry::v1::AdminUnit other = registry_.units["units/00097"];
  other.set_name("units/00100");
  other.set_code("00100");
  registry_.units["units/00100"] = other;
  registry_.children["units/01"].push_back("units/00100");
  v1::ValueRow row = Count("2025-M12", 3);
  row.set_unit("units/00100");
  ASSERT_THAT(Submit({Count("2025-M12", 1), row}), IsOk());
  registry_.children["units/01"].pop_back();  // 00100 left the province

  v1::ListValuesRequest request;
  request.set_unit("units/01");
  LT_ASSERT_OK_AND_ASSIGN(v1::ListValuesResponse own,
                          intake_->ListValues(request));
  EXPECT_EQ(own.values_size(), 0);  // the province reported nothing itself
  request.set_include_descendants(true);
  request.set_period("2025-M12");
  LT_ASSERT_OK_AND_ASSIGN(v1::ListValuesResponse under,
                          intake_->ListValues(request));
  ASSERT_EQ(under.values_size(), 1);
  EXPECT_EQ(under.values(0).unit(), "units/00097");

  request.set_unit("units/99999");
  EXPECT_THAT(intake_->ListValues(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  request.set_unit("01");  // not a resource name
  EXPECT_THAT(Fields(intake_->ListValues(request).status()),
              ElementsAre("unit"));
  request.set_unit("units/01");
  request.set_period("2025-M13");
  EXPECT_THAT(Fields(intake_->ListValues(request).status()),
              ElementsAre("period"));
  request.clear_period();
  request.clear_unit();
  EXPECT_THAT(intake_->ListValues(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ValueIntakeTest, PagesThroughValuesWithoutRepeatsOrGaps) {
  std::vector<v1::ValueRow> rows;
  for (const char* period : {"2025-M12", "2026-M01", "2026-M02"}) {
    rows.push_back(Count(period, 1));
    rows.push_back(Fibre(period, 1, 2));
  }
  ASSERT_THAT(Submit(rows), IsOk());
  std::vector<std::string> seen;
  v1::ListValuesRequest request;
  request.set_page_size(4);
  do {
    LT_ASSERT_OK_AND_ASSIGN(v1::ListValuesResponse page,
                            intake_->ListValues(request));
    for (const auto& value : page.values()) seen.push_back(value.name());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen, Stored());
  EXPECT_EQ(seen.size(), 6u);
}

}  // namespace
}  // namespace lienthong::ingestion
