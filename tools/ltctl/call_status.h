#ifndef TOOLS_LTCTL_CALL_STATUS_H_
#define TOOLS_LTCTL_CALL_STATUS_H_

// ltctl's exit statuses, and failed calls told to people: the code, the
// message and the google.rpc details the server attached.

#include <string>

#include "absl/status/status.h"

namespace lienthong::ltctl {

// Exit statuses of every ltctl command (documented at the top of ltctl.cc).
// 1: the server refused the request, or rows of a push were rejected.
inline constexpr int kRejected = 1;
// 2: bad usage: unknown command or flag, a request that does not parse.
inline constexpr int kUsage = 2;
// 3: the server could not be reached or failed, or a local file could not be
// read or written.
inline constexpr int kStopped = 3;
// 4: push only: the link stayed down; the push waits in the outbox.
inline constexpr int kKeptInOutbox = 4;

// The exit status of a call that failed with `code`: kRejected when the
// server answered no to this request (INVALID_ARGUMENT, FAILED_PRECONDITION,
// NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED, ABORTED,
// OUT_OF_RANGE), kStopped for the rest (no answer, or a failure on its side);
// 0 for OK.
int ExitCodeOf(absl::StatusCode code);

// One paragraph for stderr, e.g.
//   NOT_FOUND: no unit 99 [UNIT_NOT_FOUND code=99]
//     unit.code: must be 2 digits ...
// with the ErrorInfo reason and metadata, each BadRequest field violation and
// any RetryInfo delay that `status` carries (see libs/status).
std::string DescribeError(const absl::Status& status);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_CALL_STATUS_H_
