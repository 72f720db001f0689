#ifndef SERVICES_REPORTING_FEED_FOLLOWER_H_
#define SERVICES_REPORTING_FEED_FOLLOWER_H_

// Follows the ingestion change feed into a FeedIndex: WatchChanges from the
// index's position, reconnecting with backoff when the stream ends, so the
// index never misses or repeats a change.

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"

namespace lienthong::reporting {

class FeedIndex;
class ReportingStore;

class FeedFollower {
 public:
  // Starts following the ingestion service behind `channel`; `index` (and
  // `store`, when given: every batch of changes is saved there before the
  // index takes it) must outlive the follower.
  FeedFollower(std::shared_ptr<grpc::Channel> channel, FeedIndex* index,
               ReportingStore* store = nullptr);
  // Stops following.
  ~FeedFollower();

  // The feed's end as ingestion last reported it (0 before it first
  // answered); the index's position() behind it is the follower's lag.
  int64_t head_sequence() const {
    return head_sequence_.load(std::memory_order_relaxed);
  }

 private:
  void Follow();

  std::unique_ptr<ingestion::v1::IngestionService::Stub> stub_;
  FeedIndex* index_;
  ReportingStore* store_;
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::atomic<int64_t> head_sequence_{0};
  std::thread thread_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_FEED_FOLLOWER_H_
