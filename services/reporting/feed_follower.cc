#include "services/reporting/feed_follower.h"

#include <algorithm>
#include <chrono>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/reporting_store.h"

namespace lienthong::reporting {

FeedFollower::FeedFollower(std::shared_ptr<grpc::Channel> channel,
                           FeedIndex* index, ReportingStore* store)
    : stub_(ingestion::v1::IngestionService::NewStub(channel)),
      index_(index),
      store_(store),
      thread_([this] { Follow(); }) {}

FeedFollower::~FeedFollower() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  thread_.join();
}

void FeedFollower::Follow() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    grpc::ClientContext context;
    // Service-to-service calls carry a deadline; the watch resumes from the
    // position reached when it runs out.
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::minutes(5));
    {
      absl::MutexLock lock(&mutex_);
      if (stopping_) return;
      context_ = &context;
    }
    ingestion::v1::WatchChangesRequest request;
    request.set_after_sequence(index_->position());
    request.set_max_batch(5000);
    auto stream = stub_->WatchChanges(&context, request);
    ingestion::v1::WatchChangesResponse response;
    bool in_order = true;
    while (in_order && stream->Read(&response)) {
      head_sequence_.store(response.head_sequence(), std::memory_order_relaxed);
      // Saved first: what the index shows after a restart is what was saved.
      if (store_ != nullptr &&
          !store_->Save({response.changes().begin(), response.changes().end()})
               .ok()) {
        context.TryCancel();  // retried from the position reached
        break;
      }
      for (const ingestion::v1::Change& change : response.changes()) {
        // A gap cannot happen on an unfiltered feed; if it did, resuming from
        // the position reached fetches what was missed.
        if (!index_->Apply(change).ok()) {
          in_order = false;
          context.TryCancel();
          break;
        }
      }
      backoff = absl::Milliseconds(100);
    }
    stream->Finish().IgnoreError();
    absl::MutexLock lock(&mutex_);
    context_ = nullptr;
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return stopping_;
    };
    if (mutex_.AwaitWithTimeout(absl::Condition(&stopping), backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

}  // namespace lienthong::reporting
