#include "services/registry/unit_registry.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/registry/dates.h"
#include "services/registry/request_helpers.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {
namespace {

using common::v1::UnitLevel;
using v1::AdminUnit;
using v1::UnitKind;

constexpr size_t kMaxNameLength = 200;

// Collects field violations; one INVALID_ARGUMENT at the end.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return list_.empty(); }
  absl::Status ToStatus(absl::string_view reason) const {
    if (list_.empty()) return absl::OkStatus();
    return InvalidArgumentWithViolations(
        absl::StrCat(list_.front().field, ": ", list_.front().description,
                     list_.size() > 1
                         ? absl::StrCat(" (and ", list_.size() - 1, " more)")
                         : ""),
        reason, list_);
  }

 private:
  std::vector<FieldViolation> list_;
};

size_t CodeLength(int level) {
  switch (level) {
    case common::v1::UNIT_LEVEL_PROVINCE:
      return 2;
    case common::v1::UNIT_LEVEL_DISTRICT:
      return 3;
    case common::v1::UNIT_LEVEL_COMMUNE:
      return 5;
    default:
      return 0;
  }
}

bool IsDigits(absl::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), absl::ascii_isdigit);
}

bool IsCode(absl::string_view code) {
  return IsDigits(code) &&
         (code.size() == 2 || code.size() == 3 || code.size() == 5);
}

int LevelOfKind(int kind) {
  switch (kind) {
    case v1::UNIT_KIND_PROVINCE:
    case v1::UNIT_KIND_CENTRAL_CITY:
      return common::v1::UNIT_LEVEL_PROVINCE;
    case v1::UNIT_KIND_URBAN_DISTRICT:
    case v1::UNIT_KIND_RURAL_DISTRICT:
    case v1::UNIT_KIND_DISTRICT_TOWN:
    case v1::UNIT_KIND_PROVINCIAL_CITY:
      return common::v1::UNIT_LEVEL_DISTRICT;
    case v1::UNIT_KIND_WARD:
    case v1::UNIT_KIND_COMMUNE:
    case v1::UNIT_KIND_TOWNSHIP:
    case v1::UNIT_KIND_SPECIAL_ZONE:
      return common::v1::UNIT_LEVEL_COMMUNE;
    default:
      return common::v1::UNIT_LEVEL_UNSPECIFIED;
  }
}

// "units/{code}" -> code, or a violation on `field`.
absl::StatusOr<std::string> UnitCode(absl::string_view name,
                                     absl::string_view field) {
  constexpr absl::string_view kPrefix = "units/";
  if (!absl::StartsWith(name, kPrefix) ||
      !IsCode(name.substr(kPrefix.size()))) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " must be units/{code}"), "INVALID_UNIT_NAME",
        {{std::string(field),
          absl::StrCat(
              "\"", name,
              "\" is not units/ followed by a 2, 3 or 5-digit code")}});
  }
  return std::string(name.substr(kPrefix.size()));
}

std::string UnitName(absl::string_view code) {
  return absl::StrCat("units/", code);
}

absl::StatusOr<absl::CivilDay> AsOf(const common::v1::Date& date,
                                    absl::string_view field,
                                    const Clock& clock) {
  if (IsUnset(date)) return TodayInVietnam(clock);
  return ToCivilDay(date, field);
}

bool ExistsOn(const AdminUnit& unit, absl::CivilDay day) {
  return InRange(unit.valid(), day);
}

// The parent code in force on `day`, or "" for none.
std::string ParentOn(const AdminUnit& unit, absl::CivilDay day) {
  for (const v1::ParentLink& link : unit.parents()) {
    if (InRange(link.valid(), day)) {
      return std::string(link.parent().substr(sizeof("units/") - 1));
    }
  }
  return "";
}

bool IsOpen(const common::v1::DateRange& range) {
  return !range.has_end() || IsUnset(range.end());
}

// Ends the unit's parent link in force on `last_day` at that day, open or
// not (a retired unit's links end with it). Returns the end it had when that
// was later (where a link replacing it ends too), else an unset date.
common::v1::Date CloseParentLinkOn(AdminUnit& unit, absl::CivilDay last_day) {
  common::v1::Date later_end;
  for (v1::ParentLink& link : *unit.mutable_parents()) {
    if (!InRange(link.valid(), last_day)) continue;
    if (!IsOpen(link.valid()) && InRange(link.valid(), last_day + 1)) {
      later_end = link.valid().end();
    }
    *link.mutable_valid()->mutable_end() = ToDate(last_day);
  }
  return later_end;
}

void AddParentLink(AdminUnit& unit, absl::string_view parent_code,
                   absl::CivilDay from) {
  v1::ParentLink* link = unit.add_parents();
  link->set_parent(UnitName(parent_code));
  *link->mutable_valid()->mutable_start() = ToDate(from);
}

