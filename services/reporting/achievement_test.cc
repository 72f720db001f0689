#include "services/reporting/achievement.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;
using ::lienthong::testing::StatusCodeIs;
using registry::v1::Plan;
using registry::v1::Target;
using registry::v1::Task;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Property;

Value Percent(double percent) {
  Value value;
  value.set_percent(percent);
  return value;
}

Value Ratio(double numerator, double denominator) {
  Value value;
  value.mutable_ratio()->set_numerator(numerator);
  value.mutable_ratio()->set_denominator(denominator);
  return value;
}

Value Count(int64_t count) {
  Value value;
  value.set_count(count);
  return value;
}

Value Flag(bool flag) {
  Value value;
  value.set_flag(flag);
  return value;
}

Actual Reported(Value value, std::string period = "2024-Q2") {
  return Actual{std::move(period), std::move(value)};
}

// The province's 2021–2025 digital transformation plan.
Plan ProvincePlan() {
  Plan plan;
  plan.set_name("plans/tinh-hai-cds-2021-2025");
  plan.set_number("160/KH-UBND");
  plan.set_scope_unit("units/01");
  plan.set_start_year(2021);
  plan.set_end_year(2025);
  return plan;
}

// "Tỷ lệ hồ sơ trực tuyến toàn trình đạt từ 80% trở lên vào năm 2025", from
// 40% in 2021.
Target OnlineDossiers() {
  Target target;
  target.set_name("plans/tinh-hai-cds-2021-2025/targets/1");
  target.set_indicator("indicators/DVC.HS_TRUC_TUYEN_TOAN_TRINH");
  target.set_scope_unit("units/01");
  target.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
  *target.mutable_value() = Percent(80);
  target.set_year(2025);
  *target.mutable_baseline() = Percent(40);
  target.set_baseline_year(2021);
  return target;
}

constexpr absl::CivilDay kMid2024(2024, 7, 1);

v1::TargetAchievement Evaluate(const Plan& plan, const Target& target,
                               const absl::optional<Actual>& actual,
                               absl::CivilDay today) {
  absl::StatusOr<v1::TargetAchievement> result =
      Achievement(plan, target, actual, today);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : v1::TargetAchievement();
}

TEST(AchievementTest, OnTrackFillsEveryField) {
  // 72% is 80% of the way from 40% to 80%; on 1 July 2024, 1277 of the 1825
  // days from 1 January 2021 to 31 December 2025 (70%) have passed.
  v1::TargetAchievement got = Evaluate(ProvincePlan(), OnlineDossiers(),
                                       Reported(Percent(72)), kMid2024);
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_ON_TRACK);
  EXPECT_EQ(got.target(), "plans/tinh-hai-cds-2021-2025/targets/1");
  EXPECT_EQ(got.unit(), "units/01");
  EXPECT_EQ(got.indicator(), "indicators/DVC.HS_TRUC_TUYEN_TOAN_TRINH");
  EXPECT_EQ(got.target_value().percent(), 80);
  EXPECT_EQ(got.actual_value().percent(), 72);
  EXPECT_EQ(got.actual_period(), "2024-Q2");
  EXPECT_DOUBLE_EQ(got.percent_achieved(), 80);
  EXPECT_DOUBLE_EQ(got.gap(), 8);
  EXPECT_EQ(got.comparator(), registry::v1::COMPARATOR_AT_LEAST);
  EXPECT_EQ(got.year(), 2025);
  EXPECT_EQ(got.plan(), "plans/tinh-hai-cds-2021-2025");
}

TEST(AchievementTest, BehindThePaceOfTimeIsAtRisk) {
  v1::TargetAchievement got = Evaluate(ProvincePlan(), OnlineDossiers(),
                                       Reported(Percent(50)), kMid2024);
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_DOUBLE_EQ(got.percent_achieved(), 25);
  EXPECT_DOUBLE_EQ(got.gap(), 30);
}

