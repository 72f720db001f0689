#ifndef TOOLS_LTCTL_OUTBOX_H_
#define TOOLS_LTCTL_OUTBOX_H_

// ltctl's store-and-forward outbox: a push is kept here first (a copy of the
// file beside a SQLite database, both fsynced) and delivered from here, so a
// broken link loses nothing. A job keeps its request_id prefix, derived from
// the file and options, so every retry and every later flush sends the same
// request_ids and the server writes nothing twice.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/ltctl/value_push.h"

namespace lienthong {
class SqliteDatabase;
}

namespace lienthong::ltctl {

// One push waiting for delivery, or done with.
struct OutboxJob {
  enum class State { kPending, kDelivered, kFailed };

  int64_t id = 0;
  std::string source;  // the file as it was named when pushed
  std::string copy;    // the outbox's copy, which delivery reads
  std::string request_id_prefix;
  PushOptions options;
  State state = State::kPending;
  int attempts = 0;         // deliveries tried
  std::string last_error;   // why the last one did not finish
  std::string report_json;  // delivered or failed: the push's report
  absl::Time queued;
};

std::string StateName(OutboxJob::State state);

class Outbox {
 public:
  // Opens (creating) the outbox in directory `dir`: outbox.db and files/.
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(const std::string& dir);
  ~Outbox();

  // Keeps a copy of the file at `path` and a pending job for it. The same
  // file with the same options is one job: pushed again, it is pending again
  // (delivering it again only replays the server's first answers).
  absl::StatusOr<OutboxJob> Enqueue(const std::string& path,
                                    const PushOptions& options, absl::Time now);
  // Jobs in the order queued; only pending ones with `pending_only`.
  absl::StatusOr<std::vector<OutboxJob>> List(bool pending_only);
  // A delivery of job `id` that did not finish, and why.
  absl::Status RecordAttempt(int64_t id, const std::string& error);
  // Job `id` is done: delivered, or failed for good (`state`), with its
  // report.
  absl::Status Finish(int64_t id, OutboxJob::State state,
                      const std::string& report_json);

 private:
  Outbox(std::string dir, std::unique_ptr<SqliteDatabase> db);

  std::string dir_;
  std::unique_ptr<SqliteDatabase> db_;
};

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_OUTBOX_H_
