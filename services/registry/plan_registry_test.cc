#include "services/registry/plan_registry.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/agency_registry.h"
#include "services/registry/dates.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/sqlite_record_store.h"
#include "services/registry/sqlite_unit_store.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::Pair;

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

class PlanRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = std::getenv("TEST_TMPDIR");
    std::filesystem::remove(dir + "/plan-units.db");
    std::filesystem::remove(dir + "/plan-records.db");
    LT_ASSERT_OK_AND_ASSIGN(
        units_, SqliteUnitStore::Open(dir + "/plan-units.db", &clock_));
    LT_ASSERT_OK_AND_ASSIGN(records_,
                            SqliteRecordStore::Open(dir + "/plan-records.db"));
    UnitWrite write;
    for (const auto& [code, level] :
         {std::pair<std::string, common::v1::UnitLevel>{
              "51", common::v1::UNIT_LEVEL_PROVINCE},
          {"21340", common::v1::UNIT_LEVEL_COMMUNE}}) {
      v1::AdminUnit unit;
      unit.set_code(code);
      unit.set_display_name(code);
      unit.set_level(level);
      write.puts.push_back({unit, true, ""});
    }
    ASSERT_THAT(units_->Write(write), IsOk());
    AgencyRegistry agencies(records_.get(), units_.get(), &clock_);
    for (const auto& [code, unit] :
         {std::pair<std::string, std::string>{"000.00.00.H55", "51"},
          {"DEMO.21340.UBND", "21340"},
          {"DEMO.21340.CONGAN", "21340"}}) {
      v1::CreateAgencyRequest request;
      request.mutable_agency()->set_code(code);
      request.mutable_agency()->set_display_name(code);
      request.mutable_agency()->set_unit("units/" + unit);
      ASSERT_THAT(agencies.CreateAgency(request), IsOk());
    }
    IndicatorRegistry indicators(records_.get(), &clock_);
    for (const auto& [code, type] :
         {std::pair<std::string, v1::ValueType>{"XHS.TK_THANH_TOAN",
                                                v1::VALUE_TYPE_RATIO},
          {"CQS.HSO_TRUC_TUYEN", v1::VALUE_TYPE_RATIO},
          {"NLS.SO_LOP", v1::VALUE_TYPE_COUNT}}) {
      v1::CreateIndicatorRequest request;
      v1::Indicator* indicator = request.mutable_indicator();
      indicator->set_code(code);
      indicator->set_display_name_vi(code);
      indicator->set_pillar(common::v1::PILLAR_DIGITAL_SOCIETY);
      indicator->set_value_type(type);
      indicator->set_aggregation(type == v1::VALUE_TYPE_RATIO
                                     ? v1::AGGREGATION_RULE_RATIO_OF_SUMS
                                     : v1::AGGREGATION_RULE_SUM);
      *indicator->mutable_valid()->mutable_start() = D(2021, 1, 1);
      ASSERT_THAT(indicators.CreateIndicator(request), IsOk());
    }
    registry_ =
        std::make_unique<PlanRegistry>(records_.get(), units_.get(), &clock_);
  }

  absl::StatusOr<v1::Plan> CreatePlan(const std::string& id,
                                      const std::string& agency,
                                      const std::string& unit,
                                      const std::string& parent = "") {
    v1::CreatePlanRequest request;
    request.set_plan_id(id);
    v1::Plan* plan = request.mutable_plan();
    plan->set_number("41/KH-UBND");
    plan->set_title("Chuyển đổi số năm 2025");
    plan->set_issuing_agency("agencies/" + agency);
    plan->set_scope_unit("units/" + unit);
    plan->set_start_year(2025);
    plan->set_end_year(2025);
    plan->set_orientation_year(2030);
    if (!parent.empty()) plan->add_parent_plans("plans/" + parent);
    return registry_->CreatePlan(request);
  }

  absl::StatusOr<v1::Target> CreateTarget(const std::string& plan,
                                          const std::string& indicator,
                                          double percent, int year = 2025) {
    v1::CreateTargetRequest request;
    request.set_parent("plans/" + plan);
    v1::Target* target = request.mutable_target();
    target->set_indicator("indicators/" + indicator);
    target->set_comparator(v1::COMPARATOR_ABOVE);
    target->mutable_value()->set_percent(percent);
    target->set_year(year);
    target->set_source_text("trên 50%");
    return registry_->CreateTarget(request);
  }

  absl::StatusOr<v1::Task> CreateTask(common::v1::Date start,
                                      common::v1::Date due) {
    v1::CreateTaskRequest request;
    request.set_parent("plans/nghia-hanh-2025");
    v1::Task* task = request.mutable_task();
    task->set_number("1");
    task->set_title("Triển khai thanh toán không dùng tiền mặt");
    task->set_required_result("Báo cáo kết quả");
    *task->mutable_start_date() = start;
    *task->mutable_due_date() = due;
    task->set_lead_agency("agencies/DEMO.21340.UBND");
    task->add_coordinating_agencies("agencies/DEMO.21340.CONGAN");
    return registry_->CreateTask(request);
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteUnitStore> units_;
  std::unique_ptr<SqliteRecordStore> records_;
  std::unique_ptr<PlanRegistry> registry_;
};

