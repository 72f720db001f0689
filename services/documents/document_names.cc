#include "services/documents/document_names.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/status/status_details.h"
#include "services/documents/attachment_store.h"

namespace lienthong::documents {
namespace {

// An id or code: 1-64 characters, no '/'.
bool IsSegment(absl::string_view text) {
  return !text.empty() && text.size() <= 64 && !absl::StrContains(text, '/');
}

}  // namespace

std::string DocumentName(absl::string_view id) {
  return absl::StrCat("documents/", id);
}

absl::StatusOr<std::string> DocumentIdOf(absl::string_view name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "documents/") || !IsSegment(id)) {
    return InvalidArgumentWithViolations(
        absl::StrCat("not a document name: \"", name, "\""),
        "INVALID_DOCUMENT_NAME", {{"name", "must be documents/{id}"}});
  }
  return std::string(id);
}

std::string AgencyName(absl::string_view code) {
  return absl::StrCat("agencies/", code);
}

absl::StatusOr<std::string> AgencyCodeOf(absl::string_view name,
                                         absl::string_view field) {
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "agencies/") || !IsSegment(code)) {
    return InvalidArgumentWithViolations(
        absl::StrCat("not an agency name: \"", name, "\""),
        "INVALID_AGENCY_NAME",
        {{std::string(field), "must be agencies/{code}"}});
  }
  return std::string(code);
}

absl::StatusOr<std::string> AttachmentSha256(absl::string_view name) {
  absl::string_view digits = name;
  if (!absl::ConsumePrefix(&digits, "attachments/") || !IsSha256Hex(digits)) {
    return InvalidArgumentWithViolations(
        absl::StrCat("not an attachment name: \"", name, "\""),
        "ATTACHMENT_NAME_INVALID",
        {{"attachment", "must be attachments/{64 lowercase hex digits}"}});
  }
  return std::string(digits);
}

absl::Status CheckNotSecret(const v1::Document& document) {
  if (!document.secret()) return absl::OkStatus();
  return WithErrorInfo(absl::FailedPreconditionError(
                           "secret documents (văn bản mật) must not travel "
                           "over this platform"),
                       "SECRET_DOCUMENT");
}

absl::Status CheckCallersAgency(absl::string_view caller,
                                absl::string_view agency) {
  if (caller.empty() || caller == agency) return absl::OkStatus();
  return WithErrorInfo(
      absl::PermissionDeniedError(
          absl::StrCat("agency ", caller, " may not act for agency ", agency)),
      "NOT_CALLERS_AGENCY",
      {{"caller", std::string(caller)}, {"agency", std::string(agency)}});
}

absl::StatusOr<v1::Delivery> DeliveryTo(const v1::Document& document,
                                        absl::string_view recipient) {
  for (const v1::Delivery& delivery : document.deliveries()) {
    if (delivery.recipient() == recipient) return delivery;
  }
  return WithErrorInfo(absl::PermissionDeniedError(absl::StrCat(
                           document.name(), " was not sent to ", recipient)),
                       "NOT_A_RECIPIENT",
                       {{"recipient", std::string(recipient)}});
}

v1::Document OnlyDeliveryTo(v1::Document document,
                            absl::string_view recipient) {
  auto* deliveries = document.mutable_deliveries();
  for (int i = deliveries->size() - 1; i >= 0; --i) {
    if (deliveries->Get(i).recipient() != recipient) {
      deliveries->DeleteSubrange(i, 1);
    }
  }
  return document;
}

}  // namespace lienthong::documents