// Moves the unit under `parent_code` from `from`: the link in force the day
// before ends then, and the new link ends where that one did (a unit retired
// later keeps its end), or stays open.
void MoveParentLink(AdminUnit& unit, absl::string_view parent_code,
                    absl::CivilDay from) {
  common::v1::Date later_end = CloseParentLinkOn(unit, from - 1);
  AddParentLink(unit, parent_code, from);
  if (!IsUnset(later_end)) {
    *unit.mutable_parents()->rbegin()->mutable_valid()->mutable_end() =
        later_end;
  }
}

// Validates the fields of a unit that describe it (not its history).
void CheckDescription(const AdminUnit& unit, absl::string_view prefix,
                      Violations& violations) {
  if (!IsDigits(unit.code()) || CodeLength(unit.level()) == 0 ||
      unit.code().size() != CodeLength(unit.level())) {
    violations.Add(absl::StrCat(prefix, "code"),
                   "must be 2 digits for a province, 3 for a district, 5 for "
                   "a commune, matching level");
  }
  if (CodeLength(unit.level()) == 0) {
    violations.Add(absl::StrCat(prefix, "level"), "must be set");
  }
  if (LevelOfKind(unit.kind()) != unit.level()) {
    violations.Add(absl::StrCat(prefix, "kind"),
                   "must be set and be a kind of the unit's level");
  }
  if (unit.display_name().empty() ||
      unit.display_name().size() > kMaxNameLength) {
    violations.Add(absl::StrCat(prefix, "display_name"),
                   "must be 1..200 bytes, e.g. \"Phường Hồng Hà\"");
  }
  if (unit.ascii_name().size() > kMaxNameLength) {
    violations.Add(absl::StrCat(prefix, "ascii_name"), "must be <= 200 bytes");
  }
}

absl::Status NotInForce(absl::string_view field, absl::string_view code,
                        absl::CivilDay day) {
  return WithFieldViolations(
      WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                        "unit ", code, " does not exist on ", DayText(day))),
                    "UNIT_NOT_IN_FORCE", {{"code", std::string(code)}}),
      {{std::string(field),
        absl::StrCat("units/", code, " does not exist on ", DayText(day))}});
}

// Looks up a referenced unit; an unknown one is the caller's mistake in
// `field`.
absl::StatusOr<AdminUnit> Referenced(UnitStore& store, const std::string& code,
                                     absl::string_view field) {
  absl::StatusOr<AdminUnit> unit = store.GetUnit(code);
  if (absl::IsNotFound(unit.status())) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " names an unknown unit ", code), "UNKNOWN_UNIT",
        {{std::string(field), absl::StrCat("no unit units/", code)}});
  }
  return unit;
}

}  // namespace

absl::StatusOr<AdminUnit> UnitRegistry::GetUnit(
    const v1::GetUnitRequest& request) {
  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) return code.status();
  return store_->GetUnit(*code);
}

absl::StatusOr<v1::ListUnitsResponse> UnitRegistry::ListUnits(
    const v1::ListUnitsRequest& request) {
  Violations violations;
  UnitQuery query;
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<absl::CivilDay> as_of =
      AsOf(request.as_of(), "as_of", *clock_);
  if (!as_of.ok()) return as_of.status();
  query.as_of = *as_of;
  query.level = request.level();
  query.limit = *page_size;
  if (!request.page_token().empty()) {
    if (!IsCode(request.page_token())) {
      violations.Add("page_token", "is not a token this service issued");
    }
    query.after_code = request.page_token();
  }
  if (!request.parent().empty()) {
    absl::StatusOr<std::string> parent = UnitCode(request.parent(), "parent");
    if (!parent.ok()) return parent.status();
    absl::StatusOr<AdminUnit> parent_unit = store_->GetUnit(*parent);
    if (!parent_unit.ok()) return parent_unit.status();
    query.parent = *parent;
  }
  if (absl::Status status = violations.ToStatus("INVALID_PAGE_TOKEN");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<AdminUnit>> units = store_->ListUnits(query);
  if (!units.ok()) return units.status();
  v1::ListUnitsResponse response;
  for (AdminUnit& unit : *units) *response.add_units() = std::move(unit);
  if (response.units_size() == query.limit) {
    response.set_next_page_token(response.units().rbegin()->code());
  }
  return response;
}

absl::StatusOr<v1::ListAncestorsResponse> UnitRegistry::ListAncestors(
    const v1::ListAncestorsRequest& request) {
  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) return code.status();
  absl::StatusOr<absl::CivilDay> day = AsOf(request.as_of(), "as_of", *clock_);
  if (!day.ok()) return day.status();
  absl::StatusOr<AdminUnit> unit = store_->GetUnit(*code);
  if (!unit.ok()) return unit.status();
  if (!ExistsOn(*unit, *day)) return NotInForce("name", *code, *day);
  v1::ListAncestorsResponse response;
  std::set<std::string> seen = {*code};
  for (std::string parent = ParentOn(*unit, *day); !parent.empty();) {
    if (!seen.insert(parent).second) {
      return absl::InternalError(
          absl::StrCat("parent links of ", *code, " form a cycle"));
    }
    absl::StatusOr<AdminUnit> ancestor = store_->GetUnit(parent);
    if (!ancestor.ok()) return ancestor.status();
    parent = ParentOn(*ancestor, *day);
    *response.add_ancestors() = *std::move(ancestor);
  }
  return response;
}

