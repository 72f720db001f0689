#include "services/registry/sqlite_unit_store.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/registry/unit_store_conformance.h"

namespace lienthong::registry {
namespace {

std::unique_ptr<UnitStore> MakeSqliteStore(const Clock* clock) {
  static std::atomic<int> counter{0};
  std::string path =
      absl::StrCat(std::getenv("TEST_TMPDIR"), "/units-", counter++, ".sqlite");
  std::filesystem::remove(path);
  auto store = SqliteUnitStore::Open(path, clock);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, UnitStoreConformanceTest,
                         ::testing::Values(UnitStoreFactory(&MakeSqliteStore)));

}  // namespace
}  // namespace lienthong::registry
