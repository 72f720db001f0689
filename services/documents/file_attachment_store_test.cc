#include "services/documents/file_attachment_store.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/documents/attachment_store_conformance.h"

namespace lienthong::documents {
namespace {

using ::lienthong::pki::Sha256Hex;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;

// A directory no earlier store used.
std::string FreshRoot() {
  static std::atomic<int> counter{0};
  std::string root =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/attachments-", counter++);
  std::filesystem::remove_all(root);
  return root;
}

std::unique_ptr<AttachmentStore> MakeFileStore() {
  auto store = FileAttachmentStore::Create(FreshRoot());
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    File, AttachmentStoreConformance,
    ::testing::Values(AttachmentStoreFactory(&MakeFileStore)));

bool IsEmptyDirectory(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_empty(path, error) && !error;
}

TEST(FileAttachmentStoreTest, ContentSurvivesReopening) {
  const std::string root = FreshRoot();
  const std::string content = TestContent(123457, 21);
  const std::string sha = Sha256Hex(content);
  {
    LT_ASSERT_OK_AND_ASSIGN(auto store, FileAttachmentStore::Create(root));
    ASSERT_THAT(UploadInChunks(*store, content, 10000), IsOk());
  }
  LT_ASSERT_OK_AND_ASSIGN(auto reopened, FileAttachmentStore::Create(root));
  EXPECT_THAT(reopened->Size(sha), IsOkAndHolds(123457));
  EXPECT_THAT(ReadAll(*reopened, sha, 4096), IsOkAndHolds(content));
  LT_ASSERT_OK_AND_ASSIGN(UploadResult again,
                          UploadInChunks(*reopened, content, 50000));
  EXPECT_TRUE(again.already_stored);
}

TEST(FileAttachmentStoreTest, StoresContentUnderItsShardedHash) {
  const std::string root = FreshRoot();
  LT_ASSERT_OK_AND_ASSIGN(auto store, FileAttachmentStore::Create(root));
  const std::string content = "Kế hoạch 09/KH-UBND";
  const std::string sha = Sha256Hex(content);
  ASSERT_THAT(UploadInChunks(*store, content, 5), IsOk());
  const std::string path = absl::StrCat(root, "/", sha.substr(0, 2), "/", sha);
  EXPECT_EQ(store->ContentPath(sha), path);
  std::ifstream file(path, std::ios::binary);
  std::string on_disk((std::istreambuf_iterator<char>(file)),
                      std::istreambuf_iterator<char>());
  EXPECT_EQ(on_disk, content);
  // The temp file went with the upload.
  EXPECT_TRUE(IsEmptyDirectory(store->TempDir()));
}

TEST(FileAttachmentStoreTest, ContentAlteredOnDiskIsNotServed) {
  const std::string root = FreshRoot();
  LT_ASSERT_OK_AND_ASSIGN(auto store, FileAttachmentStore::Create(root));
  const std::string content = TestContent(70000, 3);
  const std::string sha = Sha256Hex(content);
  ASSERT_THAT(UploadInChunks(*store, content, 5000), IsOk());
  {
    std::fstream file(store->ContentPath(sha),
                      std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(1234);
    file.put('!');
  }
  absl::StatusOr<std::string> read = ReadAll(*store, sha, 4096);
  EXPECT_THAT(read,
              ::lienthong::testing::StatusCodeIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(ErrorReason(read.status()), "ATTACHMENT_CORRUPTED");
}

TEST(FileAttachmentStoreTest, FailedAndAbandonedUploadsRemoveTheirTempFiles) {
  LT_ASSERT_OK_AND_ASSIGN(auto store, FileAttachmentStore::Create(FreshRoot()));
  const std::string content = TestContent(1000, 22);
  {
    LT_ASSERT_OK_AND_ASSIGN(auto upload,
                            store->BeginUpload({}, 1000, Sha256Hex(content)));
    ASSERT_THAT(upload->Append(content), IsOk());
    EXPECT_FALSE(IsEmptyDirectory(store->TempDir()));
  }
  EXPECT_TRUE(IsEmptyDirectory(store->TempDir()));
  LT_ASSERT_OK_AND_ASSIGN(auto mismatched,
                          store->BeginUpload({}, 1000, Sha256Hex("other")));
  ASSERT_THAT(mismatched->Append(content), IsOk());
  EXPECT_FALSE(mismatched->Finish().ok());
  EXPECT_TRUE(IsEmptyDirectory(store->TempDir()));
}

TEST(FileAttachmentStoreTest, StartupCleansStaleTempFiles) {
  const std::string root = FreshRoot();
  const std::string content = TestContent(2000, 23);
  const std::string sha = Sha256Hex(content);
  std::string stale;
  {
    LT_ASSERT_OK_AND_ASSIGN(auto store, FileAttachmentStore::Create(root));
    stale = absl::StrCat(store->TempDir(), "/upload-crashed");
    std::ofstream(stale, std::ios::binary) << content;
    ASSERT_TRUE(std::filesystem::exists(stale));
  }
  LT_ASSERT_OK_AND_ASSIGN(auto reopened, FileAttachmentStore::Create(root));
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(IsEmptyDirectory(reopened->TempDir()));
  // A crashed upload never becomes content.
  EXPECT_THAT(reopened->Contains(sha), IsOkAndHolds(false));
}

TEST(FileAttachmentStoreTest, RefusesARootThatIsAFile) {
  const std::string root = FreshRoot();
  std::ofstream(root) << "not a directory";
  EXPECT_FALSE(FileAttachmentStore::Create(root).ok());
}

}  // namespace
}  // namespace lienthong::documents
