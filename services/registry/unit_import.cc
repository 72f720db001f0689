#include "services/registry/unit_import.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "libs/status/status_details.h"
#include "services/registry/dates.h"
#include "services/registry/import_formats.pb.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {
namespace {

using v1::AdminUnit;

bool IsCode(absl::string_view code, size_t length) {
  return code.size() == length &&
         std::all_of(code.begin(), code.end(), absl::ascii_isdigit);
}

v1::UnitKind ProvinceKind(absl::string_view full_name) {
  return absl::StartsWith(full_name, "Thành phố") ? v1::UNIT_KIND_CENTRAL_CITY
                                                  : v1::UNIT_KIND_PROVINCE;
}

v1::UnitKind CommuneKind(absl::string_view full_name) {
  if (absl::StartsWith(full_name, "Phường")) return v1::UNIT_KIND_WARD;
  if (absl::StartsWith(full_name, "Thị trấn")) return v1::UNIT_KIND_TOWNSHIP;
  if (absl::StartsWith(full_name, "Đặc khu")) return v1::UNIT_KIND_SPECIAL_ZONE;
  return v1::UNIT_KIND_COMMUNE;  // "Xã", and the odd lower-case "xã"
}

std::string UnitName(absl::string_view code) {
  return absl::StrCat("units/", code);
}

std::string ParentOn(const AdminUnit& unit, absl::CivilDay day) {
  for (const v1::ParentLink& link : unit.parents()) {
    if (InRange(link.valid(), day)) return link.parent().substr(6);
  }
  return "";
}

bool HasEnd(const common::v1::DateRange& range) {
  return range.has_end() && !IsUnset(range.end());
}

// The units an import touches: the stored state, the changes, and the counts.
class Workspace {
 public:
  explicit Workspace(std::vector<AdminUnit> stored) {
    for (AdminUnit& unit : stored) {
      std::string code = unit.code();
      stored_.emplace(std::move(code), std::move(unit));
    }
  }

  // The current state of `code` (changed or stored), or null.
  const AdminUnit* Find(const std::string& code) const {
    if (auto it = puts_.find(code); it != puts_.end()) return &it->second.unit;
    if (auto it = stored_.find(code); it != stored_.end()) return &it->second;
    return nullptr;
  }

  // A copy of `code` to change; must exist.
  AdminUnit* Edit(const std::string& code) {
    auto it = puts_.find(code);
    if (it == puts_.end()) {
      const AdminUnit& stored = stored_.at(code);
      it = puts_.emplace(code, UnitPut{stored, false, stored.etag()}).first;
    }
    return &it->second.unit;
  }

  void Create(AdminUnit unit) {
    std::string code = unit.code();
    puts_.emplace(std::move(code), UnitPut{std::move(unit), true, ""});
  }

  // The puts that change something, and counts of created/updated/unchanged
  // among the codes the import named.
  std::vector<UnitPut> Changes(int* created, int* updated) const {
    std::vector<UnitPut> changes;
    for (const auto& [code, put] : puts_) {
      if (put.create) {
        ++*created;
      } else if (put.unit.SerializeAsString() ==
                 stored_.at(code).SerializeAsString()) {
        continue;
      } else {
        ++*updated;
      }
      changes.push_back(put);
    }
    return changes;
  }

 private:
  std::map<std::string, AdminUnit> stored_;
  std::map<std::string, UnitPut> puts_;
};

class Import {
 public:
  Import(Workspace* units, absl::CivilDay effective,
         std::string legal_reference, v1::ImportUnitsResponse* response)
      : units_(units),
        effective_(effective),
        day_before_(effective - 1),
        legal_reference_(std::move(legal_reference)),
        response_(response) {}

  void Refuse(std::string location, std::string code, std::string reason,
              std::string description) {
    v1::RefusedImportRow* row = response_->add_refused();
    row->set_location(std::move(location));
    row->set_code(std::move(code));
    row->set_reason(std::move(reason));
    row->set_description(std::move(description));
  }

