#ifndef LIBS_SERVER_AUDIT_INTERCEPTOR_H_
#define LIBS_SERVER_AUDIT_INTERCEPTOR_H_

// Audits every call of a mutating RPC in one place, whatever the service: a
// server interceptor hashes the request message(s), reads their request_id,
// and appends who, what, when and the result to the audit log before the
// status goes out. An acknowledged mutation is therefore always audited: when
// the log cannot be written the caller gets UNAVAILABLE (and retries with the
// same request_id, which the services answer as a replay).

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace lienthong {

class Logger;

namespace audit {
class AuditLog;
}  // namespace audit

// Creates the interceptor of each call; `log` (and `logger`, which may be
// null) must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
AuditInterceptorFactory(audit::AuditLog* log, const Logger* logger);

}  // namespace lienthong

#endif  // LIBS_SERVER_AUDIT_INTERCEPTOR_H_
