#include "libs/authz/hierarchy_authorizer.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/authz/unit_directory.h"
#include "libs/status/status_details.h"

namespace lienthong::authz {
namespace {

using Rule = HierarchyAuthorizer::Rule;

constexpr absl::string_view kSystem = "system";
constexpr absl::string_view kOperator = "operator";
constexpr absl::string_view kAuditor = "auditor";

absl::flat_hash_map<std::string, Rule> Rules() {
  absl::flat_hash_map<std::string, Rule> rules;
  for (const char* method :
       {"registry.units.get", "registry.units.list", "registry.agencies.get",
        "registry.agencies.list", "registry.indicators.get",
        "registry.indicators.list", "registry.schedules.get",
        "registry.schedules.list", "registry.plans.get", "registry.plans.list",
        "registry.watch"}) {
    rules[method] = Rule::kReference;
  }
  for (const char* method :
       {"registry.units.create", "registry.units.update",
        "registry.units.merge", "registry.units.split", "registry.units.rename",
        "registry.units.reparent", "registry.units.import",
        "registry.agencies.create", "registry.agencies.update",
        "registry.agencies.delete", "registry.indicators.create",
        "registry.indicators.update", "registry.schedules.create",
        "registry.schedules.update", "registry.plans.create",
        "registry.plans.update"}) {
    rules[method] = Rule::kAdminister;
  }
  rules["registry.tasks.progress"] = Rule::kTaskProgress;
  rules["ingestion.values.submit"] = Rule::kSubmit;
  rules["ingestion.values.write"] = Rule::kWriteOwnUnit;
  for (const char* method :
       {"ingestion.values.list", "ingestion.changes.watch",
        "reporting.rollups.read", "reporting.completeness.read",
        "reporting.plans.read"}) {
    rules[method] = Rule::kReadUnit;
  }
  for (const char* method :
       {"documents.send", "documents.list", "documents.status.update",
        "documents.inbox.read", "documents.inbox.acknowledge"}) {
    rules[method] = Rule::kOwnAgency;
  }
  for (const char* method :
       {"documents.get", "documents.receipts.get", "documents.import",
        "documents.attachments.upload", "documents.attachments.download"}) {
    rules[method] = Rule::kDocumentParty;
  }
  rules["reporting.rollups.regroup"] = Rule::kRegroup;
  rules["audit.read"] = Rule::kAuditRead;
  return rules;
}

}  // namespace

HierarchyAuthorizer::HierarchyAuthorizer(const UnitDirectory* directory)
    : directory_(directory), rules_(Rules()) {}

absl::Status HierarchyAuthorizer::Deny(const Call& call,
                                       absl::string_view reason,
                                       absl::string_view why) {
  std::map<std::string, std::string> metadata = {
      {"method", std::string(call.method)},
      {"resource", std::string(call.resource)},
      {"agency", call.caller.identity},
      {"role", call.caller.role}};
  if (call.day.has_value()) {
    metadata["hierarchy_day"] = absl::FormatCivilTime(*call.day);
  }
  return WithErrorInfo(
      absl::PermissionDeniedError(absl::StrCat(
          call.caller.role, " of agency ", call.caller.identity, " may not ",
          call.method,
          call.resource.empty() ? "" : absl::StrCat(" ", call.resource), ": ",
          why)),
      reason, metadata);
}

absl::Status HierarchyAuthorizer::Authorize(const Caller& caller,
                                            absl::string_view method,
                                            absl::string_view resource,
                                            const HierarchyDay& day) const {
  if (!caller.authenticated || caller.platform) return absl::OkStatus();
  const Call call{caller, method, resource, day};
  auto rule = rules_.find(method);
  if (rule == rules_.end()) {
    return Deny(call, "UNKNOWN_METHOD", "the policy does not know this method");
  }
  const bool system = caller.role == kSystem;
  const bool operator_role = caller.role == kOperator;
  switch (rule->second) {
    case Rule::kReference:
      return absl::OkStatus();
    case Rule::kAdminister:
      if (operator_role) return absl::OkStatus();
      return Deny(call, "ROLE_NOT_ALLOWED",
                  "only operators administer the registry");
    case Rule::kAuditRead:
      if (caller.role == kAuditor) return absl::OkStatus();
      return Deny(call, "ROLE_NOT_ALLOWED", "only auditors read the audit log");
    case Rule::kSubmit:
    case Rule::kTaskProgress:
    case Rule::kDocumentParty:
      if (system) return absl::OkStatus();
      return Deny(call, "ROLE_NOT_ALLOWED", "only agency systems do this");
    case Rule::kOwnAgency:
      if (!system) {
        return Deny(call, "ROLE_NOT_ALLOWED",
                    "only agency systems exchange documents");
      }
      if (resource == absl::StrCat("agencies/", caller.identity)) {
        return absl::OkStatus();
      }
      return Deny(call, "NOT_CALLERS_AGENCY",
                  "an agency acts only for itself (its own inbox, sends and "
                  "answers)");
    case Rule::kWriteOwnUnit: {
      if (!system) {
        return Deny(call, "ROLE_NOT_ALLOWED",
                    "only agency systems write values");
      }
      absl::StatusOr<std::string> own = OwnUnit(call);
      if (!own.ok()) return own.status();
      if (*own == resource) return absl::OkStatus();
      return Deny(call, "NOT_OWN_UNIT",
                  absl::StrCat("an agency writes data for its own unit (", *own,
                               ") only"));
    }
    case Rule::kRegroup: {
      if (operator_role) return absl::OkStatus();
      if (!system) {
        return Deny(call, "ROLE_NOT_ALLOWED",
                    "auditors read the audit log only");
      }
      absl::StatusOr<std::string> own = OwnUnit(call);
      if (!own.ok()) return own.status();
      absl::StatusOr<bool> top = directory_->IsTopLevel(*own);
      if (!top.ok()) return top.status();
      if (*top) return absl::OkStatus();
      return Deny(call, "HIERARCHY_DATE_NOT_ALLOWED",
                  "grouping units as on a day other than the period's last "
                  "is for provincial agencies and operators; leave "
                  "hierarchy_date unset");
    }
    case Rule::kReadUnit:
      // The province's operators see all of its data.
      if (operator_role) return absl::OkStatus();
      if (!system) {
        return Deny(call, "ROLE_NOT_ALLOWED",
                    "auditors read the audit log only");
      }
      return ReadUnit(call);
  }
  return Deny(call, "UNKNOWN_METHOD", "the policy does not know this method");
}

absl::StatusOr<std::string> HierarchyAuthorizer::OwnUnit(
    const Call& call) const {
  absl::StatusOr<std::string> own =
      directory_->UnitOfAgency(call.caller.identity);
  if (own.status().code() == absl::StatusCode::kNotFound) {
    return Deny(call, "CALLER_AGENCY_UNKNOWN",
                "the registry has no such agency");
  }
  return own;
}

absl::Status HierarchyAuthorizer::ReadUnit(const Call& call) const {
  absl::StatusOr<std::string> own = OwnUnit(call);
  if (!own.ok()) return own.status();
  if (call.resource.empty()) {
    absl::StatusOr<bool> top = directory_->IsTopLevel(*own);
    if (!top.ok()) return top.status();
    if (*top) return absl::OkStatus();
    return Deny(call, "WHOLE_PLATFORM_READ",
                absl::StrCat("reading across all units needs a provincial "
                             "agency; name a unit at or under ",
                             *own));
  }
  // Plans and feed positions are not unit data.
  if (!absl::StartsWith(call.resource, "units/")) return absl::OkStatus();
  absl::StatusOr<bool> within =
      directory_->IsWithin(call.resource, *own, call.day);
  if (!within.ok()) return within.status();
  if (*within) return absl::OkStatus();
  return Deny(
      call, "OUTSIDE_CALLERS_UNIT",
      absl::StrCat("a unit reads its own data and its descendants' (", *own,
                   " and below",
                   call.day.has_value()
                       ? absl::StrCat(" on ", absl::FormatCivilTime(*call.day))
                       : std::string(" as arranged now"),
                   ")"));
}

}  // namespace lienthong::authz
