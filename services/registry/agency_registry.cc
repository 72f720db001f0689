#include "services/registry/agency_registry.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/registry/record_store.h"
#include "services/registry/request_helpers.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {
namespace {

constexpr char kKind[] = "agency";
constexpr char kAgencyPrefix[] = "agencies/";
constexpr char kUnitPrefix[] = "units/";
constexpr size_t kMaxTextLength = 300;

absl::StatusOr<std::string> AgencyCode(absl::string_view name,
                                       absl::string_view field) {
  if (!absl::StartsWith(name, kAgencyPrefix) ||
      !IsAgencyCode(name.substr(sizeof(kAgencyPrefix) - 1))) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " must be agencies/{code}"), "INVALID_AGENCY_NAME",
        {{std::string(field),
          absl::StrCat("\"", name,
                       "\" is not agencies/ followed by an identifier code "
                       "such as 000.00.04.G14")}});
  }
  return std::string(name.substr(sizeof(kAgencyPrefix) - 1));
}

// Fields of an agency that must hold whatever the request.
void CheckFields(const v1::Agency& agency, std::vector<FieldViolation>& out) {
  if (!IsAgencyCode(agency.code())) {
    out.push_back({"agency.code",
                   "must be 1-35 characters of dot-separated groups of 0-9 and "
                   "A-Z, e.g. 000.00.04.G14 (QĐ 20/2020/QĐ-TTg)"});
  }
  if (agency.display_name().empty() ||
      agency.display_name().size() > kMaxTextLength) {
    out.push_back({"agency.display_name", "must be 1..300 bytes"});
  }
  if (!absl::StartsWith(agency.unit(), kUnitPrefix)) {
    out.push_back({"agency.unit", "must be units/{code}"});
  }
  if (!agency.parent_agency().empty() &&
      !absl::StartsWith(agency.parent_agency(), kAgencyPrefix)) {
    out.push_back({"agency.parent_agency", "must be agencies/{code}"});
  }
  if (!agency.email().empty() &&
      (agency.email().find('@') == std::string::npos ||
       agency.email().size() > kMaxTextLength)) {
    out.push_back({"agency.email", "must be an e-mail address"});
  }
  if (!agency.website().empty() &&
      !absl::StartsWith(agency.website(), "https://") &&
      !absl::StartsWith(agency.website(), "http://")) {
    out.push_back({"agency.website", "must be an http(s) URL"});
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"agency.address",
                                                   &agency.address()},
        {"agency.telephone", &agency.telephone()}}) {
    if (value->size() > kMaxTextLength) {
      out.push_back({field, "must be at most 300 bytes"});
    }
  }
}

absl::StatusOr<v1::Agency> FromRecord(const Record& record) {
  v1::Agency agency;
  if (!agency.ParseFromString(record.body)) {
    return absl::DataLossError("stored agency does not parse");
  }
  agency.set_etag(absl::StrCat(record.revision));
  return agency;
}

}  // namespace

bool IsAgencyCode(absl::string_view code) {
  if (code.empty() || code.size() > 35) return false;
  for (absl::string_view group : absl::StrSplit(code, '.')) {
    if (group.empty() || !std::all_of(group.begin(), group.end(), [](char c) {
          return absl::ascii_isdigit(c) || (c >= 'A' && c <= 'Z');
        })) {
      return false;
    }
  }
  return true;
}

