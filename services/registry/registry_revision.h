#ifndef SERVICES_REGISTRY_REGISTRY_REVISION_H_
#define SERVICES_REGISTRY_REGISTRY_REVISION_H_

// The registry's change counter: every committed write bumps it with the
// collection it touched ("units", "agencies", ...), and watchers wait for it to
// move. In memory: a restart starts a new epoch, which tells watchers to
// refresh everything.

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace lienthong::registry {

// What changed after a revision.
struct RevisionChanges {
  int64_t revision = 0;
  std::set<std::string> collections;  // empty: nothing changed
};

class RegistryRevision {
 public:
  // `epoch` names this run (e.g. the start time); watchers compare it.
  explicit RegistryRevision(std::string epoch) : epoch_(std::move(epoch)) {}

  const std::string& epoch() const { return epoch_; }

  // Records a committed change to `collection`.
  void Bump(const std::string& collection);

  // What changed after `after` in `epoch`, waiting until `deadline` for a
  // change if there was none. A foreign epoch, or a revision too old to tell
  // exactly, reports every collection.
  RevisionChanges WaitForChanges(const std::string& epoch, int64_t after,
                                 absl::Time deadline);

  // Ends every wait now and from now on (the server is going away), so watch
  // streams finish instead of holding shutdown for its whole grace period.
  void Close();
  bool closed();

  // The names of every collection.
  static const std::set<std::string>& AllCollections();

 private:
  const std::string epoch_;
  absl::Mutex mutex_;
  int64_t revision_ ABSL_GUARDED_BY(mutex_) = 0;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
  // The latest changes, oldest first; enough to tell a watcher that fell
  // behind.
  std::deque<std::pair<int64_t, std::string>> recent_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_REGISTRY_REVISION_H_
