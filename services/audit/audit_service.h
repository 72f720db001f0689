#ifndef SERVICES_AUDIT_AUDIT_SERVICE_H_
#define SERVICES_AUDIT_AUDIT_SERVICE_H_

// The gRPC adapter of AuditService: auditors only ("audit.read").

#include "lienthong/audit/v1/audit_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::audit {

class AuditReader;

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  // Both must outlive the service.
  AuditServiceImpl(const AuditReader* reader, const Authorizer* authorizer)
      : reader_(reader), authorizer_(authorizer) {}

  grpc::Status ListAuditRecords(
      grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
      v1::ListAuditRecordsResponse* response) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::VerifyAuditLogResponse* response) override;

 private:
  const AuditReader* reader_;
  const Authorizer* authorizer_;
};

}  // namespace lienthong::audit

#endif  // SERVICES_AUDIT_AUDIT_SERVICE_H_