absl::Status AgencyRegistry::CheckReferences(const v1::Agency& agency) {
  absl::StatusOr<v1::AdminUnit> unit =
      units_->GetUnit(agency.unit().substr(sizeof(kUnitPrefix) - 1));
  if (absl::IsNotFound(unit.status())) {
    return InvalidArgumentWithViolations(
        "the agency's unit is unknown", "UNKNOWN_UNIT",
        {{"agency.unit", absl::StrCat("no unit ", agency.unit())}});
  }
  if (!unit.ok()) return unit.status();
  if (agency.parent_agency().empty()) return absl::OkStatus();
  absl::StatusOr<std::string> parent =
      AgencyCode(agency.parent_agency(), "agency.parent_agency");
  if (!parent.ok()) return parent.status();
  if (*parent == agency.code()) {
    return InvalidArgumentWithViolations(
        "an agency cannot be its own parent", "AGENCY_CYCLE",
        {{"agency.parent_agency", "names the agency itself"}});
  }
  // Walk up from the parent: reaching this agency again would close a cycle.
  std::string current = *parent;
  for (int depth = 0; depth < 64 && !current.empty(); ++depth) {
    absl::StatusOr<Record> record = records_->Get(kKind, current);
    if (absl::IsNotFound(record.status())) {
      return InvalidArgumentWithViolations(
          "the parent agency is unknown", "UNKNOWN_AGENCY",
          {{"agency.parent_agency",
            absl::StrCat("no agency agencies/", current)}});
    }
    if (!record.ok()) return record.status();
    absl::StatusOr<v1::Agency> ancestor = FromRecord(*record);
    if (!ancestor.ok()) return ancestor.status();
    current = ancestor->parent_agency().empty()
                  ? ""
                  : ancestor->parent_agency().substr(sizeof(kAgencyPrefix) - 1);
    if (current == agency.code()) {
      return InvalidArgumentWithViolations(
          "the parent chain would loop back to this agency", "AGENCY_CYCLE",
          {{"agency.parent_agency", "is a descendant of this agency"}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Agency> AgencyRegistry::GetAgency(
    const v1::GetAgencyRequest& request) {
  absl::StatusOr<std::string> code = AgencyCode(request.name(), "name");
  if (!code.ok()) return code.status();
  absl::StatusOr<Record> record = records_->Get(kKind, *code);
  if (!record.ok()) return record.status();
  return FromRecord(*record);
}

absl::StatusOr<v1::ListAgenciesResponse> AgencyRegistry::ListAgencies(
    const v1::ListAgenciesRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!request.page_token().empty() && !IsAgencyCode(request.page_token())) {
    violations.push_back({"page_token", "is not a token this service issued"});
  }
  std::string owner;
  if (!request.unit().empty()) {
    if (!absl::StartsWith(request.unit(), kUnitPrefix)) {
      violations.push_back({"unit", "must be units/{code}"});
    } else {
      owner = request.unit().substr(sizeof(kUnitPrefix) - 1);
    }
  }
  if (!request.parent_agency().empty() &&
      !AgencyCode(request.parent_agency(), "parent_agency").ok()) {
    violations.push_back({"parent_agency", "must be agencies/{code}"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid list request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  int page_size = *PageSize(request.page_size());  // checked above
  v1::ListAgenciesResponse response;
  std::string after = request.page_token();
  // The parent filter is applied while reading; keep reading until the page
  // fills.
  while (response.agencies_size() < page_size) {
    absl::StatusOr<std::vector<Record>> records =
        records_->List(kKind, owner, after, page_size);
    if (!records.ok()) return records.status();
    for (const Record& record : *records) {
      after = record.id;
      absl::StatusOr<v1::Agency> agency = FromRecord(record);
      if (!agency.ok()) return agency.status();
      if (!request.parent_agency().empty() &&
          agency->parent_agency() != request.parent_agency()) {
        continue;
      }
      *response.add_agencies() = *std::move(agency);
      if (response.agencies_size() == page_size) break;
    }
    if (static_cast<int>(records->size()) < page_size) {
      after.clear();  // the end: no next page
      break;
    }
  }
  if (response.agencies_size() == page_size && !after.empty()) {
    response.set_next_page_token(after);
  }
  return response;
}

absl::StatusOr<v1::Agency> AgencyRegistry::CreateAgency(
    const v1::CreateAgencyRequest& request) {
  v1::Agency replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  v1::Agency agency = request.agency();
  std::vector<FieldViolation> violations;
  CheckFields(agency, violations);
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid agency", "INVALID_AGENCY",
                                         violations);
  }
  if (absl::Status status = CheckReferences(agency); !status.ok()) {
    return status;
  }
  agency.set_name(absl::StrCat(kAgencyPrefix, agency.code()));
  agency.clear_etag();
  *agency.mutable_update_time() = NowTimestamp(*clock_);
  auto respond = [](const std::vector<RecordPut>& puts) {
    v1::Agency out;
    out.ParseFromString(puts.front().record.body);
    out.set_etag(absl::StrCat(puts.front().record.revision));
    return out.SerializeAsString();
  };
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{kKind, agency.code(), agency.unit().substr(sizeof(kUnitPrefix) - 1),
         agency.SerializeAsString(), 0},
        /*create=*/true,
        false,
        0}},
      request.request_id(), respond);
  if (!written.ok()) return written.status();
  return FromRecord(written->front().record);
}

absl::StatusOr<v1::Agency> AgencyRegistry::UpdateAgency(
    const v1::UpdateAgencyRequest& request) {
  v1::Agency replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code =
      AgencyCode(request.agency().name(), "agency.name");
  if (!code.ok()) return code.status();
  absl::StatusOr<int64_t> expected =
      ExpectedRevision(request.agency().etag(), "agency.etag");
  if (!expected.ok()) return expected.status();
  std::vector<FieldViolation> violations;
  if (request.update_mask().paths_size() == 0) {
    violations.push_back({"update_mask", "must name the fields to change"});
  }
  for (const std::string& path : request.update_mask().paths()) {
    static const auto* kUpdatable = new std::vector<std::string>{
        "display_name", "unit",      "parent_agency", "address",
        "email",        "telephone", "website"};
    if (std::find(kUpdatable->begin(), kUpdatable->end(), path) ==
        kUpdatable->end()) {
      violations.push_back(
          {"update_mask", absl::StrCat("\"", path, "\" cannot be updated")});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid update mask",
                                         "INVALID_UPDATE_MASK", violations);
  }
  absl::StatusOr<Record> record = records_->Get(kKind, *code);
  if (!record.ok()) return record.status();
  absl::StatusOr<v1::Agency> agency = FromRecord(*record);
  if (!agency.ok()) return agency.status();
  const v1::Agency& in = request.agency();
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "display_name") agency->set_display_name(in.display_name());
    if (path == "unit") agency->set_unit(in.unit());
    if (path == "parent_agency") agency->set_parent_agency(in.parent_agency());
    if (path == "address") agency->set_address(in.address());
    if (path == "email") agency->set_email(in.email());
    if (path == "telephone") agency->set_telephone(in.telephone());
    if (path == "website") agency->set_website(in.website());
  }
  CheckFields(*agency, violations);
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid agency", "INVALID_AGENCY",
                                         violations);
  }
  if (absl::Status status = CheckReferences(*agency); !status.ok()) {
    return status;
  }
  agency->clear_etag();
  *agency->mutable_update_time() = NowTimestamp(*clock_);
  auto respond = [](const std::vector<RecordPut>& puts) {
    v1::Agency out;
    out.ParseFromString(puts.front().record.body);
    out.set_etag(absl::StrCat(puts.front().record.revision));
    return out.SerializeAsString();
  };
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{kKind, *code, agency->unit().substr(sizeof(kUnitPrefix) - 1),
         agency->SerializeAsString(), 0},
        false,
        false,
        *expected != 0 ? *expected : record->revision}},
      request.request_id(), respond);
  if (!written.ok()) return written.status();
  return FromRecord(written->front().record);
}

