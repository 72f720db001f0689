#include "services/registry/indicator_registry.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/registry/dates.h"
#include "services/registry/record_store.h"
#include "services/registry/request_helpers.h"

namespace lienthong::registry {
namespace {

constexpr char kKind[] = "indicator";
constexpr char kPrefix[] = "indicators/";

bool IsIndicatorCode(absl::string_view code) {
  return !code.empty() && code.size() <= 64 &&
         std::all_of(code.begin(), code.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'A' && c <= 'Z') ||
                  c == '.' || c == '_';
         });
}

// Version records sort by code, then version: "CODE/000001".
std::string VersionId(const std::string& code, int version) {
  return absl::StrFormat("%s/%06d", code, version);
}

absl::StatusOr<std::string> IndicatorCode(absl::string_view name,
                                          absl::string_view field) {
  if (!absl::StartsWith(name, kPrefix) ||
      !IsIndicatorCode(name.substr(sizeof(kPrefix) - 1))) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " must be indicators/{code}"),
        "INVALID_INDICATOR_NAME",
        {{std::string(field),
          absl::StrCat("\"", name,
                       "\" is not indicators/ followed by A-Z 0-9 . _")}});
  }
  return std::string(name.substr(sizeof(kPrefix) - 1));
}

// The aggregation rules that are meaningful for each value type.
bool Allowed(v1::ValueType type, v1::AggregationRule rule) {
  using R = v1::AggregationRule;
  switch (type) {
    case v1::VALUE_TYPE_COUNT:
      return rule == R::AGGREGATION_RULE_SUM ||
             rule == R::AGGREGATION_RULE_MIN ||
             rule == R::AGGREGATION_RULE_MAX ||
             rule == R::AGGREGATION_RULE_LAST;
    case v1::VALUE_TYPE_AMOUNT:
      return rule == R::AGGREGATION_RULE_SUM ||
             rule == R::AGGREGATION_RULE_MIN ||
             rule == R::AGGREGATION_RULE_MAX ||
             rule == R::AGGREGATION_RULE_LAST ||
             rule == R::AGGREGATION_RULE_WEIGHTED_MEAN;
    case v1::VALUE_TYPE_PERCENT:
      // Never summed, never plainly averaged: weighted by a base, or extremes.
      return rule == R::AGGREGATION_RULE_WEIGHTED_MEAN ||
             rule == R::AGGREGATION_RULE_MIN ||
             rule == R::AGGREGATION_RULE_MAX ||
             rule == R::AGGREGATION_RULE_LAST;
    case v1::VALUE_TYPE_RATIO:
      return rule == R::AGGREGATION_RULE_RATIO_OF_SUMS ||
             rule == R::AGGREGATION_RULE_LAST;
    case v1::VALUE_TYPE_BOOLEAN:
      return rule == R::AGGREGATION_RULE_SHARE_TRUE ||
             rule == R::AGGREGATION_RULE_LAST;
    default:
      return false;
  }
}

absl::StatusOr<v1::Indicator> FromRecord(const Record& record) {
  v1::Indicator indicator;
  if (!indicator.ParseFromString(record.body)) {
    return absl::DataLossError("stored indicator does not parse");
  }
  indicator.set_etag(absl::StrCat(indicator.version()));
  return indicator;
}

// The version in force on `day`, or the latest when `day` is unset.
const v1::Indicator* InForce(const std::vector<v1::Indicator>& versions,
                             absl::optional<absl::CivilDay> day) {
  if (versions.empty()) return nullptr;
  if (!day.has_value()) return &versions.back();
  for (const v1::Indicator& version : versions) {
    if (InRange(version.valid(), *day)) return &version;
  }
  return nullptr;
}

absl::StatusOr<absl::optional<absl::CivilDay>> AsOf(
    const common::v1::Date& date) {
  if (IsUnset(date)) return absl::optional<absl::CivilDay>();
  absl::StatusOr<absl::CivilDay> day = ToCivilDay(date, "as_of");
  if (!day.ok()) return day.status();
  return absl::optional<absl::CivilDay>(*day);
}

