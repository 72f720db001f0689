#include "services/registry/schedule_registry.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/sqlite_record_store.h"

namespace lienthong::registry {
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

common::v1::Date D(int year, int month, int day) {
  return ToDate(absl::CivilDay(year, month, day));
}

std::string Text(const common::v1::Date& date) {
  return DayText(absl::CivilDay(date.year(), date.month(), date.day()));
}

class ScheduleRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/sched.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(records_, SqliteRecordStore::Open(path));
    indicators_ = std::make_unique<IndicatorRegistry>(records_.get(), &clock_);
    registry_ = std::make_unique<ScheduleRegistry>(records_.get(), &clock_);
    v1::CreateIndicatorRequest indicator;
    v1::Indicator* trainings = indicator.mutable_indicator();
    trainings->set_code("NLS.SO_LOP_TAP_HUAN");
    trainings->set_display_name_vi("Số lớp tập huấn kỹ năng số");
    trainings->set_pillar(common::v1::PILLAR_DIGITAL_HUMAN_RESOURCES);
    trainings->set_value_type(v1::VALUE_TYPE_COUNT);
    trainings->set_aggregation(v1::AGGREGATION_RULE_SUM);
    *trainings->mutable_valid()->mutable_start() = D(2021, 1, 1);
    ASSERT_THAT(indicators_->CreateIndicator(indicator), IsOk());
  }

  v1::CreateScheduleRequest Monthly() {
    v1::CreateScheduleRequest request;
    request.set_schedule_id("cds-xa-thang");
    v1::ReportingSchedule* schedule = request.mutable_schedule();
    schedule->set_display_name("Báo cáo chuyển đổi số cấp xã hằng tháng");
    schedule->add_indicators("indicators/NLS.SO_LOP_TAP_HUAN");
    schedule->set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
    schedule->set_period_type(common::v1::PERIOD_TYPE_MONTH);
    schedule->mutable_deadline()->set_submit_days_after_window(1);
    schedule->mutable_deadline()->set_forward_days_after_window(2);
    schedule->set_lock_days_after_deadline(5);
    v1::LockException* late = schedule->add_lock_exceptions();
    late->set_unit("units/00097");
    late->set_period("2025-M06");
    *late->mutable_open_until() = D(2025, 7, 10);
    late->set_reason("Ngập lụt, UBND tỉnh cho phép nộp muộn");
    *schedule->mutable_valid()->mutable_start() = D(2025, 1, 1);
    return request;
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteRecordStore> records_;
  std::unique_ptr<IndicatorRegistry> indicators_;
  std::unique_ptr<ScheduleRegistry> registry_;
};

TEST_F(ScheduleRegistryTest, ResolvesWindowsDeadlinesAndLocks) {
  LT_ASSERT_OK_AND_ASSIGN(v1::ReportingSchedule created,
                          registry_->CreateSchedule(Monthly()));
  EXPECT_EQ(created.name(), "schedules/cds-xa-thang");
  EXPECT_EQ(created.window_rule(), v1::WINDOW_RULE_DECREE_09_CUTOFF);

  v1::ResolvePeriodRequest resolve;
  resolve.set_schedule(created.name());
  resolve.set_period("2025-M06");
  LT_ASSERT_OK_AND_ASSIGN(auto dates, registry_->ResolvePeriod(resolve));
  EXPECT_EQ(Text(dates.data_window().start()), "2025-05-15");
  EXPECT_EQ(Text(dates.data_window().end()), "2025-06-14");
  EXPECT_EQ(Text(dates.submit_deadline()), "2025-06-15");
  EXPECT_EQ(Text(dates.forward_deadline()), "2025-06-16");
  EXPECT_EQ(Text(dates.open_until()), "2025-06-20");
  EXPECT_EQ(dates.period().id(), "2025-M06");
  EXPECT_EQ(Text(dates.period().calendar_span().end()), "2025-06-30");

  // The unit with a lock exception may still submit until 10 July.
  resolve.set_unit("units/00097");
  LT_ASSERT_OK_AND_ASSIGN(dates, registry_->ResolvePeriod(resolve));
  EXPECT_EQ(Text(dates.open_until()), "2025-07-10");
}

