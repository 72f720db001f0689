#include "services/registry/plan_registry.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "lienthong/registry/v1/indicator.pb.h"
#include "services/registry/dates.h"
#include "services/registry/record_store.h"
#include "services/registry/request_helpers.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {
namespace {

bool IsId(absl::string_view id) {
  return !id.empty() && id.size() <= 63 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'z') || c == '-';
         });
}

absl::Status BadName(absl::string_view field, absl::string_view name,
                     absl::string_view pattern) {
  return InvalidArgumentWithViolations(
      absl::StrCat(field, " must be ", pattern), "INVALID_NAME",
      {{std::string(field), absl::StrCat("\"", name, "\" is not ", pattern)}});
}

// "plans/{id}" -> id.
absl::StatusOr<std::string> PlanId(absl::string_view name,
                                   absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "plans" || !IsId(parts[1])) {
    return BadName(field, name, "plans/{id}");
  }
  return std::string(parts[1]);
}

// "plans/{plan}/{collection}/{id}" -> (plan, id).
absl::StatusOr<std::pair<std::string, std::string>> ChildId(
    absl::string_view name, absl::string_view collection,
    absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "plans" || !IsId(parts[1]) ||
      parts[2] != collection || !IsId(parts[3])) {
    return BadName(field, name,
                   absl::StrCat("plans/{plan}/", collection, "/{id}"));
  }
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

template <typename Message>
absl::StatusOr<Message> Parse(const Record& record) {
  Message message;
  if (!message.ParseFromString(record.body)) {
    return absl::DataLossError(
        absl::StrCat("stored ", record.kind, " does not parse"));
  }
  message.set_etag(absl::StrCat(record.revision));
  return message;
}

template <typename Message>
absl::StatusOr<Message> Load(RecordStore& records, const std::string& kind,
                             const std::string& id) {
  absl::StatusOr<Record> record = records.Get(kind, id);
  if (!record.ok()) return record.status();
  return Parse<Message>(*record);
}

template <typename Message>
absl::StatusOr<std::vector<Message>> LoadAll(RecordStore& records,
                                             const std::string& kind,
                                             const std::string& owner) {
  absl::StatusOr<std::vector<Record>> found =
      records.List(kind, owner, "", 1 << 20);
  if (!found.ok()) return found.status();
  std::vector<Message> out;
  for (const Record& record : *found) {
    absl::StatusOr<Message> message = Parse<Message>(record);
    if (!message.ok()) return message.status();
    out.push_back(*std::move(message));
  }
  return out;
}

// Writes `message` as one record; returns it with its new etag.
template <typename Message>
absl::StatusOr<Message> Store(RecordStore& records, const std::string& kind,
                              const std::string& id, const std::string& owner,
                              Message message, bool create, int64_t expected,
                              const std::string& request_id) {
  message.clear_etag();
  absl::StatusOr<std::vector<RecordPut>> written = records.Write(
      {{{kind, id, owner, message.SerializeAsString(), 0},
        create,
        false,
        expected}},
      request_id, [](const std::vector<RecordPut>& puts) {
        absl::StatusOr<Message> out = Parse<Message>(puts.front().record);
        return out.ok() ? out->SerializeAsString() : std::string();
      });
  if (!written.ok()) return written.status();
  return Parse<Message>(written->front().record);
}

// The next free child id of a plan: "1", "2", ... (by count, so ids stay
// short).
absl::StatusOr<std::string> NextChildId(RecordStore& records,
                                        const std::string& kind,
                                        const std::string& plan_id) {
  absl::StatusOr<std::vector<Record>> existing =
      records.List(kind, plan_id, "", 1 << 20);
  if (!existing.ok()) return existing.status();
  std::set<std::string> taken;
  for (const Record& record : *existing) taken.insert(record.id);
  for (size_t n = existing->size() + 1;; ++n) {
    std::string id = absl::StrCat(n);
    if (taken.count(absl::StrCat(plan_id, "/", id)) == 0) return id;
  }
}