  // Makes `code` a unit in force from the effective date under `parent` ("" for
  // a province), with the given description; continues an existing code.
  void PutCurrent(const std::string& code, const std::string& parent,
                  const std::string& display_name,
                  const std::string& ascii_name, common::v1::UnitLevel level,
                  v1::UnitKind kind) {
    if (units_->Find(code) == nullptr) {
      AdminUnit unit;
      unit.set_code(code);
      unit.set_level(level);
      *unit.mutable_valid()->mutable_start() = ToDate(effective_);
      if (!parent.empty()) {
        v1::ParentLink* link = unit.add_parents();
        link->set_parent(UnitName(parent));
        *link->mutable_valid()->mutable_start() = ToDate(effective_);
      }
      unit.set_display_name(display_name);
      unit.set_ascii_name(ascii_name);
      unit.set_kind(kind);
      units_->Create(std::move(unit));
      return;
    }
    AdminUnit* unit = units_->Edit(code);
    unit->set_display_name(display_name);
    unit->set_ascii_name(ascii_name);
    unit->set_kind(kind);
    unit->mutable_valid()->clear_end();
    if (!parent.empty() && ParentOn(*unit, effective_) != parent) {
      // End the link in force the day before, drop any from the date on.
      google::protobuf::RepeatedPtrField<v1::ParentLink> kept;
      for (v1::ParentLink link : unit->parents()) {
        if (InRange(link.valid(), effective_) &&
            !InRange(link.valid(), day_before_)) {
          continue;  // starts on or after the date: replaced below
        }
        if (InRange(link.valid(), effective_)) {
          *link.mutable_valid()->mutable_end() = ToDate(day_before_);
        }
        *kept.Add() = std::move(link);
      }
      *unit->mutable_parents() = std::move(kept);
      v1::ParentLink* link = unit->add_parents();
      link->set_parent(UnitName(parent));
      *link->mutable_valid()->mutable_start() = ToDate(effective_);
    }
  }

  // Makes `code` a unit that existed up to the day before the effective date
  // (its beginning unknown) under `parent`; extends a continuing code's history
  // back.
  void PutPrevious(const std::string& code, const std::string& parent,
                   const std::string& display_name, common::v1::UnitLevel level,
                   v1::UnitKind kind) {
    const AdminUnit* found = units_->Find(code);
    if (found == nullptr) {
      AdminUnit unit;
      unit.set_code(code);
      unit.set_level(level);
      unit.set_kind(kind);
      unit.set_display_name(display_name);
      *unit.mutable_valid()->mutable_end() = ToDate(day_before_);
      if (!parent.empty()) {
        v1::ParentLink* link = unit.add_parents();
        link->set_parent(UnitName(parent));
        *link->mutable_valid()->mutable_end() = ToDate(day_before_);
      }
      units_->Create(std::move(unit));
      return;
    }
    // A continuing code: it existed before the date too.
    AdminUnit* unit = units_->Edit(code);
    if (unit->valid().has_start() && !IsUnset(unit->valid().start()) &&
        absl::CivilDay(unit->valid().start().year(),
                       unit->valid().start().month(),
                       unit->valid().start().day()) >= effective_) {
      unit->mutable_valid()->clear_start();
    }
    if (!parent.empty() && ParentOn(*unit, day_before_).empty()) {
      google::protobuf::RepeatedPtrField<v1::ParentLink> links;
      v1::ParentLink* before = links.Add();
      before->set_parent(UnitName(parent));
      *before->mutable_valid()->mutable_end() = ToDate(day_before_);
      for (const v1::ParentLink& link : unit->parents()) *links.Add() = link;
      *unit->mutable_parents() = std::move(links);
    }
  }

  // Whether `code` is a unit of `level` in force on the effective date.
  bool IsCurrent(const std::string& code, common::v1::UnitLevel level) const {
    const AdminUnit* unit = units_->Find(code);
    return unit != nullptr && unit->level() == level &&
           InRange(unit->valid(), effective_);
  }

