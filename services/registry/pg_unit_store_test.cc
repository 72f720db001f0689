#include "services/registry/pg_unit_store.h"

#include "libs/storage/pg_test_environment.h"
#include "services/registry/unit_store_conformance.h"

namespace lienthong::registry {
namespace {

// One server for the suite, a new database for each test.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

std::unique_ptr<UnitStore> MakePgStore(const Clock* clock) {
  absl::StatusOr<std::string> conninfo = kPostgres->CreateDatabase();
  EXPECT_TRUE(conninfo.ok()) << conninfo.status();
  if (!conninfo.ok()) return nullptr;
  auto store = PgUnitStore::Open(*conninfo, clock);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, UnitStoreConformanceTest,
                         ::testing::Values(UnitStoreFactory(&MakePgStore)));

}  // namespace
}  // namespace lienthong::registry
