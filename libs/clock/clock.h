#ifndef LIBS_CLOCK_CLOCK_H_
#define LIBS_CLOCK_CLOCK_H_

// The source of "now" for everything that stamps or compares times (deadlines,
// audit rows, report timeliness). Injected, so tests control time instead of
// sleeping.

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace lienthong {

// Tells the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that moves only when told to; safe to share between threads.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mutex_);
    now_ = now;
  }
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_ ABSL_GUARDED_BY(mutex_);
};

// Today's date in Vietnam (ICT, UTC+7, no daylight saving): the dates of the
// contract are Vietnamese civil dates.
inline absl::CivilDay TodayInVietnam(const Clock& clock) {
  return absl::ToCivilDay(clock.Now(), absl::FixedTimeZone(7 * 60 * 60));
}

}  // namespace lienthong

#endif  // LIBS_CLOCK_CLOCK_H_
