#include "tools/ltctl/outbox_delivery.h"

#include <algorithm>
#include <memory>
#include <random>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "tools/ltctl/push_report.h"

namespace lienthong::ltctl {
namespace {

// One attempt: the whole file, batch by batch, with the job's request_ids.
PushReport Attempt(const OutboxJob& job, const Connector& connect,
                   const DeliveryHooks& hooks) {
  Connection connection = connect();
  PushReport report;
  absl::StatusOr<ValueFileFormat> format = FormatOf(job.copy);
  if (!format.ok()) {
    report.stopped = format.status();
    return report;
  }
  absl::StatusOr<std::unique_ptr<ValueFileReader>> reader =
      ValueFileReader::Open(job.copy, *format, connection.value_types);
  if (!reader.ok()) {
    report.stopped = reader.status();
    return report;
  }
  return PushValues(*connection.ingestion, **reader, job.request_id_prefix,
                    job.options, [&](const PushReport& so_far) {
                      if (hooks.on_batch) hooks.on_batch(job, so_far);
                    });
}

}  // namespace

bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:        // down, or the link broke
    case absl::StatusCode::kDeadlineExceeded:   // too slow a link
    case absl::StatusCode::kResourceExhausted:  // overloaded: retry later
    case absl::StatusCode::kAborted:            // a conflict: retry
    case absl::StatusCode::kCancelled:          // the stream was cut
      return true;
    default:
      return false;
  }
}

std::vector<DeliveryResult> DeliverPending(Outbox& outbox,
                                           const Connector& connect,
                                           const RetryPolicy& policy,
                                           const Clock& clock,
                                           const DeliveryHooks& hooks) {
  std::vector<DeliveryResult> results;
  absl::StatusOr<std::vector<OutboxJob>> pending = outbox.List(true);
  if (!pending.ok()) return results;
  const absl::Time give_up = clock.Now() + policy.retry_for;
  std::mt19937_64 random(std::random_device{}());
  bool link_down = false;  // then the rest wait, in order, for a later flush
  for (OutboxJob& job : *pending) {
    DeliveryResult result{job, PushReport()};
    if (link_down) {
      result.report.stopped = absl::UnavailableError("not tried: link down");
      results.push_back(std::move(result));
      continue;
    }
    absl::Duration backoff = policy.initial_backoff;
    while (true) {
      result.report = Attempt(job, connect, hooks);
      const absl::Status& stopped = result.report.stopped;
      if (stopped.ok() || !IsTransient(stopped)) {
        OutboxJob::State state = stopped.ok() ? OutboxJob::State::kDelivered
                                              : OutboxJob::State::kFailed;
        std::string json = ReportJsonText(job.source, result.report);
        absl::Status saved = outbox.Finish(job.id, state, json);
        if (!saved.ok()) result.report.stopped = saved;
        result.job.state = state;
        result.job.report_json = json;
        ++result.job.attempts;
        break;
      }
      (void)outbox.RecordAttempt(job.id, stopped.ToString());
      ++result.job.attempts;
      result.job.last_error = stopped.ToString();
      // Jitter, half to all of the backoff: communes retrying after an
      // outage do not all come back at once.
      absl::Duration wait =
          absl::Milliseconds(std::uniform_int_distribution<int64_t>(
              absl::ToInt64Milliseconds(backoff) / 2,
              absl::ToInt64Milliseconds(backoff))(random));
      if (clock.Now() + wait > give_up) {
        link_down = true;
        break;
      }
      if (hooks.on_retry) hooks.on_retry(job, stopped, wait);
      hooks.sleep(wait);
      backoff = std::min(backoff * 2, policy.max_backoff);
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace lienthong::ltctl
