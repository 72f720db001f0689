#include "services/audit/audit_service.h"

#include "libs/server/serve.h"
#include "services/audit/audit_reader.h"

namespace lienthong::audit {

grpc::Status AuditServiceImpl::ListAuditRecords(
    grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  return Serve(
      *context, *authorizer_, "audit.read", "audit",
      [&] { return reader_->ListAuditRecords(*request); }, response);
}

grpc::Status AuditServiceImpl::VerifyAuditLog(
    grpc::ServerContext* context, const v1::VerifyAuditLogRequest* request,
    v1::VerifyAuditLogResponse* response) {
  return Serve(
      *context, *authorizer_, "audit.read", "audit",
      [&] { return reader_->VerifyAuditLog(*request); }, response);
}

}  // namespace lienthong::audit
