#ifndef LIBS_AUDIT_AUDIT_STORE_H_
#define LIBS_AUDIT_AUDIT_STORE_H_

// Where audit records are kept. The store only keeps them; AuditLog numbers
// and chains them.

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "libs/audit/audit_entry.h"

namespace lienthong::audit {

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends `entry` durably (it survives a crash once this returns OK).
  // ALREADY_EXISTS when its sequence is taken; nothing is written then.
  virtual absl::Status Append(const AuditEntry& entry) = 0;

  // The record with the highest sequence; none when the log is empty.
  virtual absl::StatusOr<absl::optional<AuditEntry>> Last() = 0;

  // Up to `limit` records with sequence > `after_sequence`, by sequence.
  virtual absl::StatusOr<std::vector<AuditEntry>> Scan(int64_t after_sequence,
                                                       int limit) = 0;
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_AUDIT_STORE_H_