TEST_F(PlanRegistryTest, ChildPlansInheritTargetsTheyDoNotOverride) {
  ASSERT_THAT(CreatePlan("quang-ngai-2025", "000.00.00.H55", "51"), IsOk());
  ASSERT_THAT(CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340",
                         "quang-ngai-2025"),
              IsOk());
  ASSERT_THAT(CreateTarget("quang-ngai-2025", "XHS.TK_THANH_TOAN", 50), IsOk());
  ASSERT_THAT(CreateTarget("quang-ngai-2025", "CQS.HSO_TRUC_TUYEN", 80),
              IsOk());
  // The commune sets its own, higher, payment-account target.
  ASSERT_THAT(CreateTarget("nghia-hanh-2025", "XHS.TK_THANH_TOAN", 60), IsOk());

  v1::ListTargetsRequest list;
  list.set_parent("plans/nghia-hanh-2025");
  LT_ASSERT_OK_AND_ASSIGN(auto own, registry_->ListTargets(list));
  ASSERT_EQ(own.targets_size(), 1);
  list.set_include_inherited(true);
  LT_ASSERT_OK_AND_ASSIGN(auto all, registry_->ListTargets(list));
  std::vector<std::pair<std::string, std::string>> seen;
  for (const auto& target : all.targets()) {
    seen.emplace_back(target.indicator(), target.inherited_from());
  }
  EXPECT_THAT(seen, ElementsAre(Pair("indicators/CQS.HSO_TRUC_TUYEN",
                                     "plans/quang-ngai-2025/targets/2"),
                                Pair("indicators/XHS.TK_THANH_TOAN", "")));
  EXPECT_EQ(all.targets(0).scope_unit(), "units/51");
}

TEST_F(PlanRegistryTest, TargetOnAnUnknownIndicatorIsRejected) {
  ASSERT_THAT(CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340"),
              IsOk());
  absl::StatusOr<v1::Target> target =
      CreateTarget("nghia-hanh-2025", "KHONG.CO", 50);
  EXPECT_THAT(target, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(target.status()), "UNKNOWN_INDICATOR");
  EXPECT_THAT(Fields(target.status()), ElementsAre("target.indicator"));

  // A percentage target on a count indicator does not fit either.
  target = CreateTarget("nghia-hanh-2025", "NLS.SO_LOP", 50);
  EXPECT_EQ(ErrorReason(target.status()), "VALUE_TYPE_MISMATCH");
  // Nor a year outside the horizon (2025 with 2030 orientation).
  target = CreateTarget("nghia-hanh-2025", "XHS.TK_THANH_TOAN", 50, 2031);
  EXPECT_THAT(Fields(target.status()), ElementsAre("target.year"));
}

TEST_F(PlanRegistryTest, TaskDueBeforeStartIsRejected) {
  ASSERT_THAT(CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340"),
              IsOk());
  absl::StatusOr<v1::Task> task = CreateTask(D(2025, 9, 1), D(2025, 8, 31));
  EXPECT_THAT(task, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(task.status()), ElementsAre("task.due_date"));
}

