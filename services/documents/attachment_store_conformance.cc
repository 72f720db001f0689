#include "services/documents/attachment_store_conformance.h"

#include <algorithm>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::documents {

using ::lienthong::pki::Sha256Hex;

std::string TestContent(size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string content(size, '\0');
  for (char& c : content) c = static_cast<char>(random() & 0xff);
  return content;
}

absl::StatusOr<UploadResult> UploadInChunks(AttachmentStore& store,
                                            absl::string_view content,
                                            size_t chunk_size,
                                            const AttachmentLimits& limits) {
  absl::StatusOr<std::unique_ptr<AttachmentUpload>> upload = store.BeginUpload(
      limits, static_cast<int64_t>(content.size()), Sha256Hex(content));
  if (!upload.ok()) return upload.status();
  for (size_t at = 0; at < content.size(); at += chunk_size) {
    if (absl::Status appended =
            (*upload)->Append(content.substr(at, chunk_size));
        !appended.ok()) {
      return appended;
    }
  }
  return (*upload)->Finish();
}

absl::StatusOr<std::string> ReadAll(AttachmentStore& store,
                                    absl::string_view sha256_hex,
                                    size_t piece_size) {
  absl::StatusOr<std::unique_ptr<AttachmentReader>> reader =
      store.Open(sha256_hex);
  if (!reader.ok()) return reader.status();
  std::string content;
  std::vector<char> buffer(piece_size);
  while (true) {
    absl::StatusOr<int64_t> got = (*reader)->Read(buffer.data(), piece_size);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    if (*got < 0 || *got > static_cast<int64_t>(piece_size)) {
      return absl::InternalError(absl::StrCat("Read returned ", *got));
    }
    content.append(buffer.data(), static_cast<size_t>(*got));
  }
  if (static_cast<int64_t>(content.size()) != (*reader)->size()) {
    return absl::InternalError(
        absl::StrCat("read ", content.size(), " bytes of ", (*reader)->size()));
  }
  return content;
}

namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches a Status or StatusOr failing with `code` and ErrorInfo `reason`.
MATCHER_P2(FailsWith, code, reason,
           absl::StrCat("fails with ", absl::StatusCodeToString(code), " ",
                        reason)) {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status << ", reason \""
                   << ErrorReason(status) << "\"";
  return status.code() == code && ErrorReason(status) == reason;
}

constexpr int64_t kMiB = int64_t{1} << 20;

TEST_P(AttachmentStoreConformance, RoundTripsMultiChunkContent) {
  const std::string content = TestContent(3 * kMiB, 1);
  const std::string sha = Sha256Hex(content);
  // An odd chunk size, so the last chunk is short and no chunk is aligned.
  LT_ASSERT_OK_AND_ASSIGN(UploadResult stored,
                          UploadInChunks(*store_, content, 100003));
  EXPECT_EQ(stored.sha256_hex, sha);
  EXPECT_EQ(stored.size_bytes, 3 * kMiB);
  EXPECT_FALSE(stored.already_stored);

  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(true));
  EXPECT_THAT(store_->Size(sha), IsOkAndHolds(3 * kMiB));
  LT_ASSERT_OK_AND_ASSIGN(std::string read_back, ReadAll(*store_, sha, 7919));
  EXPECT_EQ(read_back.size(), content.size());
  EXPECT_TRUE(read_back == content) << "content read back differs";
}

TEST_P(AttachmentStoreConformance, ReaderReportsSizeAndStaysAtEnd) {
  const std::string content = TestContent(1000, 2);
  ASSERT_THAT(UploadInChunks(*store_, content, 1000), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentReader> reader,
                          store_->Open(Sha256Hex(content)));
  EXPECT_EQ(reader->size(), 1000);
  std::string buffer(4096, '\0');
  int64_t total = 0;
  while (true) {
    LT_ASSERT_OK_AND_ASSIGN(int64_t got,
                            reader->Read(buffer.data(), buffer.size()));
    if (got == 0) break;
    total += got;
  }
  EXPECT_EQ(total, 1000);
  EXPECT_THAT(reader->Read(buffer.data(), buffer.size()), IsOkAndHolds(0));
}

