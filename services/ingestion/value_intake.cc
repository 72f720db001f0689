#include "services/ingestion/value_intake.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/period/period.h"
#include "libs/period/reporting_calendar.h"
#include "libs/status/status_details.h"
#include "libs/value/value_number.h"
#include "services/ingestion/registry_lookup.h"
#include "services/ingestion/value_store.h"
#include "services/registry/dates.h"
#include "services/registry/schedule_dates.h"

namespace lienthong::ingestion {
namespace {

using registry::v1::AdminUnit;
using registry::v1::Indicator;
using registry::v1::ReportingSchedule;

constexpr int kMaxViolations = 100;
constexpr size_t kMaxComment = 1000;

// Why `value` does not fit `indicator`, or "" when it does.
std::pair<std::string, std::string> ValueProblem(const common::v1::Value& value,
                                                 const Indicator& indicator) {
  bool fits = false;
  switch (indicator.value_type()) {
    case registry::v1::VALUE_TYPE_COUNT:
      fits = value.has_count() && value.count() >= 0;
      break;
    case registry::v1::VALUE_TYPE_AMOUNT:
      fits = value.has_amount();
      break;
    case registry::v1::VALUE_TYPE_PERCENT:
      fits = value.has_percent();
      break;
    case registry::v1::VALUE_TYPE_RATIO:
      fits = value.has_ratio() && value.ratio().numerator() >= 0 &&
             value.ratio().denominator() > 0;
      // A part of a whole: households with fibre among all households.
      if (fits && value.ratio().numerator() > value.ratio().denominator()) {
        return {"NUMERATOR_ABOVE_DENOMINATOR",
                absl::StrCat(value.ratio().numerator(), " > ",
                             value.ratio().denominator())};
      }
      break;
    case registry::v1::VALUE_TYPE_BOOLEAN:
      fits = value.has_flag();
      break;
    default:
      break;
  }
  if (!fits) {
    return {
        "VALUE_TYPE_MISMATCH",
        absl::StrCat(indicator.code(), " takes a ",
                     registry::v1::ValueType_Name(indicator.value_type()),
                     value.has_ratio() ? " (denominator must be > 0)" : "")};
  }
  absl::optional<double> magnitude = NumericValue(value);
  if (magnitude.has_value() &&
      ((indicator.has_min_value() && *magnitude < indicator.min_value()) ||
       (indicator.has_max_value() && *magnitude > indicator.max_value()))) {
    return {"VALUE_OUT_OF_RANGE",
            absl::StrCat(
                *magnitude, " is outside ",
                indicator.has_min_value() ? absl::StrCat(indicator.min_value())
                                          : "-inf",
                "..",
                indicator.has_max_value() ? absl::StrCat(indicator.max_value())
                                          : "inf")};
  }
  return {"", ""};
}

bool IsSourceSystem(absl::string_view id) {
  if (id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::string KeyText(const ValueKey& key) {
  return absl::StrCat(key.unit, "/", key.indicator, "/", key.period);
}

// A validated row, ready to write.
struct CheckedRow {
  ValueKey key;
  v1::DataValue value;
};

}  // namespace

absl::StatusOr<v1::ImportSummary> ValueIntake::Submit(
    const v1::SubmitValuesRequest& request, const std::string& actor,
    int max_rows) {
  v1::ImportSummary refused;
  absl::StatusOr<v1::ImportSummary> summary =
      Run(request, actor, max_rows, &refused);
  Count(summary, &refused);
  return summary;
}

BatchOutcome ValueIntake::SubmitBatch(const v1::SubmitValuesRequest& request,
                                      const std::string& actor, int max_rows) {
  BatchOutcome outcome;
  absl::StatusOr<v1::ImportSummary> summary =
      Run(request, actor, max_rows, &outcome.summary);
  Count(summary, &outcome.summary);
  outcome.status = summary.status();
  if (summary.ok()) outcome.summary = *std::move(summary);
  return outcome;
}

void ValueIntake::Count(const absl::StatusOr<v1::ImportSummary>& summary,
                        const v1::ImportSummary* refused) {
  absl::MutexLock lock(&counts_mutex_);
  if (!summary.ok()) {
    ++counts_.batches_refused;
    if (refused != nullptr) counts_.rows_rejected += refused->rejected();
    return;
  }
  if (summary->replayed()) {
    ++counts_.batches_replayed;
    return;
  }
  if (summary->dry_run()) {
    ++counts_.batches_dry_run;
    return;
  }
  ++counts_.batches_written;
  counts_.values_created += summary->created();
  counts_.values_updated += summary->updated();
  counts_.values_unchanged += summary->unchanged();
  counts_.values_deleted += summary->deleted();
  counts_.rows_rejected += summary->rejected();
}

IntakeCounts ValueIntake::counts() const {
  absl::MutexLock lock(&counts_mutex_);
  return counts_;
}

absl::StatusOr<v1::ImportSummary> ValueIntake::Run(
    const v1::SubmitValuesRequest& request, const std::string& actor,
    int max_rows, v1::ImportSummary* refused) {
  const v1::BatchOptions& options = request.options();
  // What an earlier batch with this request_id was answered, replayed.
  auto replay = [&]() -> absl::StatusOr<absl::optional<v1::ImportSummary>> {
    if (options.request_id().empty()) return absl::nullopt;
    absl::StatusOr<absl::optional<std::string>> stored =
        store_->FindResponse(options.request_id());
    if (!stored.ok()) return stored.status();
    v1::ImportSummary earlier;
    if (!stored->has_value() || !earlier.ParseFromString(**stored)) {
      return absl::nullopt;
    }
    earlier.set_replayed(true);
    return earlier;
  };
  absl::StatusOr<absl::optional<v1::ImportSummary>> earlier = replay();
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) return **earlier;
  if (!absl::StartsWith(options.schedule(), "schedules/")) {
    return InvalidArgumentWithViolations(
        "options.schedule must be schedules/{id}", "INVALID_BATCH",
        {{"options.schedule",
          "must name the schedule the values report under"}});
  }
  if (request.rows_size() > max_rows) {
    return InvalidArgumentWithViolations(
        "too many rows in one call", "BATCH_TOO_LARGE",
        {{"rows", absl::StrCat("at most ", max_rows,
                               " rows; use StreamValues for more")}});
  }
  absl::StatusOr<ReportingSchedule> schedule =
      registry_->GetSchedule(options.schedule());
  if (absl::IsNotFound(schedule.status())) {
    return InvalidArgumentWithViolations(
        "unknown schedule", "UNKNOWN_SCHEDULE",
        {{"options.schedule",
          absl::StrCat("no schedule ", options.schedule())}});
  }
  if (!schedule.ok()) return schedule.status();
  std::set<std::string> in_schedule(schedule->indicators().begin(),
                                    schedule->indicators().end());
  absl::CivilDay today = TodayInVietnam(*clock_);
  bool deleting = options.mode() == v1::IMPORT_MODE_DELETE;

  v1::ImportSummary summary;
  summary.set_received(request.rows_size());
  std::vector<CheckedRow> rows;
  std::set<std::string> seen;
  std::map<std::string, AdminUnit> units;
  std::map<std::string, Indicator> indicators;
  for (int i = 0; i < request.rows_size(); ++i) {
    const v1::ValueRow& row = request.rows(i);
    auto problem = [&](std::string field, std::string reason,
                       std::string description) {
      common::v1::RowProblem* out = summary.add_problems();
      out->set_row(i);
      out->set_field(std::move(field));
      out->set_reason(std::move(reason));
      out->set_description(std::move(description));
    };
    int before = summary.problems_size();
    // Unit.
    auto unit_it = units.find(row.unit());
    if (unit_it == units.end()) {
      absl::StatusOr<AdminUnit> unit = registry_->GetUnit(row.unit());
      if (unit.ok()) {
        unit_it = units.emplace(row.unit(), *std::move(unit)).first;
      } else if (absl::IsNotFound(unit.status()) ||
                 absl::IsInvalidArgument(unit.status())) {
        problem("unit", "UNKNOWN_UNIT", absl::StrCat("no unit ", row.unit()));
      } else {
        return unit.status();
      }
    }
    // Indicator.
    auto indicator_it = indicators.find(row.indicator());
    if (indicator_it == indicators.end()) {
      absl::StatusOr<Indicator> indicator =
          registry_->GetIndicator(row.indicator());
      if (indicator.ok()) {
        indicator_it =
            indicators.emplace(row.indicator(), *std::move(indicator)).first;
      } else if (absl::IsNotFound(indicator.status()) ||
                 absl::IsInvalidArgument(indicator.status())) {
        problem("indicator", "UNKNOWN_INDICATOR",
                absl::StrCat("no indicator ", row.indicator()));
      } else {
        return indicator.status();
      }
    }
    if (indicator_it != indicators.end() &&
        in_schedule.count(row.indicator()) == 0) {
      problem("indicator", "NOT_IN_SCHEDULE",
              absl::StrCat(row.indicator(), " is not reported under ",
                           options.schedule()));
    }
    // Period, and whether input for it is still open.
    absl::StatusOr<Period> period = Period::Parse(row.period());
    absl::optional<PeriodDates> dates;
    if (!period.ok()) {
      problem("period", "INVALID_PERIOD",
              std::string(period.status().message()));
    } else if (registry::PeriodTypeOf(schedule->period_type()) !=
               period->type()) {
      problem(
          "period", "PERIOD_TYPE_MISMATCH",
          absl::StrCat(row.period(), " is not a ",
                       common::v1::PeriodType_Name(schedule->period_type())));
    } else {
      dates = registry::ScheduleDates(*schedule, *period, row.unit());
      absl::CivilDay open_until = dates->open_until;
      if (today > open_until) {
        problem("period", "PERIOD_LOCKED",
                absl::StrCat(row.period(), " closed for input after ",
                             absl::FormatCivilTime(open_until)));
      }
    }
    if (unit_it != units.end()) {
      const AdminUnit& unit = unit_it->second;
      if (unit.level() != schedule->reporting_level()) {
        problem("unit", "WRONG_LEVEL",
                absl::StrCat(row.unit(), " is not of the level ",
                             options.schedule(), " is reported at"));
      } else if (period.ok() &&
                 !registry::InRange(unit.valid(),
                                    period->CalendarSpan().last) &&
                 !registry::InRange(unit.valid(),
                                    period->CalendarSpan().first)) {
        problem(
            "unit", "UNIT_NOT_IN_FORCE",
            absl::StrCat(row.unit(), " did not exist during ", row.period()));
      }
    }
    // Value.
    if (!deleting && indicator_it != indicators.end()) {
      auto [reason, description] =
          ValueProblem(row.value(), indicator_it->second);
      if (!reason.empty()) problem("value", reason, description);
    }
    if (row.comment().size() > kMaxComment) {
      problem("comment", "COMMENT_TOO_LONG", "at most 1000 bytes");
    }
    if (!row.source_system().empty() && !IsSourceSystem(row.source_system())) {
      problem("source_system", "INVALID_SOURCE_SYSTEM",
              "1-64 letters, digits, '.', '_' or '-', e.g. motcua.xa-phuc-xa");
    }
    if (summary.problems_size() > before) continue;
    ValueKey key{row.unit().substr(sizeof("units/") - 1),
                 row.indicator().substr(sizeof("indicators/") - 1),
                 period->ToString()};
    if (!seen.insert(KeyText(key)).second) {
      problem("period", "DUPLICATE_ROW",
              "the batch has another row for this unit, indicator and period");
      continue;
    }
    CheckedRow checked;
    checked.key = key;
    v1::DataValue& value = checked.value;
    value.set_name(absl::StrCat("dataValues/", KeyText(key)));
    value.set_unit(row.unit());
    value.set_indicator(row.indicator());
    common::v1::Period* out = value.mutable_period();
    out->set_id(period->ToString());
    out->set_type(schedule->period_type());
    out->set_year(period->year());
    out->set_number(period->number());
    *out->mutable_calendar_span()->mutable_start() =
        registry::ToDate(period->CalendarSpan().first);
    *out->mutable_calendar_span()->mutable_end() =
        registry::ToDate(period->CalendarSpan().last);
    value.set_schedule(options.schedule());
    if (!deleting) *value.mutable_value() = row.value();
    value.set_comment(row.comment());
    value.set_source_system(row.source_system());
    value.set_late(dates.has_value() && today > dates->submit_deadline);
    rows.push_back(std::move(checked));
  }

  std::set<int> rejected_rows;
  for (const auto& problem : summary.problems())
    rejected_rows.insert(problem.row());
  summary.set_rejected(static_cast<int32_t>(rejected_rows.size()));
  if (!rejected_rows.empty() && !options.accept_partial()) {
    std::vector<FieldViolation> violations;
    for (const auto& problem : summary.problems()) {
      if (static_cast<int>(violations.size()) == kMaxViolations) break;
      violations.push_back(
          {absl::StrCat("rows[", problem.row(), "].", problem.field()),
           absl::StrCat(problem.reason(), ": ", problem.description())});
    }
    if (refused != nullptr) *refused = summary;
    return InvalidArgumentWithViolations(
        absl::StrCat(rejected_rows.size(), " of ", request.rows_size(),
                     " rows are invalid; nothing was written"),
        "INVALID_ROWS", violations);
  }

  std::vector<ValueWrite> writes;
  writes.reserve(rows.size());
  std::vector<SliceKey> replace;
  if (options.mode() == v1::IMPORT_MODE_REPLACE_SLICE) {
    // Every unit × period slice the batch reports: what it omits goes.
    std::set<std::pair<std::string, std::string>> slices;
    for (const CheckedRow& row : rows) {
      if (slices.insert({row.key.unit, row.key.period}).second) {
        replace.push_back({row.key.unit, row.key.period, options.schedule()});
      }
    }
  }
  for (CheckedRow& row : rows) {
    writes.push_back({std::move(row.key), std::move(row.value), deleting});
  }
  auto count = [&summary](const ApplyResult& result) {
    summary.set_created(result.created);
    summary.set_updated(result.updated);
    summary.set_unchanged(result.unchanged);
    summary.set_deleted(result.deleted);
    summary.set_last_sequence(result.last_sequence);
  };
  if (options.dry_run()) {
    absl::StatusOr<ApplyResult> planned = store_->Plan(writes, replace);
    if (!planned.ok()) return planned.status();
    count(*planned);
    summary.set_dry_run(true);
    return summary;
  }
  common::v1::AuditInfo written;
  written.set_actor(actor);
  *written.mutable_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(clock_->Now()));
  written.set_request_id(options.request_id());
  absl::StatusOr<ApplyResult> applied = store_->Apply(
      std::move(writes), replace, written, [&](const ApplyResult& result) {
        count(result);
        return summary.SerializeAsString();
      });
  if (!applied.ok() &&
      applied.status().code() == absl::StatusCode::kAlreadyExists) {
    // A retry that overtook its first attempt: the first committed while this
    // one was being checked, so its answer is the one to give.
    earlier = replay();
    if (earlier.ok() && earlier->has_value()) return **earlier;
  }
  if (!applied.ok()) return applied.status();
  count(*applied);
  return summary;
}

absl::StatusOr<std::vector<std::string>> ValueIntake::UnitAndDescendants(
    const std::string& unit, absl::CivilDay date) {
  std::vector<std::string> names = {unit};
  std::set<std::string> seen = {unit};
  // Breadth first: province, its districts (before 2025-07-01), communes.
  for (size_t next = 0; next < names.size(); ++next) {
    absl::StatusOr<std::vector<std::string>> children =
        registry_->ListChildren(names[next], date);
    if (!children.ok()) return children.status();
    for (std::string& child : *children) {
      if (seen.insert(child).second) names.push_back(std::move(child));
    }
  }
  std::vector<std::string> codes;
  for (const std::string& name : names) {
    codes.push_back(name.substr(sizeof("units/") - 1));
  }
  return codes;
}

absl::StatusOr<v1::ListValuesResponse> ValueIntake::ListValues(
    const v1::ListValuesRequest& request) {
  std::vector<FieldViolation> violations;
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!request.unit().empty() && !absl::StartsWith(request.unit(), "units/")) {
    violations.push_back({"unit", "must be units/{code}"});
  }
  if (request.include_descendants() && request.unit().empty()) {
    violations.push_back(
        {"include_descendants", "needs the unit whose descendants to read"});
  }
  absl::optional<Period> period;
  if (!request.period().empty()) {
    absl::StatusOr<Period> parsed = Period::Parse(request.period());
    if (parsed.ok()) {
      period = *parsed;
    } else {
      violations.push_back(
          {"period", "must be a canonical period, e.g. 2025-M06"});
    }
  }
  auto strip = [](const std::string& name, absl::string_view prefix) {
    return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
  };
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid list request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  ValueQuery query;
  if (request.include_descendants()) {
    absl::CivilDay date = period.has_value() ? period->CalendarSpan().last
                                             : TodayInVietnam(*clock_);
    absl::StatusOr<std::vector<std::string>> units =
        UnitAndDescendants(request.unit(), date);
    if (absl::IsNotFound(units.status())) {
      return InvalidArgumentWithViolations(
          "unknown unit", "UNKNOWN_UNIT",
          {{"unit", absl::StrCat("no unit ", request.unit())}});
    }
    if (!units.ok()) return units.status();
    query.units = *std::move(units);
  } else {
    query.unit = strip(request.unit(), "units/");
  }
  query.indicator = strip(request.indicator(), "indicators/");
  query.period = request.period();
  query.schedule = request.schedule();
  query.after = request.page_token();
  if (request.has_updated_since()) {
    query.updated_since_nanos =
        google::protobuf::util::TimeUtil::TimestampToNanoseconds(
            request.updated_since());
  }
  query.limit =
      request.page_size() == 0 ? 1000 : std::min(request.page_size(), 10000);
  absl::StatusOr<std::vector<v1::DataValue>> values =
      request.has_as_of()
          ? store_->ListAsOf(
                query, google::protobuf::util::TimeUtil::TimestampToNanoseconds(
                           request.as_of()))
          : store_->List(query);
  if (!values.ok()) return values.status();
  v1::ListValuesResponse response;
  for (v1::DataValue& value : *values)
    *response.add_values() = std::move(value);
  if (response.values_size() == query.limit) {
    response.set_next_page_token(
        response.values().rbegin()->name().substr(sizeof("dataValues/") - 1));
  }
  return response;
}

