#ifndef SERVICES_DOCUMENTS_DOCUMENT_STORE_ERRORS_H_
#define SERVICES_DOCUMENTS_DOCUMENT_STORE_ERRORS_H_

// The refusals every DocumentStore gives alike, so the backends answer the
// conformance suite with the same codes, reasons and metadata.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong::documents {

// NOT_FOUND with reason DOCUMENT_NOT_FOUND.
absl::Status DocumentNotFound(absl::string_view id);

// INVALID_ARGUMENT (INVALID_LIST_REQUEST) for a page size below 1.
absl::Status InvalidLimit(int limit);

// The id of `documents/{id}`; INVALID_ARGUMENT INVALID_DOCUMENT_NAME for any
// other name (the stores' check; DocumentIdOf also vets the id's characters).
absl::StatusOr<std::string> StoredDocumentId(absl::string_view name);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_STORE_ERRORS_H_