  void AddEvent(v1::SuccessionType type, std::vector<std::string> predecessors,
                std::vector<std::string> successors, const std::string& primary,
                const std::set<std::string>& recorded) {
    std::sort(predecessors.begin(), predecessors.end());
    std::string key = EventKey(type, predecessors, successors);
    if (recorded.count(key) > 0) return;  // imported before
    v1::SuccessionEvent event;
    event.set_type(type);
    *event.mutable_effective_date() = ToDate(effective_);
    event.set_legal_reference(legal_reference_);
    for (const std::string& code : predecessors) {
      event.add_predecessors(UnitName(code));
    }
    for (const std::string& code : successors) {
      v1::Successor* successor = event.add_successors();
      successor->set_unit(UnitName(code));
      successor->set_primary(code == primary);
      successor->set_share(code == primary ? 1 : 0);
    }
    event.set_history_rule(v1::HISTORY_RULE_PRIMARY_SUCCESSOR);
    events_.push_back(std::move(event));
  }

  static std::string EventKey(v1::SuccessionType type,
                              const std::vector<std::string>& predecessors,
                              const std::vector<std::string>& successors) {
    return absl::StrCat(type, ":", absl::StrJoin(predecessors, ","), ">",
                        absl::StrJoin(successors, ","));
  }

  std::vector<v1::SuccessionEvent>& events() { return events_; }

