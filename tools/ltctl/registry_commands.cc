// The registry's commands: units and their history, agencies, indicators,
// plans with their targets and tasks, reporting schedules. Writes take their
// request as --request JSON; the flags cover the common reads.

#include <vector>

#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/agency.grpc.pb.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "lienthong/registry/v1/plan_service.grpc.pb.h"
#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"
#include "tools/ltctl/command_table.h"

namespace lienthong::ltctl {
namespace {

using Units = registry::v1::AdminUnitService::Stub;
using Agencies = registry::v1::AgencyService::Stub;
using Indicators = registry::v1::IndicatorService::Stub;
using Plans = registry::v1::PlanService::Stub;
using Schedules = registry::v1::ReportingScheduleService::Stub;

constexpr char kUnitColumns[] = "name display_name level kind valid.start";

void AddUnitCommands(std::vector<Command>& t) {
  t.push_back(Command("units get", "298", Unary(&Units::GetUnit))
                  .Args("name", "units/"));
  t.push_back(Command("units list", "[--parent=units/30] [--as_of=2025-06-30]",
                      Unary(&Units::ListUnits))
                  .Flags("parent level as_of")
                  .Lines("units", kUnitColumns));
  t.push_back(Command("units ancestors", "11098 [--as_of=2025-05-31]",
                      Unary(&Units::ListAncestors))
                  .Args("name", "units/")
                  .Flags("as_of")
                  .Lines("ancestors", kUnitColumns));
  t.push_back(Command("units create", "--request=@unit.json",
                      Unary(&Units::CreateUnit)));
  t.push_back(Command("units update",
                      "--request='{\"unit\": {...}, \"updateMask\": "
                      "\"displayName\"}'",
                      Unary(&Units::UpdateUnit)));
  t.push_back(
      Command("units merge", "--request=@merge.json", Unary(&Units::MergeUnits))
          .Flags("effective_date legal_reference"));
  t.push_back(Command("units split", "11098 --request=@split.json",
                      Unary(&Units::SplitUnit))
                  .Args("name", "units/")
                  .Flags("effective_date legal_reference"));
  t.push_back(Command("units rename",
                      "11098 --display_name='Phường Tái Sơn' "
                      "--effective_date=2025-07-01 --legal_reference='NQ ...'",
                      Unary(&Units::RenameUnit))
                  .Args("name", "units/")
                  .Flags("display_name effective_date legal_reference"));
  t.push_back(Command("units reparent",
                      "11098 --parent=units/298 --effective_date=2021-01-01 "
                      "--legal_reference='QĐ ...'",
                      Unary(&Units::ReparentUnit))
                  .Args("name", "units/")
                  .Flags("parent effective_date legal_reference"));
  t.push_back(Command("units events", "[--unit=298]",
                      Unary(&Units::ListSuccessionEvents))
                  .Flags("unit")
                  .Lines("events",
                         "name type effective_date predecessors "
                         "successors.unit legal_reference"));
  t.push_back(Command("units lineage", "11098", Unary(&Units::GetUnitLineage))
                  .Args("name", "units/"));
  t.push_back(Command("units import",
                      "vn_units_2025.json --format=UNITS_2025_JSON "
                      "--effective_date=2025-07-01 [--dry_run]",
                      Unary(&Units::ImportUnits))
                  .FileInto("content")
                  .Flags("format effective_date legal_reference dry_run"));
}

void AddAgencyCommands(std::vector<Command>& t) {
  t.push_back(
      Command("agencies get", "DEMO.298.UBND", Unary(&Agencies::GetAgency))
          .Args("name", "agencies/"));
  t.push_back(Command("agencies list", "[--unit=298] [--parent=agencies/X]",
                      Unary(&Agencies::ListAgencies))
                  .Flags("unit parent=parent_agency")
                  .Lines("agencies", "name display_name unit parent_agency"));
  t.push_back(Command("agencies create", "--request=@agency.json",
                      Unary(&Agencies::CreateAgency)));
  t.push_back(Command("agencies update", "--request=@agency.json",
                      Unary(&Agencies::UpdateAgency)));
  t.push_back(Command("agencies delete", "DEMO.298.UBND",
                      Unary(&Agencies::DeleteAgency))
                  .Args("name", "agencies/"));
  t.push_back(Command("indicators get", "CQS.HSCV_XU_LY_TREN_MANG",
                      Unary(&Indicators::GetIndicator))
                  .Args("name", "indicators/")
                  .Flags("as_of"));
  t.push_back(
      Command("indicators list", "[--as_of=2025-06-30]",
              Unary(&Indicators::ListIndicators))
          .Flags("as_of")
          .Lines("indicators", "name value_type aggregation display_name_vi"));
}

void AddPlanCommands(std::vector<Command>& t) {
  t.push_back(
      Command("plans get", "tu-ky-160-kh-ubnd-2021", Unary(&Plans::GetPlan))
          .Args("name", "plans/"));
  t.push_back(
      Command("plans list", "[--unit=298] [--agency=X] [--status=ISSUED]",
              Unary(&Plans::ListPlans))
          .Flags("unit=scope_unit agency=issuing_agency "
                 "plan=parent_plan status")
          .Lines("plans", "name number status start_year end_year title"));
  t.push_back(Command("plans create", "--request=@plan.json",
                      Unary(&Plans::CreatePlan)));
  t.push_back(Command("plans update", "--request=@plan.json",
                      Unary(&Plans::UpdatePlan)));
  constexpr char kTargetColumns[] =
      "name indicator scope_unit comparator value year inherited_from";
  t.push_back(Command("targets list", "tu-ky-160-kh-ubnd-2021 [--year=2025]",
                      Unary(&Plans::ListTargets))
                  .Args("parent", "plans/")
                  .Flags("year")
                  .Lines("targets", kTargetColumns));
  t.push_back(Command("targets create", "PLAN --request=@target.json",
                      Unary(&Plans::CreateTarget))
                  .Args("parent", "plans/"));
  t.push_back(Command("targets update", "--request=@target.json",
                      Unary(&Plans::UpdateTarget)));
  t.push_back(Command("targets delete", "plans/P/targets/3",
                      Unary(&Plans::DeleteTarget))
                  .Args("name"));
  constexpr char kTaskColumns[] =
      "name status percent_complete due_date lead_agency title";
  t.push_back(Command("tasks get", "plans/P/tasks/1", Unary(&Plans::GetTask))
                  .Args("name"));
  t.push_back(Command("tasks list", "PLAN|- [--agency=X] [--status=DONE]",
                      Unary(&Plans::ListTasks))
                  .Args("parent", "plans/")
                  .Flags("agency status")
                  .Lines("tasks", kTaskColumns));
  t.push_back(Command("tasks create", "PLAN --request=@task.json",
                      Unary(&Plans::CreateTask))
                  .Args("parent", "plans/"));
  t.push_back(Command("tasks update", "--request=@task.json",
                      Unary(&Plans::UpdateTask)));
  t.push_back(Command("tasks report",
                      "plans/P/tasks/1 --request='{\"update\": "
                      "{\"percentComplete\": 50}}' [--note=...]",
                      Unary(&Plans::SubmitTaskProgress))
                  .Args("task")
                  .Flags("note=update.note status=update.status"));
  t.push_back(Command("tasks progress", "plans/P/tasks/1",
                      Unary(&Plans::ListTaskProgress))
                  .Args("task")
                  .Lines("updates", "name percent_complete status note"));
}

void AddScheduleCommands(std::vector<Command>& t) {
  t.push_back(
      Command("schedules get", "cds-xa-thang", Unary(&Schedules::GetSchedule))
          .Args("name", "schedules/"));
  t.push_back(
      Command("schedules list", "[--level=COMMUNE]",
              Unary(&Schedules::ListSchedules))
          .Flags("level=reporting_level")
          .Lines("schedules", "name reporting_level period_type display_name"));
  t.push_back(Command("schedules create", "--request=@schedule.json",
                      Unary(&Schedules::CreateSchedule)));
  t.push_back(Command("schedules update", "--request=@schedule.json",
                      Unary(&Schedules::UpdateSchedule)));
  t.push_back(Command("schedules resolve",
                      "cds-xa-thang --period=2025-M05 [--unit=11098]",
                      Unary(&Schedules::ResolvePeriod))
                  .Args("schedule", "schedules/")
                  .Flags("period unit"));
}

}  // namespace

void AddRegistryCommands(std::vector<Command>& table) {
  AddUnitCommands(table);
  AddAgencyCommands(table);
  AddPlanCommands(table);
  AddScheduleCommands(table);
}

}  // namespace lienthong::ltctl