bool ValueFits(const common::v1::Value& value, v1::ValueType type) {
  switch (type) {
    case v1::VALUE_TYPE_COUNT:
      return value.has_count() && value.count() >= 0;
    case v1::VALUE_TYPE_AMOUNT:
      return value.has_amount();
    case v1::VALUE_TYPE_PERCENT:
      return value.has_percent() && value.percent() >= 0 &&
             value.percent() <= 100;
    case v1::VALUE_TYPE_RATIO:
      // A ratio target is stated as a percentage or as a ratio.
      return (value.has_percent() && value.percent() >= 0 &&
              value.percent() <= 100) ||
             (value.has_ratio() && value.ratio().denominator() > 0);
    case v1::VALUE_TYPE_BOOLEAN:
      return value.has_flag();
    default:
      return false;
  }
}

}  // namespace

absl::Status PlanRegistry::CheckPlan(const v1::Plan& plan) {
  std::vector<FieldViolation> violations;
  if (plan.number().empty()) {
    violations.push_back({"plan.number", "must be set, e.g. 09/KH-UBND"});
  }
  if (plan.title().empty()) violations.push_back({"plan.title", "must be set"});
  if (!absl::StartsWith(plan.issuing_agency(), "agencies/")) {
    violations.push_back({"plan.issuing_agency", "must be agencies/{code}"});
  }
  if (!absl::StartsWith(plan.scope_unit(), "units/")) {
    violations.push_back({"plan.scope_unit", "must be units/{code}"});
  }
  // A horizon year may be unknown (0): parent plans are often cited by number
  // alone. Known years lie in 2000..2100 and in order.
  for (const auto& [field, year] :
       {std::pair<const char*, int>{"plan.start_year", plan.start_year()},
        {"plan.end_year", plan.end_year()},
        {"plan.orientation_year", plan.orientation_year()}}) {
    if (year != 0 && (year < 2000 || year > 2100)) {
      violations.push_back({field, "must be 0 (unknown) or within 2000..2100"});
    }
  }
  if (plan.start_year() != 0 && plan.end_year() != 0 &&
      plan.end_year() < plan.start_year()) {
    violations.push_back({"plan.end_year", "is before start_year"});
  }
  if (plan.orientation_year() != 0 &&
      plan.orientation_year() < plan.end_year()) {
    violations.push_back(
        {"plan.orientation_year", "must be 0 or not before end_year"});
  }
  if (!IsUnset(plan.issue_date()) && !ToCivilDay(plan.issue_date(), "").ok()) {
    violations.push_back({"plan.issue_date", "is not a calendar date"});
  }
  for (int i = 0; i < plan.parent_plans_size(); ++i) {
    if (!PlanId(plan.parent_plans(i), "").ok() ||
        plan.parent_plans(i) == plan.name()) {
      violations.push_back({absl::StrCat("plan.parent_plans[", i, "]"),
                            "must be another plan, plans/{id}"});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid plan", "INVALID_PLAN",
                                         violations);
  }
  auto unknown = [](std::string field, std::string what) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " names an unknown ", what), "UNKNOWN_REFERENCE",
        {{std::move(field), absl::StrCat("no such ", what)}});
  };
  if (absl::IsNotFound(
          records_->Get("agency", plan.issuing_agency().substr(9)).status())) {
    return unknown("plan.issuing_agency", "agency");
  }
  if (absl::IsNotFound(units_->GetUnit(plan.scope_unit().substr(6)).status())) {
    return unknown("plan.scope_unit", "unit");
  }
  for (int i = 0; i < plan.parent_plans_size(); ++i) {
    if (absl::IsNotFound(
            records_->Get("plan", plan.parent_plans(i).substr(6)).status())) {
      return unknown(absl::StrCat("plan.parent_plans[", i, "]"), "plan");
    }
  }
  return absl::OkStatus();
}

