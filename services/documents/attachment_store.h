#ifndef SERVICES_DOCUMENTS_ATTACHMENT_STORE_H_
#define SERVICES_DOCUMENTS_ATTACHMENT_STORE_H_

// Content-addressed storage for attachment bytes: content is named by its
// SHA-256 (64 lowercase hex digits), arrives in chunks through an upload that
// checks the declared size and hash, and becomes visible only once the whole
// content is verified and durable. Storing the same bytes twice is a no-op.
//
// Errors (reasons in google.rpc.ErrorInfo, see libs/status/status_details.h):
//   INVALID_ARGUMENT ATTACHMENT_METADATA_INVALID  size <= 0 or a malformed
//       sha256 at BeginUpload (field violations metadata.size_bytes and
//       metadata.sha256)
//   INVALID_ARGUMENT ATTACHMENT_TOO_LARGE     declared size over the limit
//   INVALID_ARGUMENT ATTACHMENT_SIZE_MISMATCH a chunk going past the declared
//       size
//   INVALID_ARGUMENT ATTACHMENT_TRUNCATED     Finish before the declared size
//   INVALID_ARGUMENT ATTACHMENT_HASH_MISMATCH Finish with other bytes than
//       declared
//   INVALID_ARGUMENT ATTACHMENT_NAME_INVALID  a lookup with a malformed sha256
//   NOT_FOUND        ATTACHMENT_NOT_FOUND     a lookup of content not stored
//   FAILED_PRECONDITION UPLOAD_CLOSED         Append or Finish after Finish

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/status/status_details.h"

namespace lienthong::documents {

// Limits an upload is checked against; the server's configuration.
struct AttachmentLimits {
  // Largest attachment accepted, in bytes.
  int64_t max_attachment_bytes = int64_t{50} << 20;
};

// What a finished upload stored.
struct UploadResult {
  // The content's SHA-256, 64 lowercase hex digits: its name in the store.
  std::string sha256_hex;
  // The content's size in bytes.
  int64_t size_bytes = 0;
  // Whether the content was already stored (nothing new written).
  bool already_stored = false;
};

// One upload in progress; not thread-safe (one stream feeds it). Destroying it
// without a successful Finish leaves nothing visible in the store.
class AttachmentUpload {
 public:
  virtual ~AttachmentUpload() = default;

  // Adds the next bytes; a chunk going past the declared size is refused whole
  // (ATTACHMENT_SIZE_MISMATCH) and nothing of it is kept.
  virtual absl::Status Append(absl::string_view chunk) = 0;

  // Checks the size and hash and makes the content durable and visible. On
  // any error the upload is closed and its bytes discarded.
  virtual absl::StatusOr<UploadResult> Finish() = 0;
};

// Reads one stored content from the start; not thread-safe.
class AttachmentReader {
 public:
  virtual ~AttachmentReader() = default;

  // The content's size in bytes.
  virtual int64_t size() const = 0;

  // Reads up to `max` next bytes into `buffer`; returns how many, 0 at the end.
  virtual absl::StatusOr<int64_t> Read(char* buffer, size_t max) = 0;
};

// Storage of attachment bytes by SHA-256. Implementations are thread-safe:
// uploads and reads, even of the same content, may run concurrently.
class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;

  // Opens an upload of `declared_size` bytes whose SHA-256 is
  // `declared_sha256_hex`, after checking both against `limits`.
  virtual absl::StatusOr<std::unique_ptr<AttachmentUpload>> BeginUpload(
      const AttachmentLimits& limits, int64_t declared_size,
      absl::string_view declared_sha256_hex) = 0;

  // Opens stored content for reading (NOT_FOUND, ATTACHMENT_NOT_FOUND).
  virtual absl::StatusOr<std::unique_ptr<AttachmentReader>> Open(
      absl::string_view sha256_hex) = 0;

  // Whether the content is stored.
  virtual absl::StatusOr<bool> Contains(absl::string_view sha256_hex) = 0;

  // The stored content's size in bytes (NOT_FOUND, ATTACHMENT_NOT_FOUND).
  virtual absl::StatusOr<int64_t> Size(absl::string_view sha256_hex) = 0;
};

// Whether `text` is a SHA-256 as the store names content: 64 lowercase hex
// digits. Backends check names with it before touching storage, so a name can
// never point outside the store.
inline bool IsSha256Hex(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The errors every backend gives alike, so the conformance suite holds for all.

// OK, or why BeginUpload refuses the declaration: ATTACHMENT_METADATA_INVALID
// (with every bad field) before ATTACHMENT_TOO_LARGE.
inline absl::Status CheckUploadDeclaration(const AttachmentLimits& limits,
                                           int64_t declared_size,
                                           absl::string_view declared_sha256) {
  std::vector<FieldViolation> violations;
  if (declared_size <= 0) {
    violations.push_back({"metadata.size_bytes",
                          absl::StrCat("must be > 0, got ", declared_size)});
  }
  if (!IsSha256Hex(declared_sha256)) {
    violations.push_back(
        {"metadata.sha256", "must be 64 lowercase hexadecimal digits"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid attachment metadata",
                                         "ATTACHMENT_METADATA_INVALID",
                                         violations);
  }
  if (declared_size > limits.max_attachment_bytes) {
    std::string message =
        absl::StrCat("attachment of ", declared_size, " bytes is over the ",
                     limits.max_attachment_bytes, "-byte limit");
    return WithFieldViolations(
        WithErrorInfo(absl::InvalidArgumentError(message),
                      "ATTACHMENT_TOO_LARGE",
                      {{"size_bytes", absl::StrCat(declared_size)},
                       {"max_attachment_bytes",
                        absl::StrCat(limits.max_attachment_bytes)}}),
        {{"metadata.size_bytes", message}});
  }
  return absl::OkStatus();
}

// OK, or ATTACHMENT_NAME_INVALID when a lookup's name is not a SHA-256.
inline absl::Status CheckAttachmentName(absl::string_view sha256_hex) {
  if (IsSha256Hex(sha256_hex)) return absl::OkStatus();
  return InvalidArgumentWithViolations(
      "attachment name is not a SHA-256", "ATTACHMENT_NAME_INVALID",
      {{"attachment", "must be 64 lowercase hexadecimal digits"}});
}

// NOT_FOUND ATTACHMENT_NOT_FOUND for content that is not stored.
inline absl::Status AttachmentNotFound(absl::string_view sha256_hex) {
  return WithErrorInfo(absl::NotFoundError(absl::StrCat(
                           "attachment ", sha256_hex, " not found")),
                       "ATTACHMENT_NOT_FOUND",
                       {{"sha256", std::string(sha256_hex)}});
}

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_ATTACHMENT_STORE_H_
