#ifndef LIBS_AUDIT_AUDIT_CHAIN_H_
#define LIBS_AUDIT_AUDIT_CHAIN_H_

// The hash chain over audit records. Each record's hash covers the previous
// record's hash and every field of its own, so altering a record changes its
// hash, and removing or reordering records breaks the link of the next one.
// Rewriting the whole tail consistently is caught by an anchor: a (sequence,
// hash) pair an auditor noted earlier, which a rewritten log no longer has.

#include <cstdint>
#include <string>

#include "libs/audit/audit_entry.h"

namespace lienthong::audit {

// Hex SHA-256 of `entry`'s previous_hash, sequence, time and event, each field
// length-prefixed so no two different records encode alike.
std::string EntryHash(const AuditEntry& entry);

// A record an auditor noted, which the log must still contain unchanged.
struct AuditAnchor {
  int64_t sequence = 0;  // 0: no anchor
  std::string hash;
};

struct AuditVerification {
  bool intact = true;
  int64_t records = 0;        // records checked
  int64_t head_sequence = 0;  // the last record's sequence
  std::string head_hash;      // the last record's hash
  // When not intact: ALTERED (a record's hash does not match its content),
  // REMOVED (a sequence number is missing), REORDERED (sequences out of
  // order), UNLINKED (a record's previous_hash is not the hash of the record
  // before it: records swapped, or one before it altered and rehashed),
  // ANCHOR_MISMATCH or ANCHOR_MISSING.
  std::string failure;
  int64_t failure_sequence = 0;  // the first record that fails
};

// Checks records one by one, in the order the store returns them.
class AuditChainVerifier {
 public:
  explicit AuditChainVerifier(AuditAnchor anchor = {}) : anchor_(anchor) {}

  // Checks the next record; false once the chain is broken (later records are
  // not checked).
  bool Add(const AuditEntry& entry);

  // The verdict after the last record (an anchor beyond the head is missing).
  AuditVerification Finish() const;

 private:
  bool Fail(const char* failure, int64_t sequence);

  AuditAnchor anchor_;
  bool anchor_seen_ = false;
  AuditVerification result_;
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_AUDIT_CHAIN_H_