absl::Status PlanRegistry::CheckTarget(const v1::Plan& plan,
                                       const v1::Target& target) {
  std::vector<FieldViolation> violations;
  if (!absl::StartsWith(target.indicator(), "indicators/")) {
    violations.push_back({"target.indicator", "must be indicators/{code}"});
  }
  if (target.comparator() == v1::COMPARATOR_UNSPECIFIED) {
    violations.push_back({"target.comparator", "must be set"});
  }
  int first_year = plan.start_year() != 0 ? plan.start_year() : 2000;
  int last_year = std::max(plan.end_year(), plan.orientation_year());
  if (last_year == 0) last_year = 2100;
  if (target.year() < first_year || target.year() > last_year) {
    violations.push_back(
        {"target.year", absl::StrCat("must fall within the plan's horizon ",
                                     first_year, "..", last_year)});
  }
  if (!IsUnset(target.due_date()) && !ToCivilDay(target.due_date(), "").ok()) {
    violations.push_back({"target.due_date", "is not a calendar date"});
  }
  if (!target.scope_unit().empty() &&
      !absl::StartsWith(target.scope_unit(), "units/")) {
    violations.push_back({"target.scope_unit", "must be units/{code}"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid target", "INVALID_TARGET",
                                         violations);
  }
  std::string code = target.indicator().substr(sizeof("indicators/") - 1);
  absl::StatusOr<std::vector<Record>> versions =
      records_->List("indicator", code, "", 1 << 10);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    return InvalidArgumentWithViolations(
        "the target's indicator is unknown", "UNKNOWN_INDICATOR",
        {{"target.indicator",
          absl::StrCat("no indicator ", target.indicator())}});
  }
  v1::Indicator indicator;
  indicator.ParseFromString(versions->back().body);
  if (!ValueFits(target.value(), indicator.value_type())) {
    return InvalidArgumentWithViolations(
        "the target value does not fit the indicator", "VALUE_TYPE_MISMATCH",
        {{"target.value",
          absl::StrCat("must be a valid ",
                       v1::ValueType_Name(indicator.value_type()))}});
  }
  if (!target.scope_unit().empty() &&
      absl::IsNotFound(
          units_->GetUnit(target.scope_unit().substr(6)).status())) {
    return InvalidArgumentWithViolations(
        "the target's unit is unknown", "UNKNOWN_REFERENCE",
        {{"target.scope_unit", "no such unit"}});
  }
  return absl::OkStatus();
}

