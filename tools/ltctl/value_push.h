#ifndef TOOLS_LTCTL_VALUE_PUSH_H_
#define TOOLS_LTCTL_VALUE_PUSH_H_

// Pushes a value file to IngestionService.ImportBatches: batches stream out
// while earlier ones are acknowledged, each with a request_id derived from the
// file's content and the options, so pushing the same file again writes
// nothing twice (the server replays its first answers).

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"

namespace lienthong::ltctl {

class ValueFileReader;

struct PushOptions {
  std::string schedule;  // schedules/{id}
  ingestion::v1::ImportMode mode = ingestion::v1::IMPORT_MODE_UPSERT;
  bool dry_run = false;
  bool accept_partial = false;
  int batch_rows = 5000;
  // Set on rows that do not name their source system.
  std::string source_system;
};

// A rejected row, placed in the file.
struct RowReport {
  int line;  // 1-based line of the row in the file
  std::string field;
  std::string reason;
  std::string description;
};

// What a push did, summed over its batches.
struct PushReport {
  int batches = 0;
  int batches_refused = 0;   // refused whole: nothing of them was written
  int batches_replayed = 0;  // already written by an earlier push
  ingestion::v1::ImportSummary totals;
  std::vector<RowReport> problems;
  std::vector<std::string> batch_errors;  // "batch 3 (lines 9-12): ..."
  // Why the push stopped before the end of the file (an error in the file, a
  // broken stream); OK when all of it went through. The batches acknowledged
  // before it are durable, and pushing the same file again skips them.
  absl::Status stopped;
};

// The request_id prefix for pushing the file at `path` with `options`: a
// SHA-256 of both, so the same push is recognised and a different one is not.
absl::StatusOr<std::string> RequestIdPrefix(const std::string& path,
                                            const PushOptions& options);

// Streams the rows of `reader` in batches of options.batch_rows; calls
// `on_batch` (when set) with the report so far after each acknowledgement.
PushReport PushValues(
    ingestion::v1::IngestionService::StubInterface& ingestion,
    ValueFileReader& reader, const std::string& request_id_prefix,
    const PushOptions& options,
    const std::function<void(const PushReport&)>& on_batch = nullptr);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_VALUE_PUSH_H_
