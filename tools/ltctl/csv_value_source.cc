#include <csv.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tools/ltctl/value_source.h"

// CSV value files, parsed by libcsv one line at a time so each row knows the
// line it starts on.

namespace lienthong::ltctl::value_source {
namespace {

using ingestion::v1::ValueRow;
using registry::v1::ValueType;

// Skips [+-]?digits from `i`; the number of digits.
size_t SkipDigits(absl::string_view s, size_t& i, bool sign) {
  if (sign && i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const size_t start = i;
  while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
  return i - start;
}

// A whole number: "12.0" and "1.234" are refused rather than guessed at.
absl::StatusOr<int64_t> ParseCount(absl::string_view cell) {
  size_t i = 0;
  int64_t count = 0;
  if (SkipDigits(cell, i, true) == 0 || i != cell.size() ||
      !absl::SimpleAtoi(cell, &count)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", cell, "\" is not a whole number"));
  }
  return count;
}

// A decimal with "." as the point, e.g. "-12.5" or "1e6". Checked by hand
// because SimpleAtod also takes "nan", "inf" and hex.
absl::StatusOr<double> ParseDecimal(absl::string_view cell) {
  size_t i = 0;
  size_t digits = SkipDigits(cell, i, true);
  if (i < cell.size() && cell[i] == '.') digits += SkipDigits(cell, ++i, false);
  bool ok = digits > 0;
  if (ok && i < cell.size() && (cell[i] == 'e' || cell[i] == 'E')) {
    ok = SkipDigits(cell, ++i, true) > 0;
  }
  double number = 0;
  if (!ok || i != cell.size() || !absl::SimpleAtod(cell, &number) ||
      !std::isfinite(number)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", cell, "\" is not a number",
        absl::StrContains(cell, ',') ? " (the decimal point is \".\")" : ""));
  }
  return number;
}

absl::StatusOr<bool> ParseFlag(absl::string_view cell) {
  // ASCII lowering leaves Ó and Ô alone, hence "cÓ" and "khÔng".
  const std::string s = absl::AsciiStrToLower(cell);
  if (s == "true" || s == "1" || s == "yes" || s == "có" || s == "cÓ") {
    return true;
  }
  if (s == "false" || s == "0" || s == "no" || s == "không" || s == "khÔng") {
    return false;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", cell, "\" is not true/false, 1/0, yes/no or có/không"));
}

enum Column {
  kUnit,
  kIndicator,
  kPeriod,
  kValue,
  kNumerator,
  kDenominator,
  kComment,
  kSourceSystem,
  kColumnCount,
};
constexpr const char* kColumnNames[kColumnCount] = {
    "unit",      "indicator",   "period",  "value",
    "numerator", "denominator", "comment", "source_system"};

// One CSV record as libcsv delivers it, with the line it starts on.
struct CsvRecord {
  std::vector<std::string> cells;
  int line = 0;
};

class CsvSource : public ValueFileReader::Source {
 public:
  CsvSource(std::string path, ValueTypeLookup value_type)
      : path_(std::move(path)), value_type_(std::move(value_type)) {
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
  }
  ~CsvSource() override { csv_free(&parser_); }

  // Opens the file and reads the header.
  absl::Status Open() {
    if (!value_type_) return absl::InvalidArgumentError("no value type lookup");
    absl::Status status = in_.Open(path_);
    if (!status.ok()) return status;
    CsvRecord header;
    absl::StatusOr<bool> found = NextRecord(&header);
    if (!found.ok()) return found.status();
    if (!*found) return absl::InvalidArgumentError(path_ + ": no header row");
    return ReadHeader(header);
  }

  absl::StatusOr<bool> Read(ValueRow* row, int* line) override {
    CsvRecord record;
    absl::StatusOr<bool> found = NextRecord(&record);
    if (!found.ok() || !*found) return found;
    *line = record.line;
    if (record.cells.size() != column_count_) {
      return Invalid(path_, *line,
                     absl::StrCat(record.cells.size(),
                                  " cells, the header has ", column_count_));
    }
    std::string cells[kColumnCount];
    for (int c = 0; c < kColumnCount; ++c) {
      if (index_[c] < 0) continue;
      cells[c] = std::move(record.cells[index_[c]]);
      if (!IsUtf8(cells[c])) {
        return Invalid(path_, *line,
                       absl::StrCat("column ", kColumnNames[c],
                                    ": not UTF-8 (save the file as UTF-8)"));
      }
      if (c <= kPeriod && cells[c].empty()) {
        return Invalid(path_, *line,
                       absl::StrCat("column ", kColumnNames[c], ": empty"));
      }
    }
    row->set_unit(cells[kUnit]);
    row->set_indicator(cells[kIndicator]);
    row->set_period(std::string(absl::StripAsciiWhitespace(cells[kPeriod])));
    row->set_comment(cells[kComment]);
    row->set_source_system(cells[kSourceSystem]);
    absl::Status status = NormaliseNames(path_, *line, "column", row);
    if (!status.ok()) return status;
    status = ReadValue(cells, *line, row);
    if (!status.ok()) return status;
    return true;
  }

