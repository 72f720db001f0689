#include "services/reporting/pg_reporting_store.h"

#include <memory>
#include <string>

#include "libs/storage/pg_test_environment.h"
#include "services/reporting/reporting_store_conformance.h"

namespace lienthong::reporting {
namespace {

// One server for the suite, a new database for each test.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

// Opens the current test's database, a new one when `fresh`.
ReportingStoreFactory PgStoreFactory() {
  auto conninfo = std::make_shared<std::string>();
  return [conninfo](bool fresh) -> std::unique_ptr<ReportingStore> {
    if (fresh) {
      absl::StatusOr<std::string> created = kPostgres->CreateDatabase();
      EXPECT_TRUE(created.ok()) << created.status();
      if (!created.ok()) return nullptr;
      *conninfo = *std::move(created);
    }
    auto store = PgReportingStore::Open(*conninfo);
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return nullptr;
    return *std::move(store);
  };
}

INSTANTIATE_TEST_SUITE_P(Postgres, ReportingStoreConformanceTest,
                         ::testing::Values(PgStoreFactory()));

}  // namespace
}  // namespace lienthong::reporting