absl::Status PlanRegistry::CheckTask(const v1::Task& task) {
  std::vector<FieldViolation> violations;
  if (task.title().empty()) violations.push_back({"task.title", "must be set"});
  absl::optional<absl::CivilDay> start, due;
  if (!IsUnset(task.start_date())) {
    if (auto day = ToCivilDay(task.start_date(), ""); day.ok()) {
      start = *day;
    } else {
      violations.push_back({"task.start_date", "is not a calendar date"});
    }
  }
  if (!IsUnset(task.due_date())) {
    if (auto day = ToCivilDay(task.due_date(), ""); day.ok()) {
      due = *day;
    } else {
      violations.push_back({"task.due_date", "is not a calendar date"});
    }
  }
  if (start.has_value() && due.has_value() && *due < *start) {
    violations.push_back({"task.due_date", "is before task.start_date"});
  }
  std::vector<std::pair<std::string, std::string>> agencies;
  if (!task.lead_agency().empty()) {
    agencies.emplace_back("task.lead_agency", task.lead_agency());
  }
  for (int i = 0; i < task.coordinating_agencies_size(); ++i) {
    agencies.emplace_back(absl::StrCat("task.coordinating_agencies[", i, "]"),
                          task.coordinating_agencies(i));
  }
  for (const auto& [field, name] : agencies) {
    if (!absl::StartsWith(name, "agencies/")) {
      violations.push_back({field, "must be agencies/{code}"});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid task", "INVALID_TASK",
                                         violations);
  }
  for (const auto& [field, name] : agencies) {
    if (absl::IsNotFound(records_->Get("agency", name.substr(9)).status())) {
      return InvalidArgumentWithViolations(
          "the task names an unknown agency", "UNKNOWN_REFERENCE",
          {{field, absl::StrCat("no agency ", name)}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Plan> PlanRegistry::GetPlan(
    const v1::GetPlanRequest& request) {
  absl::StatusOr<std::string> id = PlanId(request.name(), "name");
  if (!id.ok()) return id.status();
  return Load<v1::Plan>(*records_, "plan", *id);
}

absl::StatusOr<v1::ListPlansResponse> PlanRegistry::ListPlans(
    const v1::ListPlansRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (!request.page_token().empty() && !IsId(request.page_token())) {
    return InvalidArgumentWithViolations(
        "page_token is not a token this service issued", "INVALID_PAGE_TOKEN",
        {{"page_token", "not issued by this service"}});
  }
  std::string owner = absl::StartsWith(request.scope_unit(), "units/")
                          ? request.scope_unit().substr(6)
                          : "";
  v1::ListPlansResponse response;
  std::string after = request.page_token();
  while (true) {
    absl::StatusOr<std::vector<Record>> found =
        records_->List("plan", owner, after, *page_size);
    if (!found.ok()) return found.status();
    for (const Record& record : *found) {
      after = record.id;
      absl::StatusOr<v1::Plan> plan = Parse<v1::Plan>(record);
      if (!plan.ok()) return plan.status();
      bool keep =
          (request.issuing_agency().empty() ||
           plan->issuing_agency() == request.issuing_agency()) &&
          (request.status() == v1::PLAN_STATUS_UNSPECIFIED ||
           plan->status() == request.status()) &&
          (request.parent_plan().empty() ||
           std::find(plan->parent_plans().begin(), plan->parent_plans().end(),
                     request.parent_plan()) != plan->parent_plans().end());
      if (keep) *response.add_plans() = *std::move(plan);
      if (response.plans_size() == *page_size) {
        response.set_next_page_token(after);
        return response;
      }
    }
    if (static_cast<int>(found->size()) < *page_size) return response;
  }
}

absl::StatusOr<v1::Plan> PlanRegistry::CreatePlan(
    const v1::CreatePlanRequest& request) {
  v1::Plan replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  if (!IsId(request.plan_id())) {
    return InvalidArgumentWithViolations(
        "invalid plan id", "INVALID_PLAN",
        {{"plan_id", "must be 1-63 characters of a-z, 0-9 and '-'"}});
  }
  v1::Plan plan = request.plan();
  plan.set_name(absl::StrCat("plans/", request.plan_id()));
  if (plan.status() == v1::PLAN_STATUS_UNSPECIFIED) {
    plan.set_status(v1::PLAN_STATUS_DRAFT);
  }
  if (absl::Status status = CheckPlan(plan); !status.ok()) return status;
  *plan.mutable_update_time() = NowTimestamp(*clock_);
  return Store(*records_, "plan", request.plan_id(),
               plan.scope_unit().substr(6), plan, /*create=*/true, 0,
               request.request_id());
}

absl::StatusOr<v1::Plan> PlanRegistry::UpdatePlan(
    const v1::UpdatePlanRequest& request) {
  v1::Plan replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::string> id = PlanId(request.plan().name(), "plan.name");
  if (!id.ok()) return id.status();
  absl::StatusOr<int64_t> expected =
      ExpectedRevision(request.plan().etag(), "plan.etag");
  if (!expected.ok()) return expected.status();
  for (const std::string& path : request.update_mask().paths()) {
    if (v1::Plan::descriptor()->FindFieldByName(path) == nullptr ||
        path == "name" || path == "etag" || path == "update_time") {
      return InvalidArgumentWithViolations(
          "invalid update mask", "INVALID_UPDATE_MASK",
          {{"update_mask", absl::StrCat("\"", path, "\" cannot be updated")}});
    }
  }
  absl::StatusOr<v1::Plan> plan = Load<v1::Plan>(*records_, "plan", *id);
  if (!plan.ok()) return plan.status();
  int64_t current = 0;
  absl::SimpleAtoi(plan->etag(), &current);
  if (plan->status() == v1::PLAN_STATUS_ARCHIVED) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             absl::StrCat(plan->name(), " is archived")),
                         "PLAN_ARCHIVED", {{"plan", plan->name()}});
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.plan(), request.update_mask(), merge, &*plan);
  if (absl::Status status = CheckPlan(*plan); !status.ok()) return status;
  *plan->mutable_update_time() = NowTimestamp(*clock_);
  return Store(*records_, "plan", *id, plan->scope_unit().substr(6), *plan,
               false, *expected != 0 ? *expected : current,
               request.request_id());
}

absl::StatusOr<v1::Target> PlanRegistry::CreateTarget(
    const v1::CreateTargetRequest& request) {
  v1::Target replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::string> plan_id = PlanId(request.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  absl::StatusOr<v1::Plan> plan = Load<v1::Plan>(*records_, "plan", *plan_id);
  if (!plan.ok()) return plan.status();
  v1::Target target = request.target();
  target.clear_inherited_from();
  if (absl::Status status = CheckTarget(*plan, target); !status.ok()) {
    return status;
  }
  std::string id;
  if (target.name().empty()) {
    absl::StatusOr<std::string> next =
        NextChildId(*records_, "target", *plan_id);
    if (!next.ok()) return next.status();
    id = *next;
  } else {
    absl::StatusOr<std::pair<std::string, std::string>> parts =
        ChildId(target.name(), "targets", "target.name");
    if (!parts.ok()) return parts.status();
    if (parts->first != *plan_id) {
      return BadName("target.name", target.name(),
                     absl::StrCat(request.parent(), "/targets/{id}"));
    }
    id = parts->second;
  }
  target.set_name(absl::StrCat("plans/", *plan_id, "/targets/", id));
  return Store(*records_, "target", absl::StrCat(*plan_id, "/", id), *plan_id,
               target, /*create=*/true, 0, request.request_id());
}

absl::StatusOr<v1::ListTargetsResponse> PlanRegistry::ListTargets(
    const v1::ListTargetsRequest& request) {
  absl::StatusOr<std::string> plan_id = PlanId(request.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  int offset = 0;
  if (!request.page_token().empty() &&
      !absl::SimpleAtoi(request.page_token(), &offset)) {
    return InvalidArgumentWithViolations(
        "page_token is not a token this service issued", "INVALID_PAGE_TOKEN",
        {{"page_token", "not issued by this service"}});
  }
  absl::StatusOr<v1::Plan> plan = Load<v1::Plan>(*records_, "plan", *plan_id);
  if (!plan.ok()) return plan.status();
  absl::StatusOr<std::vector<v1::Target>> own =
      LoadAll<v1::Target>(*records_, "target", *plan_id);
  if (!own.ok()) return own.status();
  std::vector<v1::Target> targets = *std::move(own);
  if (request.include_inherited()) {
    // Walk up the plans this one implements; a target is overridden by one for
    // the same indicator and year nearer down.
    std::set<std::pair<std::string, int>> covered;
    for (const v1::Target& target : targets) {
      covered.insert({target.indicator(), target.year()});
    }
    std::vector<std::string> frontier(plan->parent_plans().begin(),
                                      plan->parent_plans().end());
    std::set<std::string> visited = {plan->name()};
    while (!frontier.empty()) {
      std::string parent = frontier.front();
      frontier.erase(frontier.begin());
      if (!visited.insert(parent).second) continue;
      absl::StatusOr<v1::Plan> ancestor =
          Load<v1::Plan>(*records_, "plan", parent.substr(6));
      if (!ancestor.ok()) return ancestor.status();
      absl::StatusOr<std::vector<v1::Target>> inherited =
          LoadAll<v1::Target>(*records_, "target", parent.substr(6));
      if (!inherited.ok()) return inherited.status();
      for (v1::Target& target : *inherited) {
        if (!covered.insert({target.indicator(), target.year()}).second) {
          continue;
        }
        target.set_inherited_from(target.name());
        if (target.scope_unit().empty()) {
          target.set_scope_unit(ancestor->scope_unit());
        }
        targets.push_back(std::move(target));
      }
      for (const std::string& next : ancestor->parent_plans()) {
        frontier.push_back(next);
      }
    }
  }
  std::stable_sort(targets.begin(), targets.end(),
                   [](const v1::Target& a, const v1::Target& b) {
                     return std::make_pair(a.indicator(), a.year()) <
                            std::make_pair(b.indicator(), b.year());
                   });
  v1::ListTargetsResponse response;
  int index = 0;
  for (const v1::Target& target : targets) {
    if (request.year() != 0 && target.year() != request.year()) continue;
    if (index++ < offset) continue;
    if (response.targets_size() == *page_size) {
      response.set_next_page_token(absl::StrCat(offset + *page_size));
      break;
    }
    *response.add_targets() = target;
  }
  return response;
}

absl::StatusOr<v1::Target> PlanRegistry::UpdateTarget(
    const v1::UpdateTargetRequest& request) {
  v1::Target replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.target().name(), "targets", "target.name");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<int64_t> expected =
      ExpectedRevision(request.target().etag(), "target.etag");
  if (!expected.ok()) return expected.status();
  for (const std::string& path : request.update_mask().paths()) {
    if (v1::Target::descriptor()->FindFieldByName(path) == nullptr ||
        path == "name" || path == "etag" || path == "inherited_from") {
      return InvalidArgumentWithViolations(
          "invalid update mask", "INVALID_UPDATE_MASK",
          {{"update_mask", absl::StrCat("\"", path, "\" cannot be updated")}});
    }
  }
  std::string key = absl::StrCat(ids->first, "/", ids->second);
  absl::StatusOr<v1::Target> target =
      Load<v1::Target>(*records_, "target", key);
  if (!target.ok()) return target.status();
  absl::StatusOr<v1::Plan> plan = Load<v1::Plan>(*records_, "plan", ids->first);
  if (!plan.ok()) return plan.status();
  int64_t current = 0;
  absl::SimpleAtoi(target->etag(), &current);
  google::protobuf::util::FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.target(), request.update_mask(), merge, &*target);
  if (absl::Status status = CheckTarget(*plan, *target); !status.ok()) {
    return status;
  }
  return Store(*records_, "target", key, ids->first, *target, false,
               *expected != 0 ? *expected : current, request.request_id());
}

absl::StatusOr<google::protobuf::Empty> PlanRegistry::DeleteTarget(
    const v1::DeleteTargetRequest& request) {
  google::protobuf::Empty replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.name(), "targets", "name");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<int64_t> expected = ExpectedRevision(request.etag(), "etag");
  if (!expected.ok()) return expected.status();
  std::string key = absl::StrCat(ids->first, "/", ids->second);
  absl::StatusOr<Record> record = records_->Get("target", key);
  if (!record.ok()) return record.status();
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{"target", key, ids->first, "", 0},
        false,
        /*remove=*/true,
        *expected != 0 ? *expected : record->revision}},
      request.request_id(),
      [](const std::vector<RecordPut>&) { return std::string(); });
  if (!written.ok()) return written.status();
  return google::protobuf::Empty();
}

