#ifndef TOOLS_LTCTL_VALUE_SOURCE_H_
#define TOOLS_LTCTL_VALUE_SOURCE_H_

// The parts of ValueFileReader shared by its formats (value_file.cc reads
// through them; csv_value_source.cc and json_value_source.cc implement them).

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "tools/ltctl/value_file.h"

namespace lienthong::ltctl {

// Reads one format: the next row and the line it starts on.
class ValueFileReader::Source {
 public:
  virtual ~Source() = default;
  // False at the end of the file.
  virtual absl::StatusOr<bool> Read(ingestion::v1::ValueRow* row,
                                    int* line) = 0;
};

namespace value_source {

constexpr size_t kBlockSize = 64 * 1024;
constexpr absl::string_view kSpace = " \t\r\n";

// INVALID_ARGUMENT "path:line: what".
absl::Status Invalid(absl::string_view path, int line, absl::string_view what);

// A file read one block at a time; data() is the unread part of the block.
class FileBuffer {
 public:
  // Opens `path` and skips a UTF-8 byte order mark.
  absl::Status Open(const std::string& path) {
    path_ = path;
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (file_ == nullptr) return absl::ErrnoToStatus(errno, path);
    buffer_.resize(kBlockSize);
    absl::StatusOr<bool> more = Fill();
    if (!more.ok()) return more.status();
    if (absl::StartsWith(data(), "\xEF\xBB\xBF")) Consume(3);
    return absl::OkStatus();
  }

  absl::string_view data() const {
    return absl::string_view(buffer_.data() + begin_, end_ - begin_);
  }
  void Consume(size_t n) { begin_ += n; }

  // Reads the next block once data() is used up; false at the end of the file.
  absl::StatusOr<bool> Fill() {
    if (begin_ < end_) return true;
    begin_ = 0;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_.get());
    if (std::ferror(file_.get())) return absl::ErrnoToStatus(errno, path_);
    return end_ > 0;
  }

 private:
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::string buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

// Whether `s` is well-formed UTF-8, as protobuf strings must be.
bool IsUtf8(absl::string_view s);

// Puts the unit and indicator in resource-name form; `label` names where
// they came from ("column" or "field").
absl::Status NormaliseNames(absl::string_view path, int line,
                            absl::string_view label,
                            ingestion::v1::ValueRow* row);

// The format-specific sources, opened (a CSV's header read and checked).
absl::StatusOr<std::unique_ptr<ValueFileReader::Source>> OpenCsvSource(
    const std::string& path, ValueTypeLookup value_type);
absl::StatusOr<std::unique_ptr<ValueFileReader::Source>> OpenJsonSource(
    const std::string& path);

}  // namespace value_source
}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_VALUE_SOURCE_H_
