#include "services/reporting/achievement.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"
#include "libs/value/value_number.h"
#include "services/registry/dates.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;
using registry::v1::Comparator;

std::string KindName(Value::KindCase kind) {
  switch (kind) {
    case Value::kCount:
      return "count";
    case Value::kAmount:
      return "amount";
    case Value::kPercent:
      return "percent";
    case Value::kRatio:
      return "ratio";
    case Value::kFlag:
      return "flag";
    default:
      return "unset";
  }
}

// Whether `value` is set and can be compared: finite, ratios with a
// positive denominator.
bool IsComparable(const Value& value) {
  switch (value.kind_case()) {
    case Value::kCount:
    case Value::kFlag:
      return true;
    case Value::kAmount:
      return std::isfinite(value.amount());
    case Value::kPercent:
      return std::isfinite(value.percent());
    case Value::kRatio:
      return std::isfinite(value.ratio().numerator()) &&
             std::isfinite(value.ratio().denominator()) &&
             value.ratio().denominator() > 0;
    default:
      return false;
  }
}

// Whether values of kinds `a` and `b` compare: the same kind, or percentages
// and ratios, which are both shares on one scale (Number puts ratios in
// percent). Plans state "80%" of indicators reported as ratios.
bool SameScale(Value::KindCase a, Value::KindCase b) {
  auto share = [](Value::KindCase kind) {
    return kind == Value::kPercent || kind == Value::kRatio;
  };
  return a == b || (share(a) && share(b));
}

// The value on one scale: ratios in percent, so gaps are percentage points;
// flags as 1/0.
double Number(const Value& value) {
  if (value.has_flag()) return value.flag() ? 1 : 0;
  return NumericValue(value).value_or(0);
}

// Slack for comparing reals, so that a ratio computing to 79.99999999999999
// still meets "at least 80%"; counts and flags compare exactly.
double Tolerance(const Value& target) {
  if (target.has_count() || target.has_flag()) return 0;
  return 1e-9 * std::max(1.0, std::fabs(Number(target)));
}

bool Meets(Comparator comparator, double actual, double target, double eps) {
  switch (comparator) {
    case registry::v1::COMPARATOR_AT_LEAST:
      return actual >= target - eps;
    case registry::v1::COMPARATOR_ABOVE:
      return actual > target + eps;
    case registry::v1::COMPARATOR_AT_MOST:
      return actual <= target + eps;
    case registry::v1::COMPARATOR_BELOW:
      return actual < target - eps;
    default:
      return std::fabs(actual - target) <= eps;
  }
}