absl::StatusOr<AdminUnit> UnitRegistry::CreateUnit(
    const v1::CreateUnitRequest& request) {
  AdminUnit replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  const AdminUnit& unit = request.unit();
  Violations violations;
  CheckDescription(unit, "unit.", violations);
  absl::optional<absl::CivilDay> start, end;
  if (!unit.valid().has_start() || IsUnset(unit.valid().start())) {
    // An open start: the unit existed before the registry's records begin.
  } else if (auto day = ToCivilDay(unit.valid().start(), "unit.valid.start");
             day.ok()) {
    start = *day;
  } else {
    violations.Add("unit.valid.start", "is not a calendar date");
  }
  if (unit.valid().has_end() && !IsUnset(unit.valid().end())) {
    if (auto day = ToCivilDay(unit.valid().end(), "unit.valid.end");
        !day.ok()) {
      violations.Add("unit.valid.end", "is not a calendar date");
    } else if (start.has_value() && *day < *start) {
      violations.Add("unit.valid.end", "is before unit.valid.start");
    } else {
      end = *day;
    }
  }
  bool province = unit.level() == common::v1::UNIT_LEVEL_PROVINCE;
  if (province && unit.parents_size() > 0) {
    violations.Add("unit.parents", "a province has no parent");
  }
  if (!province && unit.parents_size() == 0 && CodeLength(unit.level()) != 0) {
    violations.Add("unit.parents", "a district or commune needs a parent");
  }
  // Parent links: well-formed, in order, not overlapping, within the unit's
  // life.
  absl::optional<absl::CivilDay> previous_end;
  bool previous_open = false;
  // Each parent with the day it must exist on (its link's first day, or its
  // last for a link open to the past).
  std::vector<std::pair<std::string, absl::optional<absl::CivilDay>>>
      parent_starts;
  for (int i = 0; i < unit.parents_size(); ++i) {
    const v1::ParentLink& link = unit.parents(i);
    std::string field = absl::StrCat("unit.parents[", i, "]");
    absl::StatusOr<std::string> parent =
        UnitCode(link.parent(), absl::StrCat(field, ".parent"));
    if (!parent.ok()) {
      violations.Add(absl::StrCat(field, ".parent"), "must be units/{code}");
      continue;
    }
    if (!link.valid().has_start() || IsUnset(link.valid().start())) {
      // Open to the past: only the first link, of a unit open to the past.
      if (i > 0 || start.has_value()) {
        violations.Add(absl::StrCat(field, ".valid.start"), "must be set");
        continue;
      }
      previous_open = IsOpen(link.valid());
      previous_end.reset();
      absl::optional<absl::CivilDay> check_day;
      if (!previous_open) {
        absl::StatusOr<absl::CivilDay> link_end =
            ToCivilDay(link.valid().end(), "");
        if (!link_end.ok()) {
          violations.Add(absl::StrCat(field, ".valid.end"),
                         "is not a calendar date");
          continue;
        }
        previous_end = *link_end;
        check_day = *link_end;
      }
      parent_starts.emplace_back(*parent, check_day);
      continue;
    }
    absl::StatusOr<absl::CivilDay> link_start =
        ToCivilDay(link.valid().start(), "");
    if (!link_start.ok()) {
      violations.Add(absl::StrCat(field, ".valid.start"),
                     "is not a calendar date");
      continue;
    }
    if (start.has_value() && *link_start < *start) {
      violations.Add(absl::StrCat(field, ".valid.start"),
                     "is before the unit's first day");
    }
    if (previous_open ||
        (previous_end.has_value() && *link_start <= *previous_end)) {
      violations.Add(absl::StrCat(field, ".valid"),
                     "overlaps the previous parent link");
    }
    previous_open = IsOpen(link.valid());
    previous_end.reset();
    if (!previous_open) {
      absl::StatusOr<absl::CivilDay> link_end =
          ToCivilDay(link.valid().end(), "");
      if (!link_end.ok() || *link_end < *link_start) {
        violations.Add(absl::StrCat(field, ".valid.end"),
                       "must be a date not before valid.start");
      } else {
        previous_end = *link_end;
      }
    }
    parent_starts.emplace_back(*parent, *link_start);
  }
  if (absl::Status status = violations.ToStatus("INVALID_UNIT"); !status.ok()) {
    return status;
  }
  // References: parents exist, sit above the unit, and exist when linked.
  for (size_t i = 0; i < parent_starts.size(); ++i) {
    std::string field = absl::StrCat("unit.parents[", i, "].parent");
    absl::StatusOr<AdminUnit> parent =
        Referenced(*store_, parent_starts[i].first, field);
    if (!parent.ok()) return parent.status();
    if (parent->level() >= unit.level()) {
      return InvalidArgumentWithViolations(
          "a parent must be of a higher level", "PARENT_LEVEL",
          {{field, absl::StrCat("units/", parent->code(),
                                " is not above the unit's level")}});
    }
    if (parent_starts[i].second.has_value() &&
        !ExistsOn(*parent, *parent_starts[i].second)) {
      return NotInForce(field, parent->code(), *parent_starts[i].second);
    }
  }
  UnitWrite write;
  write.puts.push_back({unit, /*create=*/true, ""});
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.puts.front().unit.SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->puts.front().unit;
}

