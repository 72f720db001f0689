#include "services/ingestion/sqlite_value_store.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/ingestion/value_store_conformance.h"

namespace lienthong::ingestion {
namespace {

std::unique_ptr<ValueStore> MakeSqliteStore() {
  static std::atomic<int> counter{0};
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/values-",
                                  counter++, ".sqlite");
  std::filesystem::remove(path);
  auto store = SqliteValueStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, ValueStoreConformanceTest,
    ::testing::Values(ValueStoreFactory(&MakeSqliteStore)));

}  // namespace
}  // namespace lienthong::ingestion