// The day the target must be met by, or the target's field violations.
absl::StatusOr<absl::CivilDay> CheckTarget(const registry::v1::Target& target) {
  std::vector<FieldViolation> violations;
  if (!IsComparable(target.value())) {
    violations.push_back(
        {"target.value", "must be set (ratios with a denominator > 0)"});
  }
  if (target.comparator() == registry::v1::COMPARATOR_UNSPECIFIED) {
    violations.push_back({"target.comparator", "must be set"});
  }
  if (target.has_baseline() &&
      target.baseline().kind_case() != Value::KIND_NOT_SET &&
      (target.baseline().kind_case() != target.value().kind_case() ||
       !IsComparable(target.baseline()))) {
    violations.push_back(
        {"target.baseline",
         absl::StrCat("must be a ", KindName(target.value().kind_case()),
                      " like target.value")});
  }
  absl::CivilDay due(target.year(), 12, 31);
  if (!registry::IsUnset(target.due_date())) {
    absl::StatusOr<absl::CivilDay> day =
        registry::ToCivilDay(target.due_date(), "target.due_date");
    if (day.ok()) {
      due = *day;
    } else {
      violations.push_back({"target.due_date", "is not a calendar date"});
    }
  } else if (target.year() == 0) {
    violations.push_back({"target.year", "must be set without a due_date"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations(
        absl::StrCat("invalid target ", target.name()), "INVALID_TARGET",
        violations);
  }
  return due;
}

// Share of the time from `start` to `due` elapsed on `today`, 0–1.
double ElapsedShare(absl::CivilDay start, absl::CivilDay due,
                    absl::CivilDay today) {
  if (due <= start) return today >= start ? 1 : 0;
  double share = static_cast<double>(today - start) / (due - start);
  return std::clamp(share, 0.0, 1.0);
}

// Progress from baseline to target, percent. When the baseline already meets
// the target (e.g. "at least 95%" from 100%) there is no distance to cover, so
// it is all or nothing rather than a ratio of a zero or backwards distance.
double PercentAchieved(const registry::v1::Target& target, double actual,
                       bool met) {
  if (target.value().has_flag()) return met ? 100 : 0;
  double goal = Number(target.value());
  double baseline = Number(target.baseline());  // 0 when unset
  double eps = Tolerance(target.value());
  if (std::fabs(goal - baseline) <= eps ||
      Meets(target.comparator(), baseline, goal, eps)) {
    return met ? 100 : 0;
  }
  return (actual - baseline) / (goal - baseline) * 100;
}

// How far `actual` is from meeting the target, in the target's scale.
double Gap(Comparator comparator, double actual, double goal) {
  switch (comparator) {
    case registry::v1::COMPARATOR_AT_LEAST:
    case registry::v1::COMPARATOR_ABOVE:
      return goal - actual;
    case registry::v1::COMPARATOR_AT_MOST:
    case registry::v1::COMPARATOR_BELOW:
      return actual - goal;
    default:
      return std::fabs(goal - actual);
  }
}

}  // namespace

absl::StatusOr<v1::TargetAchievement> Achievement(
    const registry::v1::Plan& plan, const registry::v1::Target& target,
    const absl::optional<Actual>& actual, absl::CivilDay today) {
  absl::StatusOr<absl::CivilDay> due = CheckTarget(target);
  if (!due.ok()) return due.status();
  v1::TargetAchievement out;
  out.set_target(target.name());
  // A target without a unit applies to the plan's scope.
  out.set_unit(target.scope_unit().empty() ? plan.scope_unit()
                                           : target.scope_unit());
  out.set_indicator(target.indicator());
  *out.mutable_target_value() = target.value();
  out.set_comparator(target.comparator());
  out.set_year(target.year() != 0 ? target.year()
                                  : static_cast<int32_t>(due->year()));
  out.set_plan(plan.name());
  if (!actual.has_value()) {
    out.set_status(v1::ACHIEVEMENT_STATUS_NO_DATA);
    return out;
  }
  const Value& value = actual->value;
  if (!SameScale(value.kind_case(), target.value().kind_case()) ||
      !IsComparable(value)) {
    return InvalidArgumentWithViolations(
        absl::StrCat("the actual value of ", target.name(), " is not a ",
                     KindName(target.value().kind_case())),
        "VALUE_TYPE_MISMATCH",
        {{"actual.value",
          absl::StrCat("is a ", KindName(value.kind_case()), "; must be a ",
                       KindName(target.value().kind_case()),
                       " like the target value")}});
  }
  *out.mutable_actual_value() = value;
  out.set_actual_period(actual->period);

  double goal = Number(target.value());
  double now = Number(value);
  // A yes/no target is met by the same answer whatever its comparator says.
  Comparator comparator = target.value().has_flag()
                              ? registry::v1::COMPARATOR_EQUAL
                              : target.comparator();
  bool met = Meets(comparator, now, goal, Tolerance(target.value()));
  double percent = PercentAchieved(target, now, met);
  out.set_percent_achieved(percent);
  if (met) {
    out.set_status(v1::ACHIEVEMENT_STATUS_ACHIEVED);
    return out;
  }
  out.set_gap(Gap(comparator, now, goal));
  if (today > *due) {
    out.set_status(v1::ACHIEVEMENT_STATUS_MISSED);
    return out;
  }
  int start_year = target.baseline_year() != 0 ? target.baseline_year()
                   : plan.start_year() != 0    ? plan.start_year()
                                               : static_cast<int>(due->year());
  double share = ElapsedShare(absl::CivilDay(start_year, 1, 1), *due, today);
  out.set_status(percent / 100 >= share ? v1::ACHIEVEMENT_STATUS_ON_TRACK
                                        : v1::ACHIEVEMENT_STATUS_AT_RISK);
  return out;
}

namespace {

// The task's due date, if it has a valid one; a task without one is never
// overdue.
absl::optional<absl::CivilDay> DueDay(const registry::v1::Task& task) {
  if (registry::IsUnset(task.due_date())) return absl::nullopt;
  absl::StatusOr<absl::CivilDay> day =
      registry::ToCivilDay(task.due_date(), "");
  if (!day.ok()) return absl::nullopt;
  return *day;
}

bool IsOverdue(const registry::v1::Task& task, absl::CivilDay today) {
  if (task.status() == registry::v1::TASK_STATUS_DONE ||
      task.status() == registry::v1::TASK_STATUS_CANCELLED) {
    return false;
  }
  absl::optional<absl::CivilDay> due = DueDay(task);
  return due.has_value() && *due < today;
}

void Count(const registry::v1::Task& task, absl::CivilDay today,
           v1::TaskSummary& summary) {
  summary.set_total(summary.total() + 1);
  if (IsOverdue(task, today)) {
    summary.set_overdue(summary.overdue() + 1);
    return;
  }
  switch (task.status()) {
    case registry::v1::TASK_STATUS_DONE:
      summary.set_done(summary.done() + 1);
      break;
    case registry::v1::TASK_STATUS_CANCELLED:
      summary.set_cancelled(summary.cancelled() + 1);
      break;
    case registry::v1::TASK_STATUS_IN_PROGRESS:
      summary.set_in_progress(summary.in_progress() + 1);
      break;
    default:
      // A task with no status has not been reported as started.
      summary.set_not_started(summary.not_started() + 1);
      break;
  }
}

}  // namespace

v1::SummarizeTasksResponse SummarizeTasks(
    const std::vector<registry::v1::Task>& tasks, absl::CivilDay today) {
  std::map<std::string, v1::TaskSummary> by_agency;
  v1::SummarizeTasksResponse response;
  for (const registry::v1::Task& task : tasks) {
    v1::TaskSummary& summary = by_agency[task.lead_agency()];
    summary.set_lead_agency(task.lead_agency());
    Count(task, today, summary);
    Count(task, today, *response.mutable_total());
  }
  for (auto& [agency, summary] : by_agency) {
    *response.add_summaries() = std::move(summary);
  }
  return response;
}

std::vector<v1::OverdueTask> OverdueTasks(
    const std::vector<registry::v1::Task>& tasks, absl::CivilDay today) {
  std::vector<v1::OverdueTask> out;
  for (const registry::v1::Task& task : tasks) {
    if (!IsOverdue(task, today)) continue;
    v1::OverdueTask& overdue = out.emplace_back();
    overdue.set_task(task.name());
    overdue.set_title(task.title());
    overdue.set_lead_agency(task.lead_agency());
    *overdue.mutable_due_date() = task.due_date();
    overdue.set_days_overdue(static_cast<int32_t>(today - *DueDay(task)));
    overdue.set_percent_complete(task.percent_complete());
  }
  std::sort(out.begin(), out.end(),
            [](const v1::OverdueTask& a, const v1::OverdueTask& b) {
              if (a.days_overdue() != b.days_overdue()) {
                return a.days_overdue() > b.days_overdue();
              }
              return a.task() < b.task();
            });
  return out;
}

}  // namespace lienthong::reporting