TEST_P(AttachmentStoreConformance, SameBytesTwiceIsAlreadyStored) {
  const std::string content = TestContent(200000, 3);
  LT_ASSERT_OK_AND_ASSIGN(UploadResult first,
                          UploadInChunks(*store_, content, 65536));
  EXPECT_FALSE(first.already_stored);
  // Other chunking, same bytes.
  LT_ASSERT_OK_AND_ASSIGN(UploadResult second,
                          UploadInChunks(*store_, content, 4096));
  EXPECT_TRUE(second.already_stored);
  EXPECT_EQ(second.sha256_hex, first.sha256_hex);
  EXPECT_EQ(second.size_bytes, 200000);
  EXPECT_THAT(ReadAll(*store_, first.sha256_hex, 65536), IsOkAndHolds(content));
}

TEST_P(AttachmentStoreConformance, ConcurrentUploadsOfSameBytesStoreOnce) {
  const std::string content = TestContent(300000, 4);
  constexpr int kUploads = 8;
  std::vector<absl::StatusOr<UploadResult>> results(
      kUploads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = UploadInChunks(*store_, content, 10000 + 1000 * i);
    });
  }
  for (std::thread& thread : threads) thread.join();
  int stored = 0;
  for (const absl::StatusOr<UploadResult>& result : results) {
    ASSERT_THAT(result, IsOk());
    if (!result->already_stored) ++stored;
  }
  EXPECT_EQ(stored, 1);
  EXPECT_THAT(ReadAll(*store_, Sha256Hex(content), 65536),
              IsOkAndHolds(content));
}

TEST_P(AttachmentStoreConformance, ContentIsInvisibleUntilFinished) {
  const std::string content = TestContent(5000, 5);
  const std::string sha = Sha256Hex(content);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 5000, sha));
  ASSERT_THAT(upload->Append(content), IsOk());
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(false));
  EXPECT_THAT(store_->Open(sha),
              FailsWith(absl::StatusCode::kNotFound, "ATTACHMENT_NOT_FOUND"));
  ASSERT_THAT(upload->Finish(), IsOk());
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(true));
}

TEST_P(AttachmentStoreConformance, HashMismatchIsRefusedAndStoresNothing) {
  const std::string declared = TestContent(5000, 6);
  const std::string sent = TestContent(5000, 7);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 5000, Sha256Hex(declared)));
  ASSERT_THAT(upload->Append(sent), IsOk());
  absl::StatusOr<UploadResult> finished = upload->Finish();
  EXPECT_THAT(finished, FailsWith(absl::StatusCode::kInvalidArgument,
                                  "ATTACHMENT_HASH_MISMATCH"));
  EXPECT_THAT(store_->Contains(Sha256Hex(declared)), IsOkAndHolds(false));
  EXPECT_THAT(store_->Contains(Sha256Hex(sent)), IsOkAndHolds(false));
  // A failed Finish closes the upload.
  EXPECT_THAT(
      upload->Append("x"),
      FailsWith(absl::StatusCode::kFailedPrecondition, "UPLOAD_CLOSED"));
  EXPECT_THAT(upload->Finish(), FailsWith(absl::StatusCode::kFailedPrecondition,
                                          "UPLOAD_CLOSED"));
}

TEST_P(AttachmentStoreConformance, TruncatedUploadIsRefused) {
  const std::string content = TestContent(5000, 8);
  const std::string sha = Sha256Hex(content);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 5000, sha));
  ASSERT_THAT(upload->Append(absl::string_view(content).substr(0, 4999)),
              IsOk());
  EXPECT_THAT(upload->Finish(), FailsWith(absl::StatusCode::kInvalidArgument,
                                          "ATTACHMENT_TRUNCATED"));
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(false));
}