absl::StatusOr<AdminUnit> UnitRegistry::UpdateUnit(
    const v1::UpdateUnitRequest& request) {
  AdminUnit replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code =
      UnitCode(request.unit().name(), "unit.name");
  if (!code.ok()) return code.status();
  Violations violations;
  if (request.update_mask().paths_size() == 0) {
    violations.Add("update_mask", "must name the fields to change");
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (path != "display_name" && path != "ascii_name") {
      violations.Add("update_mask",
                     absl::StrCat("\"", path,
                                  "\" cannot be updated; code, level and "
                                  "history change through succession events"));
    }
  }
  if (absl::Status status = violations.ToStatus("INVALID_UPDATE_MASK");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<AdminUnit> unit = store_->GetUnit(*code);
  if (!unit.ok()) return unit.status();
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "display_name") {
      unit->set_display_name(request.unit().display_name());
    } else {
      unit->set_ascii_name(request.unit().ascii_name());
    }
  }
  CheckDescription(*unit, "unit.", violations);
  if (absl::Status status = violations.ToStatus("INVALID_UNIT"); !status.ok()) {
    return status;
  }
  UnitWrite write;
  // The etag the caller read, or the one just read: a concurrent change between
  // this read and the write is caught either way.
  write.puts.push_back(
      {*unit, false,
       request.unit().etag().empty() ? unit->etag() : request.unit().etag()});
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.puts.front().unit.SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->puts.front().unit;
}

