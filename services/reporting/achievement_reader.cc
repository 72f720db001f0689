#include "services/reporting/achievement_reader.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/registry/dates.h"
#include "services/reporting/achievement.h"
#include "services/reporting/offset_page.h"
#include "services/reporting/plan_source.h"

namespace lienthong::reporting {
namespace {

// The reference date of a request: `as_of`, or today.
absl::StatusOr<absl::CivilDay> ReferenceDate(const common::v1::Date& as_of,
                                             const Clock& clock) {
  if (registry::IsUnset(as_of)) return TodayInVietnam(clock);
  return registry::ToCivilDay(as_of, "as_of");
}

}  // namespace

absl::StatusOr<PlanSource*> AchievementReader::Plans() const {
  PlanSource* plans = plans_.load();
  if (plans == nullptr) {
    return absl::UnavailableError("the registry is not connected yet; retry");
  }
  return plans;
}

absl::StatusOr<std::vector<registry::v1::Plan>>
AchievementReader::PlanAndCascade(PlanSource& plans, const std::string& name,
                                  bool cascade) {
  if (!absl::StartsWith(name, "plans/")) {
    return InvalidArgumentWithViolations("invalid plan", "INVALID_PLAN",
                                         {{"plan", "must be plans/{id}"}});
  }
  absl::StatusOr<registry::v1::Plan> root = plans.GetPlan(name);
  if (!root.ok()) return root.status();
  std::vector<registry::v1::Plan> out = {*std::move(root)};
  std::set<std::string> seen = {name};
  for (size_t next = 0; cascade && next < out.size(); ++next) {
    absl::StatusOr<std::vector<registry::v1::Plan>> children =
        plans.ChildPlans(out[next].name());
    if (!children.ok()) return children.status();
    for (registry::v1::Plan& child : *children) {
      if (seen.insert(child.name()).second) out.push_back(std::move(child));
    }
  }
  return out;
}

absl::StatusOr<absl::optional<Actual>> AchievementReader::ActualOf(
    const std::string& unit, const std::string& indicator, int year,
    absl::CivilDay today) {
  // A target years ahead is measured by the latest data there is.
  year = std::min<int>(year, static_cast<int>(today.year()));
  auto read =
      [&](const std::string& period) -> absl::StatusOr<absl::optional<Actual>> {
    v1::GetRollupRequest request;
    request.set_unit(unit);
    request.set_indicator(indicator);
    request.set_period(period);
    absl::StatusOr<v1::Rollup> rollup = rollups_->GetRollup(request);
    // Periods the indicator does not roll into, and unknown units or
    // indicators, just have no data.
    if (absl::IsFailedPrecondition(rollup.status()) ||
        absl::IsInvalidArgument(rollup.status()) ||
        absl::IsNotFound(rollup.status())) {
      return absl::optional<Actual>();
    }
    if (!rollup.ok()) return rollup.status();
    if (!rollup->has_value()) return absl::optional<Actual>();
    return absl::optional<Actual>(Actual{period, rollup->value()});
  };
  for (int y = year; y >= year - 1; --y) {
    absl::StatusOr<absl::optional<Actual>> whole = read(absl::StrCat(y));
    if (!whole.ok() || whole->has_value()) return whole;
    // The latest month, then quarter, with data.
    int last_month = y == today.year() ? today.month() : 12;
    for (int m = last_month; m >= 1; --m) {
      absl::StatusOr<absl::optional<Actual>> month =
          read(absl::StrFormat("%04d-M%02d", y, m));
      if (!month.ok() || month->has_value()) return month;
    }
    for (int q = (last_month + 2) / 3; q >= 1; --q) {
      absl::StatusOr<absl::optional<Actual>> quarter =
          read(absl::StrFormat("%04d-Q%d", y, q));
      if (!quarter.ok() || quarter->has_value()) return quarter;
    }
  }
  return absl::optional<Actual>();
}

absl::StatusOr<v1::ListTargetAchievementsResponse>
AchievementReader::ListTargetAchievements(
    const v1::ListTargetAchievementsRequest& request) {
  absl::StatusOr<PlanSource*> plans = Plans();
  if (!plans.ok()) return plans.status();
  absl::StatusOr<absl::CivilDay> today =
      ReferenceDate(request.as_of(), *clock_);
  if (!today.ok()) return today.status();
  absl::StatusOr<std::vector<registry::v1::Plan>> cascade =
      PlanAndCascade(**plans, request.plan(), request.include_cascade());
  if (!cascade.ok()) return cascade.status();
  std::vector<v1::TargetAchievement> all;
  for (const registry::v1::Plan& plan : *cascade) {
    absl::StatusOr<std::vector<registry::v1::Target>> targets =
        (*plans)->Targets(plan.name());
    if (!targets.ok()) return targets.status();
    for (registry::v1::Target& target : *targets) {
      if (request.year() != 0 && target.year() != request.year()) continue;
      // An inherited target is measured on this plan's own unit.
      if (!target.inherited_from().empty() || target.scope_unit().empty()) {
        target.set_scope_unit(plan.scope_unit());
      }
      int year = target.year() != 0 ? target.year() : target.due_date().year();
      absl::StatusOr<absl::optional<Actual>> actual =
          ActualOf(target.scope_unit(), target.indicator(), year, *today);
      if (!actual.ok()) return actual.status();
      absl::StatusOr<v1::TargetAchievement> achievement =
          Achievement(plan, target, *actual, *today);
      if (!achievement.ok()) return achievement.status();
      all.push_back(*std::move(achievement));
    }
  }
  std::stable_sort(
      all.begin(), all.end(),
      [](const v1::TargetAchievement& a, const v1::TargetAchievement& b) {
        return std::make_tuple(a.indicator(), a.year()) <
               std::make_tuple(b.indicator(), b.year());
      });
  v1::ListTargetAchievementsResponse response;
  if (absl::Status status = TakePage(
          all, request.page_token(), request.page_size(),
          response.mutable_achievements(), response.mutable_next_page_token());
      !status.ok()) {
    return status;
  }
  return response;
}

absl::StatusOr<v1::SummarizeTasksResponse> AchievementReader::SummarizeTasks(
    const v1::SummarizeTasksRequest& request) {
  absl::StatusOr<PlanSource*> plans = Plans();
  if (!plans.ok()) return plans.status();
  absl::StatusOr<absl::CivilDay> today =
      ReferenceDate(request.as_of(), *clock_);
  if (!today.ok()) return today.status();
  absl::StatusOr<std::vector<registry::v1::Plan>> cascade =
      PlanAndCascade(**plans, request.plan(), request.include_cascade());
  if (!cascade.ok()) return cascade.status();
  std::vector<registry::v1::Task> tasks;
  for (const registry::v1::Plan& plan : *cascade) {
    absl::StatusOr<std::vector<registry::v1::Task>> own =
        (*plans)->Tasks(plan.name());
    if (!own.ok()) return own.status();
    tasks.insert(tasks.end(), own->begin(), own->end());
  }
  return reporting::SummarizeTasks(tasks, *today);
}

absl::StatusOr<v1::ListOverdueTasksResponse>
AchievementReader::ListOverdueTasks(
    const v1::ListOverdueTasksRequest& request) {
  absl::StatusOr<PlanSource*> plans = Plans();
  if (!plans.ok()) return plans.status();
  if (!absl::StartsWith(request.unit(), "units/")) {
    return InvalidArgumentWithViolations("invalid unit", "INVALID_UNIT",
                                         {{"unit", "must be units/{code}"}});
  }
  absl::StatusOr<absl::CivilDay> today =
      ReferenceDate(request.as_of(), *clock_);
  if (!today.ok()) return today.status();
  // The unit and the units under it on the reference date.
  std::set<std::string> covered = {request.unit()};
  std::vector<std::string> pending = {request.unit()};
  while (!pending.empty()) {
    std::string unit = std::move(pending.back());
    pending.pop_back();
    absl::StatusOr<std::vector<std::string>> children = children_(unit, *today);
    if (!children.ok()) return children.status();
    for (const std::string& child : *children) {
      if (covered.insert(child).second) pending.push_back(child);
    }
  }
  absl::StatusOr<std::vector<registry::v1::Plan>> all = (*plans)->AllPlans();
  if (!all.ok()) return all.status();
  std::vector<registry::v1::Task> tasks;
  for (const registry::v1::Plan& plan : *all) {
    if (covered.count(plan.scope_unit()) == 0) continue;
    absl::StatusOr<std::vector<registry::v1::Task>> own =
        (*plans)->Tasks(plan.name());
    if (!own.ok()) return own.status();
    for (registry::v1::Task& task : *own) {
      if (!request.lead_agency().empty() &&
          task.lead_agency() != request.lead_agency()) {
        continue;
      }
      tasks.push_back(std::move(task));
    }
  }
  std::vector<v1::OverdueTask> overdue = OverdueTasks(tasks, *today);
  v1::ListOverdueTasksResponse response;
  if (absl::Status status = TakePage(
          overdue, request.page_token(), request.page_size(),
          response.mutable_tasks(), response.mutable_next_page_token());
      !status.ok()) {
    return status;
  }
  return response;
}

}  // namespace lienthong::reporting
