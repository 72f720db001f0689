#include "services/audit/audit_reader.h"

#include "libs/audit/audit_log.h"
#include "libs/status/status_details.h"

namespace lienthong::audit {
namespace {

void ToProto(const AuditEntry& entry, v1::AuditRecord& record) {
  record.set_sequence(entry.sequence);
  const int64_t micros = absl::ToUnixMicros(entry.time);
  record.mutable_time()->set_seconds(micros / 1000000);
  record.mutable_time()->set_nanos(static_cast<int32_t>(micros % 1000000) *
                                   1000);
  record.set_agency(entry.event.agency);
  record.set_role(entry.event.role);
  record.set_peer(entry.event.peer);
  record.set_method(entry.event.method);
  record.set_request_id(entry.event.request_id);
  record.set_request_sha256(entry.event.request_sha256);
  record.set_result_code(entry.event.result_code);
  record.set_result_message(entry.event.result_message);
  record.set_result_reason(entry.event.result_reason);
  record.set_previous_hash(entry.previous_hash);
  record.set_hash(entry.hash);
}

}  // namespace

absl::StatusOr<v1::ListAuditRecordsResponse> AuditReader::ListAuditRecords(
    const v1::ListAuditRecordsRequest& request) const {
  std::vector<FieldViolation> violations;
  if (request.after_sequence() < 0) {
    violations.push_back({"after_sequence", "must not be negative"});
  }
  if (request.page_size() < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid audit listing",
                                         "INVALID_PAGE", violations);
  }
  const int page_size =
      request.page_size() == 0 ? 100 : std::min(request.page_size(), 1000);
  absl::StatusOr<std::vector<AuditEntry>> entries =
      store_->Scan(request.after_sequence(), page_size);
  if (!entries.ok()) return entries.status();
  v1::ListAuditRecordsResponse response;
  for (const AuditEntry& entry : *entries) {
    ToProto(entry, *response.add_records());
  }
  if (static_cast<int>(entries->size()) == page_size) {
    response.set_next_after_sequence(entries->back().sequence);
  }
  return response;
}

absl::StatusOr<v1::VerifyAuditLogResponse> AuditReader::VerifyAuditLog(
    const v1::VerifyAuditLogRequest& request) const {
  if (request.anchor_sequence() < 0 ||
      (request.anchor_sequence() > 0) == request.anchor_hash().empty()) {
    return InvalidArgumentWithViolations(
        "an anchor is a sequence above 0 together with its hash",
        "INVALID_ANCHOR",
        {{"anchor_hash", "give anchor_sequence and anchor_hash together"}});
  }
  absl::StatusOr<AuditVerification> verified = VerifyAuditStore(
      *store_, {request.anchor_sequence(), request.anchor_hash()});
  if (!verified.ok()) return verified.status();
  v1::VerifyAuditLogResponse response;
  response.set_intact(verified->intact);
  response.set_records_checked(verified->records);
  response.set_head_sequence(verified->head_sequence);
  response.set_head_hash(verified->head_hash);
  response.set_failure(verified->failure);
  response.set_failure_sequence(verified->failure_sequence);
  return response;
}

}  // namespace lienthong::audit