absl::StatusOr<v1::SuccessionEvent> UnitRegistry::MergeUnits(
    const v1::MergeUnitsRequest& request) {
  v1::SuccessionEvent replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  Violations violations;
  std::vector<std::string> predecessors;
  for (int i = 0; i < request.predecessors_size(); ++i) {
    absl::StatusOr<std::string> code = UnitCode(
        request.predecessors(i), absl::StrCat("predecessors[", i, "]"));
    if (!code.ok()) {
      violations.Add(absl::StrCat("predecessors[", i, "]"),
                     "must be units/{code}");
    } else if (std::find(predecessors.begin(), predecessors.end(), *code) !=
               predecessors.end()) {
      violations.Add(absl::StrCat("predecessors[", i, "]"), "is repeated");
    } else {
      predecessors.push_back(*code);
    }
  }
  if (request.predecessors_size() < 2) {
    violations.Add("predecessors", "a merge needs at least two units");
  }
  const AdminUnit& successor = request.successor();
  CheckDescription(successor, "successor.", violations);
  bool province = successor.level() == common::v1::UNIT_LEVEL_PROVINCE;
  std::string new_parent;
  if (!province) {
    if (successor.parents_size() != 1) {
      violations.Add("successor.parents",
                     "must hold exactly one link: the parent from the "
                     "effective date");
    } else if (auto parent = UnitCode(successor.parents(0).parent(), "");
               parent.ok()) {
      new_parent = *parent;
    } else {
      violations.Add("successor.parents[0].parent", "must be units/{code}");
    }
  }
  absl::StatusOr<absl::CivilDay> date =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!date.ok()) violations.Add("effective_date", "must be a calendar date");
  if (request.legal_reference().empty()) {
    violations.Add("legal_reference",
                   "must name the legal act, e.g. \"NQ 1656/NQ-UBTVQH15\"");
  }
  if (absl::Status status = violations.ToStatus("INVALID_MERGE");
      !status.ok()) {
    return status;
  }
  absl::CivilDay day_before = *date - 1;

  UnitWrite write;
  bool successor_continues = false;
  for (size_t i = 0; i < predecessors.size(); ++i) {
    std::string field = absl::StrCat("predecessors[", i, "]");
    absl::StatusOr<AdminUnit> unit =
        Referenced(*store_, predecessors[i], field);
    if (!unit.ok()) return unit.status();
    if (!ExistsOn(*unit, day_before) || !IsOpen(unit->valid())) {
      return NotInForce(field, predecessors[i], day_before);
    }
    if (unit->level() != successor.level()) {
      return InvalidArgumentWithViolations(
          "a merge joins units of one level", "MERGE_LEVEL",
          {{field, "is not of the successor's level"}});
    }
    std::string etag = unit->etag();
    CloseParentLinkOn(*unit, day_before);
    if (unit->code() == successor.code()) {
      // The unit whose code the successor keeps continues under its new name.
      successor_continues = true;
      unit->set_display_name(successor.display_name());
      unit->set_ascii_name(successor.ascii_name());
      unit->set_kind(successor.kind());
      if (!province) AddParentLink(*unit, new_parent, *date);
    } else {
      *unit->mutable_valid()->mutable_end() = ToDate(day_before);
      // Children of a retired unit move to the successor.
      absl::StatusOr<std::vector<AdminUnit>> children =
          store_->ListUnits({unit->code(), 0, day_before, "", 1000000});
      if (!children.ok()) return children.status();
      for (AdminUnit& child : *children) {
        std::string child_etag = child.etag();
        MoveParentLink(child, successor.code(), *date);
        write.puts.push_back({std::move(child), false, child_etag});
      }
    }
    write.puts.push_back({*std::move(unit), false, etag});
  }
  if (!province) {
    absl::StatusOr<AdminUnit> parent =
        Referenced(*store_, new_parent, "successor.parents[0].parent");
    if (!parent.ok()) return parent.status();
    if (parent->level() >= successor.level()) {
      return InvalidArgumentWithViolations(
          "a parent must be of a higher level", "PARENT_LEVEL",
          {{"successor.parents[0].parent", "is not above the successor"}});
    }
    if (!ExistsOn(*parent, *date)) {
      return NotInForce("successor.parents[0].parent", new_parent, *date);
    }
  }
  if (!successor_continues) {
    AdminUnit created = successor;
    created.clear_parents();
    created.clear_valid();
    *created.mutable_valid()->mutable_start() = ToDate(*date);
    if (!province) AddParentLink(created, new_parent, *date);
    write.puts.push_back({std::move(created), /*create=*/true, ""});
  }
  v1::SuccessionEvent event;
  event.set_type(v1::SUCCESSION_TYPE_MERGE);
  *event.mutable_effective_date() = ToDate(*date);
  event.set_legal_reference(request.legal_reference());
  for (const std::string& code : predecessors) {
    event.add_predecessors(UnitName(code));
  }
  v1::Successor* out = event.add_successors();
  out->set_unit(UnitName(successor.code()));
  out->set_share(1);
  out->set_primary(true);
  event.set_history_rule(v1::HISTORY_RULE_PRIMARY_SUCCESSOR);
  write.events.push_back(std::move(event));
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.events.front().SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->events.front();
}

absl::StatusOr<v1::SuccessionEvent> UnitRegistry::RenameUnit(
    const v1::RenameUnitRequest& request) {
  v1::SuccessionEvent replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) return code.status();
  Violations violations;
  if (request.display_name().empty() ||
      request.display_name().size() > kMaxNameLength) {
    violations.Add("display_name", "must be 1..200 bytes");
  }
  absl::StatusOr<absl::CivilDay> date =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!date.ok()) violations.Add("effective_date", "must be a calendar date");
  if (request.legal_reference().empty()) {
    violations.Add("legal_reference", "must name the legal act");
  }
  if (absl::Status status = violations.ToStatus("INVALID_RENAME");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<AdminUnit> unit = store_->GetUnit(*code);
  if (!unit.ok()) return unit.status();
  if (!ExistsOn(*unit, *date)) return NotInForce("name", *code, *date);
  if (request.kind() != v1::UNIT_KIND_UNSPECIFIED) {
    if (LevelOfKind(request.kind()) != unit->level()) {
      return InvalidArgumentWithViolations(
          "the kind must be of the unit's level", "INVALID_RENAME",
          {{"kind", "is not a kind of the unit's level"}});
    }
    unit->set_kind(request.kind());
  }
  unit->set_display_name(request.display_name());
  v1::SuccessionEvent event;
  event.set_type(v1::SUCCESSION_TYPE_RENAME);
  *event.mutable_effective_date() = ToDate(*date);
  event.set_legal_reference(request.legal_reference());
  event.add_predecessors(UnitName(*code));
  v1::Successor* successor = event.add_successors();
  successor->set_unit(UnitName(*code));
  successor->set_share(1);
  successor->set_primary(true);
  UnitWrite write;
  std::string etag = unit->etag();
  write.puts.push_back({*std::move(unit), false, etag});
  write.events.push_back(std::move(event));
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.events.front().SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->events.front();
}

