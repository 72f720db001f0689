#ifndef LIBS_STATUS_GRPC_STATUS_H_
#define LIBS_STATUS_GRPC_STATUS_H_

// The one conversion between absl::Status (inside) and grpc::Status (on the
// wire). The code is kept exactly; payloads become google.rpc.Status details
// (as Any), and come back as payloads on the client side.

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace lienthong {

// Server side: the grpc::Status to return for `status`, with the serialized
// google.rpc.Status (code, message, details) in error_details.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Client side: the absl::Status a call failed with, payloads restored from the
// google.rpc.Status details, so ErrorReason() and FieldViolations() work on it.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace lienthong

#endif  // LIBS_STATUS_GRPC_STATUS_H_