absl::StatusOr<v1::ListValueRevisionsResponse> ValueIntake::ListValueRevisions(
    const v1::ListValueRevisionsRequest& request) {
  std::vector<FieldViolation> violations;
  if (!absl::StartsWith(request.unit(), "units/")) {
    violations.push_back({"unit", "must be units/{code}"});
  }
  if (!absl::StartsWith(request.indicator(), "indicators/")) {
    violations.push_back({"indicator", "must be indicators/{code}"});
  }
  if (!Period::Parse(request.period()).ok()) {
    violations.push_back(
        {"period", "must be a canonical period, e.g. 2025-M06"});
  }
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid revisions request",
                                         "INVALID_LIST_REQUEST", violations);
  }
  ValueKey key{request.unit().substr(6), request.indicator().substr(11),
               request.period()};
  int limit =
      request.page_size() == 0 ? 100 : std::min(request.page_size(), 1000);
  absl::StatusOr<std::vector<v1::ValueRevision>> revisions =
      store_->Revisions(key, limit);
  if (!revisions.ok()) return revisions.status();
  v1::ListValueRevisionsResponse response;
  for (v1::ValueRevision& revision : *revisions) {
    if (!request.actor().empty() &&
        revision.written().actor() != request.actor()) {
      continue;
    }
    *response.add_revisions() = std::move(revision);
  }
  return response;
}

absl::StatusOr<v1::GetChangeFeedPositionResponse>
ValueIntake::GetChangeFeedPosition(const v1::GetChangeFeedPositionRequest&) {
  absl::StatusOr<int64_t> head = store_->HeadSequence();
  if (!head.ok()) return head.status();
  v1::GetChangeFeedPositionResponse response;
  response.set_head_sequence(*head);
  if (*head > 0) {
    absl::StatusOr<std::vector<v1::Change>> last =
        store_->ChangesAfter(*head - 1, 1);
    if (!last.ok()) return last.status();
    if (!last->empty())
      *response.mutable_head_time() = last->front().commit_time();
  }
  return response;
}

}  // namespace lienthong::ingestion
