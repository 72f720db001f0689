#include "services/registry/schedule_registry.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/field_mask_util.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/period/period.h"
#include "libs/period/reporting_calendar.h"
#include "libs/status/status_details.h"
#include "services/registry/dates.h"
#include "services/registry/record_store.h"
#include "services/registry/request_helpers.h"
#include "services/registry/schedule_dates.h"

namespace lienthong::registry {
namespace {

constexpr char kKind[] = "schedule";
constexpr char kPrefix[] = "schedules/";

bool IsScheduleId(absl::string_view id) {
  return !id.empty() && id.size() <= 63 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'z') || c == '-';
         });
}

absl::StatusOr<std::string> ScheduleId(absl::string_view name,
                                       absl::string_view field) {
  if (!absl::StartsWith(name, kPrefix) ||
      !IsScheduleId(name.substr(sizeof(kPrefix) - 1))) {
    return InvalidArgumentWithViolations(
        absl::StrCat(field, " must be schedules/{id}"), "INVALID_SCHEDULE_NAME",
        {{std::string(field), absl::StrCat("\"", name,
                                           "\" is not schedules/ followed by "
                                           "a-z, 0-9 and '-'")}});
  }
  return std::string(name.substr(sizeof(kPrefix) - 1));
}

absl::StatusOr<v1::ReportingSchedule> FromRecord(const Record& record) {
  v1::ReportingSchedule schedule;
  if (!schedule.ParseFromString(record.body)) {
    return absl::DataLossError("stored schedule does not parse");
  }
  schedule.set_etag(absl::StrCat(record.revision));
  return schedule;
}

std::string Respond(const std::vector<RecordPut>& puts) {
  absl::StatusOr<v1::ReportingSchedule> schedule =
      FromRecord(puts.front().record);
  return schedule.ok() ? schedule->SerializeAsString() : std::string();
}

}  // namespace

