#ifndef TOOLS_LTCTL_VALUE_FILE_H_
#define TOOLS_LTCTL_VALUE_FILE_H_

// Reads indicator values from a CSV or JSON file as ValueRow batches, a few
// rows at a time, so memory stays flat whatever the file size.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lienthong/ingestion/v1/data_value.pb.h"
#include "lienthong/registry/v1/indicator.pb.h"

namespace lienthong::ltctl {

// The indicator's value type, looked up by indicator resource name
// ("indicators/CODE"); NOT_FOUND when unknown.
using ValueTypeLookup = std::function<absl::StatusOr<registry::v1::ValueType>(
    const std::string& indicator)>;

// How a value file is written.
enum class ValueFileFormat { kCsv, kJson };

// The format of `path` by its extension: .csv, or .json/.jsonl/.ndjson;
// INVALID_ARGUMENT otherwise.
absl::StatusOr<ValueFileFormat> FormatOf(const std::string& path);

// Reads ValueRows from a file.
//
// CSV: RFC 4180, UTF-8 (a BOM is skipped), a header row naming the columns in
// any order and case: unit, indicator, period, value and/or numerator and
// denominator, and optionally comment and source_system. A value cell is read
// by the indicator's value type.
//
// JSON: an array of ValueRow objects in protobuf's JSON mapping, or one such
// object per line (JSON Lines).
//
// Unit and indicator codes may be given with or without their "units/" and
// "indicators/" prefix. Errors in the file are INVALID_ARGUMENT and name the
// file and line, e.g. `data.csv:17: column value: "12,5" is not a number`;
// I/O errors and lookup errors other than NOT_FOUND keep their code. After an
// error the reader keeps returning it.
class ValueFileReader {
 public:
  // Format-specific reading, defined in value_file.cc.
  class Source;

  // Opens `path` and, for CSV, reads and checks the header. `value_type` is
  // only used for CSV, and only once per indicator.
  static absl::StatusOr<std::unique_ptr<ValueFileReader>> Open(
      const std::string& path, ValueFileFormat format,
      ValueTypeLookup value_type);

  ~ValueFileReader();

  // The next at most `max_rows` rows; an empty vector at the end of the file.
  absl::StatusOr<std::vector<ingestion::v1::ValueRow>> Next(int max_rows);

  // The 1-based source line of each row the last Next() returned, in the same
  // order, so a server's row index can be mapped back to the file.
  const std::vector<int>& lines() const { return lines_; }

 private:
  explicit ValueFileReader(std::unique_ptr<Source> source);

  std::unique_ptr<Source> source_;
  std::vector<int> lines_;
  absl::Status status_;  // the first error, returned again after it
};

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_VALUE_FILE_H_
