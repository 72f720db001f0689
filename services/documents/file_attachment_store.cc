#include "services/documents/file_attachment_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::documents {
namespace {

struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using EvpMdCtx = std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter>;

absl::Status Errno(int error, absl::string_view what, absl::string_view path) {
  return absl::ErrnoToStatus(error, absl::StrCat(what, " ", path));
}

// Writes all of `data`; write() may take less than asked or be interrupted.
absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

// A rename or link is durable only once its directory is synced.
absl::Status FsyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno(errno, "open", path);
  int result = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (result != 0) return Errno(error, "fsync", path);
  return absl::OkStatus();
}

// Creates directory `path` unless it exists; `created` says which.
absl::Status MakeDirectory(const std::string& path, bool& created) {
  created = false;
  if (::mkdir(path.c_str(), 0755) == 0) {
    created = true;
    return absl::OkStatus();
  }
  if (errno != EEXIST) return Errno(errno, "mkdir", path);
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return Errno(errno, "stat", path);
  if (!S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " exists and is not a directory"));
  }
  return absl::OkStatus();
}

absl::Status UploadClosed() {
  return WithErrorInfo(
      absl::FailedPreconditionError("the upload is already finished"),
      "UPLOAD_CLOSED");
}

// One upload: bytes go straight to a temp file and into the running hash.
class FileAttachmentUpload : public AttachmentUpload {
 public:
  FileAttachmentUpload(std::string content_path, std::string temp_path, int fd,
                       EvpMdCtx digest, int64_t declared_size,
                       std::string declared_sha256)
      : content_path_(std::move(content_path)),
        temp_path_(std::move(temp_path)),
        fd_(fd),
        digest_(std::move(digest)),
        declared_size_(declared_size),
        declared_sha256_(std::move(declared_sha256)) {}

  ~FileAttachmentUpload() override { Discard(); }

  absl::Status Append(absl::string_view chunk) override {
    if (fd_ < 0) return UploadClosed();
    if (static_cast<int64_t>(chunk.size()) > declared_size_ - received_) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              "attachment goes past its declared ", declared_size_,
              " bytes: ", received_, " received and ", chunk.size(), " more")),
          "ATTACHMENT_SIZE_MISMATCH",
          {{"size_bytes", absl::StrCat(declared_size_)},
           {"received_bytes", absl::StrCat(received_ + chunk.size())}});
    }
    // A failed write may have left part of the chunk behind, so the upload
    // cannot go on.
    if (absl::Status written = WriteAll(fd_, chunk, temp_path_);
        !written.ok()) {
      Discard();
      return written;
    }
    if (EVP_DigestUpdate(digest_.get(), chunk.data(), chunk.size()) != 1) {
      Discard();
      return absl::InternalError("SHA-256 update failed");
    }
    received_ += static_cast<int64_t>(chunk.size());
    return absl::OkStatus();
  }

  absl::StatusOr<UploadResult> Finish() override {
    if (fd_ < 0) return UploadClosed();
    if (received_ < declared_size_) {
      Discard();
      return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                               "attachment ended after ", received_, " of its ",
                               declared_size_, " declared bytes")),
                           "ATTACHMENT_TRUNCATED",
                           {{"size_bytes", absl::StrCat(declared_size_)},
                            {"received_bytes", absl::StrCat(received_)}});
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (EVP_DigestFinal_ex(digest_.get(), digest, &digest_size) != 1) {
      Discard();
      return absl::InternalError("SHA-256 final failed");
    }
    std::string actual = absl::BytesToHexString(
        absl::string_view(reinterpret_cast<const char*>(digest), digest_size));
    if (actual != declared_sha256_) {
      Discard();
      return WithErrorInfo(
          absl::InvalidArgumentError(
              absl::StrCat("attachment's SHA-256 is ", actual, ", not the ",
                           declared_sha256_, " declared")),
          "ATTACHMENT_HASH_MISMATCH",
          {{"sha256", declared_sha256_}, {"actual_sha256", actual}});
    }
    absl::StatusOr<bool> stored = Place();
    Discard();  // the temp name only; placed content has its own link
    if (!stored.ok()) return stored.status();
    return UploadResult{declared_sha256_, declared_size_, !*stored};
  }

 private:
  // Makes the verified temp file the content; returns whether it stored it
  // (false: the content was there already).
  absl::StatusOr<bool> Place() {
    if (::fsync(fd_) != 0) return Errno(errno, "fsync", temp_path_);
    const std::string& path = content_path_;
    std::string shard = path.substr(0, path.rfind('/'));
    bool shard_created = false;
    if (absl::Status made = MakeDirectory(shard, shard_created); !made.ok()) {
      return made;
    }
    if (shard_created) {
      if (absl::Status synced =
              FsyncDirectory(shard.substr(0, shard.rfind('/')));
          !synced.ok()) {
        return synced;
      }
    }
    // link() rather than rename(): it never replaces, so when uploads of the
    // same bytes race exactly one stores them and the rest see
    // already_stored, and readers of the stored file are never disturbed.
    if (::link(temp_path_.c_str(), path.c_str()) != 0) {
      if (errno == EEXIST) return false;
      return Errno(errno, "link", path);
    }
    if (absl::Status synced = FsyncDirectory(shard); !synced.ok()) {
      return synced;
    }
    return true;
  }

  // Closes the upload and removes its temp file.
  void Discard() {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
  }

  // Copied rather than asking the store, so an upload may outlive it.
  const std::string content_path_;
  const std::string temp_path_;
  int fd_;  // -1 once finished or discarded
  EvpMdCtx digest_;
  const int64_t declared_size_;
  const std::string declared_sha256_;
  int64_t received_ = 0;
};

