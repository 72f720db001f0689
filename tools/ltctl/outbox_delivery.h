#ifndef TOOLS_LTCTL_OUTBOX_DELIVERY_H_
#define TOOLS_LTCTL_OUTBOX_DELIVERY_H_

// Delivers an outbox's pending pushes in the order queued. A push that breaks
// on the link (the server down, the connection lost, overload) is retried
// with exponential backoff and jitter, resent whole with the same
// request_ids: batches the server already took are answered from its log, so
// the retry writes only what it never got. When the retry time runs out the
// push stays pending, and so do those queued after it, for a later flush.

#include <functional>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"
#include "tools/ltctl/outbox.h"
#include "tools/ltctl/value_file.h"

namespace lienthong {
class Clock;
}

namespace lienthong::ltctl {

struct RetryPolicy {
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Minutes(1);
  // How long a flush keeps retrying before it leaves the rest pending.
  absl::Duration retry_for = absl::Minutes(15);
};

// What one job's delivery came to.
struct DeliveryResult {
  OutboxJob job;      // as it now stands in the outbox
  PushReport report;  // the last attempt's
};

struct DeliveryHooks {
  // Waits between attempts (a real sleep, or a test's stand-in).
  std::function<void(absl::Duration)> sleep;
  // After each acknowledged batch of `job`, for progress bars.
  std::function<void(const OutboxJob& job, const PushReport& so_far)> on_batch;
  // Before each retry: the attempt that failed and the wait.
  std::function<void(const OutboxJob& job, const absl::Status& error,
                     absl::Duration wait)>
      on_retry;
};

// What one attempt sends through: a fresh connection each time, since a
// channel that saw the server down waits out gRPC's own reconnect backoff
// (up to two minutes) before it tries again.
struct Connection {
  std::unique_ptr<ingestion::v1::IngestionService::StubInterface> ingestion;
  ValueTypeLookup value_types;
};
using Connector = std::function<Connection()>;

// Whether a push that stopped with `status` may succeed if sent again.
bool IsTransient(const absl::Status& status);

// Delivers the pending jobs of `outbox`.
std::vector<DeliveryResult> DeliverPending(Outbox& outbox,
                                           const Connector& connect,
                                           const RetryPolicy& policy,
                                           const Clock& clock,
                                           const DeliveryHooks& hooks);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_OUTBOX_DELIVERY_H_
