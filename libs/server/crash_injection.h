#ifndef LIBS_SERVER_CRASH_INJECTION_H_
#define LIBS_SERVER_CRASH_INJECTION_H_

// Fault injection for crash tests. A random kill -9 almost never lands in the
// narrow moment that matters most: after a write is committed and before its
// acknowledgement leaves, when the client cannot tell whether it happened and
// must retry. This interceptor makes the process kill itself (SIGKILL) right
// there, after the Nth successful call of one method, so a test can show the
// retry neither loses nor repeats the write.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace lienthong {

struct CrashPoint {
  // Full method, "/package.Service/Method".
  std::string method;
  // The process dies once this many calls of it have succeeded, before the
  // last one's status is sent.
  int after_calls = 0;
};

// Parses "/package.Service/Method:N" (N >= 1); INVALID_ARGUMENT
// (INVALID_CRASH_POINT) otherwise.
absl::StatusOr<CrashPoint> ParseCrashPoint(absl::string_view spec);

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CrashInjectionInterceptorFactory(const CrashPoint& point);

}  // namespace lienthong

#endif  // LIBS_SERVER_CRASH_INJECTION_H_