absl::StatusOr<v1::Task> PlanRegistry::CreateTask(
    const v1::CreateTaskRequest& request) {
  v1::Task replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::string> plan_id = PlanId(request.parent(), "parent");
  if (!plan_id.ok()) return plan_id.status();
  absl::StatusOr<v1::Plan> plan = Load<v1::Plan>(*records_, "plan", *plan_id);
  if (!plan.ok()) return plan.status();
  v1::Task task = request.task();
  if (absl::Status status = CheckTask(task); !status.ok()) return status;
  if (task.status() == v1::TASK_STATUS_UNSPECIFIED) {
    task.set_status(v1::TASK_STATUS_NOT_STARTED);
  }
  task.clear_percent_complete();
  task.clear_last_progress_time();
  std::string id;
  if (task.name().empty()) {
    absl::StatusOr<std::string> next = NextChildId(*records_, "task", *plan_id);
    if (!next.ok()) return next.status();
    id = *next;
  } else {
    absl::StatusOr<std::pair<std::string, std::string>> parts =
        ChildId(task.name(), "tasks", "task.name");
    if (!parts.ok()) return parts.status();
    if (parts->first != *plan_id) {
      return BadName("task.name", task.name(),
                     absl::StrCat(request.parent(), "/tasks/{id}"));
    }
    id = parts->second;
  }
  task.set_name(absl::StrCat("plans/", *plan_id, "/tasks/", id));
  return Store(*records_, "task", absl::StrCat(*plan_id, "/", id), *plan_id,
               task, /*create=*/true, 0, request.request_id());
}

