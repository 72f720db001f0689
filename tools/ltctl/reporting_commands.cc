// Reporting's commands: rollups, completeness, achievement against plan
// targets, discrepancies and overdue tasks.

#include <vector>

#include "lienthong/reporting/v1/reporting_service.grpc.pb.h"
#include "tools/ltctl/command_table.h"

namespace lienthong::ltctl {
namespace {

using Reporting = reporting::v1::ReportingService::Stub;

constexpr char kRollupColumns[] =
    "unit indicator period value reported_value contributing_units "
    "expected_units";

}  // namespace

void AddReportingCommands(std::vector<Command>& t) {
  // Units, indicators and periods take comma-separated lists.
  t.push_back(Command("rollups",
                      "--unit=298 --indicator=CQS.HSCV_XU_LY_TREN_MANG "
                      "--period=2025-M05 [--include_children]",
                      Unary(&Reporting::QueryRollups))
                  .Flags("unit=units indicator=indicators period=periods "
                         "include_children as_of=hierarchy_date")
                  .Lines("rollups", kRollupColumns));
  t.push_back(Command("rollups get",
                      "--unit=298 --indicator=CQS.HSCV_XU_LY_TREN_MANG "
                      "--period=2025-Q2",
                      Unary(&Reporting::GetRollup))
                  .Flags("unit indicator period as_of=hierarchy_date"));
  t.push_back(Command("completeness",
                      "--schedule=cds-xa-thang --period=2025-M05 --unit=298",
                      Unary(&Reporting::GetCompleteness))
                  .Flags("schedule period unit"));
  t.push_back(Command("achievement",
                      "--plan=tu-ky-160-kh-ubnd-2021 [--year=2025] "
                      "[--include_cascade] [--as_of=2025-06-30]",
                      Unary(&Reporting::ListTargetAchievements))
                  .Flags("plan year include_cascade as_of")
                  .Lines("achievements",
                         "target unit indicator year status actual_value "
                         "target_value percent_achieved actual_period"));
  t.push_back(Command("discrepancies", "--unit=30 --period=2025-M05",
                      Unary(&Reporting::ListDiscrepancies))
                  .Flags("unit period")
                  .Lines("discrepancies",
                         "unit indicator period reported_value rollup_value "
                         "difference_percent"));
  t.push_back(Command("overdue", "--unit=298 [--agency=LEAD] [--as_of=...]",
                      Unary(&Reporting::ListOverdueTasks))
                  .Flags("unit agency=lead_agency as_of")
                  .Lines("tasks",
                         "task days_overdue due_date percent_complete "
                         "lead_agency title"));
  t.push_back(Command("tasks summary",
                      "--plan=tu-ky-160-kh-ubnd-2021 [--include_cascade]",
                      Unary(&Reporting::SummarizeTasks))
                  .Flags("plan include_cascade as_of")
                  .Lines("summaries",
                         "lead_agency total done in_progress not_started "
                         "overdue cancelled"));
}

}  // namespace lienthong::ltctl
