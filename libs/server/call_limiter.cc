#include "libs/server/call_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

// How long to wait for a place in flight to free up: calls are short, streams
// are not, so a second is a fair first guess.
constexpr absl::Duration kConcurrencyRetry = absl::Seconds(1);

absl::Status Refusal(absl::Status status, absl::string_view reason,
                     absl::string_view identity, absl::Duration retry) {
  return WithRetryInfo(
      WithErrorInfo(
          std::move(status), reason,
          {{"agency", std::string(identity)},
           {"retry_after_ms", absl::StrCat(absl::ToInt64Milliseconds(retry))}}),
      retry);
}

}  // namespace

double CallLimiter::TokensAt(const Bucket& bucket, absl::Time now) const {
  if (now <= bucket.refilled) return bucket.tokens;
  return std::min(limits_.burst,
                  bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) *
                                      limits_.calls_per_second);
}

CallLimiter::Bucket& CallLimiter::Refilled(const std::string& identity,
                                           absl::Time now) {
  auto [it, created] = buckets_.try_emplace(identity);
  Bucket& bucket = it->second;
  bucket.tokens = created ? limits_.burst : TokensAt(bucket, now);
  bucket.refilled = std::max(bucket.refilled, now);
  return bucket;
}

void CallLimiter::ForgetIdle(absl::Time now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->second.in_flight == 0 &&
        TokensAt(it->second, now) >= limits_.burst) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
}

absl::Status CallLimiter::Admit(const void* call, absl::string_view identity) {
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mutex_);
  if (calls_.contains(call)) return absl::OkStatus();
  if (static_cast<int>(calls_.size()) >= limits_.max_calls) {
    return Refusal(absl::UnavailableError(
                       absl::StrCat("SERVER_OVERLOADED: ", limits_.max_calls,
                                    " calls are in flight; retry later")),
                   "SERVER_OVERLOADED", identity, kConcurrencyRetry);
  }
  if (static_cast<int>(buckets_.size()) >= limits_.max_identities) {
    ForgetIdle(now);
  }
  const std::string key(identity);
  Bucket& bucket = Refilled(key, now);
  if (bucket.in_flight >= limits_.max_calls_per_identity) {
    return Refusal(absl::ResourceExhaustedError(absl::StrCat(
                       "TOO_MANY_CONCURRENT_CALLS: ", identity, " has ",
                       bucket.in_flight, " calls in flight, the most allowed")),
                   "TOO_MANY_CONCURRENT_CALLS", identity, kConcurrencyRetry);
  }
  if (bucket.tokens < 1) {
    const absl::Duration retry = absl::Microseconds(
        std::ceil((1 - bucket.tokens) / limits_.calls_per_second * 1e6));
    return Refusal(
        absl::ResourceExhaustedError(absl::StrCat(
            "RATE_LIMITED: ", identity, " may make ", limits_.calls_per_second,
            " calls a second (bursts of ", limits_.burst, "); retry in ",
            absl::FormatDuration(retry))),
        "RATE_LIMITED", identity, retry);
  }
  bucket.tokens -= 1;
  ++bucket.in_flight;
  calls_.emplace(call, key);
  peak_ = std::max(peak_, static_cast<int>(calls_.size()));
  return absl::OkStatus();
}

void CallLimiter::Release(const void* call) {
  absl::MutexLock lock(&mutex_);
  auto it = calls_.find(call);
  if (it == calls_.end()) return;
  auto bucket = buckets_.find(it->second);
  if (bucket != buckets_.end()) --bucket->second.in_flight;
  calls_.erase(it);
}

int CallLimiter::in_flight() const {
  absl::MutexLock lock(&mutex_);
  return static_cast<int>(calls_.size());
}

int CallLimiter::tracked_identities() const {
  absl::MutexLock lock(&mutex_);
  return static_cast<int>(buckets_.size());
}

int CallLimiter::peak_in_flight() const {
  absl::MutexLock lock(&mutex_);
  return peak_;
}

}  // namespace lienthong