std::string Respond(const std::vector<RecordPut>& puts) {
  absl::StatusOr<v1::Indicator> indicator = FromRecord(puts.back().record);
  return indicator.ok() ? indicator->SerializeAsString() : std::string();
}

}  // namespace

absl::StatusOr<std::vector<v1::Indicator>> IndicatorRegistry::Versions(
    const std::string& code) {
  absl::StatusOr<std::vector<Record>> records =
      records_->List(kKind, code, "", 1 << 20);
  if (!records.ok()) return records.status();
  std::vector<v1::Indicator> versions;
  for (const Record& record : *records) {
    absl::StatusOr<v1::Indicator> indicator = FromRecord(record);
    if (!indicator.ok()) return indicator.status();
    versions.push_back(*std::move(indicator));
  }
  return versions;
}

absl::Status IndicatorRegistry::Check(const v1::Indicator& indicator) {
  std::vector<FieldViolation> violations;
  if (!IsIndicatorCode(indicator.code())) {
    violations.push_back(
        {"indicator.code", "must be 1-64 characters of A-Z, 0-9, '.', '_'"});
  }
  if (indicator.display_name_vi().empty()) {
    violations.push_back({"indicator.display_name_vi", "must be set"});
  }
  if (indicator.pillar() == common::v1::PILLAR_UNSPECIFIED) {
    violations.push_back({"indicator.pillar", "must be set"});
  }
  if (indicator.value_type() == v1::VALUE_TYPE_UNSPECIFIED) {
    violations.push_back({"indicator.value_type", "must be set"});
  } else if (!Allowed(indicator.value_type(), indicator.aggregation())) {
    violations.push_back(
        {"indicator.aggregation",
         absl::StrCat(v1::AggregationRule_Name(indicator.aggregation()),
                      " does not fit ",
                      v1::ValueType_Name(indicator.value_type()),
                      " (percentages are never summed: carry a ratio or "
                      "weight them)")});
  }
  bool weighted = indicator.aggregation() == v1::AGGREGATION_RULE_WEIGHTED_MEAN;
  if (weighted != !indicator.weight_indicator().empty()) {
    violations.push_back({"indicator.weight_indicator",
                          weighted
                              ? "a weighted mean needs a weight indicator"
                              : "only a weighted mean has a weight indicator"});
  }
  if (indicator.has_min_value() && indicator.has_max_value() &&
      indicator.min_value() > indicator.max_value()) {
    violations.push_back({"indicator.max_value", "is below min_value"});
  }
  if (indicator.value_type() == v1::VALUE_TYPE_PERCENT &&
      ((indicator.has_min_value() && indicator.min_value() < 0) ||
       (indicator.has_max_value() && indicator.max_value() > 100))) {
    violations.push_back(
        {"indicator.max_value", "a percentage stays within 0..100"});
  }
  if (!indicator.valid().has_start() || IsUnset(indicator.valid().start()) ||
      !ToCivilDay(indicator.valid().start(), "").ok()) {
    violations.push_back(
        {"indicator.valid.start", "must be the definition's first day"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid indicator",
                                         "INVALID_INDICATOR", violations);
  }
  if (weighted) {
    absl::StatusOr<std::string> weight = IndicatorCode(
        indicator.weight_indicator(), "indicator.weight_indicator");
    if (!weight.ok()) return weight.status();
    absl::StatusOr<std::vector<v1::Indicator>> versions = Versions(*weight);
    if (!versions.ok()) return versions.status();
    if (versions->empty()) {
      return InvalidArgumentWithViolations(
          "the weight indicator is unknown", "UNKNOWN_INDICATOR",
          {{"indicator.weight_indicator",
            absl::StrCat("no indicator ", indicator.weight_indicator())}});
    }
    v1::ValueType type = versions->back().value_type();
    if (type != v1::VALUE_TYPE_COUNT && type != v1::VALUE_TYPE_AMOUNT) {
      return InvalidArgumentWithViolations(
          "a weight must be a count or an amount", "INVALID_WEIGHT",
          {{"indicator.weight_indicator", "is not a count or an amount"}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Indicator> IndicatorRegistry::GetIndicator(
    const v1::GetIndicatorRequest& request) {
  absl::StatusOr<std::string> code = IndicatorCode(request.name(), "name");
  if (!code.ok()) return code.status();
  absl::StatusOr<absl::optional<absl::CivilDay>> as_of = AsOf(request.as_of());
  if (!as_of.ok()) return as_of.status();
  absl::StatusOr<std::vector<v1::Indicator>> versions = Versions(*code);
  if (!versions.ok()) return versions.status();
  const v1::Indicator* found = InForce(*versions, *as_of);
  if (found == nullptr) {
    return WithErrorInfo(
        absl::NotFoundError(versions->empty()
                                ? absl::StrCat("no indicator ", *code)
                                : absl::StrCat("indicator ", *code,
                                               " has no definition on ",
                                               DayText(**as_of))),
        "INDICATOR_NOT_FOUND", {{"code", *code}});
  }
  return *found;
}

absl::StatusOr<v1::ListIndicatorsResponse> IndicatorRegistry::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!request.page_token().empty() && !IsIndicatorCode(request.page_token())) {
    violations.push_back({"page_token", "is not a token this service issued"});
  }
  absl::StatusOr<absl::optional<absl::CivilDay>> as_of = AsOf(request.as_of());
  if (!as_of.ok()) violations.push_back({"as_of", "is not a calendar date"});
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid list request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  int page_size = *PageSize(request.page_size());  // checked above
  v1::ListIndicatorsResponse response;
  // Past every version of the token's code ('~' sorts after the digits).
  std::string after =
      request.page_token().empty() ? "" : request.page_token() + "/~";
  std::vector<v1::Indicator> group;
  auto flush = [&]() {
    const v1::Indicator* found = InForce(group, *as_of);
    if (found != nullptr &&
        (request.pillar() == common::v1::PILLAR_UNSPECIFIED ||
         found->pillar() == request.pillar())) {
      *response.add_indicators() = *found;
    }
    group.clear();
  };
  bool more = true;
  while (more && response.indicators_size() < page_size) {
    absl::StatusOr<std::vector<Record>> records =
        records_->List(kKind, "", after, 500);
    if (!records.ok()) return records.status();
    more = records->size() == 500;
    for (const Record& record : *records) {
      if (!group.empty() && group.front().code() != record.owner) {
        flush();
        if (response.indicators_size() == page_size) {
          more = true;
          break;
        }
      }
      absl::StatusOr<v1::Indicator> indicator = FromRecord(record);
      if (!indicator.ok()) return indicator.status();
      group.push_back(*std::move(indicator));
      after = record.id;
    }
    if (!more && !group.empty()) flush();
  }
  if (more && response.indicators_size() == page_size) {
    response.set_next_page_token(response.indicators().rbegin()->code());
  }
  return response;
}

absl::StatusOr<v1::Indicator> IndicatorRegistry::CreateIndicator(
    const v1::CreateIndicatorRequest& request) {
  v1::Indicator replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  v1::Indicator indicator = request.indicator();
  if (absl::Status status = Check(indicator); !status.ok()) return status;
  indicator.set_name(absl::StrCat(kPrefix, indicator.code()));
  indicator.set_version(1);
  indicator.mutable_valid()->clear_end();
  indicator.clear_etag();
  *indicator.mutable_create_time() = NowTimestamp(*clock_);
  absl::StatusOr<std::vector<RecordPut>> written =
      records_->Write({{{kKind, VersionId(indicator.code(), 1),
                         indicator.code(), indicator.SerializeAsString(), 0},
                        /*create=*/true,
                        false,
                        0}},
                      request.request_id(), Respond);
  if (absl::IsAlreadyExists(written.status())) {
    return WithErrorInfo(
        absl::AlreadyExistsError(absl::StrCat(
            "indicator ", indicator.code(),
            " exists; change it with UpdateIndicator (a new version)")),
        "INDICATOR_EXISTS", {{"code", indicator.code()}});
  }
  if (!written.ok()) return written.status();
  return FromRecord(written->back().record);
}

absl::StatusOr<v1::Indicator> IndicatorRegistry::UpdateIndicator(
    const v1::UpdateIndicatorRequest& request) {
  v1::Indicator replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> code =
      IndicatorCode(request.indicator().name(), "indicator.name");
  if (!code.ok()) return code.status();
  std::vector<FieldViolation> violations;
  absl::StatusOr<absl::CivilDay> effective =
      ToCivilDay(request.effective_date(), "effective_date");
  if (!effective.ok()) {
    violations.push_back({"effective_date", "must be a calendar date"});
  }
  if (request.update_mask().paths_size() == 0) {
    violations.push_back({"update_mask", "must name the fields to change"});
  }
  const google::protobuf::Descriptor* descriptor = v1::Indicator::descriptor();
  for (const std::string& path : request.update_mask().paths()) {
    const google::protobuf::FieldDescriptor* field =
        descriptor->FindFieldByName(path);
    if (field == nullptr || path == "name" || path == "code" ||
        path == "version" || path == "valid" || path == "etag" ||
        path == "create_time") {
      violations.push_back(
          {"update_mask", absl::StrCat("\"", path, "\" cannot be updated")});
    }
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid update", "INVALID_UPDATE",
                                         violations);
  }
  absl::StatusOr<std::vector<v1::Indicator>> versions = Versions(*code);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no indicator ", *code)),
        "INDICATOR_NOT_FOUND", {{"code", *code}});
  }
  v1::Indicator previous = versions->back();
  if (!request.indicator().etag().empty() &&
      request.indicator().etag() != previous.etag()) {
    return WithErrorInfo(absl::AbortedError(absl::StrCat(
                             "indicator ", *code, " has a newer version (etag ",
                             previous.etag(), "); read it again")),
                         "ETAG_MISMATCH", {{"code", *code}});
  }
  absl::CivilDay previous_start(previous.valid().start().year(),
                                previous.valid().start().month(),
                                previous.valid().start().day());
  if (*effective <= previous_start) {
    return WithFieldViolations(
        WithErrorInfo(absl::FailedPreconditionError(
                          "a new version must start after the current one"),
                      "OVERLAPPING_VERSION", {{"code", *code}}),
        {{"effective_date",
          absl::StrCat("must be after ", DayText(previous_start))}});
  }
  v1::Indicator next = previous;
  google::protobuf::util::FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.indicator(), request.update_mask(), merge, &next);
  next.set_version(previous.version() + 1);
  next.mutable_valid()->clear_end();
  *next.mutable_valid()->mutable_start() = ToDate(*effective);
  next.clear_etag();
  *next.mutable_create_time() = NowTimestamp(*clock_);
  if (absl::Status status = Check(next); !status.ok()) return status;
  *previous.mutable_valid()->mutable_end() = ToDate(*effective - 1);
  previous.clear_etag();
  absl::StatusOr<std::vector<RecordPut>> written =
      records_->Write({{{kKind, VersionId(*code, previous.version()), *code,
                         previous.SerializeAsString(), 0},
                        false,
                        false,
                        0},
                       {{kKind, VersionId(*code, next.version()), *code,
                         next.SerializeAsString(), 0},
                        /*create=*/true,
                        false,
                        0}},
                      request.request_id(), Respond);
  if (absl::IsAlreadyExists(written.status())) {
    return WithErrorInfo(
        absl::AbortedError(absl::StrCat(
            "indicator ", *code, " changed concurrently; read it again")),
        "ETAG_MISMATCH", {{"code", *code}});
  }
  if (!written.ok()) return written.status();
  return FromRecord(written->back().record);
}

absl::StatusOr<v1::ListIndicatorVersionsResponse>
IndicatorRegistry::ListIndicatorVersions(
    const v1::ListIndicatorVersionsRequest& request) {
  absl::StatusOr<std::string> code = IndicatorCode(request.name(), "name");
  if (!code.ok()) return code.status();
  absl::StatusOr<std::vector<v1::Indicator>> versions = Versions(*code);
  if (!versions.ok()) return versions.status();
  if (versions->empty()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("no indicator ", *code)),
        "INDICATOR_NOT_FOUND", {{"code", *code}});
  }
  v1::ListIndicatorVersionsResponse response;
  for (v1::Indicator& version : *versions) {
    *response.add_versions() = std::move(version);
  }
  return response;
}

}  // namespace lienthong::registry
