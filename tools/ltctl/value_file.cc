#include "tools/ltctl/value_file.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/ltctl/value_source.h"

namespace lienthong::ltctl {

using ingestion::v1::ValueRow;

absl::StatusOr<ValueFileFormat> FormatOf(const std::string& path) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".csv")) return ValueFileFormat::kCsv;
  for (absl::string_view extension : {".json", ".jsonl", ".ndjson"}) {
    if (absl::EndsWith(lower, extension)) return ValueFileFormat::kJson;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": expected a .csv, .json, .jsonl or .ndjson file"));
}

ValueFileReader::ValueFileReader(std::unique_ptr<Source> source)
    : source_(std::move(source)) {}

ValueFileReader::~ValueFileReader() = default;

absl::StatusOr<std::unique_ptr<ValueFileReader>> ValueFileReader::Open(
    const std::string& path, ValueFileFormat format,
    ValueTypeLookup value_type) {
  absl::StatusOr<std::unique_ptr<Source>> source =
      format == ValueFileFormat::kCsv
          ? value_source::OpenCsvSource(path, std::move(value_type))
          : value_source::OpenJsonSource(path);
  if (!source.ok()) return source.status();
  return std::unique_ptr<ValueFileReader>(
      new ValueFileReader(*std::move(source)));
}

absl::StatusOr<std::vector<ValueRow>> ValueFileReader::Next(int max_rows) {
  lines_.clear();
  if (max_rows <= 0) return absl::InvalidArgumentError("max_rows must be > 0");
  if (!status_.ok()) return status_;
  std::vector<ValueRow> rows;
  while (rows.size() < static_cast<size_t>(max_rows)) {
    ValueRow row;
    int line = 0;
    absl::StatusOr<bool> found = source_->Read(&row, &line);
    if (!found.ok()) {
      status_ = found.status();
      lines_.clear();
      return status_;
    }
    if (!*found) break;
    rows.push_back(std::move(row));
    lines_.push_back(line);
  }
  return rows;
}

}  // namespace lienthong::ltctl
