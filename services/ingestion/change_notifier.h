#ifndef SERVICES_INGESTION_CHANGE_NOTIFIER_H_
#define SERVICES_INGESTION_CHANGE_NOTIFIER_H_

// Wakes change-feed watchers when a batch commits, so they never poll the
// store.

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lienthong::ingestion {

class ChangeNotifier {
 public:
  // Records that the feed now reaches `sequence`.
  void Notify(int64_t sequence) {
    absl::MutexLock lock(&mutex_);
    if (sequence > head_) head_ = sequence;
  }
  // Ends every wait now and from now on (the server is going away).
  void Close() {
    absl::MutexLock lock(&mutex_);
    closed_ = true;
  }
  bool closed() {
    absl::MutexLock lock(&mutex_);
    return closed_;
  }
  // Waits until the feed passes `after` or `deadline` comes; returns the head
  // known to the notifier.
  int64_t WaitPast(int64_t after, absl::Time deadline) {
    absl::MutexLock lock(&mutex_);
    auto passed = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return head_ > after || closed_;
    };
    mutex_.AwaitWithDeadline(absl::Condition(&passed), deadline);
    return head_;
  }

 private:
  absl::Mutex mutex_;
  int64_t head_ ABSL_GUARDED_BY(mutex_) = 0;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_CHANGE_NOTIFIER_H_
