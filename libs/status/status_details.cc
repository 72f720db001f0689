#include "libs/status/status_details.h"

#include <utility>

#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"

namespace lienthong {
namespace {

template <typename Message>
bool ParsePayload(const absl::Status& status, absl::string_view type_url,
                  Message* message) {
  absl::optional<absl::Cord> payload = status.GetPayload(type_url);
  return payload.has_value() && message->ParseFromString(std::string(*payload));
}

}  // namespace

absl::Status WithErrorInfo(absl::Status status, absl::string_view reason,
                           const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata)
    (*info.mutable_metadata())[key] = value;
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status WithFieldViolations(
    absl::Status status, const std::vector<FieldViolation>& violations) {
  if (status.ok() || violations.empty()) return status;
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& violation : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
  }
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status WithRetryInfo(absl::Status status, absl::Duration delay) {
  if (status.ok()) return status;
  google::rpc::RetryInfo info;
  const int64_t micros = absl::ToInt64Microseconds(delay);
  info.mutable_retry_delay()->set_seconds(micros / 1000000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(micros % 1000000) *
                                        1000);
  status.SetPayload(kRetryInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::optional<absl::Duration> RetryDelay(const absl::Status& status) {
  google::rpc::RetryInfo info;
  if (!ParsePayload(status, kRetryInfoTypeUrl, &info)) return absl::nullopt;
  return absl::Seconds(info.retry_delay().seconds()) +
         absl::Nanoseconds(info.retry_delay().nanos());
}

absl::Status InvalidArgumentWithViolations(
    absl::string_view message, absl::string_view reason,
    const std::vector<FieldViolation>& violations) {
  return WithFieldViolations(
      WithErrorInfo(absl::InvalidArgumentError(message), reason), violations);
}

std::string ErrorReason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return ParsePayload(status, kErrorInfoTypeUrl, &info) ? info.reason() : "";
}

std::map<std::string, std::string> ErrorMetadata(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!ParsePayload(status, kErrorInfoTypeUrl, &info)) return {};
  return {info.metadata().begin(), info.metadata().end()};
}

std::vector<FieldViolation> FieldViolations(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  std::vector<FieldViolation> violations;
  if (!ParsePayload(status, kBadRequestTypeUrl, &bad_request))
    return violations;
  for (const auto& violation : bad_request.field_violations()) {
    violations.push_back({violation.field(), violation.description()});
  }
  return violations;
}

}  // namespace lienthong