absl::StatusOr<v1::Task> PlanRegistry::GetTask(
    const v1::GetTaskRequest& request) {
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.name(), "tasks", "name");
  if (!ids.ok()) return ids.status();
  return Load<v1::Task>(*records_, "task",
                        absl::StrCat(ids->first, "/", ids->second));
}

absl::StatusOr<v1::ListTasksResponse> PlanRegistry::ListTasks(
    const v1::ListTasksRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  std::string owner;
  if (request.parent() != "plans/-") {
    absl::StatusOr<std::string> plan_id = PlanId(request.parent(), "parent");
    if (!plan_id.ok()) return plan_id.status();
    owner = *plan_id;
  }
  v1::ListTasksResponse response;
  std::string after = request.page_token();
  while (true) {
    absl::StatusOr<std::vector<Record>> found =
        records_->List("task", owner, after, *page_size);
    if (!found.ok()) return found.status();
    for (const Record& record : *found) {
      after = record.id;
      absl::StatusOr<v1::Task> task = Parse<v1::Task>(record);
      if (!task.ok()) return task.status();
      bool involved =
          request.agency().empty() || task->lead_agency() == request.agency() ||
          std::find(task->coordinating_agencies().begin(),
                    task->coordinating_agencies().end(),
                    request.agency()) != task->coordinating_agencies().end();
      if (involved && (request.status() == v1::TASK_STATUS_UNSPECIFIED ||
                       task->status() == request.status())) {
        *response.add_tasks() = *std::move(task);
      }
      if (response.tasks_size() == *page_size) {
        response.set_next_page_token(after);
        return response;
      }
    }
    if (static_cast<int>(found->size()) < *page_size) return response;
  }
}

