#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "tools/ltctl/value_source.h"

// JSON value files: an array of ValueRow objects or one per line, each object
// parsed by protobuf's JSON mapping; only the element boundaries are found
// here, streaming.

namespace lienthong::ltctl::value_source {
namespace {

using ingestion::v1::ValueRow;

class JsonSource : public ValueFileReader::Source {
 public:
  explicit JsonSource(std::string path) : path_(std::move(path)) {}

  // Opens the file and tells an array from JSON Lines by its first character.
  absl::Status Open() {
    absl::Status status = in_.Open(path_);
    if (!status.ok()) return status;
    for (;;) {
      absl::StatusOr<bool> more = in_.Fill();
      if (!more.ok()) return more.status();
      if (!*more) return absl::OkStatus();  // no rows
      absl::string_view data = in_.data();
      const size_t start = data.find_first_not_of(kSpace);
      for (char c : data.substr(0, start)) line_ += c == '\n';
      if (start == data.npos) {
        in_.Consume(data.size());
        continue;
      }
      if (data[start] == '[') {
        array_ = true;
        in_.Consume(start + 1);
      } else if (data[start] == '{') {
        in_.Consume(start);
      } else {
        return Invalid(path_, line_,
                       "expected a JSON array, or one JSON object per line");
      }
      return absl::OkStatus();
    }
  }

  absl::StatusOr<bool> Read(ValueRow* row, int* line) override {
    std::string text;
    absl::StatusOr<bool> found =
        array_ ? NextElement(&text, line) : NextLine(&text, line);
    if (!found.ok() || !*found) return found;
    const auto parsed = google::protobuf::util::JsonStringToMessage(text, row);
    if (!parsed.ok()) {
      return Invalid(
          path_, *line,
          absl::StrCat("not a ValueRow: ", parsed.message().ToString()));
    }
    absl::Status status = NormaliseNames(path_, *line, "field", row);
    if (!status.ok()) return status;
    return true;
  }

 private:
  // The next non-blank line.
  absl::StatusOr<bool> NextLine(std::string* text, int* line) {
    for (;;) {
      absl::StatusOr<bool> more = in_.Fill();
      if (!more.ok()) return more.status();
      absl::string_view data = in_.data();
      const size_t end = data.find('\n');
      absl::StrAppend(text, data.substr(0, end));
      in_.Consume(end == data.npos ? data.size() : end + 1);
      if (*more && end == data.npos) continue;
      *line = line_++;
      if (!absl::StripAsciiWhitespace(*text).empty()) return true;
      if (!*more) return false;
      text->clear();
    }
  }

  // Scans the array to the end of its next element, which must be an object;
  // only strings and nesting are tracked, protobuf parses the rest.
  absl::StatusOr<bool> NextElement(std::string* text, int* line) {
    for (;;) {
      absl::StatusOr<bool> more = in_.Fill();
      if (!more.ok()) return more.status();
      if (!*more) {
        if (state_ == kDone) return false;
        return Invalid(path_, line_, "the file ends inside the JSON array");
      }
      absl::string_view data = in_.data();
      for (size_t i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (c == '\n') ++line_;
        if (state_ == kInElement) {
          text->push_back(c);
          if (in_string_) {
            if (escaped_) {
              escaped_ = false;
            } else if (c == '\\') {
              escaped_ = true;
            } else if (c == '"') {
              in_string_ = false;
            }
          } else if (c == '"') {
            in_string_ = true;
          } else if (c == '{' || c == '[') {
            ++depth_;
          } else if ((c == '}' || c == ']') && --depth_ == 0) {
            state_ = kAfterElement;
            in_.Consume(i + 1);
            return true;
          }
          continue;
        }
        if (kSpace.find(c) != kSpace.npos) continue;
        switch (state_) {
          case kFirst:
            if (c == ']') {
              state_ = kDone;
              break;
            }
            [[fallthrough]];
          case kElement:
            if (c != '{') {
              return Invalid(path_, line_, "expected an object in the array");
            }
            state_ = kInElement;
            depth_ = 1;
            *line = line_;
            text->push_back(c);
            break;
          case kAfterElement:
            if (c == ',') {
              state_ = kElement;
            } else if (c == ']') {
              state_ = kDone;
            } else {
              return Invalid(path_, line_, "expected , or ] after an object");
            }
            break;
          case kDone:
            return Invalid(path_, line_, "text after the JSON array");
          case kInElement:  // handled above
            break;
        }
      }
      in_.Consume(data.size());
    }
  }

  const std::string path_;
  FileBuffer in_;
  int line_ = 1;
  bool array_ = false;
  enum { kFirst, kElement, kInElement, kAfterElement, kDone } state_ = kFirst;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ValueFileReader::Source>> OpenJsonSource(
    const std::string& path) {
  auto json = std::make_unique<JsonSource>(path);
  if (absl::Status status = json->Open(); !status.ok()) return status;
  return std::unique_ptr<ValueFileReader::Source>(std::move(json));
}

}  // namespace lienthong::ltctl::value_source