 private:
  Workspace* units_;
  absl::CivilDay effective_;
  absl::CivilDay day_before_;
  std::string legal_reference_;
  v1::ImportUnitsResponse* response_;
  std::vector<v1::SuccessionEvent> events_;
};

void ImportUnits2025(const internal::Units2025File& file, Import& import) {
  std::set<std::string> seen;
  for (int i = 0; i < file.provinces_size(); ++i) {
    const internal::Province2025& province = file.provinces(i);
    std::string where = absl::StrCat("provinces[", i, "]");
    if (!IsCode(province.code(), 2) || province.fullname().empty()) {
      import.Refuse(where, province.code(), "INVALID_ROW",
                    "a province needs a 2-digit Code and a FullName");
      continue;
    }
    if (!seen.insert(province.code()).second) {
      import.Refuse(where, province.code(), "DUPLICATE_CODE",
                    "the code appears twice in the file");
      continue;
    }
    import.PutCurrent(province.code(), "", province.fullname(),
                      province.nameen(), common::v1::UNIT_LEVEL_PROVINCE,
                      ProvinceKind(province.fullname()));
    for (int j = 0; j < province.wards_size(); ++j) {
      const internal::Ward2025& ward = province.wards(j);
      std::string ward_where = absl::StrCat(where, ".Wards[", j, "]");
      if (!IsCode(ward.code(), 5) || ward.fullname().empty()) {
        import.Refuse(ward_where, ward.code(), "INVALID_ROW",
                      "a ward or commune needs a 5-digit Code and a FullName");
        continue;
      }
      if (!ward.provincecode().empty() &&
          ward.provincecode() != province.code()) {
        import.Refuse(
            ward_where, ward.code(), "PROVINCE_MISMATCH",
            absl::StrCat("ProvinceCode ", ward.provincecode(),
                         " but listed under province ", province.code()));
        continue;
      }
      if (!seen.insert(ward.code()).second) {
        import.Refuse(ward_where, ward.code(), "DUPLICATE_CODE",
                      "the code appears twice in the file");
        continue;
      }
      import.PutCurrent(ward.code(), province.code(), ward.fullname(),
                        ward.nameen(), common::v1::UNIT_LEVEL_COMMUNE,
                        CommuneKind(ward.fullname()));
    }
  }
}

void ImportOldTo2025(const internal::OldTo2025File& file, Import& import,
                     const std::set<std::string>& recorded) {
  std::set<std::string> seen;
  // New unit -> the old units that went (wholly or partly) into it.
  std::map<std::string, std::vector<std::string>> province_sources;
  std::map<std::string, std::vector<std::string>> commune_sources;
  for (int i = 0; i < file.data_size(); ++i) {
    const internal::OldProvince& province = file.data(i);
    std::string where = absl::StrCat("data[", i, "]");
    if (!IsCode(province.level1_id(), 2) || province.name().empty()) {
      import.Refuse(where, province.level1_id(), "INVALID_ROW",
                    "an old province needs a 2-digit level1_id and a name");
      continue;
    }
    if (!seen.insert(province.level1_id()).second) {
      import.Refuse(where, province.level1_id(), "DUPLICATE_CODE",
                    "the code appears twice in the file");
      continue;
    }
    std::vector<std::string> successors;
    for (const internal::NewUnitRef& split : province.splits()) {
      successors.push_back(split.new_id());
    }
    bool known = !successors.empty();
    for (const std::string& successor : successors) {
      known =
          known && import.IsCurrent(successor, common::v1::UNIT_LEVEL_PROVINCE);
    }
    if (!known) {
      import.Refuse(where, province.level1_id(), "UNKNOWN_SUCCESSOR",
                    "its successor provinces are not in the registry on the "
                    "effective date; import the 2025 list first");
      continue;
    }
    import.PutPrevious(province.level1_id(), "", province.name(),
                       common::v1::UNIT_LEVEL_PROVINCE,
                       ProvinceKind(province.name()));
    for (const std::string& successor : successors) {
      province_sources[successor].push_back(province.level1_id());
    }
    for (int j = 0; j < province.level3s_size(); ++j) {
      const internal::OldCommune& commune = province.level3s(j);
      std::string commune_where = absl::StrCat(where, ".level3s[", j, "]");
      if (!IsCode(commune.level3_id(), 5) || commune.name().empty()) {
        import.Refuse(commune_where, commune.level3_id(), "INVALID_ROW",
                      "an old commune needs a 5-digit level3_id and a name");
        continue;
      }
      if (!seen.insert(commune.level3_id()).second) {
        import.Refuse(commune_where, commune.level3_id(), "DUPLICATE_CODE",
                      "the code appears twice in the file");
        continue;
      }
      std::vector<std::string> targets;
      std::string unknown;
      for (const internal::NewUnitRef& split : commune.splits()) {
        if (!import.IsCurrent(split.new_id(), common::v1::UNIT_LEVEL_COMMUNE)) {
          unknown = split.new_id();
        }
        targets.push_back(split.new_id());
      }
      if (targets.empty() || !unknown.empty()) {
        import.Refuse(commune_where, commune.level3_id(), "UNKNOWN_SUCCESSOR",
                      targets.empty()
                          ? "no successor listed"
                          : absl::StrCat("successor ", unknown,
                                         " is not a ward or commune in force "
                                         "on the effective date"));
        continue;
      }
      import.PutPrevious(commune.level3_id(), province.level1_id(),
                         commune.name(), common::v1::UNIT_LEVEL_COMMUNE,
                         CommuneKind(commune.name()));
      for (const std::string& target : targets) {
        commune_sources[target].push_back(commune.level3_id());
      }
      if (targets.size() > 1) {
        // Divided among several: the whole history goes to the successor that
        // keeps the code, or else to the first one listed.
        bool keeps = std::find(targets.begin(), targets.end(),
                               commune.level3_id()) != targets.end();
        import.AddEvent(v1::SUCCESSION_TYPE_SPLIT, {commune.level3_id()},
                        targets, keeps ? commune.level3_id() : targets.front(),
                        recorded);
      }
    }
  }
  for (auto* sources : {&province_sources, &commune_sources}) {
    for (const auto& [successor, predecessors] : *sources) {
      if (predecessors.size() == 1 && predecessors.front() == successor) {
        continue;  // the same unit going on: no succession
      }
      import.AddEvent(v1::SUCCESSION_TYPE_MERGE, predecessors, {successor},
                      successor, recorded);
    }
  }
}

}  // namespace