 private:
  absl::Status ReadHeader(const CsvRecord& header) {
    for (size_t i = 0; i < header.cells.size(); ++i) {
      const std::string name =
          absl::AsciiStrToLower(absl::StripAsciiWhitespace(header.cells[i]));
      int c = 0;
      while (c < kColumnCount && name != kColumnNames[c]) ++c;
      if (c == kColumnCount) {
        // Excel in a Vietnamese locale separates cells with ";".
        const bool semicolons =
            header.cells.size() == 1 && absl::StrContains(header.cells[0], ';');
        return Invalid(
            path_, header.line,
            absl::StrCat("unknown column \"", header.cells[i], "\"",
                         semicolons ? " (separate cells with commas, not "
                                      "semicolons)"
                                    : "; the columns are unit, indicator, "
                                      "period, value, numerator, "
                                      "denominator, comment, source_system"));
      }
      if (index_[c] >= 0) {
        return Invalid(path_, header.line,
                       absl::StrCat("column ", name, " appears twice"));
      }
      index_[c] = static_cast<int>(i);
    }
    column_count_ = header.cells.size();
    for (int c : {kUnit, kIndicator, kPeriod}) {
      if (index_[c] < 0) {
        return Invalid(path_, header.line,
                       absl::StrCat("no column ", kColumnNames[c]));
      }
    }
    if ((index_[kNumerator] < 0) != (index_[kDenominator] < 0)) {
      return Invalid(path_, header.line,
                     "columns numerator and denominator go together");
    }
    if (index_[kValue] < 0 && index_[kNumerator] < 0) {
      return Invalid(path_, header.line,
                     "no column value (nor numerator and denominator)");
    }
    return absl::OkStatus();
  }

  // Sets the row's value from the value cells, read by the indicator's type.
  absl::Status ReadValue(const std::string (&cells)[kColumnCount], int line,
                         ValueRow* row) {
    const std::string& value = cells[kValue];
    const bool has_parts =
        !cells[kNumerator].empty() || !cells[kDenominator].empty();
    // No value at all is how DELETE mode names a value.
    if (value.empty() && !has_parts) return absl::OkStatus();
    absl::StatusOr<std::optional<ValueType>> type = TypeOf(row->indicator());
    if (!type.ok()) {
      return absl::Status(
          type.status().code(),
          absl::StrCat(path_, ":", line, ": looking up ", row->indicator(),
                       ": ", type.status().message()));
    }
    // An unknown indicator: the server rejects the row, naming it.
    if (!type->has_value()) return absl::OkStatus();
    auto fail = [&](int column, const absl::Status& status) {
      return Invalid(path_, line,
                     absl::StrCat("column ", kColumnNames[column], ": ",
                                  status.message()));
    };
    lienthong::common::v1::Value* out = row->mutable_value();
    if (**type == registry::v1::VALUE_TYPE_RATIO) {
      std::string parts[2] = {cells[kNumerator], cells[kDenominator]};
      int columns[2] = {kNumerator, kDenominator};
      if (!has_parts) {
        // "a/b" in the value cell.
        const size_t slash = value.find('/');
        if (slash == std::string::npos) {
          return fail(kValue, absl::InvalidArgumentError(absl::StrCat(
                                  "\"", value, "\" is not a ratio \"a/b\"")));
        }
        const absl::string_view ratio = value;
        parts[0] =
            std::string(absl::StripAsciiWhitespace(ratio.substr(0, slash)));
        parts[1] =
            std::string(absl::StripAsciiWhitespace(ratio.substr(slash + 1)));
        columns[0] = columns[1] = kValue;
      } else if (!value.empty()) {
        return Invalid(path_, line,
                       "give value or numerator and denominator, not both");
      }
      double numbers[2];
      for (int k = 0; k < 2; ++k) {
        if (parts[k].empty()) {
          return fail(columns[k],
                      absl::InvalidArgumentError(absl::StrCat(
                          k == 0 ? "numerator" : "denominator", " missing")));
        }
        absl::StatusOr<double> number = ParseDecimal(parts[k]);
        if (!number.ok()) return fail(columns[k], number.status());
        numbers[k] = *number;
      }
      out->mutable_ratio()->set_numerator(numbers[0]);
      out->mutable_ratio()->set_denominator(numbers[1]);
      return absl::OkStatus();
    }
    if (has_parts) {
      return fail(cells[kNumerator].empty() ? kDenominator : kNumerator,
                  absl::InvalidArgumentError(
                      absl::StrCat(row->indicator(), " is not a ratio")));
    }
    switch (**type) {
      case registry::v1::VALUE_TYPE_COUNT: {
        absl::StatusOr<int64_t> count = ParseCount(value);
        if (!count.ok()) return fail(kValue, count.status());
        out->set_count(*count);
        break;
      }
      case registry::v1::VALUE_TYPE_AMOUNT:
      case registry::v1::VALUE_TYPE_PERCENT: {
        absl::StatusOr<double> number = ParseDecimal(value);
        if (!number.ok()) return fail(kValue, number.status());
        if (**type == registry::v1::VALUE_TYPE_AMOUNT) {
          out->set_amount(*number);
        } else {
          out->set_percent(*number);
        }
        break;
      }
      case registry::v1::VALUE_TYPE_BOOLEAN: {
        absl::StatusOr<bool> flag = ParseFlag(value);
        if (!flag.ok()) return fail(kValue, flag.status());
        out->set_flag(*flag);
        break;
      }
      default:
        return fail(kValue, absl::InvalidArgumentError(absl::StrCat(
                                row->indicator(), " has no known value type")));
    }
    return absl::OkStatus();
  }

