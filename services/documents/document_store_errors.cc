#include "services/documents/document_store_errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/status/status_details.h"
#include "services/documents/document_names.h"

namespace lienthong::documents {

absl::Status DocumentNotFound(absl::string_view id) {
  return WithErrorInfo(
      absl::NotFoundError(absl::StrCat("no document ", DocumentName(id))),
      "DOCUMENT_NOT_FOUND", {{"document", DocumentName(id)}});
}

absl::Status InvalidLimit(int limit) {
  return WithErrorInfo(
      absl::InvalidArgumentError(absl::StrCat("limit ", limit, " < 1")),
      "INVALID_LIST_REQUEST", {{"limit", absl::StrCat(limit)}});
}

absl::StatusOr<std::string> StoredDocumentId(absl::string_view name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "documents/") || id.empty()) {
    return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                             "\"", name, "\" is not documents/{id}")),
                         "INVALID_DOCUMENT_NAME",
                         {{"document", std::string(name)}});
  }
  return std::string(id);
}

}  // namespace lienthong::documents