TEST(AchievementTest, TheSameProgressFallsBehindAsTimePasses) {
  // 65% is 62.5% of the way: ahead of the 60.8% of time gone by mid-January
  // 2024, behind the 70% gone by July.
  EXPECT_EQ(Evaluate(ProvincePlan(), OnlineDossiers(), Reported(Percent(65)),
                     absl::CivilDay(2024, 1, 15))
                .status(),
            v1::ACHIEVEMENT_STATUS_ON_TRACK);
  EXPECT_EQ(Evaluate(ProvincePlan(), OnlineDossiers(), Reported(Percent(65)),
                     kMid2024)
                .status(),
            v1::ACHIEVEMENT_STATUS_AT_RISK);
}

TEST(AchievementTest, ProgressBackwardsIsNegative) {
  v1::TargetAchievement got = Evaluate(ProvincePlan(), OnlineDossiers(),
                                       Reported(Percent(35)), kMid2024);
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_DOUBLE_EQ(got.percent_achieved(), -12.5);
  EXPECT_DOUBLE_EQ(got.gap(), 45);
}

TEST(AchievementTest, AtLeastMetIsAchievedAndMayExceedAHundredPercent) {
  v1::TargetAchievement got = Evaluate(ProvincePlan(), OnlineDossiers(),
                                       Reported(Percent(83.5)), kMid2024);
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_DOUBLE_EQ(got.percent_achieved(), 108.75);
  EXPECT_EQ(got.gap(), 0);
}