absl::StatusOr<v1::ImportUnitsResponse> UnitImporter::Import(
    const v1::ImportUnitsRequest& request) {
  if (!request.request_id().empty()) {
    absl::StatusOr<absl::optional<std::string>> stored =
        store_->FindResponse(request.request_id());
    if (!stored.ok()) return stored.status();
    v1::ImportUnitsResponse replay;
    if (stored->has_value() && replay.ParseFromString(**stored)) return replay;
  }
  std::vector<FieldViolation> violations;
  if (request.format() == v1::IMPORT_FORMAT_UNSPECIFIED) {
    violations.push_back({"format", "must be set"});
  }
  if (request.content().empty()) {
    violations.push_back({"content", "must hold the file"});
  }
  absl::StatusOr<absl::CivilDay> effective =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!effective.ok()) {
    violations.push_back({"effective_date", "must be a calendar date"});
  }
  if (request.legal_reference().empty()) {
    violations.push_back(
        {"legal_reference", "must name the act, e.g. \"NQ 202/2025/QH15\""});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("the import request is incomplete",
                                         "INVALID_IMPORT", violations);
  }

  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  internal::Units2025File units_2025;
  internal::OldTo2025File old_to_2025;
  google::protobuf::util::Status parsed;
  if (request.format() == v1::IMPORT_FORMAT_UNITS_2025_JSON) {
    // The file is a bare array; wrap it as the message's one field.
    parsed = google::protobuf::util::JsonStringToMessage(
        absl::StrCat("{\"provinces\":", request.content(), "}"), &units_2025,
        options);
  } else {
    parsed = google::protobuf::util::JsonStringToMessage(request.content(),
                                                         &old_to_2025, options);
  }
  if (!parsed.ok()) {
    return InvalidArgumentWithViolations(
        absl::StrCat(
            "content is not a file of the given format: ",
            std::string(parsed.message().data(), parsed.message().size())),
        "INVALID_IMPORT_CONTENT",
        {{"content",
          std::string(parsed.message().data(), parsed.message().size())}});
  }

  UnitQuery everything;
  everything.limit = 1 << 30;
  absl::StatusOr<std::vector<AdminUnit>> stored = store_->ListUnits(everything);
  if (!stored.ok()) return stored.status();
  absl::StatusOr<std::vector<v1::SuccessionEvent>> stored_events =
      store_->ListEvents("");
  if (!stored_events.ok()) return stored_events.status();
  std::set<std::string> recorded;
  for (const v1::SuccessionEvent& event : *stored_events) {
    std::vector<std::string> predecessors, successors;
    for (const std::string& name : event.predecessors()) {
      predecessors.push_back(name.substr(6));
    }
    for (const v1::Successor& successor : event.successors()) {
      successors.push_back(successor.unit().substr(6));
    }
    std::sort(predecessors.begin(), predecessors.end());
    recorded.insert(Import::EventKey(event.type(), predecessors, successors));
  }

  Workspace units(*std::move(stored));
  v1::ImportUnitsResponse response;
  class Import import(&units, *effective, request.legal_reference(), &response);
  if (request.format() == v1::IMPORT_FORMAT_UNITS_2025_JSON) {
    ImportUnits2025(units_2025, import);
  } else {
    ImportOldTo2025(old_to_2025, import, recorded);
  }

  int created = 0, updated = 0;
  UnitWrite write;
  write.puts = units.Changes(&created, &updated);
  write.events = std::move(import.events());
  response.set_units_created(created);
  response.set_units_updated(updated);
  response.set_events_recorded(static_cast<int32_t>(write.events.size()));
  int named = 0;
  if (request.format() == v1::IMPORT_FORMAT_UNITS_2025_JSON) {
    for (const auto& province : units_2025.provinces()) {
      named += 1 + province.wards_size();
    }
  } else {
    for (const auto& province : old_to_2025.data()) {
      named += 1 + province.level3s_size();
    }
  }
  response.set_units_unchanged(
      std::max(0, named - created - updated - response.refused_size()));
  if (request.dry_run()) return response;

  write.request_id = request.request_id();
  write.respond = [response](const UnitWrite&) {
    return response.SerializeAsString();
  };
  absl::StatusOr<UnitWrite> written = store_->Write(std::move(write));
  if (!written.ok()) return written.status();
  return response;
}

}  // namespace lienthong::registry