TEST_F(PlanRegistryTest, ProgressUpdatesMoveTheTaskAndKeepTheirHistory) {
  ASSERT_THAT(CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340"),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(v1::Task task,
                          CreateTask(D(2025, 9, 1), D(2025, 12, 31)));
  EXPECT_EQ(task.name(), "plans/nghia-hanh-2025/tasks/1");
  EXPECT_EQ(task.status(), v1::TASK_STATUS_NOT_STARTED);

  v1::SubmitTaskProgressRequest progress;
  progress.set_task(task.name());
  progress.mutable_update()->set_percent_complete(40);
  progress.mutable_update()->set_note("Đã tập huấn 3 thôn");
  progress.set_request_id("p-1");
  LT_ASSERT_OK_AND_ASSIGN(v1::ProgressUpdate first,
                          registry_->SubmitTaskProgress(
                              progress, "DEMO.21340.UBND", "DEMO.21340.UBND"));
  EXPECT_EQ(first.submitted().actor(), "DEMO.21340.UBND");
  // A retry of the same report is recorded once.
  ASSERT_THAT(registry_->SubmitTaskProgress(progress, "DEMO.21340.UBND",
                                            "DEMO.21340.UBND"),
              IsOk());
  progress.mutable_update()->set_percent_complete(100);
  progress.set_request_id("p-2");
  ASSERT_THAT(registry_->SubmitTaskProgress(progress, "DEMO.21340.UBND",
                                            "DEMO.21340.UBND"),
              IsOk());

  v1::GetTaskRequest get;
  get.set_name(task.name());
  LT_ASSERT_OK_AND_ASSIGN(v1::Task done, registry_->GetTask(get));
  EXPECT_EQ(done.status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(done.percent_complete(), 100);

  v1::ListTaskProgressRequest list;
  list.set_task(task.name());
  LT_ASSERT_OK_AND_ASSIGN(auto history, registry_->ListTaskProgress(list));
  ASSERT_EQ(history.updates_size(), 2);
  EXPECT_EQ(history.updates(0).percent_complete(), 100);  // newest first
  EXPECT_EQ(history.updates(1).note(), "Đã tập huấn 3 thôn");

  progress.mutable_update()->set_percent_complete(120);
  progress.set_request_id("p-3");
  absl::StatusOr<v1::ProgressUpdate> bad =
      registry_->SubmitTaskProgress(progress, "", "");
  EXPECT_THAT(Fields(bad.status()), ElementsAre("update.percent_complete"));
}

TEST_F(PlanRegistryTest, OnlyTheTasksAgenciesReportItsProgress) {
  ASSERT_THAT(CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340"),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(v1::Task task,
                          CreateTask(D(2025, 9, 1), D(2025, 12, 31)));
  v1::SubmitTaskProgressRequest progress;
  progress.set_task(task.name());
  progress.mutable_update()->set_percent_complete(10);
  progress.set_request_id("other-1");
  absl::StatusOr<v1::ProgressUpdate> refused = registry_->SubmitTaskProgress(
      progress, "DEMO.99999.UBND", "DEMO.99999.UBND");
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ErrorReason(refused.status()), "NOT_TASK_AGENCY");
  v1::ListTaskProgressRequest list;
  list.set_task(task.name());
  LT_ASSERT_OK_AND_ASSIGN(auto history, registry_->ListTaskProgress(list));
  EXPECT_EQ(history.updates_size(), 0);

  // The lead and a coordinator may; another agency cannot fetch their update
  // by its request_id.
  progress.set_request_id("coordinator-1");
  EXPECT_THAT(registry_->SubmitTaskProgress(progress, "DEMO.21340.CONGAN",
                                            "DEMO.21340.CONGAN"),
              IsOk());
  progress.set_request_id("lead-1");
  EXPECT_THAT(registry_->SubmitTaskProgress(progress, "DEMO.21340.UBND",
                                            "DEMO.21340.UBND"),
              IsOk());
  EXPECT_THAT(registry_->SubmitTaskProgress(progress, "DEMO.99999.UBND",
                                            "DEMO.99999.UBND"),
              StatusCodeIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(PlanRegistryTest, PlansCheckReferencesEtagsAndPaging) {
  absl::StatusOr<v1::Plan> plan = CreatePlan("x", "KHONG.CO", "21340");
  EXPECT_THAT(plan, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(plan.status()), ElementsAre("plan.issuing_agency"));
  plan = CreatePlan("x", "DEMO.21340.UBND", "21340", "khong-co");
  EXPECT_THAT(Fields(plan.status()), ElementsAre("plan.parent_plans[0]"));

  LT_ASSERT_OK_AND_ASSIGN(
      v1::Plan created,
      CreatePlan("nghia-hanh-2025", "DEMO.21340.UBND", "21340"));
  EXPECT_EQ(created.status(), v1::PLAN_STATUS_DRAFT);
  v1::UpdatePlanRequest update;
  update.mutable_plan()->set_name(created.name());
  update.mutable_plan()->set_status(v1::PLAN_STATUS_ISSUED);
  update.mutable_plan()->set_etag("9");
  update.mutable_update_mask()->add_paths("status");
  EXPECT_THAT(registry_->UpdatePlan(update),
              StatusCodeIs(absl::StatusCode::kAborted));
  update.mutable_plan()->set_etag(created.etag());
  LT_ASSERT_OK_AND_ASSIGN(v1::Plan issued, registry_->UpdatePlan(update));
  EXPECT_EQ(issued.status(), v1::PLAN_STATUS_ISSUED);

  v1::ListPlansRequest list;
  list.set_page_size(-1);
  EXPECT_THAT(registry_->ListPlans(list),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  list.set_page_size(10);
  list.set_status(v1::PLAN_STATUS_ISSUED);
  EXPECT_EQ(registry_->ListPlans(list)->plans_size(), 1);
  list.set_status(v1::PLAN_STATUS_DRAFT);
  EXPECT_EQ(registry_->ListPlans(list)->plans_size(), 0);
}

}  // namespace
}  // namespace lienthong::registry
