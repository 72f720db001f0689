#include "libs/storage/migrations.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/storage/sqlite_database.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::lienthong::testing::StatusIs;
using ::testing::HasSubstr;

const std::vector<Migration>& UnitMigrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "create units", "CREATE TABLE units (code TEXT PRIMARY KEY)"},
      {2, "unit names", "ALTER TABLE units ADD COLUMN name TEXT"},
  };
  return *migrations;
}

class MigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::string(std::getenv("TEST_TMPDIR")) + "/migrations.sqlite";
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
    LT_ASSERT_OK_AND_ASSIGN(db_, SqliteDatabase::Open({path_}));
  }
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(MigrationsTest, AppliesInOrderAndRecordsVersions) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(2));
  EXPECT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('01', 'HN')"),
              IsOk());
}

TEST_F(MigrationsTest, ApplyingAgainIsANoOp) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('01', 'HN')"),
              IsOk());
  // Re-running (as every start does) neither fails nor touches the data, also
  // from a fresh connection.
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  db_.reset();
  LT_ASSERT_OK_AND_ASSIGN(db_, SqliteDatabase::Open({path_}));
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  SqliteStatement* count = *db_->Prepare("SELECT COUNT(*) FROM units");
  ASSERT_THAT(count->Step(), IsOk());
  EXPECT_EQ(count->ColumnInt64(0), 1);
  SqliteStatement* records =
      *db_->Prepare("SELECT COUNT(*) FROM schema_migrations");
  ASSERT_THAT(records->Step(), IsOk());
  EXPECT_EQ(records->ColumnInt64(0), 2);
}

TEST_F(MigrationsTest, NewMigrationsApplyOnTopOfOldOnes) {
  std::vector<Migration> first = {UnitMigrations()[0]};
  ASSERT_THAT(ApplyMigrations(*db_, "registry", first), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(1));
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(2));
}

TEST_F(MigrationsTest, SchemasAreIndependent) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "ingestion"), IsOkAndHolds(0));
}

TEST_F(MigrationsTest, RefusesADatabaseFromNewerCode) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  std::vector<Migration> older = {UnitMigrations()[0]};
  EXPECT_THAT(ApplyMigrations(*db_, "registry", older),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("newer than this program knows")));
}

TEST_F(MigrationsTest, RefusesEditedHistory) {
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  std::vector<Migration> edited = UnitMigrations();
  edited[1].name = "unit names and kinds";
  EXPECT_THAT(ApplyMigrations(*db_, "registry", edited),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("must never be edited")));
}

TEST_F(MigrationsTest, RefusesVersionsNotStrictlyIncreasing) {
  std::vector<Migration> repeated = {
      UnitMigrations()[0], {1, "again", "CREATE TABLE again (x INTEGER)"}};
  EXPECT_THAT(ApplyMigrations(*db_, "registry", repeated),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("strictly increasing")));
  std::vector<Migration> backwards = {
      {2, "second", "CREATE TABLE second (x INTEGER)"}, UnitMigrations()[0]};
  EXPECT_THAT(ApplyMigrations(*db_, "registry", backwards),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  // Refused before anything ran.
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(0));
  EXPECT_FALSE(db_->Prepare("SELECT * FROM second").ok());
}

TEST_F(MigrationsTest, VersionsMayLeaveGaps) {
  std::vector<Migration> gap = {UnitMigrations()[0],
                                {10, "kinds", "CREATE TABLE kinds (id TEXT)"}};
  ASSERT_THAT(ApplyMigrations(*db_, "registry", gap), IsOk());
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(10));
  EXPECT_THAT(ApplyMigrations(*db_, "registry", gap), IsOk());
}

TEST_F(MigrationsTest, RefusesAMigrationInsertedIntoAppliedHistory) {
  std::vector<Migration> released = {
      UnitMigrations()[0], {3, "kinds", "CREATE TABLE kinds (id TEXT)"}};
  ASSERT_THAT(ApplyMigrations(*db_, "registry", released), IsOk());
  std::vector<Migration> inserted = {UnitMigrations()[0], UnitMigrations()[1],
                                     released[1]};
  EXPECT_THAT(ApplyMigrations(*db_, "registry", inserted),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("older than the applied v3")));
}

TEST_F(MigrationsTest, RefusesARecordedVersionTheListLacks) {
  std::vector<Migration> released = {
      UnitMigrations()[0],
      {2, "kinds", "CREATE TABLE kinds (id TEXT)"},
      {3, "colors", "CREATE TABLE colors (id TEXT)"}};
  ASSERT_THAT(ApplyMigrations(*db_, "registry", released), IsOk());
  std::vector<Migration> removed = {released[0], released[2]};
  EXPECT_THAT(ApplyMigrations(*db_, "registry", removed),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not know")));
}

TEST_F(MigrationsTest, SchemaVersionWorksOnAReadOnlyConnection) {
  LT_ASSERT_OK_AND_ASSIGN(auto reader, db_->OpenReadOnly());
  EXPECT_THAT(SchemaVersion(*reader, "registry"), IsOkAndHolds(0));
  ASSERT_THAT(ApplyMigrations(*db_, "registry", UnitMigrations()), IsOk());
  EXPECT_THAT(SchemaVersion(*reader, "registry"), IsOkAndHolds(2));
}

TEST_F(MigrationsTest, AFailingMigrationLeavesNoTraceOfItself) {
  std::vector<Migration> broken = UnitMigrations();
  broken.push_back({3, "broken", "CREATE TABLE kinds (id INTEGER); BOGUS SQL"});
  EXPECT_FALSE(ApplyMigrations(*db_, "registry", broken).ok());
  // Versions 1 and 2 stand; 3 is neither recorded nor half-applied.
  EXPECT_THAT(SchemaVersion(*db_, "registry"), IsOkAndHolds(2));
  EXPECT_FALSE(db_->Prepare("SELECT * FROM kinds").ok());
}

}  // namespace
}  // namespace lienthong
