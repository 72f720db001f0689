#include "services/registry/pg_record_store.h"

#include "libs/storage/pg_test_environment.h"
#include "services/registry/record_store_conformance.h"

namespace lienthong::registry {
namespace {

// One server for the suite, a new database for each test.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

std::unique_ptr<RecordStore> MakePgStore() {
  absl::StatusOr<std::string> conninfo = kPostgres->CreateDatabase();
  EXPECT_TRUE(conninfo.ok()) << conninfo.status();
  if (!conninfo.ok()) return nullptr;
  auto store = PgRecordStore::Open(*conninfo);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, RecordStoreConformanceTest,
                         ::testing::Values(RecordStoreFactory(&MakePgStore)));

}  // namespace
}  // namespace lienthong::registry