absl::StatusOr<v1::SuccessionEvent> UnitRegistry::ReparentUnit(
    const v1::ReparentUnitRequest& request) {
  v1::SuccessionEvent replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  Violations violations;
  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) violations.Add("name", "must be units/{code}");
  absl::StatusOr<std::string> parent_code =
      UnitCode(request.parent(), "parent");
  if (!parent_code.ok()) violations.Add("parent", "must be units/{code}");
  absl::StatusOr<absl::CivilDay> date =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!date.ok()) violations.Add("effective_date", "must be a calendar date");
  if (request.legal_reference().empty()) {
    violations.Add("legal_reference", "must name the legal act");
  }
  if (absl::Status status = violations.ToStatus("INVALID_REPARENT");
      !status.ok()) {
    return status;
  }
  absl::StatusOr<AdminUnit> unit = store_->GetUnit(*code);
  if (!unit.ok()) return unit.status();
  absl::StatusOr<AdminUnit> parent =
      Referenced(*store_, *parent_code, "parent");
  if (!parent.ok()) return parent.status();
  absl::CivilDay day_before = *date - 1;
  if (!ExistsOn(*unit, *date) || !ExistsOn(*unit, day_before)) {
    return NotInForce("name", *code, *date);
  }
  if (!ExistsOn(*parent, *date))
    return NotInForce("parent", *parent_code, *date);
  // Levels only go down the hierarchy, so a parent above can never be a
  // descendant: this check is what rules out cycles.
  if (parent->level() >= unit->level()) {
    return InvalidArgumentWithViolations(
        "a parent must be of a higher level", "PARENT_LEVEL",
        {{"parent", absl::StrCat("units/", *parent_code, " is not above units/",
                                 *code)}});
  }
  for (const v1::ParentLink& link : unit->parents()) {
    if (!InRange(link.valid(), day_before) && link.valid().has_start() &&
        !IsUnset(link.valid().start())) {
      absl::StatusOr<absl::CivilDay> link_start =
          ToCivilDay(link.valid().start(), "");
      if (link_start.ok() && *link_start >= *date) {
        return WithFieldViolations(
            WithErrorInfo(absl::FailedPreconditionError(
                              "the unit already has a parent link from a later "
                              "date; history cannot overlap"),
                          "OVERLAPPING_HISTORY"),
            {{"effective_date", "is not after the unit's latest parent link"}});
      }
    }
  }
  std::string old_parent = ParentOn(*unit, day_before);
  if (old_parent == *parent_code) {
    return WithFieldViolations(
        WithErrorInfo(absl::FailedPreconditionError(
                          "the unit is already under that parent"),
                      "SAME_PARENT"),
        {{"parent", "is the unit's current parent"}});
  }
  std::string etag = unit->etag();
  MoveParentLink(*unit, *parent_code, *date);

  v1::SuccessionEvent event;
  event.set_type(v1::SUCCESSION_TYPE_REPARENT);
  *event.mutable_effective_date() = ToDate(*date);
  event.set_legal_reference(request.legal_reference());
  event.add_predecessors(UnitName(*code));
  v1::Successor* successor = event.add_successors();
  successor->set_unit(UnitName(*code));
  successor->set_share(1);
  successor->set_primary(true);
  UnitWrite write;
  write.puts.push_back({*std::move(unit), false, etag});
  write.events.push_back(std::move(event));
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.events.front().SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->events.front();
}

