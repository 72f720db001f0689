#include "services/reporting/achievement_reader.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/plan_source.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

// A province plan and the commune plan implementing it.
class FakePlans final : public PlanSource {
 public:
  FakePlans() {
    Plan("plans/tinh", "units/01", "");
    Plan("plans/xa", "units/00004", "plans/tinh");
    Target("plans/tinh", 100);
    Target("plans/xa", 40);
    Task("plans/tinh", "agencies/STTTT", 2025, 3, 31,
         registry::v1::TASK_STATUS_IN_PROGRESS);
    Task("plans/tinh", "agencies/STTTT", 2025, 12, 31,
         registry::v1::TASK_STATUS_IN_PROGRESS);
    Task("plans/xa", "agencies/UBND.XA", 2025, 5, 1,
         registry::v1::TASK_STATUS_DONE);
  }
  absl::StatusOr<registry::v1::Plan> GetPlan(const std::string& name) override {
    auto it = plans_.find(name);
    if (it == plans_.end()) return absl::NotFoundError(name);
    return it->second;
  }
  absl::StatusOr<std::vector<registry::v1::Plan>> ChildPlans(
      const std::string& name) override {
    std::vector<registry::v1::Plan> children;
    for (const auto& [id, plan] : plans_) {
      for (const std::string& parent : plan.parent_plans()) {
        if (parent == name) children.push_back(plan);
      }
    }
    return children;
  }
  absl::StatusOr<std::vector<registry::v1::Plan>> AllPlans() override {
    std::vector<registry::v1::Plan> all;
    for (const auto& [id, plan] : plans_) all.push_back(plan);
    return all;
  }
  absl::StatusOr<std::vector<registry::v1::Target>> Targets(
      const std::string& plan) override {
    return targets_[plan];
  }
  absl::StatusOr<std::vector<registry::v1::Task>> Tasks(
      const std::string& plan) override {
    return tasks_[plan];
  }

 private:
  void Plan(const std::string& name, const std::string& unit,
            const std::string& parent) {
    registry::v1::Plan& plan = plans_[name];
    plan.set_name(name);
    plan.set_scope_unit(unit);
    plan.set_start_year(2025);
    plan.set_end_year(2025);
    if (!parent.empty()) plan.add_parent_plans(parent);
  }
  void Target(const std::string& plan, int64_t value) {
    registry::v1::Target& target = targets_[plan].emplace_back();
    target.set_name(plan + "/targets/so-lop");
    target.set_indicator("indicators/SO_LOP");
    target.set_comparator(registry::v1::COMPARATOR_AT_LEAST);
    target.mutable_value()->set_count(value);
    target.set_year(2025);
  }
  void Task(const std::string& plan, const std::string& agency, int year,
            int month, int day, registry::v1::TaskStatus status) {
    registry::v1::Task& task = tasks_[plan].emplace_back();
    task.set_name(absl::StrCat(plan, "/tasks/", tasks_[plan].size()));
    task.set_lead_agency(agency);
    *task.mutable_due_date() =
        registry::ToDate(absl::CivilDay(year, month, day));
    task.set_status(status);
  }

  std::map<std::string, registry::v1::Plan> plans_;
  std::map<std::string, std::vector<registry::v1::Target>> targets_;
  std::map<std::string, std::vector<registry::v1::Task>> tasks_;
};

class AchievementReaderTest : public ::testing::Test {
 protected:
  AchievementReaderTest()
      : children_(
            [](const std::string& unit,
               absl::CivilDay) -> absl::StatusOr<std::vector<std::string>> {
              if (unit == "units/01") {
                return std::vector<std::string>{"units/00004", "units/00010"};
              }
              return std::vector<std::string>{};
            }),
        rollups_(
            &index_, children_,
            [](const std::string&) -> absl::StatusOr<registry::v1::Indicator> {
              registry::v1::Indicator indicator;
              indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
              indicator.set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
              return indicator;
            }),
        reader_(&rollups_, children_, &clock_) {
    for (int month = 1; month <= 6; ++month) {
      Report("units/00004", month, 10);
    }
    Report("units/00010", 3, 30);
  }

  void Report(const std::string& unit, int month, int64_t count) {
    ingestion::v1::Change change;
    change.set_sequence(index_.position() + 1);
    change.set_kind(ingestion::v1::CHANGE_KIND_UPSERT);
    change.mutable_value()->set_unit(unit);
    change.mutable_value()->set_indicator("indicators/SO_LOP");
    change.mutable_value()->mutable_period()->set_id(
        absl::StrFormat("2025-M%02d", month));
    change.mutable_value()->mutable_period()->set_type(
        common::v1::PERIOD_TYPE_MONTH);
    change.mutable_value()->mutable_value()->set_count(count);
    ASSERT_THAT(index_.Apply(change), IsOk());
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2025, 7, 1, 8, 0, 0),
                                   absl::FixedTimeZone(7 * 3600))};
  FeedIndex index_;
  RollupReader::ChildrenFn children_;
  RollupReader rollups_;
  FakePlans plans_;
  AchievementReader reader_;
};

