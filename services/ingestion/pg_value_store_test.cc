#include "services/ingestion/pg_value_store.h"

#include "libs/storage/pg_test_environment.h"
#include "services/ingestion/value_store_conformance.h"

namespace lienthong::ingestion {
namespace {

// One server for the suite, a new database for each test.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

std::unique_ptr<ValueStore> MakePgStore() {
  absl::StatusOr<std::string> conninfo = kPostgres->CreateDatabase();
  EXPECT_TRUE(conninfo.ok()) << conninfo.status();
  if (!conninfo.ok()) return nullptr;
  auto store = PgValueStore::Open(*conninfo);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, ValueStoreConformanceTest,
                         ::testing::Values(ValueStoreFactory(&MakePgStore)));

}  // namespace
}  // namespace lienthong::ingestion