TEST_P(AttachmentStoreConformance, EmptyUploadIsTruncated) {
  const std::string content = TestContent(10, 9);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 10, Sha256Hex(content)));
  EXPECT_THAT(upload->Finish(), FailsWith(absl::StatusCode::kInvalidArgument,
                                          "ATTACHMENT_TRUNCATED"));
}

TEST_P(AttachmentStoreConformance, AppendPastDeclaredSizeIsRefusedWhole) {
  const std::string content = TestContent(10, 10);
  const std::string sha = Sha256Hex(content);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 10, sha));
  ASSERT_THAT(upload->Append(absl::string_view(content).substr(0, 6)), IsOk());
  EXPECT_THAT(upload->Append(std::string(5, 'x')),
              FailsWith(absl::StatusCode::kInvalidArgument,
                        "ATTACHMENT_SIZE_MISMATCH"));
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(false));
  // Nothing of the refused chunk was kept: the rest still fits exactly.
  ASSERT_THAT(upload->Append(absl::string_view(content).substr(6)), IsOk());
  EXPECT_THAT(upload->Append("y"), FailsWith(absl::StatusCode::kInvalidArgument,
                                             "ATTACHMENT_SIZE_MISMATCH"));
  LT_ASSERT_OK_AND_ASSIGN(UploadResult stored, upload->Finish());
  EXPECT_EQ(stored.size_bytes, 10);
  EXPECT_THAT(ReadAll(*store_, sha, 3), IsOkAndHolds(content));
}

TEST_P(AttachmentStoreConformance, DeclaredSizeOverLimitIsRefused) {
  AttachmentLimits limits;
  limits.max_attachment_bytes = 1024;
  const std::string sha = Sha256Hex("whatever");
  absl::StatusOr<std::unique_ptr<AttachmentUpload>> over =
      store_->BeginUpload(limits, 1025, sha);
  EXPECT_THAT(over, FailsWith(absl::StatusCode::kInvalidArgument,
                              "ATTACHMENT_TOO_LARGE"));
  EXPECT_EQ(ErrorMetadata(over.status())["max_attachment_bytes"], "1024");
  EXPECT_THAT(
      FieldViolations(over.status()),
      ElementsAre(Field(&FieldViolation::field, "metadata.size_bytes")));
  // The default limit is 50 MiB.
  EXPECT_THAT(
      store_->BeginUpload({}, 50 * kMiB + 1, sha),
      FailsWith(absl::StatusCode::kInvalidArgument, "ATTACHMENT_TOO_LARGE"));

  // Exactly at the limit is fine.
  const std::string content = TestContent(1024, 11);
  LT_ASSERT_OK_AND_ASSIGN(UploadResult stored,
                          UploadInChunks(*store_, content, 1000, limits));
  EXPECT_EQ(stored.size_bytes, 1024);
}

TEST_P(AttachmentStoreConformance, InvalidMetadataIsRefused) {
  const std::string good_sha = Sha256Hex("content");
  for (int64_t size : {int64_t{0}, int64_t{-1}}) {
    absl::StatusOr<std::unique_ptr<AttachmentUpload>> upload =
        store_->BeginUpload({}, size, good_sha);
    EXPECT_THAT(upload, FailsWith(absl::StatusCode::kInvalidArgument,
                                  "ATTACHMENT_METADATA_INVALID"))
        << size;
    EXPECT_THAT(
        FieldViolations(upload.status()),
        ElementsAre(Field(&FieldViolation::field, "metadata.size_bytes")))
        << size;
  }
  std::string upper = good_sha;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  for (const std::string& sha :
       {std::string(), good_sha.substr(1), good_sha + "0", upper,
        std::string(64, 'g'), std::string("../") + good_sha.substr(3)}) {
    absl::StatusOr<std::unique_ptr<AttachmentUpload>> upload =
        store_->BeginUpload({}, 7, sha);
    EXPECT_THAT(upload, FailsWith(absl::StatusCode::kInvalidArgument,
                                  "ATTACHMENT_METADATA_INVALID"))
        << sha;
    EXPECT_THAT(FieldViolations(upload.status()),
                ElementsAre(Field(&FieldViolation::field, "metadata.sha256")))
        << sha;
  }
  // Every bad field is reported at once.
  absl::StatusOr<std::unique_ptr<AttachmentUpload>> both =
      store_->BeginUpload({}, 0, "nope");
  EXPECT_THAT(both, FailsWith(absl::StatusCode::kInvalidArgument,
                              "ATTACHMENT_METADATA_INVALID"));
  EXPECT_THAT(
      FieldViolations(both.status()),
      UnorderedElementsAre(Field(&FieldViolation::field, "metadata.size_bytes"),
                           Field(&FieldViolation::field, "metadata.sha256")));
}