absl::StatusOr<google::protobuf::Empty> AgencyRegistry::DeleteAgency(
    const v1::DeleteAgencyRequest& request) {
  google::protobuf::Empty replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code = AgencyCode(request.name(), "name");
  if (!code.ok()) return code.status();
  absl::StatusOr<int64_t> expected = ExpectedRevision(request.etag(), "etag");
  if (!expected.ok()) return expected.status();
  absl::StatusOr<Record> record = records_->Get(kKind, *code);
  if (!record.ok()) return record.status();
  // Refuse while other agencies sit under it.
  v1::ListAgenciesRequest children;
  children.set_parent_agency(request.name());
  children.set_page_size(1);
  absl::StatusOr<v1::ListAgenciesResponse> listed = ListAgencies(children);
  if (!listed.ok()) return listed.status();
  if (listed->agencies_size() > 0) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "agencies/", *code, " still has agencies under it, e.g. ",
            listed->agencies(0).name())),
        "AGENCY_IN_USE", {{"code", *code}});
  }
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{kKind, *code, "", "", 0},
        false,
        /*remove=*/true,
        *expected != 0 ? *expected : record->revision}},
      request.request_id(),
      [](const std::vector<RecordPut>&) { return std::string(); });
  if (!written.ok()) return written.status();
  return google::protobuf::Empty();
}

}  // namespace lienthong::registry
