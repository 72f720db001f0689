#include "services/reporting/sqlite_reporting_store.h"

#include <cstdlib>
#include <filesystem>

#include "services/reporting/reporting_store_conformance.h"

namespace lienthong::reporting {
namespace {

std::unique_ptr<ReportingStore> MakeSqliteStore(bool fresh) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/reporting.db";
  if (fresh) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path + suffix);
    }
  }
  auto store = SqliteReportingStore::Open(path);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, ReportingStoreConformanceTest,
    ::testing::Values(ReportingStoreFactory(&MakeSqliteStore)));

}  // namespace
}  // namespace lienthong::reporting
