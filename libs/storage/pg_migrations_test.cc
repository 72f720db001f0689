// The engine is shared and tested in depth on SQLite (migrations_test); this
// covers PostgreSQL's side of it: its history table, its transactions, its
// lock.

#include "libs/storage/pg_migrations.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/storage/pg_database.h"
#include "libs/storage/pg_test_cluster.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusIs;
using ::testing::HasSubstr;

const std::vector<Migration>& UnitMigrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "create units", "CREATE TABLE units (code TEXT PRIMARY KEY)"},
      {2, "unit names", "ALTER TABLE units ADD COLUMN name TEXT"},
  };
  return *migrations;
}

class PgMigrationsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<PgTestCluster>> cluster =
        PgTestCluster::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = cluster->release();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr);
    LT_ASSERT_OK_AND_ASSIGN(conninfo_, cluster_->CreateDatabase());
    LT_ASSERT_OK_AND_ASSIGN(db_, PgDatabase::Connect(conninfo_));
  }

  int64_t Count(const std::string& table) {
    absl::StatusOr<PgResult> count =
        db_->Query("SELECT COUNT(*) FROM " + table);
    EXPECT_THAT(count, IsOk());
    return count.ok() ? count->Int64(0, 0) : -1;
  }

  static PgTestCluster* cluster_;
  std::string conninfo_;
  std::unique_ptr<PgDatabase> db_;
};

PgTestCluster* PgMigrationsTest::cluster_ = nullptr;

TEST_F(PgMigrationsTest, AppliesOnceAndRecordsVersions) {
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(0));
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(2));
  EXPECT_THAT(SchemaVersion(*db_, "ingestion"), IsOkAndHolds(0));
  ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('01', 'HN')"),
              IsOk());
  // Again, also from another connection (as every start does).
  LT_ASSERT_OK_AND_ASSIGN(auto again, PgDatabase::Connect(conninfo_));
  ASSERT_THAT(ApplyMigrations(*again, "registry", UnitMigrations()), IsOk());
  EXPECT_EQ(Count("units"), 1);
  EXPECT_EQ(Count("schema_migrations"), 2);
}

TEST_F(PgMigrationsTest, RefusesNewerAndEditedHistory) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(ApplyMigrations(*db_, "registry", {UnitMigrations()[0]}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("newer than this program knows")));
  std::vector<Migration> edited = UnitMigrations();
  edited[1].name = "unit names and kinds";
  EXPECT_THAT(ApplyMigrations(*db_, "registry", edited),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("must never be edited")));
}

TEST_F(PgMigrationsTest, AFailingMigrationLeavesNoTraceOfItself) {
  std::vector<Migration> broken = UnitMigrations();
  broken.push_back({3, "broken", "CREATE TABLE kinds (id INTEGER); BOGUS SQL"});
  EXPECT_FALSE(ApplyMigrations(*db_, "registry", broken).ok());
  // Versions 1 and 2 stand; 3 is neither recorded nor half-applied: DDL is
  // transactional in PostgreSQL.
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(2));
  EXPECT_FALSE(db_->Query("SELECT * FROM kinds").ok());
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(PgMigrationsTest, WaitsForAnotherMigratingConnection) {
  // Another connection holds the migration lock; a migration needing it
  // waits, so it cannot interleave. lock_timeout turns the wait into an
  // error here instead of a hang.
  LT_ASSERT_OK_AND_ASSIGN(auto other, PgDatabase::Connect(conninfo_));
  ASSERT_THAT(other->Begin(), IsOk());
  ASSERT_THAT(other->Exec("SELECT pg_advisory_xact_lock(hashtext("
                          "'lienthong.schema_migrations'))"),
              IsOk());
  ASSERT_THAT(db_->Exec("SET lock_timeout = '100ms'"), IsOk());
  EXPECT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("lock")));
  ASSERT_THAT(other->Rollback(), IsOk());
  EXPECT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
}

}  // namespace
}  // namespace lienthong
