#ifndef LIBS_AUDIT_AUDIT_LOG_H_
#define LIBS_AUDIT_AUDIT_LOG_H_

// The append-only, hash-chained audit log: numbers each event, stamps it with
// the clock, links it to the record before, and keeps it in a store.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/audit/audit_chain.h"
#include "libs/audit/audit_store.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::audit {

class AuditLog {
 public:
  // `store` and `clock` must outlive the log.
  AuditLog(AuditStore* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  // Appends `event` as the next record; returns it once durable.
  absl::StatusOr<AuditEntry> Append(const AuditEvent& event);

  // Up to `limit` records after `after_sequence`.
  absl::StatusOr<std::vector<AuditEntry>> Read(int64_t after_sequence,
                                               int limit) {
    return store_->Scan(after_sequence, limit);
  }

 private:
  AuditStore* store_;
  const Clock* clock_;
  absl::Mutex mutex_;
  bool loaded_ ABSL_GUARDED_BY(mutex_) = false;
  int64_t head_sequence_ ABSL_GUARDED_BY(mutex_) = 0;
  std::string head_hash_ ABSL_GUARDED_BY(mutex_);
};

// Reads the whole of `store` in pages and checks its chain (and `anchor`).
absl::StatusOr<AuditVerification> VerifyAuditStore(AuditStore& store,
                                                   const AuditAnchor& anchor);

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_AUDIT_LOG_H_