  // The indicator's value type, nullopt when unknown; asked once each.
  absl::StatusOr<std::optional<ValueType>> TypeOf(const std::string& name) {
    auto it = types_.find(name);
    if (it != types_.end()) return it->second;
    absl::StatusOr<ValueType> type = value_type_(name);
    std::optional<ValueType> known;
    if (type.ok()) {
      known = *type;
    } else if (!absl::IsNotFound(type.status())) {
      return type.status();  // not kept: it may pass
    }
    types_.emplace(name, known);
    return known;
  }

  // The next record from libcsv; false at the end of the file.
  absl::StatusOr<bool> NextRecord(CsvRecord* record) {
    while (records_.empty()) {
      if (finished_) return false;
      absl::StatusOr<bool> more = in_.Fill();
      if (!more.ok()) return more.status();
      if (*more) {
        absl::Status status = FeedLine();
        if (!status.ok()) return status;
        continue;
      }
      finished_ = true;
      // Submits a last record without a line break.
      if (csv_fini(&parser_, &OnCell, &OnRecordEnd, this) != 0) {
        return Invalid(path_, record_line_, "a quoted cell is never closed");
      }
    }
    *record = std::move(records_.front());
    records_.pop_front();
    return true;
  }

  // Feeds libcsv up to and including the next line break, which is how each
  // record's first line is known.
  absl::Status FeedLine() {
    absl::string_view data = in_.data();
    const size_t end = data.find_first_of("\r\n");
    if (end != absl::string_view::npos) data = data.substr(0, end + 1);
    if (!in_record_ && data.find_first_not_of(kSpace) != data.npos) {
      in_record_ = true;
      record_line_ = line_;
    }
    if (csv_parse(&parser_, data.data(), data.size(), &OnCell, &OnRecordEnd,
                  this) != data.size()) {
      if (csv_error(&parser_) == CSV_ENOMEM) {
        return absl::ResourceExhaustedError(path_ + ": cell too large");
      }
      return Invalid(path_, line_,
                     "malformed CSV: a quote inside an unquoted cell, or "
                     "text after a closing quote");
    }
    in_.Consume(data.size());
    // CR LF, LF and a lone CR each end one line.
    const char last = data.back();
    if (last == '\r' || (last == '\n' && !(after_cr_ && data.size() == 1))) {
      ++line_;
    }
    after_cr_ = last == '\r';
    return absl::OkStatus();
  }

  static void OnCell(void* data, size_t size, void* self) {
    auto* source = static_cast<CsvSource*>(self);
    // libcsv may pass a null buffer for an empty cell.
    source->cells_.push_back(size == 0
                                 ? std::string()
                                 : std::string(static_cast<char*>(data), size));
  }

  static void OnRecordEnd(int, void* self) {
    auto* source = static_cast<CsvSource*>(self);
    source->records_.push_back(
        CsvRecord{std::move(source->cells_), source->record_line_});
    source->cells_.clear();
    source->in_record_ = false;
  }

  const std::string path_;
  const ValueTypeLookup value_type_;
  FileBuffer in_;
  csv_parser parser_;
  bool finished_ = false;
  int line_ = 1;                    // the line being fed
  bool after_cr_ = false;           // the last piece fed ended with CR
  bool in_record_ = false;          // a record has begun and not ended
  int record_line_ = 1;             // where the current record begins
  std::vector<std::string> cells_;  // of the current record
  // Records parsed and not yet read: at most one per line fed.
  std::deque<CsvRecord> records_;
  int index_[kColumnCount] = {-1, -1, -1, -1, -1, -1, -1, -1};
  size_t column_count_ = 0;
  absl::flat_hash_map<std::string, std::optional<ValueType>> types_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ValueFileReader::Source>> OpenCsvSource(
    const std::string& path, ValueTypeLookup value_type) {
  auto csv = std::make_unique<CsvSource>(path, std::move(value_type));
  if (absl::Status status = csv->Open(); !status.ok()) return status;
  return std::unique_ptr<ValueFileReader::Source>(std::move(csv));
}

}  // namespace lienthong::ltctl::value_source
