#include "libs/audit/audit_log.h"

#include "libs/clock/clock.h"

namespace lienthong::audit {

absl::StatusOr<AuditEntry> AuditLog::Append(const AuditEvent& event) {
  // One append at a time: each record needs the hash of the one before.
  absl::MutexLock lock(&mutex_);
  if (!loaded_) {
    absl::StatusOr<absl::optional<AuditEntry>> last = store_->Last();
    if (!last.ok()) return last.status();
    if (last->has_value()) {
      head_sequence_ = (*last)->sequence;
      head_hash_ = (*last)->hash;
    }
    loaded_ = true;
  }
  AuditEntry entry;
  entry.sequence = head_sequence_ + 1;
  entry.time = clock_->Now();
  entry.event = event;
  entry.previous_hash = head_hash_;
  entry.hash = EntryHash(entry);
  if (absl::Status appended = store_->Append(entry); !appended.ok()) {
    // The head may have moved under us (another writer); re-read it next time.
    loaded_ = false;
    return appended;
  }
  head_sequence_ = entry.sequence;
  head_hash_ = entry.hash;
  return entry;
}

absl::StatusOr<AuditVerification> VerifyAuditStore(AuditStore& store,
                                                   const AuditAnchor& anchor) {
  constexpr int kPage = 1000;
  AuditChainVerifier verifier(anchor);
  int64_t after = 0;
  while (true) {
    absl::StatusOr<std::vector<AuditEntry>> page = store.Scan(after, kPage);
    if (!page.ok()) return page.status();
    for (const AuditEntry& entry : *page) {
      if (!verifier.Add(entry)) return verifier.Finish();
      after = entry.sequence;
    }
    if (page->size() < kPage) break;
  }
  return verifier.Finish();
}

}  // namespace lienthong::audit