absl::StatusOr<v1::Task> PlanRegistry::UpdateTask(
    const v1::UpdateTaskRequest& request) {
  v1::Task replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.task().name(), "tasks", "task.name");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<int64_t> expected =
      ExpectedRevision(request.task().etag(), "task.etag");
  if (!expected.ok()) return expected.status();
  for (const std::string& path : request.update_mask().paths()) {
    if (v1::Task::descriptor()->FindFieldByName(path) == nullptr ||
        path == "name" || path == "etag" || path == "percent_complete" ||
        path == "last_progress_time") {
      return InvalidArgumentWithViolations(
          "invalid update mask", "INVALID_UPDATE_MASK",
          {{"update_mask", absl::StrCat("\"", path, "\" cannot be updated")}});
    }
  }
  std::string key = absl::StrCat(ids->first, "/", ids->second);
  absl::StatusOr<v1::Task> task = Load<v1::Task>(*records_, "task", key);
  if (!task.ok()) return task.status();
  int64_t current = 0;
  absl::SimpleAtoi(task->etag(), &current);
  google::protobuf::util::FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.task(), request.update_mask(), merge, &*task);
  if (absl::Status status = CheckTask(*task); !status.ok()) return status;
  return Store(*records_, "task", key, ids->first, *task, false,
               *expected != 0 ? *expected : current, request.request_id());
}

