#include "services/registry/registry_revision.h"

namespace lienthong::registry {
namespace {

constexpr size_t kRecentChanges = 4096;

}  // namespace

const std::set<std::string>& RegistryRevision::AllCollections() {
  static const auto* all = new std::set<std::string>{
      "agencies", "indicators", "plans", "schedules", "units"};
  return *all;
}

void RegistryRevision::Close() {
  absl::MutexLock lock(&mutex_);
  closed_ = true;
}

bool RegistryRevision::closed() {
  absl::MutexLock lock(&mutex_);
  return closed_;
}

void RegistryRevision::Bump(const std::string& collection) {
  absl::MutexLock lock(&mutex_);
  ++revision_;
  recent_.emplace_back(revision_, collection);
  if (recent_.size() > kRecentChanges) recent_.pop_front();
}

RevisionChanges RegistryRevision::WaitForChanges(const std::string& epoch,
                                                 int64_t after,
                                                 absl::Time deadline) {
  absl::MutexLock lock(&mutex_);
  RevisionChanges changes;
  if (epoch != epoch_ || after > revision_) {
    // Another run's revision: the client knows nothing valid any more.
    changes.revision = revision_;
    changes.collections = AllCollections();
    return changes;
  }
  auto moved = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return revision_ > after || closed_;
  };
  mutex_.AwaitWithDeadline(absl::Condition(&moved), deadline);
  changes.revision = revision_;
  if (revision_ == after) return changes;
  if (recent_.empty() || recent_.front().first > after + 1) {
    changes.collections = AllCollections();  // fell too far behind to tell
    return changes;
  }
  for (const auto& [revision, collection] : recent_) {
    if (revision > after) changes.collections.insert(collection);
  }
  return changes;
}

}  // namespace lienthong::registry