TEST_F(ScheduleRegistryTest, ResolveRejectsPeriodsOfAnotherType) {
  ASSERT_THAT(registry_->CreateSchedule(Monthly()), IsOk());
  v1::ResolvePeriodRequest resolve;
  resolve.set_schedule("schedules/cds-xa-thang");
  resolve.set_period("2025-Q2");
  absl::StatusOr<v1::ResolvePeriodResponse> dates =
      registry_->ResolvePeriod(resolve);
  EXPECT_THAT(dates, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(dates.status()), "PERIOD_TYPE_MISMATCH");
  resolve.set_period("2025-M13");
  dates = registry_->ResolvePeriod(resolve);
  EXPECT_EQ(ErrorReason(dates.status()), "INVALID_PERIOD");
  EXPECT_THAT(Fields(dates.status()), ElementsAre("period"));
}

TEST_F(ScheduleRegistryTest, UnknownIndicatorIsRejectedWithItsField) {
  v1::CreateScheduleRequest request = Monthly();
  request.mutable_schedule()->add_indicators("indicators/KHONG.CO");
  absl::StatusOr<v1::ReportingSchedule> created =
      registry_->CreateSchedule(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(created.status()), "UNKNOWN_INDICATOR");
  EXPECT_THAT(Fields(created.status()), ElementsAre("schedule.indicators[1]"));
}

TEST_F(ScheduleRegistryTest, MalformedSchedulesListEveryViolation) {
  v1::CreateScheduleRequest request;
  request.set_schedule_id("cds");
  request.mutable_schedule()->mutable_deadline()->set_submit_days_after_window(
      3);
  request.mutable_schedule()->set_lock_days_after_deadline(-1);
  absl::StatusOr<v1::ReportingSchedule> created =
      registry_->CreateSchedule(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      Fields(created.status()),
      ElementsAre("schedule.display_name", "schedule.indicators",
                  "schedule.reporting_level", "schedule.period_type",
                  "schedule.deadline.forward_days_after_window",
                  "schedule.lock_days_after_deadline", "schedule.valid.start"));
  request = Monthly();
  request.set_schedule_id("Bad Id");
  EXPECT_THAT(Fields(registry_->CreateSchedule(request).status()),
              ElementsAre("schedule_id"));
}

TEST_F(ScheduleRegistryTest, UpdatesCheckEtagsAndListByLevel) {
  LT_ASSERT_OK_AND_ASSIGN(v1::ReportingSchedule created,
                          registry_->CreateSchedule(Monthly()));
  v1::UpdateScheduleRequest update;
  update.mutable_schedule()->set_name(created.name());
  update.mutable_schedule()->set_lock_days_after_deadline(10);
  update.mutable_schedule()->set_etag("5");
  update.mutable_update_mask()->add_paths("lock_days_after_deadline");
  EXPECT_THAT(registry_->UpdateSchedule(update),
              StatusCodeIs(absl::StatusCode::kAborted));
  update.mutable_schedule()->set_etag(created.etag());
  LT_ASSERT_OK_AND_ASSIGN(v1::ReportingSchedule updated,
                          registry_->UpdateSchedule(update));
  EXPECT_EQ(updated.lock_days_after_deadline(), 10);
  EXPECT_EQ(updated.indicators_size(), 1);

  v1::ListSchedulesRequest list;
  list.set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
  EXPECT_EQ(registry_->ListSchedules(list)->schedules_size(), 1);
  list.set_reporting_level(common::v1::UNIT_LEVEL_PROVINCE);
  EXPECT_EQ(registry_->ListSchedules(list)->schedules_size(), 0);
  list.set_page_size(-1);
  EXPECT_THAT(registry_->ListSchedules(list),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ScheduleRegistryTest, RepeatedRequestIdWritesOnce) {
  v1::CreateScheduleRequest request = Monthly();
  request.set_request_id("req-1");
  ASSERT_THAT(registry_->CreateSchedule(request), IsOk());
  // Same request id: the stored answer, not ALREADY_EXISTS.
  EXPECT_THAT(registry_->CreateSchedule(request), IsOk());
  request.set_request_id("req-2");
  EXPECT_THAT(registry_->CreateSchedule(request),
              StatusCodeIs(absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace lienthong::registry
