#include "tools/ltctl/call_status.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "libs/status/status_details.h"

namespace lienthong::ltctl {

int ExitCodeOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 0;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kOutOfRange:
      return kRejected;
    default:
      // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ...:
      // trying again later may work, so scripts must tell them apart.
      return kStopped;
  }
}

std::string DescribeError(const absl::Status& status) {
  std::string text = absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                                  status.message());
  if (std::string reason = ErrorReason(status); !reason.empty()) {
    absl::StrAppend(&text, " [", reason);
    for (const auto& [key, value] : ErrorMetadata(status)) {
      absl::StrAppend(&text, " ", key, "=", value);
    }
    absl::StrAppend(&text, "]");
  }
  for (const FieldViolation& violation : FieldViolations(status)) {
    absl::StrAppend(&text, "\n  ", violation.field, ": ",
                    violation.description);
  }
  if (absl::optional<absl::Duration> delay = RetryDelay(status)) {
    absl::StrAppend(&text, "\n  retry after ", absl::FormatDuration(*delay));
  }
  return text;
}

}  // namespace lienthong::ltctl