absl::StatusOr<v1::ListSuccessionEventsResponse>
UnitRegistry::ListSuccessionEvents(
    const v1::ListSuccessionEventsRequest& request) {
  std::string code;
  if (!request.unit().empty()) {
    absl::StatusOr<std::string> parsed = UnitCode(request.unit(), "unit");
    if (!parsed.ok()) return parsed.status();
    code = *parsed;
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  int offset = 0;
  if (!request.page_token().empty() &&
      (!IsDigits(request.page_token()) ||
       !absl::SimpleAtoi(request.page_token(), &offset))) {
    return InvalidArgumentWithViolations(
        "page_token is not a token this service issued", "INVALID_PAGE_TOKEN",
        {{"page_token", "not issued by this service"}});
  }
  absl::StatusOr<std::vector<v1::SuccessionEvent>> events =
      store_->ListEvents(code);
  if (!events.ok()) return events.status();
  v1::ListSuccessionEventsResponse response;
  int taken = 0;
  for (size_t i = offset; i < events->size(); ++i) {
    const v1::SuccessionEvent& event = (*events)[i];
    absl::CivilDay day(event.effective_date().year(),
                       event.effective_date().month(),
                       event.effective_date().day());
    if (request.has_effective() && !InRange(request.effective(), day)) continue;
    if (taken == *page_size) {
      response.set_next_page_token(absl::StrCat(i));
      break;
    }
    *response.add_events() = event;
    ++taken;
  }
  return response;
}

absl::StatusOr<v1::SuccessionEvent> UnitRegistry::SplitUnit(
    const v1::SplitUnitRequest& request) {
  v1::SuccessionEvent replay;
  absl::StatusOr<bool> replayed =
      Replayed(*store_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) return code.status();
  Violations violations;
  absl::StatusOr<absl::CivilDay> date =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!date.ok()) violations.Add("effective_date", "must be a calendar date");
  if (request.legal_reference().empty()) {
    violations.Add("legal_reference", "must name the legal act");
  }
  if (request.successors_size() < 2) {
    violations.Add("successors", "a split needs at least two successors");
  }
  std::map<std::string, const AdminUnit*> new_units;
  for (int i = 0; i < request.new_units_size(); ++i) {
    const AdminUnit& unit = request.new_units(i);
    CheckDescription(unit, absl::StrCat("new_units[", i, "]."), violations);
    if (unit.level() != common::v1::UNIT_LEVEL_PROVINCE &&
        (unit.parents_size() != 1 ||
         !UnitCode(unit.parents(0).parent(), "").ok())) {
      violations.Add(absl::StrCat("new_units[", i, "].parents"),
                     "must hold one link: the parent from the effective date");
    }
    new_units[unit.code()] = &unit;
  }
  int primaries = 0;
  double shares = 0;
  std::vector<std::string> successors;
  for (int i = 0; i < request.successors_size(); ++i) {
    const v1::Successor& successor = request.successors(i);
    absl::StatusOr<std::string> successor_code = UnitCode(successor.unit(), "");
    if (!successor_code.ok()) {
      violations.Add(absl::StrCat("successors[", i, "].unit"),
                     "must be units/{code}");
      continue;
    }
    if (std::find(successors.begin(), successors.end(), *successor_code) !=
        successors.end()) {
      violations.Add(absl::StrCat("successors[", i, "].unit"), "is repeated");
    }
    successors.push_back(*successor_code);
    primaries += successor.primary() ? 1 : 0;
    shares += successor.share();
    if (successor.share() < 0 || successor.share() > 1) {
      violations.Add(absl::StrCat("successors[", i, "].share"),
                     "must be within 0..1");
    }
  }
  if (request.history_rule() == v1::HISTORY_RULE_SHARES &&
      std::abs(shares - 1) > 1e-6) {
    violations.Add("successors", "shares must add up to 1");
  }
  if (request.history_rule() != v1::HISTORY_RULE_SHARES && primaries != 1) {
    violations.Add("successors",
                   "exactly one successor must be primary (it receives the "
                   "history)");
  }
  if (absl::Status status = violations.ToStatus("INVALID_SPLIT");
      !status.ok()) {
    return status;
  }
  absl::CivilDay day_before = *date - 1;
  absl::StatusOr<AdminUnit> unit = store_->GetUnit(*code);
  if (!unit.ok()) return unit.status();
  if (!ExistsOn(*unit, day_before) || !IsOpen(unit->valid())) {
    return NotInForce("name", *code, day_before);
  }
  UnitWrite write;
  bool continues = false;
  for (size_t i = 0; i < successors.size(); ++i) {
    std::string field = absl::StrCat("successors[", i, "].unit");
    if (successors[i] == *code) {
      continues = true;
      continue;
    }
    auto created = new_units.find(successors[i]);
    if (created != new_units.end()) {
      AdminUnit fresh = *created->second;
      if (fresh.level() != unit->level()) {
        return InvalidArgumentWithViolations(
            "successors are of the split unit's level", "SPLIT_LEVEL",
            {{field, "is not of the split unit's level"}});
      }
      std::string parent;
      if (fresh.level() != common::v1::UNIT_LEVEL_PROVINCE) {
        parent = *UnitCode(fresh.parents(0).parent(), "");
        absl::StatusOr<AdminUnit> parent_unit =
            Referenced(*store_, parent, "new_units.parents[0].parent");
        if (!parent_unit.ok()) return parent_unit.status();
        if (!ExistsOn(*parent_unit, *date)) {
          return NotInForce("new_units.parents[0].parent", parent, *date);
        }
      }
      fresh.clear_parents();
      fresh.clear_valid();
      *fresh.mutable_valid()->mutable_start() = ToDate(*date);
      if (!parent.empty()) AddParentLink(fresh, parent, *date);
      write.puts.push_back({std::move(fresh), /*create=*/true, ""});
      continue;
    }
    absl::StatusOr<AdminUnit> existing =
        Referenced(*store_, successors[i], field);
    if (!existing.ok()) return existing.status();
    if (!ExistsOn(*existing, *date)) {
      return NotInForce(field, successors[i], *date);
    }
    if (existing->level() != unit->level()) {
      return InvalidArgumentWithViolations(
          "successors are of the split unit's level", "SPLIT_LEVEL",
          {{field, "is not of the split unit's level"}});
    }
  }
  if (!continues) {
    absl::StatusOr<std::vector<AdminUnit>> children =
        store_->ListUnits({*code, 0, day_before, "", 1});
    if (!children.ok()) return children.status();
    if (!children->empty()) {
      return WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              "units/", *code, " still has units under it (e.g. units/",
              children->front().code(), "); reparent them first")),
          "UNIT_HAS_CHILDREN", {{"code", *code}});
    }
    std::string etag = unit->etag();
    *unit->mutable_valid()->mutable_end() = ToDate(day_before);
    CloseParentLinkOn(*unit, day_before);
    write.puts.push_back({*std::move(unit), false, etag});
  }
  v1::SuccessionEvent event;
  event.set_type(v1::SUCCESSION_TYPE_SPLIT);
  *event.mutable_effective_date() = ToDate(*date);
  event.set_legal_reference(request.legal_reference());
  event.add_predecessors(UnitName(*code));
  *event.mutable_successors() = request.successors();
  event.set_history_rule(request.history_rule() == v1::HISTORY_RULE_SHARES
                             ? v1::HISTORY_RULE_SHARES
                             : v1::HISTORY_RULE_PRIMARY_SUCCESSOR);
  write.events.push_back(std::move(event));
  write.request_id = request.request_id();
  write.respond = [](const UnitWrite& done) {
    return done.events.front().SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return written->events.front();
}