absl::Status ScheduleRegistry::Check(const v1::ReportingSchedule& schedule) {
  std::vector<FieldViolation> violations;
  if (schedule.display_name().empty()) {
    violations.push_back({"schedule.display_name", "must be set"});
  }
  if (schedule.indicators_size() == 0) {
    violations.push_back({"schedule.indicators", "must list the indicators"});
  }
  std::set<std::string> seen;
  for (int i = 0; i < schedule.indicators_size(); ++i) {
    std::string field = absl::StrCat("schedule.indicators[", i, "]");
    const std::string& name = schedule.indicators(i);
    if (!absl::StartsWith(name, "indicators/")) {
      violations.push_back({field, "must be indicators/{code}"});
    } else if (!seen.insert(name).second) {
      violations.push_back({field, "is listed twice"});
    }
  }
  if (schedule.reporting_level() == common::v1::UNIT_LEVEL_UNSPECIFIED) {
    violations.push_back({"schedule.reporting_level", "must be set"});
  }
  absl::optional<PeriodType> type = PeriodTypeOf(schedule.period_type());
  if (!type.has_value()) {
    violations.push_back({"schedule.period_type", "must be set"});
  }
  if (schedule.deadline().forward_days_after_window() <
      schedule.deadline().submit_days_after_window()) {
    violations.push_back({"schedule.deadline.forward_days_after_window",
                          "must not be before the submit deadline"});
  }
  if (schedule.lock_days_after_deadline() < 0) {
    violations.push_back(
        {"schedule.lock_days_after_deadline", "must not be negative"});
  }
  for (int i = 0; i < schedule.lock_exceptions_size(); ++i) {
    const v1::LockException& exception = schedule.lock_exceptions(i);
    std::string field = absl::StrCat("schedule.lock_exceptions[", i, "]");
    if (!absl::StartsWith(exception.unit(), "units/")) {
      violations.push_back({field + ".unit", "must be units/{code}"});
    }
    absl::StatusOr<Period> period = Period::Parse(exception.period());
    if (!period.ok() || (type.has_value() && period->type() != *type)) {
      violations.push_back(
          {field + ".period", "must be a period of the schedule's type"});
    }
    if (!ToCivilDay(exception.open_until(), "").ok()) {
      violations.push_back({field + ".open_until", "must be a calendar date"});
    }
  }
  if (!schedule.valid().has_start() || IsUnset(schedule.valid().start()) ||
      !ToCivilDay(schedule.valid().start(), "").ok()) {
    violations.push_back({"schedule.valid.start", "must be a calendar date"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid schedule", "INVALID_SCHEDULE",
                                         violations);
  }
  for (int i = 0; i < schedule.indicators_size(); ++i) {
    std::string code = schedule.indicators(i).substr(sizeof("indicators/") - 1);
    absl::StatusOr<std::vector<Record>> versions =
        records_->List("indicator", code, "", 1);
    if (!versions.ok()) return versions.status();
    if (versions->empty()) {
      return InvalidArgumentWithViolations(
          "the schedule names an unknown indicator", "UNKNOWN_INDICATOR",
          {{absl::StrCat("schedule.indicators[", i, "]"),
            absl::StrCat("no indicator ", schedule.indicators(i))}});
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReportingSchedule> ScheduleRegistry::GetSchedule(
    const v1::GetScheduleRequest& request) {
  absl::StatusOr<std::string> id = ScheduleId(request.name(), "name");
  if (!id.ok()) return id.status();
  absl::StatusOr<Record> record = records_->Get(kKind, *id);
  if (!record.ok()) return record.status();
  return FromRecord(*record);
}

absl::StatusOr<v1::ListSchedulesResponse> ScheduleRegistry::ListSchedules(
    const v1::ListSchedulesRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!request.page_token().empty() && !IsScheduleId(request.page_token())) {
    violations.push_back({"page_token", "is not a token this service issued"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid list request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  int page_size = *PageSize(request.page_size());  // checked above
  std::string owner =
      request.reporting_level() == common::v1::UNIT_LEVEL_UNSPECIFIED
          ? ""
          : absl::StrCat(request.reporting_level());
  absl::StatusOr<std::vector<Record>> records =
      records_->List(kKind, owner, request.page_token(), page_size);
  if (!records.ok()) return records.status();
  v1::ListSchedulesResponse response;
  for (const Record& record : *records) {
    absl::StatusOr<v1::ReportingSchedule> schedule = FromRecord(record);
    if (!schedule.ok()) return schedule.status();
    *response.add_schedules() = *std::move(schedule);
  }
  if (static_cast<int>(records->size()) == page_size) {
    response.set_next_page_token(records->back().id);
  }
  return response;
}

absl::StatusOr<v1::ReportingSchedule> ScheduleRegistry::CreateSchedule(
    const v1::CreateScheduleRequest& request) {
  v1::ReportingSchedule replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  if (!IsScheduleId(request.schedule_id())) {
    return InvalidArgumentWithViolations(
        "invalid schedule id", "INVALID_SCHEDULE",
        {{"schedule_id", "must be 1-63 characters of a-z, 0-9 and '-'"}});
  }
  v1::ReportingSchedule schedule = request.schedule();
  if (schedule.window_rule() == v1::WINDOW_RULE_UNSPECIFIED) {
    schedule.set_window_rule(v1::WINDOW_RULE_DECREE_09_CUTOFF);
  }
  if (absl::Status status = Check(schedule); !status.ok()) return status;
  schedule.set_name(absl::StrCat(kPrefix, request.schedule_id()));
  schedule.clear_etag();
  *schedule.mutable_update_time() = NowTimestamp(*clock_);
  absl::StatusOr<std::vector<RecordPut>> written = records_->Write(
      {{{kKind, request.schedule_id(), absl::StrCat(schedule.reporting_level()),
         schedule.SerializeAsString(), 0},
        /*create=*/true,
        false,
        0}},
      request.request_id(), Respond);
  if (!written.ok()) return written.status();
  return FromRecord(written->front().record);
}

absl::StatusOr<v1::ReportingSchedule> ScheduleRegistry::UpdateSchedule(
    const v1::UpdateScheduleRequest& request) {
  v1::ReportingSchedule replay;
  absl::StatusOr<bool> replayed =
      Replayed(*records_, request.request_id(), &replay);
  if (!replayed.ok()) return replayed.status();
  if (*replayed) return replay;

  absl::StatusOr<std::string> id =
      ScheduleId(request.schedule().name(), "schedule.name");
  if (!id.ok()) return id.status();
  std::vector<FieldViolation> violations;
  if (request.update_mask().paths_size() == 0) {
    violations.push_back({"update_mask", "must name the fields to change"});
  }
  for (const std::string& path : request.update_mask().paths()) {
    if (v1::ReportingSchedule::descriptor()->FindFieldByName(path) == nullptr ||
        path == "name" || path == "etag" || path == "update_time") {
      violations.push_back(
          {"update_mask", absl::StrCat("\"", path, "\" cannot be updated")});
    }
  }
  int64_t expected = 0;
  if (!request.schedule().etag().empty() &&
      !absl::SimpleAtoi(request.schedule().etag(), &expected)) {
    violations.push_back({"schedule.etag", "is not one this service issued"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid update", "INVALID_UPDATE",
                                         violations);
  }
  absl::StatusOr<Record> record = records_->Get(kKind, *id);
  if (!record.ok()) return record.status();
  absl::StatusOr<v1::ReportingSchedule> schedule = FromRecord(*record);
  if (!schedule.ok()) return schedule.status();
  google::protobuf::util::FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.schedule(), request.update_mask(), merge, &*schedule);
  if (absl::Status status = Check(*schedule); !status.ok()) return status;
  schedule->clear_etag();
  *schedule->mutable_update_time() = NowTimestamp(*clock_);
  absl::StatusOr<std::vector<RecordPut>> written =
      records_->Write({{{kKind, *id, absl::StrCat(schedule->reporting_level()),
                         schedule->SerializeAsString(), 0},
                        false,
                        false,
                        expected != 0 ? expected : record->revision}},
                      request.request_id(), Respond);
  if (!written.ok()) return written.status();
  return FromRecord(written->front().record);
}

absl::StatusOr<v1::ResolvePeriodResponse> ScheduleRegistry::ResolvePeriod(
    const v1::ResolvePeriodRequest& request) {
  absl::StatusOr<std::string> id = ScheduleId(request.schedule(), "schedule");
  if (!id.ok()) return id.status();
  absl::StatusOr<Period> period = Period::Parse(request.period());
  if (!period.ok()) {
    return WithFieldViolations(
        period.status(), {{"period", std::string(period.status().message())}});
  }
  absl::StatusOr<Record> record = records_->Get(kKind, *id);
  if (!record.ok()) return record.status();
  absl::StatusOr<v1::ReportingSchedule> schedule = FromRecord(*record);
  if (!schedule.ok()) return schedule.status();
  if (PeriodTypeOf(schedule->period_type()) != period->type()) {
    return InvalidArgumentWithViolations(
        "the period is not of the schedule's period type",
        "PERIOD_TYPE_MISMATCH",
        {{"period",
          absl::StrCat(request.period(), " is not a ",
                       common::v1::PeriodType_Name(schedule->period_type()))}});
  }
  PeriodDates dates = ScheduleDates(*schedule, *period, request.unit());
  v1::ResolvePeriodResponse response;
  common::v1::Period* out = response.mutable_period();
  out->set_id(period->ToString());
  out->set_type(schedule->period_type());
  out->set_year(period->year());
  out->set_number(period->number());
  DaySpan span = period->CalendarSpan();
  *out->mutable_calendar_span()->mutable_start() = ToDate(span.first);
  *out->mutable_calendar_span()->mutable_end() = ToDate(span.last);
  *response.mutable_data_window()->mutable_start() = ToDate(dates.window.first);
  *response.mutable_data_window()->mutable_end() = ToDate(dates.window.last);
  *response.mutable_submit_deadline() = ToDate(dates.submit_deadline);
  *response.mutable_forward_deadline() = ToDate(dates.forward_deadline);
  *response.mutable_open_until() = ToDate(dates.open_until);
  return response;
}

}  // namespace lienthong::registry