TEST(AchievementTest, AtMostCountsProgressDownwards) {
  // "Tỷ lệ hồ sơ giải quyết quá hạn không quá 5%", from 12% in 2022.
  Target late = OnlineDossiers();
  late.set_indicator("indicators/DVC.HS_QUA_HAN");
  late.set_comparator(registry::v1::COMPARATOR_AT_MOST);
  *late.mutable_value() = Percent(5);
  *late.mutable_baseline() = Percent(12);
  late.set_baseline_year(2022);

  v1::TargetAchievement met =
      Evaluate(ProvincePlan(), late, Reported(Percent(4)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_NEAR(met.percent_achieved(), 800.0 / 7, 1e-9);
  EXPECT_EQ(met.gap(), 0);

  // 8% is 4/7 of the way; 912 of 1460 days since 1 January 2022 have passed.
  v1::TargetAchievement behind =
      Evaluate(ProvincePlan(), late, Reported(Percent(8)), kMid2024);
  EXPECT_EQ(behind.status(), v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_NEAR(behind.percent_achieved(), 400.0 / 7, 1e-9);
  EXPECT_DOUBLE_EQ(behind.gap(), 3);
}

TEST(AchievementTest, EqualIsMetOnlyByTheValue) {
  // "100% cơ quan kết nối liên thông qua hệ thống quản lý văn bản".
  Target connected = OnlineDossiers();
  connected.set_indicator("indicators/CQS.CQ_KET_NOI_LIEN_THONG_QLVB");
  connected.set_comparator(registry::v1::COMPARATOR_EQUAL);
  *connected.mutable_value() = Percent(100);
  connected.clear_baseline();
  connected.set_baseline_year(0);

  v1::TargetAchievement met =
      Evaluate(ProvincePlan(), connected, Reported(Percent(100)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_DOUBLE_EQ(met.percent_achieved(), 100);

  v1::TargetAchievement short_of =
      Evaluate(ProvincePlan(), connected, Reported(Percent(96)), kMid2024);
  EXPECT_EQ(short_of.status(), v1::ACHIEVEMENT_STATUS_ON_TRACK);
  EXPECT_DOUBLE_EQ(short_of.percent_achieved(), 96);
  EXPECT_DOUBLE_EQ(short_of.gap(), 4);
}

TEST(AchievementTest, StrictComparatorsAreNotMetAtTheTarget) {
  // "Tỷ lệ dân số có tài khoản thanh toán điện tử trên 50%".
  Target accounts = OnlineDossiers();
  accounts.set_comparator(registry::v1::COMPARATOR_ABOVE);
  *accounts.mutable_value() = Percent(50);
  accounts.clear_baseline();
  v1::TargetAchievement at =
      Evaluate(ProvincePlan(), accounts, Reported(Percent(50)), kMid2024);
  EXPECT_NE(at.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_EQ(at.gap(), 0);
  EXPECT_EQ(
      Evaluate(ProvincePlan(), accounts, Reported(Percent(50.5)), kMid2024)
          .status(),
      v1::ACHIEVEMENT_STATUS_ACHIEVED);

  accounts.set_comparator(registry::v1::COMPARATOR_BELOW);
  *accounts.mutable_value() = Percent(5);
  EXPECT_NE(Evaluate(ProvincePlan(), accounts, Reported(Percent(5)), kMid2024)
                .status(),
            v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_EQ(Evaluate(ProvincePlan(), accounts, Reported(Percent(4.9)), kMid2024)
                .status(),
            v1::ACHIEVEMENT_STATUS_ACHIEVED);
}

TEST(AchievementTest, UnmetAfterTheYearEndIsMissed) {
  v1::TargetAchievement got =
      Evaluate(ProvincePlan(), OnlineDossiers(), Reported(Percent(75), "2025"),
               absl::CivilDay(2026, 1, 15));
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_MISSED);
  EXPECT_DOUBLE_EQ(got.percent_achieved(), 87.5);
  EXPECT_DOUBLE_EQ(got.gap(), 5);
  // On the due day itself there is still time.
  EXPECT_EQ(Evaluate(ProvincePlan(), OnlineDossiers(), Reported(Percent(75)),
                     absl::CivilDay(2025, 12, 31))
                .status(),
            v1::ACHIEVEMENT_STATUS_AT_RISK);
}

TEST(AchievementTest, DueDateOverridesTheYearEnd) {
  Target target = OnlineDossiers();
  *target.mutable_due_date() = registry::ToDate(absl::CivilDay(2025, 6, 30));
  EXPECT_EQ(Evaluate(ProvincePlan(), target, Reported(Percent(78)),
                     absl::CivilDay(2025, 7, 1))
                .status(),
            v1::ACHIEVEMENT_STATUS_MISSED);
  // 95% of the way, 90% of the time to the year end.
  EXPECT_EQ(Evaluate(ProvincePlan(), OnlineDossiers(), Reported(Percent(78)),
                     absl::CivilDay(2025, 7, 1))
                .status(),
            v1::ACHIEVEMENT_STATUS_ON_TRACK);
}

TEST(AchievementTest, WithoutDataIsNoData) {
  v1::TargetAchievement got =
      Evaluate(ProvincePlan(), OnlineDossiers(), absl::nullopt, kMid2024);
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_NO_DATA);
  EXPECT_EQ(got.percent_achieved(), 0);
  EXPECT_EQ(got.gap(), 0);
  EXPECT_FALSE(got.has_actual_value());
  EXPECT_EQ(got.actual_period(), "");
  EXPECT_EQ(got.target(), "plans/tinh-hai-cds-2021-2025/targets/1");
  EXPECT_EQ(got.target_value().percent(), 80);
  EXPECT_EQ(got.year(), 2025);
}

TEST(AchievementTest, TargetWithoutUnitAppliesToThePlanScope) {
  Target target = OnlineDossiers();
  target.clear_scope_unit();
  EXPECT_EQ(Evaluate(ProvincePlan(), target, absl::nullopt, kMid2024).unit(),
            "units/01");
}

TEST(AchievementTest, RatiosCompareAsPercentages) {
  // "Tỷ lệ hộ gia đình có đường Internet cáp quang ≥ 80%", from 55% in 2022.
  Target fibre = OnlineDossiers();
  fibre.set_indicator("indicators/XHS.HO_CAP_QUANG");
  *fibre.mutable_value() = Ratio(80, 100);
  *fibre.mutable_baseline() = Ratio(55, 100);
  fibre.set_baseline_year(2022);

  v1::TargetAchievement met =
      Evaluate(ProvincePlan(), fibre, Reported(Ratio(1840, 2300)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_DOUBLE_EQ(met.percent_achieved(), 100);

  // 70% is 60% of the way; 851 of 1460 days (58%) gone on 1 May 2024.
  v1::TargetAchievement short_of =
      Evaluate(ProvincePlan(), fibre, Reported(Ratio(1610, 2300)),
               absl::CivilDay(2024, 5, 1));
  EXPECT_EQ(short_of.status(), v1::ACHIEVEMENT_STATUS_ON_TRACK);
  EXPECT_NEAR(short_of.percent_achieved(), 60, 1e-9);
  EXPECT_NEAR(short_of.gap(), 10, 1e-9);
  EXPECT_EQ(short_of.actual_value().ratio().numerator(), 1610);
}

TEST(AchievementTest, CountsFromZeroWithTimeFromTheTargetYear) {
  // "Tổ chức ít nhất 12 lớp tập huấn kỹ năng số trong năm 2024"; the plan
  // gives no horizon, so time runs from 1 January 2024.
  Plan plan;
  plan.set_name("plans/xa-tai-son-cds-2024");
  plan.set_scope_unit("units/11098");
  Target trainings;
  trainings.set_name("plans/xa-tai-son-cds-2024/targets/2");
  trainings.set_indicator("indicators/KNS.LOP_TAP_HUAN");
  trainings.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
  *trainings.mutable_value() = Count(12);
  trainings.set_year(2024);

  // 9 of 12 is 75%; 258 of 365 days (71%) gone on 15 September.
  v1::TargetAchievement got = Evaluate(plan, trainings, Reported(Count(9)),
                                       absl::CivilDay(2024, 9, 15));
  EXPECT_EQ(got.status(), v1::ACHIEVEMENT_STATUS_ON_TRACK);
  EXPECT_DOUBLE_EQ(got.percent_achieved(), 75);
  EXPECT_DOUBLE_EQ(got.gap(), 3);
  EXPECT_EQ(got.unit(), "units/11098");
  EXPECT_EQ(
      Evaluate(plan, trainings, Reported(Count(9)), absl::CivilDay(2024, 11, 1))
          .status(),
      v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_EQ(Evaluate(plan, trainings, Reported(Count(12)),
                     absl::CivilDay(2024, 11, 1))
                .status(),
            v1::ACHIEVEMENT_STATUS_ACHIEVED);
}

TEST(AchievementTest, TimeRunsFromThePlanStartWithoutABaselineYear) {
  Target target = OnlineDossiers();
  target.clear_baseline();
  target.set_baseline_year(0);
  // 48% is 60% of the way from 0: behind 70% of 2021–2025, ahead of 50% of
  // 2023–2025.
  Plan plan = ProvincePlan();
  EXPECT_EQ(Evaluate(plan, target, Reported(Percent(48)), kMid2024).status(),
            v1::ACHIEVEMENT_STATUS_AT_RISK);
  plan.set_start_year(2023);
  EXPECT_EQ(Evaluate(plan, target, Reported(Percent(48)), kMid2024).status(),
            v1::ACHIEVEMENT_STATUS_ON_TRACK);
}

TEST(AchievementTest, BooleanIsMetWhenEqual) {
  // "Thành lập Ban chỉ đạo chuyển đổi số trong năm 2024".
  Target committee = OnlineDossiers();
  committee.set_indicator("indicators/CQS.BCD_CDS");
  committee.set_comparator(registry::v1::COMPARATOR_EQUAL);
  *committee.mutable_value() = Flag(true);
  committee.clear_baseline();
  committee.set_year(2024);

  v1::TargetAchievement met =
      Evaluate(ProvincePlan(), committee, Reported(Flag(true)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_EQ(met.percent_achieved(), 100);
  EXPECT_EQ(met.gap(), 0);

  v1::TargetAchievement not_yet =
      Evaluate(ProvincePlan(), committee, Reported(Flag(false)), kMid2024);
  EXPECT_EQ(not_yet.status(), v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_EQ(not_yet.percent_achieved(), 0);
  EXPECT_EQ(not_yet.gap(), 1);

  EXPECT_EQ(Evaluate(ProvincePlan(), committee, Reported(Flag(false)),
                     absl::CivilDay(2025, 1, 2))
                .status(),
            v1::ACHIEVEMENT_STATUS_MISSED);
}

TEST(AchievementTest, BaselineAlreadyMeetingTheTargetIsAllOrNothing) {
  // From the seed plans: "at least 95% of meetings online", from 100% in
  // 2023. The distance to cover is backwards, so no ratio of it means much.
  Target meetings = OnlineDossiers();
  *meetings.mutable_value() = Percent(95);
  *meetings.mutable_baseline() = Percent(100);
  meetings.set_baseline_year(2023);

  v1::TargetAchievement met =
      Evaluate(ProvincePlan(), meetings, Reported(Percent(98)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_EQ(met.percent_achieved(), 100);

  v1::TargetAchievement fell =
      Evaluate(ProvincePlan(), meetings, Reported(Percent(90)), kMid2024);
  EXPECT_EQ(fell.status(), v1::ACHIEVEMENT_STATUS_AT_RISK);
  EXPECT_EQ(fell.percent_achieved(), 0);
  EXPECT_DOUBLE_EQ(fell.gap(), 5);

  // Target equal to its baseline: kept is 100%, lost is 0%.
  *meetings.mutable_value() = Percent(100);
  meetings.set_comparator(registry::v1::COMPARATOR_EQUAL);
  EXPECT_EQ(Evaluate(ProvincePlan(), meetings, Reported(Percent(100)), kMid2024)
                .percent_achieved(),
            100);
  EXPECT_EQ(Evaluate(ProvincePlan(), meetings, Reported(Percent(99)), kMid2024)
                .percent_achieved(),
            0);
}

// The error's code, reason and first violated field.
void ExpectRejected(const absl::StatusOr<v1::TargetAchievement>& result,
                    const std::string& reason, const std::string& field) {
  EXPECT_THAT(result, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(result.status()), reason);
  std::vector<FieldViolation> violations = FieldViolations(result.status());
  ASSERT_FALSE(violations.empty());
  EXPECT_EQ(violations.front().field, field);
}

TEST(AchievementTest, RejectsMalformedTargets) {
  Target no_value = OnlineDossiers();
  no_value.clear_value();
  ExpectRejected(
      Achievement(ProvincePlan(), no_value, Reported(Percent(70)), kMid2024),
      "INVALID_TARGET", "target.value");
  // Even without data: the target itself is wrong.
  ExpectRejected(Achievement(ProvincePlan(), no_value, absl::nullopt, kMid2024),
                 "INVALID_TARGET", "target.value");

  Target zero_denominator = OnlineDossiers();
  *zero_denominator.mutable_value() = Ratio(80, 0);
  zero_denominator.clear_baseline();
  ExpectRejected(
      Achievement(ProvincePlan(), zero_denominator, absl::nullopt, kMid2024),
      "INVALID_TARGET", "target.value");

  Target no_comparator = OnlineDossiers();
  no_comparator.set_comparator(registry::v1::COMPARATOR_UNSPECIFIED);
  ExpectRejected(Achievement(ProvincePlan(), no_comparator,
                             Reported(Percent(70)), kMid2024),
                 "INVALID_TARGET", "target.comparator");

  Target count_baseline = OnlineDossiers();
  *count_baseline.mutable_baseline() = Count(40);
  ExpectRejected(Achievement(ProvincePlan(), count_baseline,
                             Reported(Percent(70)), kMid2024),
                 "INVALID_TARGET", "target.baseline");

  Target no_year = OnlineDossiers();
  no_year.set_year(0);
  ExpectRejected(
      Achievement(ProvincePlan(), no_year, Reported(Percent(70)), kMid2024),
      "INVALID_TARGET", "target.year");

  Target bad_due = OnlineDossiers();
  bad_due.mutable_due_date()->set_year(2025);
  bad_due.mutable_due_date()->set_month(2);
  bad_due.mutable_due_date()->set_day(30);
  ExpectRejected(
      Achievement(ProvincePlan(), bad_due, Reported(Percent(70)), kMid2024),
      "INVALID_TARGET", "target.due_date");
}

// Plans state shares as percentages ("80%") of indicators reported as ratios
// (dossiers online of all dossiers), and the other way round.
TEST(AchievementTest, PercentTargetsMeasureRatiosAndBack) {
  v1::TargetAchievement met = Evaluate(ProvincePlan(), OnlineDossiers(),
                                       Reported(Ratio(45, 50)), kMid2024);
  EXPECT_EQ(met.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);
  EXPECT_EQ(met.actual_value().ratio().numerator(), 45);
  // 72 of 100 is 72%, measured as the percentage 72 would be.
  v1::TargetAchievement as_ratio = Evaluate(ProvincePlan(), OnlineDossiers(),
                                            Reported(Ratio(72, 100)), kMid2024);
  v1::TargetAchievement as_percent = Evaluate(ProvincePlan(), OnlineDossiers(),
                                              Reported(Percent(72)), kMid2024);
  EXPECT_EQ(as_ratio.status(), as_percent.status());
  EXPECT_DOUBLE_EQ(as_ratio.percent_achieved(), as_percent.percent_achieved());
  EXPECT_DOUBLE_EQ(as_ratio.gap(), as_percent.gap());

  Target fibre = OnlineDossiers();
  *fibre.mutable_value() = Ratio(80, 100);
  *fibre.mutable_baseline() = Ratio(40, 100);
  EXPECT_EQ(
      Evaluate(ProvincePlan(), fibre, Reported(Percent(85)), kMid2024).status(),
      v1::ACHIEVEMENT_STATUS_ACHIEVED);
}

TEST(AchievementTest, RejectsActualOfAnotherKind) {
  ExpectRejected(Achievement(ProvincePlan(), OnlineDossiers(),
                             Reported(Count(70)), kMid2024),
                 "VALUE_TYPE_MISMATCH", "actual.value");
  ExpectRejected(Achievement(ProvincePlan(), OnlineDossiers(),
                             Reported(Value()), kMid2024),
                 "VALUE_TYPE_MISMATCH", "actual.value");

  Target fibre = OnlineDossiers();
  *fibre.mutable_value() = Ratio(80, 100);
  fibre.clear_baseline();
  ExpectRejected(
      Achievement(ProvincePlan(), fibre, Reported(Ratio(5, 0)), kMid2024),
      "VALUE_TYPE_MISMATCH", "actual.value");
}

TEST(AchievementTest, MissingYearWithDueDateUsesTheDueYear) {
  Target target = OnlineDossiers();
  target.set_year(0);
  *target.mutable_due_date() = registry::ToDate(absl::CivilDay(2025, 6, 30));
  EXPECT_EQ(Evaluate(ProvincePlan(), target, absl::nullopt, kMid2024).year(),
            2025);
}

// Tasks of the commune's 2025 plan, seen on 10 March 2025.
constexpr absl::CivilDay kTaskDay(2025, 3, 10);

Task MakeTask(std::string id, std::string agency,
              registry::v1::TaskStatus status,
              absl::optional<absl::CivilDay> due) {
  Task task;
  task.set_name("plans/xa-tai-son-cds-2025/tasks/" + id);
  task.set_title("Nhiệm vụ " + id);
  task.set_lead_agency("agencies/DEMO.11098." + agency);
  task.set_status(status);
  if (due.has_value()) *task.mutable_due_date() = registry::ToDate(*due);
  return task;
}

std::vector<Task> CommuneTasks() {
  using registry::v1::TASK_STATUS_CANCELLED;
  using registry::v1::TASK_STATUS_DONE;
  using registry::v1::TASK_STATUS_IN_PROGRESS;
  using registry::v1::TASK_STATUS_NOT_STARTED;
  using registry::v1::TASK_STATUS_UNSPECIFIED;
  std::vector<Task> tasks = {
      MakeTask("1", "UBND", TASK_STATUS_IN_PROGRESS,
               absl::CivilDay(2025, 6, 30)),
      MakeTask("3", "UBND", TASK_STATUS_IN_PROGRESS,
               absl::CivilDay(2025, 1, 31)),
      MakeTask("4", "UBND", TASK_STATUS_DONE, absl::CivilDay(2024, 12, 31)),
      MakeTask("5", "CCVHXH", TASK_STATUS_NOT_STARTED,
               absl::CivilDay(2025, 3, 9)),
      MakeTask("6", "CCVHXH", TASK_STATUS_CANCELLED,
               absl::CivilDay(2024, 10, 1)),
      // Due today: not overdue yet.
      MakeTask("7", "CCVHXH", TASK_STATUS_NOT_STARTED, kTaskDay),
      MakeTask("8", "TYT", TASK_STATUS_UNSPECIFIED, absl::nullopt),
      MakeTask("9", "TYT", TASK_STATUS_IN_PROGRESS,
               absl::CivilDay(2024, 12, 31)),
      MakeTask("12", "BCDCDS", TASK_STATUS_NOT_STARTED,
               absl::CivilDay(2025, 1, 31)),
  };
  tasks[7].set_percent_complete(40);
  return tasks;
}

// total, done, in progress, not started, overdue, cancelled.
std::vector<int> Counts(const v1::TaskSummary& summary) {
  return {summary.total(),       summary.done(),    summary.in_progress(),
          summary.not_started(), summary.overdue(), summary.cancelled()};
}

TEST(SummarizeTasksTest, CountsByAgencyWithOverdueCountedOnce) {
  v1::SummarizeTasksResponse got = SummarizeTasks(CommuneTasks(), kTaskDay);
  ASSERT_EQ(got.summaries_size(), 4);
  EXPECT_EQ(got.summaries(0).lead_agency(), "agencies/DEMO.11098.BCDCDS");
  EXPECT_EQ(Counts(got.summaries(0)), (std::vector<int>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(got.summaries(1).lead_agency(), "agencies/DEMO.11098.CCVHXH");
  EXPECT_EQ(Counts(got.summaries(1)), (std::vector<int>{3, 0, 0, 1, 1, 1}));
  EXPECT_EQ(got.summaries(2).lead_agency(), "agencies/DEMO.11098.TYT");
  EXPECT_EQ(Counts(got.summaries(2)), (std::vector<int>{2, 0, 0, 1, 1, 0}));
  EXPECT_EQ(got.summaries(3).lead_agency(), "agencies/DEMO.11098.UBND");
  EXPECT_EQ(Counts(got.summaries(3)), (std::vector<int>{3, 1, 1, 0, 1, 0}));
  EXPECT_EQ(got.total().lead_agency(), "");
  EXPECT_EQ(Counts(got.total()), (std::vector<int>{9, 1, 1, 2, 4, 1}));
}

TEST(SummarizeTasksTest, NoTasksGiveAnEmptyTotal) {
  v1::SummarizeTasksResponse got = SummarizeTasks({}, kTaskDay);
  EXPECT_EQ(got.summaries_size(), 0);
  EXPECT_EQ(Counts(got.total()), (std::vector<int>{0, 0, 0, 0, 0, 0}));
}

TEST(OverdueTasksTest, MostOverdueFirstThenByName) {
  std::vector<v1::OverdueTask> got = OverdueTasks(CommuneTasks(), kTaskDay);
  auto task = [](std::string id, int days) {
    return ::testing::AllOf(Property(&v1::OverdueTask::task,
                                     "plans/xa-tai-son-cds-2025/tasks/" + id),
                            Property(&v1::OverdueTask::days_overdue, days));
  };
  // 69 days since 31 December, 38 since 31 January (tasks/12 sorts before
  // tasks/3), 1 since 9 March.
  EXPECT_THAT(got, ElementsAre(task("9", 69), task("12", 38), task("3", 38),
                               task("5", 1)));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].title(), "Nhiệm vụ 9");
  EXPECT_EQ(got[0].lead_agency(), "agencies/DEMO.11098.TYT");
  EXPECT_EQ(got[0].due_date().year(), 2024);
  EXPECT_EQ(got[0].due_date().month(), 12);
  EXPECT_EQ(got[0].due_date().day(), 31);
  EXPECT_EQ(got[0].percent_complete(), 40);
}

TEST(OverdueTasksTest, NoneOverdueGivesNothing) {
  EXPECT_THAT(OverdueTasks(CommuneTasks(), absl::CivilDay(2024, 1, 1)),
              IsEmpty());
}

}  // namespace
}  // namespace lienthong::reporting
