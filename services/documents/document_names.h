#ifndef SERVICES_DOCUMENTS_DOCUMENT_NAMES_H_
#define SERVICES_DOCUMENTS_DOCUMENT_NAMES_H_

// Resource names of the document exchange (`documents/{id}`,
// `agencies/{code}`, `attachments/{sha256}`) and who may see what of a
// document.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::documents {

// `documents/{id}`.
std::string DocumentName(absl::string_view id);
// The id of `documents/{id}`; INVALID_ARGUMENT INVALID_DOCUMENT_NAME else.
absl::StatusOr<std::string> DocumentIdOf(absl::string_view name);
// `agencies/{code}`.
std::string AgencyName(absl::string_view code);
// The code of `agencies/{code}`; INVALID_ARGUMENT (a violation of `field`).
absl::StatusOr<std::string> AgencyCodeOf(absl::string_view name,
                                         absl::string_view field);
// The digits of `attachments/{sha256}`; INVALID_ARGUMENT else.
absl::StatusOr<std::string> AttachmentSha256(absl::string_view name);

// OK unless `document` is marked secret (văn bản mật), which must not travel
// over this platform: FAILED_PRECONDITION SECRET_DOCUMENT.
absl::Status CheckNotSecret(const v1::Document& document);

// OK when an authenticated `caller` (agency code; empty when the connection
// is trusted) acts for `agency`; PERMISSION_DENIED NOT_CALLERS_AGENCY else.
absl::Status CheckCallersAgency(absl::string_view caller,
                                absl::string_view agency);

// The delivery of `document` to `recipient` (`agencies/{code}`);
// PERMISSION_DENIED NOT_A_RECIPIENT when it was not sent there.
absl::StatusOr<v1::Delivery> DeliveryTo(const v1::Document& document,
                                        absl::string_view recipient);
// `document` as `recipient` sees it: its own delivery only.
v1::Document OnlyDeliveryTo(v1::Document document, absl::string_view recipient);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_NAMES_H_
