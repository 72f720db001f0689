#ifndef SERVICES_AUDIT_AUDIT_READER_H_
#define SERVICES_AUDIT_AUDIT_READER_H_

// What auditors ask of the audit log: pages of records and a verification of
// the chain, as the contract's messages.

#include "absl/status/statusor.h"
#include "lienthong/audit/v1/audit_service.pb.h"

namespace lienthong::audit {

class AuditStore;

class AuditReader {
 public:
  explicit AuditReader(AuditStore* store) : store_(store) {}

  absl::StatusOr<v1::ListAuditRecordsResponse> ListAuditRecords(
      const v1::ListAuditRecordsRequest& request) const;
  absl::StatusOr<v1::VerifyAuditLogResponse> VerifyAuditLog(
      const v1::VerifyAuditLogRequest& request) const;

 private:
  AuditStore* store_;
};

}  // namespace lienthong::audit

#endif  // SERVICES_AUDIT_AUDIT_READER_H_
