#ifndef SERVICES_LIENTHONGD_GENERIC_CALL_H_
#define SERVICES_LIENTHONGD_GENERIC_CALL_H_

// One call of any method, whatever its streaming, with request messages given
// as bytes: for tests and fuzzers that reach every RPC by its descriptor.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace lienthong {

struct GenericCallResult {
  grpc::Status status;  // CANCELLED when the call was ended after one answer
  bool answered = false;
  std::string first_response;  // the first response message's bytes
};

// Sends `messages` (serialized requests; one for a unary method), half-closes,
// reads the first response and then ends the call (a watch would stream until
// `timeout`).
GenericCallResult CallWithBytes(
    grpc::Channel* channel, const google::protobuf::MethodDescriptor* method,
    const std::vector<std::string>& messages, absl::Duration timeout);

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_GENERIC_CALL_H_