TEST_P(AttachmentStoreConformance, UnknownContentIsNotFound) {
  const std::string sha = Sha256Hex("never stored");
  EXPECT_THAT(store_->Open(sha),
              FailsWith(absl::StatusCode::kNotFound, "ATTACHMENT_NOT_FOUND"));
  EXPECT_THAT(store_->Size(sha),
              FailsWith(absl::StatusCode::kNotFound, "ATTACHMENT_NOT_FOUND"));
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(false));
}

TEST_P(AttachmentStoreConformance, MalformedNameIsRefused) {
  for (const std::string& name :
       {std::string(), std::string("../../etc/passwd"), std::string(64, 'A'),
        std::string(63, 'a')}) {
    EXPECT_THAT(store_->Open(name),
                FailsWith(absl::StatusCode::kInvalidArgument,
                          "ATTACHMENT_NAME_INVALID"))
        << name;
    EXPECT_THAT(store_->Size(name),
                FailsWith(absl::StatusCode::kInvalidArgument,
                          "ATTACHMENT_NAME_INVALID"))
        << name;
    EXPECT_THAT(store_->Contains(name),
                FailsWith(absl::StatusCode::kInvalidArgument,
                          "ATTACHMENT_NAME_INVALID"))
        << name;
  }
}

TEST_P(AttachmentStoreConformance, AbandonedUploadLeavesNothing) {
  const std::string content = TestContent(70000, 12);
  const std::string sha = Sha256Hex(content);
  {
    LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> partial,
                            store_->BeginUpload({}, 70000, sha));
    ASSERT_THAT(partial->Append(absl::string_view(content).substr(0, 30000)),
                IsOk());
  }
  {
    // Every byte sent, but never finished.
    LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> complete,
                            store_->BeginUpload({}, 70000, sha));
    ASSERT_THAT(complete->Append(content), IsOk());
  }
  EXPECT_THAT(store_->Contains(sha), IsOkAndHolds(false));
  EXPECT_THAT(store_->Size(sha),
              FailsWith(absl::StatusCode::kNotFound, "ATTACHMENT_NOT_FOUND"));
  // And the same bytes can still be stored afterwards.
  LT_ASSERT_OK_AND_ASSIGN(UploadResult stored,
                          UploadInChunks(*store_, content, 8192));
  EXPECT_FALSE(stored.already_stored);
}

TEST_P(AttachmentStoreConformance, FinishedUploadIsClosed) {
  const std::string content = TestContent(100, 13);
  LT_ASSERT_OK_AND_ASSIGN(std::unique_ptr<AttachmentUpload> upload,
                          store_->BeginUpload({}, 100, Sha256Hex(content)));
  ASSERT_THAT(upload->Append(content), IsOk());
  ASSERT_THAT(upload->Finish(), IsOk());
  EXPECT_THAT(
      upload->Append("x"),
      FailsWith(absl::StatusCode::kFailedPrecondition, "UPLOAD_CLOSED"));
  EXPECT_THAT(upload->Finish(), FailsWith(absl::StatusCode::kFailedPrecondition,
                                          "UPLOAD_CLOSED"));
  // Destroying a finished upload keeps its content.
  upload.reset();
  EXPECT_THAT(store_->Contains(Sha256Hex(content)), IsOkAndHolds(true));
}

}  // namespace
}  // namespace lienthong::documents
