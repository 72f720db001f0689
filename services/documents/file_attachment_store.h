#ifndef SERVICES_DOCUMENTS_FILE_ATTACHMENT_STORE_H_
#define SERVICES_DOCUMENTS_FILE_ATTACHMENT_STORE_H_

// An AttachmentStore on a local directory:
//   {root}/{sha[0:2]}/{sha}  stored content, written once, never changed
//   {root}/tmp/upload-*      uploads in progress
// An upload streams to its own temp file while hashing, so memory stays flat
// whatever the size. Finish fsyncs the file, links it into place (refusing to
// replace, so exactly one of several concurrent uploads of the same bytes
// stores them) and fsyncs the directory: content that is visible is complete
// and survives a crash.
//
// One store per root at a time: startup deletes every file in {root}/tmp as
// left over from a crash (the daemon's data directory lock ensures this).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/documents/attachment_store.h"

namespace lienthong::documents {

// Attachment bytes as files under a root directory; thread-safe.
class FileAttachmentStore : public AttachmentStore {
 public:
  // Opens (creating if needed) the store at `root` and removes stale uploads.
  static absl::StatusOr<std::unique_ptr<FileAttachmentStore>> Create(
      const std::string& root);

  FileAttachmentStore(const FileAttachmentStore&) = delete;
  FileAttachmentStore& operator=(const FileAttachmentStore&) = delete;

  absl::StatusOr<std::unique_ptr<AttachmentUpload>> BeginUpload(
      const AttachmentLimits& limits, int64_t declared_size,
      absl::string_view declared_sha256_hex) override;
  absl::StatusOr<std::unique_ptr<AttachmentReader>> Open(
      absl::string_view sha256_hex) override;
  absl::StatusOr<bool> Contains(absl::string_view sha256_hex) override;
  absl::StatusOr<int64_t> Size(absl::string_view sha256_hex) override;

  // Where the content named `sha256_hex` lives (whether stored or not).
  std::string ContentPath(absl::string_view sha256_hex) const;

  // The directory uploads in progress are written to.
  std::string TempDir() const;

 private:
  explicit FileAttachmentStore(std::string root) : root_(std::move(root)) {}

  // Immutable after construction: all state lives in the file system, which
  // is what makes the store thread-safe without a lock.
  const std::string root_;
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_FILE_ATTACHMENT_STORE_H_
