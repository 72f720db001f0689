#ifndef LIBS_STATUS_STATUS_DETAILS_H_
#define LIBS_STATUS_STATUS_DETAILS_H_

// Rich error details carried inside absl::Status, so logic code can say *why* a
// request failed (a machine-readable reason, the offending fields) without
// knowing about gRPC. The details travel as absl::Status payloads holding
// serialized google.rpc messages; libs/status/grpc_status.h turns them into
// google.rpc.Status details on the wire.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace lienthong {

// The ErrorInfo domain of every error this platform raises.
inline constexpr absl::string_view kErrorDomain = "lienthong.gov.vn";

// Payload type URLs: the google.rpc message each payload holds, as Any would
// name it.
inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kRetryInfoTypeUrl =
    "type.googleapis.com/google.rpc.RetryInfo";

// One invalid field of a request: `field` is a path such as
// "rows[3].value.percent".
struct FieldViolation {
  std::string field;
  std::string description;

  friend bool operator==(const FieldViolation& a, const FieldViolation& b) {
    return a.field == b.field && a.description == b.description;
  }
};

// Returns `status` with a google.rpc.ErrorInfo payload: `reason` is
// UPPER_SNAKE_CASE (e.g. "UNIT_NOT_FOUND"), `metadata` gives context such as
// {"unit": "00097"}.
absl::Status WithErrorInfo(
    absl::Status status, absl::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// Returns `status` with a google.rpc.BadRequest payload listing `violations`.
absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations);

// Returns `status` with a google.rpc.RetryInfo payload: the caller should wait
// `delay` before trying again.
absl::Status WithRetryInfo(absl::Status status, absl::Duration delay);

// The RetryInfo delay of `status`, or none when it carries none.
absl::optional<absl::Duration> RetryDelay(const absl::Status& status);

// INVALID_ARGUMENT with reason and field violations: the error for rejected
// input.
absl::Status InvalidArgumentWithViolations(
    absl::string_view message, absl::string_view reason,
    const std::vector<FieldViolation>& violations);

// The ErrorInfo reason of `status`, or "" when it carries none.
std::string ErrorReason(const absl::Status& status);

// The ErrorInfo metadata of `status` (empty when it carries none).
std::map<std::string, std::string> ErrorMetadata(const absl::Status& status);

// The BadRequest field violations of `status` (empty when it carries none).
std::vector<FieldViolation> FieldViolations(const absl::Status& status);

}  // namespace lienthong

#endif  // LIBS_STATUS_STATUS_DETAILS_H_