absl::StatusOr<v1::ProgressUpdate> PlanRegistry::SubmitTaskProgress(
    const v1::SubmitTaskProgressRequest& request, const std::string& actor,
    const std::string& reporting_agency) {
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.task(), "tasks", "task");
  if (!ids.ok()) return ids.status();
  v1::ProgressUpdate update = request.update();
  std::vector<FieldViolation> violations;
  if (update.percent_complete() < 0 || update.percent_complete() > 100) {
    violations.push_back({"update.percent_complete", "must be within 0..100"});
  }
  for (int i = 0; i < update.evidence_documents_size(); ++i) {
    if (!absl::StartsWith(update.evidence_documents(i), "documents/")) {
      violations.push_back({absl::StrCat("update.evidence_documents[", i, "]"),
                            "must be documents/{id}"});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid progress update",
                                         "INVALID_PROGRESS", violations);
  }
  std::string task_key = absl::StrCat(ids->first, "/", ids->second);
  absl::StatusOr<Record> record = records_->Get("task", task_key);
  if (!record.ok()) return record.status();
  absl::StatusOr<v1::Task> task = Parse<v1::Task>(*record);
  if (!task.ok()) return task.status();
  if (!reporting_agency.empty()) {
    const std::string agency = absl::StrCat("agencies/", reporting_agency);
    if (task->lead_agency() != agency &&
        absl::c_find(task->coordinating_agencies(), agency) ==
            task->coordinating_agencies().end()) {
      return WithErrorInfo(
          absl::PermissionDeniedError(
              absl::StrCat(agency, " is neither the lead nor a coordinator of ",
                           request.task(), ": only they report its progress")),
          "NOT_TASK_AGENCY", {{"task", request.task()}, {"agency", agency}});
    }
  }
  // Replays only after the agency check: request ids are global, and another
  // agency's id must not fetch its update.
  v1::ProgressUpdate replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;
  if (update.status() == v1::TASK_STATUS_UNSPECIFIED) {
    update.set_status(update.percent_complete() >= 100
                          ? v1::TASK_STATUS_DONE
                          : v1::TASK_STATUS_IN_PROGRESS);
  }
  google::protobuf::Timestamp now = NowTimestamp(*clock_);
  update.mutable_submitted()->set_actor(actor);
  *update.mutable_submitted()->mutable_time() = now;
  update.mutable_submitted()->set_request_id(request.request_id());
  absl::StatusOr<std::vector<Record>> earlier =
      records_->List("progress", task_key, "", 1 << 20);
  if (!earlier.ok()) return earlier.status();
  std::string progress_id =
      absl::StrFormat("%s/%06d", task_key, earlier->size() + 1);
  update.set_name(absl::StrFormat("%s/progressUpdates/%06d", request.task(),
                                  earlier->size() + 1));
  task->set_percent_complete(update.percent_complete());
  task->set_status(update.status());
  *task->mutable_last_progress_time() = now;
  task->clear_etag();
  // The update and the task's new state land together, or not at all.
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{"progress", progress_id, task_key, update.SerializeAsString(), 0},
        /*create=*/true,
        false,
        0},
       {{"task", task_key, ids->first, task->SerializeAsString(), 0},
        false,
        false,
        record->revision}},
      request.request_id(), [&update](const std::vector<RecordPut>&) {
        return update.SerializeAsString();
      });
  if (absl::IsAlreadyExists(written.status()) ||
      absl::IsAborted(written.status())) {
    return WithErrorInfo(
        absl::AbortedError("the task changed concurrently; submit again"),
        "CONCURRENT_PROGRESS", {{"task", request.task()}});
  }
  if (!written.ok()) return written.status();
  return update;
}

absl::StatusOr<v1::ListTaskProgressResponse> PlanRegistry::ListTaskProgress(
    const v1::ListTaskProgressRequest& request) {
  absl::StatusOr<std::pair<std::string, std::string>> ids =
      ChildId(request.task(), "tasks", "task");
  if (!ids.ok()) return ids.status();
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  int offset = 0;
  if (!request.page_token().empty() &&
      !absl::SimpleAtoi(request.page_token(), &offset)) {
    return InvalidArgumentWithViolations(
        "page_token is not a token this service issued", "INVALID_PAGE_TOKEN",
        {{"page_token", "not issued by this service"}});
  }
  std::string task_key = absl::StrCat(ids->first, "/", ids->second);
  if (absl::Status found = records_->Get("task", task_key).status();
      !found.ok()) {
    return found;
  }
  absl::StatusOr<std::vector<Record>> records =
      records_->List("progress", task_key, "", 1 << 20);
  if (!records.ok()) return records.status();
  v1::ListTaskProgressResponse response;
  // Newest first.
  for (int i = static_cast<int>(records->size()) - 1 - offset; i >= 0; --i) {
    if (response.updates_size() == *page_size) {
      response.set_next_page_token(absl::StrCat(offset + *page_size));
      break;
    }
    v1::ProgressUpdate update;
    if (!update.ParseFromString((*records)[i].body)) {
      return absl::DataLossError("stored progress update does not parse");
    }
    *response.add_updates() = std::move(update);
  }
  return response;
}

}  // namespace lienthong::registry
