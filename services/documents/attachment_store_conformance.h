#ifndef SERVICES_DOCUMENTS_ATTACHMENT_STORE_CONFORMANCE_H_
#define SERVICES_DOCUMENTS_ATTACHMENT_STORE_CONFORMANCE_H_

// The conformance suite every AttachmentStore backend passes; a backend's test
// instantiates AttachmentStoreConformance with a factory of empty stores:
//
//   INSTANTIATE_TEST_SUITE_P(File, AttachmentStoreConformance,
//                            ::testing::Values(AttachmentStoreFactory(&Make)));

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "services/documents/attachment_store.h"

namespace lienthong::documents {

// Makes a new, empty store.
using AttachmentStoreFactory =
    std::function<std::unique_ptr<AttachmentStore>()>;

// The suite's fixture: `store_` is a fresh store from the factory.
class AttachmentStoreConformance
    : public ::testing::TestWithParam<AttachmentStoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<AttachmentStore> store_;
};

// `size` deterministic pseudo-random bytes, different for each `seed`.
std::string TestContent(size_t size, unsigned seed);

// Uploads `content` under its own hash and size in chunks of `chunk_size`.
absl::StatusOr<UploadResult> UploadInChunks(
    AttachmentStore& store, absl::string_view content, size_t chunk_size,
    const AttachmentLimits& limits = {});

// Reads the whole stored content in pieces of at most `piece_size` bytes.
absl::StatusOr<std::string> ReadAll(AttachmentStore& store,
                                    absl::string_view sha256_hex,
                                    size_t piece_size);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_ATTACHMENT_STORE_CONFORMANCE_H_
