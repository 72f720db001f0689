#include "services/reporting/rollup_export.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/period/period.h"

namespace lienthong::reporting {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kCsvHeader =
    "unit,unit_name,indicator,period,value,numerator,denominator,"
    "contributing_units,expected_units\r\n";
constexpr absl::string_view kSdmxHeader =
    "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MULT,OBS_STATUS\n";
// Every row names the dataflow it belongs to and is for information (`I`):
// the receiver decides whether it appends or replaces.
constexpr absl::string_view kSdmxRowPrefix = "dataflow,LIENTHONG:DF_CDS(1.0),I";

// RFC 4180: quote a field only when it must be, doubling inner quotes.
std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// 15 significant digits survive any double round trip and hide binary noise
// (80.00000000000001 prints as 80); %g only switches to an exponent beyond
// 15 integer digits or below 1e-4. Non-finite values have no cell.
std::string FormatNumber(double x) {
  if (!std::isfinite(x)) return "";
  if (x == 0) return "0";  // not "-0"
  return absl::StrFormat("%.15g", x);
}

// A ratio shown as the percentage it stands for.
std::string RatioPercent(const common::v1::Ratio& ratio) {
  if (ratio.denominator() == 0) return "";
  return FormatNumber(ratio.numerator() * 100 / ratio.denominator());
}

// The value cell: CSV writes flags as words, SDMX as 1/0 (OBS_VALUE is
// numeric). Empty when there is no value.
std::string ValueText(const common::v1::Value& value, bool flag_as_number) {
  switch (value.kind_case()) {
    case common::v1::Value::kCount:
      return absl::StrCat(value.count());
    case common::v1::Value::kAmount:
      return FormatNumber(value.amount());
    case common::v1::Value::kPercent:
      return FormatNumber(value.percent());
    case common::v1::Value::kRatio:
      return RatioPercent(value.ratio());
    case common::v1::Value::kFlag:
      if (flag_as_number) return value.flag() ? "1" : "0";
      return value.flag() ? "true" : "false";
    case common::v1::Value::KIND_NOT_SET:
      return "";
  }
  return "";
}

// SDMX reporting periods use S for half years; a cumulative period has no
// SDMX code, so it is a time range: its first day and its length in months.
// An id that does not parse is passed through for the receiver to reject.
std::string SdmxTimePeriod(const common::v1::Period& message) {
  absl::StatusOr<Period> period = Period::Parse(message.id());
  if (!period.ok()) return message.id();
  int year = period->year();
  int number = period->number();
  switch (period->type()) {
    case PeriodType::kMonth:
      return absl::StrFormat("%04d-M%02d", year, number);
    case PeriodType::kQuarter:
      return absl::StrFormat("%04d-Q%d", year, number);
    case PeriodType::kHalfYear:
      return absl::StrFormat("%04d-S%d", year, number);
    case PeriodType::kYear:
      return absl::StrFormat("%04d", year);
    case PeriodType::kCumulative:
      return absl::StrFormat(
          "%s/P%dM", absl::FormatCivilTime(period->CalendarSpan().first),
          number);
  }
  return message.id();
}

// A = normal, E = estimated (not every expected unit contributed), M = missing.
absl::string_view SdmxStatus(const v1::Rollup& rollup, bool has_value) {
  if (!has_value) return "M";
  if (rollup.contributing_units() < rollup.expected_units()) return "E";
  return "A";
}

void AppendCsvRow(const v1::Rollup& rollup, const std::string& unit_name,
                  std::string* out) {
  const common::v1::Value& value = rollup.value();
  std::string numerator;
  std::string denominator;
  if (value.has_ratio()) {
    numerator = FormatNumber(value.ratio().numerator());
    denominator = FormatNumber(value.ratio().denominator());
  }
  std::vector<std::string> fields = {
      CsvField(absl::StripPrefix(rollup.unit(), "units/")),
      CsvField(unit_name),
      CsvField(absl::StripPrefix(rollup.indicator(), "indicators/")),
      CsvField(rollup.period().id()),
      ValueText(value, /*flag_as_number=*/false),
      numerator,
      denominator,
      absl::StrCat(rollup.contributing_units()),
      absl::StrCat(rollup.expected_units()),
  };
  absl::StrAppend(out, absl::StrJoin(fields, ","), "\r\n");
}

void AppendSdmxRow(const v1::Rollup& rollup, std::string* out) {
  std::string value = ValueText(rollup.value(), /*flag_as_number=*/true);
  absl::StrAppend(
      out, kSdmxRowPrefix, ",",
      CsvField(absl::StripPrefix(rollup.unit(), "units/")), ",",
      CsvField(absl::StripPrefix(rollup.indicator(), "indicators/")), ",",
      CsvField(SdmxTimePeriod(rollup.period())), ",", value, ",0,",
      SdmxStatus(rollup, !value.empty()), "\n");
}

void AppendJsonLine(const v1::Rollup& rollup, std::string* out) {
  std::string line;
  if (!google::protobuf::util::MessageToJsonString(rollup, &line).ok()) {
    // Only a Timestamp outside years 1–9999 fails to print; keep the row
    // without it rather than break the stream.
    v1::Rollup copy = rollup;
    copy.clear_update_time();
    line.clear();
    (void)google::protobuf::util::MessageToJsonString(copy, &line);
  }
  absl::StrAppend(out, line, "\n");
}

}  // namespace

RollupExporter::RollupExporter(v1::ExportFormat format, UnitNameFn unit_name)
    : format_(format), unit_name_(std::move(unit_name)) {}

std::string RollupExporter::Header() const {
  switch (format_) {
    case v1::EXPORT_FORMAT_JSON:
      return "";
    case v1::EXPORT_FORMAT_SDMX_CSV:
      return std::string(kSdmxHeader);
    default:
      return absl::StrCat(kUtf8Bom, kCsvHeader);
  }
}

void RollupExporter::AppendRow(const v1::Rollup& rollup,
                               std::string* out) const {
  switch (format_) {
    case v1::EXPORT_FORMAT_JSON:
      AppendJsonLine(rollup, out);
      return;
    case v1::EXPORT_FORMAT_SDMX_CSV:
      AppendSdmxRow(rollup, out);
      return;
    default:
      AppendCsvRow(rollup, unit_name_ ? unit_name_(rollup.unit()) : "", out);
      return;
  }
}

std::string RollupExporter::Write(const std::vector<v1::Rollup>& rollups) {
  std::string out;
  if (!header_written_) {
    out = Header();
    header_written_ = true;
  }
  for (const v1::Rollup& rollup : rollups) AppendRow(rollup, &out);
  return out;
}

std::string RollupExporter::Finish() {
  if (header_written_) return "";
  header_written_ = true;
  return Header();
}

}  // namespace lienthong::reporting
