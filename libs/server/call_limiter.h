#ifndef LIBS_SERVER_CALL_LIMITER_H_
#define LIBS_SERVER_CALL_LIMITER_H_

// Admission of calls: a token bucket per caller identity (sustained rate and
// burst), a cap on each identity's calls in flight (open streams included), and
// a cap on all calls in flight, so one agency's flood cannot starve the others
// and memory stays bounded whatever the load. Refusals carry a retry delay.

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lienthong {

class Clock;

struct CallLimits {
  double calls_per_second = 100;    // per identity, sustained
  double burst = 200;               // per identity, calls at once after a lull
  int max_calls_per_identity = 32;  // in flight at once, per identity
  int max_calls = 512;              // in flight at once, all identities
  // Identities tracked before idle ones (nothing in flight, bucket full) are
  // forgotten; forgetting one changes nothing, its bucket is full anyway.
  int max_identities = 10000;
};

class CallLimiter {
 public:
  // `clock` must outlive the limiter.
  CallLimiter(const CallLimits& limits, const Clock* clock)
      : limits_(limits), clock_(clock) {}

  // Admits `call` (any key unique while the call lasts) for `identity`; a call
  // already admitted is admitted again at no cost. Refusals:
  // UNAVAILABLE SERVER_OVERLOADED when all calls in flight are taken;
  // RESOURCE_EXHAUSTED TOO_MANY_CONCURRENT_CALLS when the identity's are;
  // RESOURCE_EXHAUSTED RATE_LIMITED when its bucket is empty, with the delay
  // until the next token. Each carries RetryInfo.
  absl::Status Admit(const void* call, absl::string_view identity);

  // Ends `call`, freeing its place; unknown calls are ignored.
  void Release(const void* call);

  int in_flight() const;
  // The most calls ever in flight at once.
  int peak_in_flight() const;
  // Identities with a bucket kept.
  int tracked_identities() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
    int in_flight = 0;
  };

  // The bucket's tokens at `now`, refilled at the rate up to the burst.
  double TokensAt(const Bucket& bucket, absl::Time now) const;
  Bucket& Refilled(const std::string& identity, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const CallLimits limits_;
  const Clock* clock_;
  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<const void*, std::string> calls_ ABSL_GUARDED_BY(mutex_);
  int peak_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace lienthong

#endif  // LIBS_SERVER_CALL_LIMITER_H_