TEST_F(AchievementReaderTest, MeasuresEachTargetOfTheCascadeOnItsOwnUnit) {
  v1::ListTargetAchievementsRequest request;
  request.set_plan("plans/tinh");
  EXPECT_THAT(reader_.ListTargetAchievements(request),
              StatusCodeIs(absl::StatusCode::kUnavailable));
  reader_.Attach(&plans_);
  LT_ASSERT_OK_AND_ASSIGN(v1::ListTargetAchievementsResponse province,
                          reader_.ListTargetAchievements(request));
  ASSERT_EQ(province.achievements_size(), 1);
  const v1::TargetAchievement& tinh = province.achievements(0);
  EXPECT_EQ(tinh.unit(), "units/01");
  EXPECT_EQ(tinh.actual_value().count(), 90);  // the year so far, summed
  EXPECT_EQ(tinh.actual_period(), "2025");
  EXPECT_EQ(tinh.status(), v1::ACHIEVEMENT_STATUS_ON_TRACK);

  request.set_include_cascade(true);
  LT_ASSERT_OK_AND_ASSIGN(v1::ListTargetAchievementsResponse cascade,
                          reader_.ListTargetAchievements(request));
  ASSERT_EQ(cascade.achievements_size(), 2);
  const v1::TargetAchievement& xa = cascade.achievements(1);
  EXPECT_EQ(xa.plan(), "plans/xa");
  EXPECT_EQ(xa.unit(), "units/00004");
  EXPECT_EQ(xa.actual_value().count(), 60);
  EXPECT_EQ(xa.status(), v1::ACHIEVEMENT_STATUS_ACHIEVED);

  request.set_page_size(1);  // one per page, the next by its token
  LT_ASSERT_OK_AND_ASSIGN(v1::ListTargetAchievementsResponse first,
                          reader_.ListTargetAchievements(request));
  ASSERT_EQ(first.achievements_size(), 1);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  LT_ASSERT_OK_AND_ASSIGN(v1::ListTargetAchievementsResponse second,
                          reader_.ListTargetAchievements(request));
  ASSERT_EQ(second.achievements_size(), 1);
  EXPECT_EQ(second.achievements(0).plan(), "plans/xa");
  EXPECT_TRUE(second.next_page_token().empty());

  request.set_page_token("not-a-token");
  EXPECT_THAT(reader_.ListTargetAchievements(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  request.clear_page_token();
  request.mutable_as_of()->set_year(2025);
  request.mutable_as_of()->set_month(2);
  request.mutable_as_of()->set_day(30);
  EXPECT_THAT(reader_.ListTargetAchievements(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  request.clear_as_of();
  request.set_plan("tinh");
  EXPECT_THAT(reader_.ListTargetAchievements(request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  request.set_plan("plans/none");
  EXPECT_THAT(reader_.ListTargetAchievements(request),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(AchievementReaderTest, SummarizesAndListsOverdueTasks) {
  reader_.Attach(&plans_);
  v1::SummarizeTasksRequest summary_request;
  summary_request.set_plan("plans/tinh");
  summary_request.set_include_cascade(true);
  LT_ASSERT_OK_AND_ASSIGN(v1::SummarizeTasksResponse summary,
                          reader_.SummarizeTasks(summary_request));
  EXPECT_EQ(summary.total().total(), 3);
  EXPECT_EQ(summary.total().done(), 1);
  EXPECT_EQ(summary.total().overdue(), 1);
  EXPECT_EQ(summary.total().in_progress(), 1);
  ASSERT_EQ(summary.summaries_size(), 2);

  v1::ListOverdueTasksRequest overdue_request;
  overdue_request.set_unit("units/01");
  LT_ASSERT_OK_AND_ASSIGN(v1::ListOverdueTasksResponse overdue,
                          reader_.ListOverdueTasks(overdue_request));
  ASSERT_EQ(overdue.tasks_size(), 1);
  EXPECT_EQ(overdue.tasks(0).days_overdue(), 92);  // 31/3 to 1/7
  overdue_request.set_unit("units/00004");         // the commune's plan only
  LT_ASSERT_OK_AND_ASSIGN(overdue, reader_.ListOverdueTasks(overdue_request));
  EXPECT_EQ(overdue.tasks_size(), 0);
  overdue_request.set_unit("01");
  EXPECT_THAT(reader_.ListOverdueTasks(overdue_request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  overdue_request.set_unit("units/01");
  overdue_request.set_page_size(-1);
  EXPECT_THAT(reader_.ListOverdueTasks(overdue_request),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace lienthong::reporting
