#include "libs/log/logger.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"

namespace lienthong {
namespace {

class StderrSink final : public LogSink {
 public:
  void Write(absl::string_view line) override {
    // One fwrite per line keeps lines whole when threads log at once.
    std::string out = absl::StrCat(line, "\n");
    std::fwrite(out.data(), 1, out.size(), stderr);
  }
};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

std::string QuoteIfNeeded(absl::string_view value) {
  bool plain = !value.empty() &&
               value.find_first_of(" \"=\n\r\t\\") == absl::string_view::npos;
  if (plain) return std::string(value);
  return absl::StrCat("\"",
                      absl::StrReplaceAll(value, {{"\\", "\\\\"},
                                                  {"\"", "\\\""},
                                                  {"\n", "\\n"},
                                                  {"\r", "\\r"},
                                                  {"\t", "\\t"}}),
                      "\"");
}

}  // namespace

std::unique_ptr<LogSink> StderrLogSink() {
  return std::make_unique<StderrSink>();
}

void MemoryLogSink::Write(absl::string_view line) {
  absl::MutexLock lock(&mutex_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemoryLogSink::lines() const {
  absl::MutexLock lock(&mutex_);
  return lines_;
}

Logger::Logger(LogSink* sink, const Clock* clock, LogLevel min_level)
    : sink_(sink), clock_(clock), min_level_(min_level) {}

void Logger::Log(LogLevel level, absl::string_view event,
                 std::initializer_list<LogField> fields) const {
  if (level < min_level_) return;
  std::string line = absl::StrCat(
      "ts=",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", clock_->Now(),
                       absl::UTCTimeZone()),
      " level=", LevelName(level), " event=", QuoteIfNeeded(event));
  for (const LogField& field : fields) {
    absl::StrAppend(&line, " ", field.first, "=", QuoteIfNeeded(field.second));
  }
  sink_->Write(line);
}

}  // namespace lienthong