// Streams one stored file with plain read(), hashing what it reads: content
// altered on disk since it was stored ends in DATA_LOSS ATTACHMENT_CORRUPTED
// instead of reaching a recipient as if it were what the sender signed.
class FileAttachmentReader : public AttachmentReader {
 public:
  FileAttachmentReader(int fd, int64_t size, std::string path,
                       std::string sha256_hex)
      : fd_(fd),
        size_(size),
        path_(std::move(path)),
        sha256_hex_(std::move(sha256_hex)),
        digest_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(digest_.get(), EVP_sha256(), nullptr);
  }
  ~FileAttachmentReader() override { ::close(fd_); }

  int64_t size() const override { return size_; }

  absl::StatusOr<int64_t> Read(char* buffer, size_t max) override {
    while (true) {
      ssize_t got = ::read(fd_, buffer, max);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return Errno(errno, "read", path_);
      if (got > 0) {
        EVP_DigestUpdate(digest_.get(), buffer, got);
        return static_cast<int64_t>(got);
      }
      return Finished();
    }
  }

 private:
  // At the end: 0 when the bytes read are the ones stored under the name.
  absl::StatusOr<int64_t> Finished() {
    if (verified_) return 0;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (EVP_DigestFinal_ex(digest_.get(), digest, &digest_size) != 1) {
      return absl::InternalError("SHA-256 final failed");
    }
    if (absl::BytesToHexString(absl::string_view(
            reinterpret_cast<const char*>(digest), digest_size)) !=
        sha256_hex_) {
      return WithErrorInfo(
          absl::DataLossError(absl::StrCat("stored attachment ", sha256_hex_,
                                           " no longer has its SHA-256")),
          "ATTACHMENT_CORRUPTED", {{"sha256", sha256_hex_}});
    }
    verified_ = true;
    return 0;
  }

  const int fd_;
  const int64_t size_;
  const std::string path_;
  const std::string sha256_hex_;
  EvpMdCtx digest_;
  bool verified_ = false;  // the end was reached and the hash matched
};

}  // namespace

absl::StatusOr<std::unique_ptr<FileAttachmentStore>>
FileAttachmentStore::Create(const std::string& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) {
    return absl::ErrnoToStatus(error.value(),
                               absl::StrCat("create_directories ", root));
  }
  auto store = absl::WrapUnique(new FileAttachmentStore(root));
  bool created = false;
  if (absl::Status made = MakeDirectory(store->TempDir(), created);
      !made.ok()) {
    return made;
  }
  // Whatever is in tmp/ was cut off by a crash: it was never visible, so it
  // can only be dropped.
  std::vector<std::filesystem::path> stale;
  for (std::filesystem::directory_iterator it(store->TempDir(), error), end;
       !error && it != end; it.increment(error)) {
    stale.push_back(it->path());
  }
  if (error) {
    return absl::ErrnoToStatus(error.value(),
                               absl::StrCat("list ", store->TempDir()));
  }
  for (const std::filesystem::path& path : stale) {
    if (!std::filesystem::remove_all(path, error) && error) {
      return absl::ErrnoToStatus(error.value(),
                                 absl::StrCat("remove ", path.string()));
    }
  }
  return store;
}

std::string FileAttachmentStore::ContentPath(
    absl::string_view sha256_hex) const {
  return absl::StrCat(root_, "/", sha256_hex.substr(0, 2), "/", sha256_hex);
}

std::string FileAttachmentStore::TempDir() const {
  return absl::StrCat(root_, "/tmp");
}

absl::StatusOr<std::unique_ptr<AttachmentUpload>>
FileAttachmentStore::BeginUpload(const AttachmentLimits& limits,
                                 int64_t declared_size,
                                 absl::string_view declared_sha256_hex) {
  if (absl::Status declared =
          CheckUploadDeclaration(limits, declared_size, declared_sha256_hex);
      !declared.ok()) {
    return declared;
  }
  EvpMdCtx digest(EVP_MD_CTX_new());
  if (digest == nullptr ||
      EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("SHA-256 init failed");
  }
  std::string temp_path = absl::StrCat(TempDir(), "/upload-XXXXXX");
  int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
  if (fd < 0) return Errno(errno, "mkostemp", temp_path);
  return std::make_unique<FileAttachmentUpload>(
      ContentPath(declared_sha256_hex), std::move(temp_path), fd,
      std::move(digest), declared_size, std::string(declared_sha256_hex));
}

absl::StatusOr<std::unique_ptr<AttachmentReader>> FileAttachmentStore::Open(
    absl::string_view sha256_hex) {
  if (absl::Status name = CheckAttachmentName(sha256_hex); !name.ok()) {
    return name;
  }
  std::string path = ContentPath(sha256_hex);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return AttachmentNotFound(sha256_hex);
    return Errno(errno, "open", path);
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return Errno(error, "fstat", path);
  }
  return std::make_unique<FileAttachmentReader>(
      fd, static_cast<int64_t>(info.st_size), std::move(path),
      std::string(sha256_hex));
}

absl::StatusOr<bool> FileAttachmentStore::Contains(
    absl::string_view sha256_hex) {
  absl::StatusOr<int64_t> size = Size(sha256_hex);
  if (size.ok()) return true;
  if (absl::IsNotFound(size.status())) return false;
  return size.status();
}

absl::StatusOr<int64_t> FileAttachmentStore::Size(
    absl::string_view sha256_hex) {
  if (absl::Status name = CheckAttachmentName(sha256_hex); !name.ok()) {
    return name;
  }
  std::string path = ContentPath(sha256_hex);
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return AttachmentNotFound(sha256_hex);
    return Errno(errno, "stat", path);
  }
  return static_cast<int64_t>(info.st_size);
}

}  // namespace lienthong::documents