absl::StatusOr<v1::GetUnitLineageResponse> UnitRegistry::GetUnitLineage(
    const v1::GetUnitLineageRequest& request) {
  absl::StatusOr<std::string> code = UnitCode(request.name(), "name");
  if (!code.ok()) return code.status();
  if (absl::Status found = store_->GetUnit(*code).status(); !found.ok()) {
    return found;
  }
  // Walk events up through predecessors and down through successors.
  auto walk = [&](bool up) -> absl::StatusOr<std::vector<v1::SuccessionEvent>> {
    std::vector<v1::SuccessionEvent> found;
    std::set<std::string> seen_events, seen_units = {*code};
    std::vector<std::string> queue = {*code};
    while (!queue.empty()) {
      std::string current = queue.back();
      queue.pop_back();
      absl::StatusOr<std::vector<v1::SuccessionEvent>> events =
          store_->ListEvents(current);
      if (!events.ok()) return events.status();
      for (const v1::SuccessionEvent& event : *events) {
        std::vector<std::string> predecessors, successors;
        for (const std::string& name : event.predecessors()) {
          predecessors.push_back(name.substr(6));
        }
        for (const v1::Successor& successor : event.successors()) {
          successors.push_back(successor.unit().substr(6));
        }
        const std::vector<std::string>& side = up ? successors : predecessors;
        const std::vector<std::string>& next = up ? predecessors : successors;
        if (std::find(side.begin(), side.end(), current) == side.end())
          continue;
        if (!seen_events.insert(event.name()).second) continue;
        found.push_back(event);
        for (const std::string& unit : next) {
          if (seen_units.insert(unit).second) queue.push_back(unit);
        }
      }
    }
    std::sort(found.begin(), found.end(),
              [](const v1::SuccessionEvent& a, const v1::SuccessionEvent& b) {
                return std::make_tuple(a.effective_date().year(),
                                       a.effective_date().month(),
                                       a.effective_date().day(), a.name()) <
                       std::make_tuple(b.effective_date().year(),
                                       b.effective_date().month(),
                                       b.effective_date().day(), b.name());
              });
    return found;
  };
  absl::StatusOr<std::vector<v1::SuccessionEvent>> ancestry = walk(true);
  if (!ancestry.ok()) return ancestry.status();
  absl::StatusOr<std::vector<v1::SuccessionEvent>> descendants = walk(false);
  if (!descendants.ok()) return descendants.status();
  v1::GetUnitLineageResponse response;
  for (auto& event : *ancestry) *response.add_ancestry() = std::move(event);
  for (auto& event : *descendants)
    *response.add_descendants() = std::move(event);
  return response;
}

}  // namespace lienthong::registry
