#ifndef LIBS_LOG_LOGGER_H_
#define LIBS_LOG_LOGGER_H_

// Structured logging: one line per event, logfmt style, e.g.
//   ts=2025-07-01T08:00:00Z level=info event=server.started
//   address=127.0.0.1:50051
// Loggers are passed in (Options), never global; tests capture lines with a
// sink.

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace lienthong {

class Clock;

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Where finished lines go.
class LogSink {
 public:
  virtual ~LogSink() = default;
  // Receives one complete line, without the trailing newline.
  virtual void Write(absl::string_view line) = 0;
};

// Writes lines to stderr.
std::unique_ptr<LogSink> StderrLogSink();

// Keeps lines in memory, for tests.
class MemoryLogSink final : public LogSink {
 public:
  void Write(absl::string_view line) override;
  std::vector<std::string> lines() const;

 private:
  mutable absl::Mutex mutex_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mutex_);
};

// A key and its value, already rendered to text.
using LogField = std::pair<absl::string_view, std::string>;

// Formats events into single lines and hands them to a sink.
class Logger {
 public:
  // `sink` and `clock` must outlive the logger.
  Logger(LogSink* sink, const Clock* clock,
         LogLevel min_level = LogLevel::kInfo);

  // Logs `event` (a dotted name such as "ingestion.batch.rejected") with
  // fields. Values with spaces, quotes or '=' are quoted; newlines are escaped.
  void Log(LogLevel level, absl::string_view event,
           std::initializer_list<LogField> fields = {}) const;

  void Info(absl::string_view event,
            std::initializer_list<LogField> fields = {}) const {
    Log(LogLevel::kInfo, event, fields);
  }
  void Warning(absl::string_view event,
               std::initializer_list<LogField> fields = {}) const {
    Log(LogLevel::kWarning, event, fields);
  }
  void Error(absl::string_view event,
             std::initializer_list<LogField> fields = {}) const {
    Log(LogLevel::kError, event, fields);
  }

 private:
  LogSink* sink_;
  const Clock* clock_;
  LogLevel min_level_;
};

}  // namespace lienthong

#endif  // LIBS_LOG_LOGGER_H_
