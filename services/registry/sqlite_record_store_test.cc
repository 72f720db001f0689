#include "services/registry/sqlite_record_store.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/registry/record_store_conformance.h"

namespace lienthong::registry {
namespace {

std::unique_ptr<RecordStore> MakeSqliteStore() {
  static std::atomic<int> counter{0};
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/records-",
                                  counter++, ".sqlite");
  std::filesystem::remove(path);
  auto store = SqliteRecordStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, RecordStoreConformanceTest,
    ::testing::Values(RecordStoreFactory(&MakeSqliteStore)));

}  // namespace
}  // namespace lienthong::registry
