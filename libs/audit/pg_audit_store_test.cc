#include "libs/audit/pg_audit_store.h"

#include "libs/audit/audit_store_conformance.h"
#include "libs/storage/pg_test_environment.h"

namespace lienthong::audit {
namespace {

// One server for the suite, a new database for each test.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

std::unique_ptr<AuditStore> MakePgStore() {
  absl::StatusOr<std::string> conninfo = kPostgres->CreateDatabase();
  EXPECT_TRUE(conninfo.ok()) << conninfo.status();
  if (!conninfo.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<PgAuditStore>> store =
      PgAuditStore::Open(*conninfo);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, AuditStoreConformanceTest,
                         ::testing::Values(AuditStoreFactory(&MakePgStore)));

}  // namespace
}  // namespace lienthong::audit
