#include "libs/storage/sqlite_database.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::lienthong::testing::StatusIs;
using ::testing::HasSubstr;

std::string TestPath(const std::string& name) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return path;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(db_, SqliteDatabase::Open({TestPath("db.sqlite")}));
    ASSERT_THAT(db_->Exec("CREATE TABLE units (code TEXT PRIMARY KEY, "
                          "name TEXT NOT NULL, population INTEGER, "
                          "area REAL)"),
                IsOk());
  }

  absl::Status Insert(absl::string_view code, absl::string_view name) {
    absl::StatusOr<SqliteStatement*> insert =
        db_->Prepare("INSERT INTO units (code, name) VALUES (?, ?)");
    if (!insert.ok()) return insert.status();
    return (*insert)->Bind(1, code).Bind(2, name).Run();
  }

  int64_t Count() {
    SqliteStatement* count = *db_->Prepare("SELECT COUNT(*) FROM units");
    EXPECT_THAT(count->Step(), IsOk());
    return count->ColumnInt64(0);
  }

  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, OpensInWalModeWithFullSync) {
  SqliteStatement* mode = *db_->Prepare("PRAGMA journal_mode");
  ASSERT_THAT(mode->Step(), IsOk());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  SqliteStatement* sync = *db_->Prepare("PRAGMA synchronous");
  ASSERT_THAT(sync->Step(), IsOk());
  EXPECT_EQ(sync->ColumnInt64(0), 2);  // FULL
}

TEST_F(SqliteDatabaseTest, BindsAndReadsEveryType) {
  SqliteStatement* insert = *db_->Prepare(
      "INSERT INTO units (code, name, population, area) VALUES (?, ?, ?, ?)");
  ASSERT_THAT(insert->Bind(1, "00097")
                  .Bind(2, "Phường Hồng Hà")
                  .Bind(3, int64_t{126000})
                  .Bind(4, absl::optional<double>())
                  .Run(),
              IsOk());
  EXPECT_EQ(insert->changes(), 1);

  SqliteStatement* select =
      *db_->Prepare("SELECT name, population, area FROM units WHERE code = ?");
  select->Bind(1, "00097");
  absl::StatusOr<bool> row = select->Step();
  ASSERT_THAT(row, IsOk());
  ASSERT_TRUE(*row);
  EXPECT_EQ(select->ColumnText(0), "Phường Hồng Hà");
  EXPECT_EQ(select->ColumnInt64(1), 126000);
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteDatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_THAT(Insert("00097", "Phường Hồng Hà"), IsOk());
  EXPECT_THAT(Insert("00097", "again"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("UNIQUE")));
}

TEST_F(SqliteDatabaseTest, NotNullViolationIsFailedPrecondition) {
  SqliteStatement* insert =
      *db_->Prepare("INSERT INTO units (code, name) VALUES (?, NULL)");
  EXPECT_THAT(insert->Bind(1, "00001").Run(),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(SqliteDatabaseTest, BadSqlIsAnErrorNotACrash) {
  EXPECT_THAT(db_->Prepare("SELEC nothing").status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("SELEC")));
  EXPECT_FALSE(db_->Exec("DROP TABLE missing").ok());
}

TEST_F(SqliteDatabaseTest, BindOutOfRangeIsReportedByStep) {
  SqliteStatement* select = *db_->Prepare("SELECT * FROM units WHERE code = ?");
  select->Bind(2, "x");
  EXPECT_THAT(select->Step(), StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(SqliteDatabaseTest, RolledBackTransactionLeavesNothing) {
  absl::Status status = InTransaction(*db_, [&]() -> absl::Status {
    if (absl::Status s = Insert("00001", "Phúc Xá"); !s.ok()) return s;
    return Insert("00001", "duplicate");  // fails: the first insert goes too
  });
  EXPECT_THAT(status, StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteDatabaseTest, SavepointUndoesOnlyItsPart) {
  ASSERT_THAT(db_->Begin(), IsOk());
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  ASSERT_THAT(db_->Savepoint("part"), IsOk());
  ASSERT_THAT(Insert("00004", "Trúc Bạch"), IsOk());
  ASSERT_THAT(db_->RollbackToSavepoint("part"), IsOk());
  ASSERT_THAT(db_->ReleaseSavepoint("part"), IsOk());
  ASSERT_THAT(db_->Commit(), IsOk());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDatabaseTest, ReadOnlyConnectionSeesCommitsAndCannotWrite) {
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      auto reader, SqliteDatabase::Open({db_->path(), /*read_only=*/true}));
  SqliteStatement* count = *reader->Prepare("SELECT COUNT(*) FROM units");
  ASSERT_THAT(count->Step(), IsOk());
  EXPECT_EQ(count->ColumnInt64(0), 1);
  EXPECT_THAT(reader->Exec("DELETE FROM units"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(SqliteDatabaseTest, ReadersSeeCommitsMadeAfterAPartlyReadStatement) {
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  ASSERT_THAT(Insert("00004", "Trúc Bạch"), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      auto reader, SqliteDatabase::Open({db_->path(), /*read_only=*/true}));
  // Read one row of two and stop: the statement would keep its snapshot.
  SqliteStatement* first = *reader->Prepare("SELECT code FROM units");
  ASSERT_THAT(first->Step(), IsOk());
  ASSERT_THAT(Insert("00097", "Hồng Hà"), IsOk());
  SqliteStatement* count = *reader->Prepare("SELECT COUNT(*) FROM units");
  ASSERT_THAT(count->Step(), IsOk());
  EXPECT_EQ(count->ColumnInt64(0), 3);
}

TEST_F(SqliteDatabaseTest, TransactionCommitsOnlyWhenAsked) {
  {
    LT_ASSERT_OK_AND_ASSIGN(Transaction transaction, Transaction::Begin(*db_));
    ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
    // Dropped without Commit(): an early return undoes the insert.
  }
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count(), 0);

  LT_ASSERT_OK_AND_ASSIGN(Transaction transaction, Transaction::Begin(*db_));
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  ASSERT_THAT(transaction.Commit(), IsOk());
  EXPECT_THAT(transaction.Commit(),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteDatabaseTest, ScopedSavepointUndoesOnlyItsPartUnlessReleased) {
  LT_ASSERT_OK_AND_ASSIGN(Transaction transaction, Transaction::Begin(*db_));
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  {
    LT_ASSERT_OK_AND_ASSIGN(ScopedSavepoint undone,
                            ScopedSavepoint::Begin(*db_, "undone"));
    ASSERT_THAT(Insert("00004", "Trúc Bạch"), IsOk());
  }
  {
    LT_ASSERT_OK_AND_ASSIGN(ScopedSavepoint kept,
                            ScopedSavepoint::Begin(*db_, "kept"));
    ASSERT_THAT(Insert("00097", "Hồng Hà"), IsOk());
    ASSERT_THAT(kept.Release(), IsOk());
  }
  ASSERT_THAT(transaction.Commit(), IsOk());
  SqliteStatement* codes = *db_->Prepare("SELECT code FROM units ORDER BY 1");
  std::vector<std::string> found;
  while (*codes->Step()) found.push_back(codes->ColumnText(0));
  EXPECT_THAT(found, ::testing::ElementsAre("00001", "00097"));
}

TEST_F(SqliteDatabaseTest, ForeignKeysAreEnforced) {
  ASSERT_THAT(db_->Exec("CREATE TABLE names (code TEXT REFERENCES units(code), "
                        "name TEXT)"),
              IsOk());
  EXPECT_THAT(db_->Exec("INSERT INTO names VALUES ('missing', 'x')"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("FOREIGN KEY")));
}

TEST_F(SqliteDatabaseTest, SecondWriterIsUnavailableWhileTheFirstHoldsTheLock) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto other,
      SqliteDatabase::Open({db_->path(), /*read_only=*/false,
                            /*busy_timeout=*/absl::ZeroDuration()}));
  ASSERT_THAT(db_->Begin(), IsOk());
  EXPECT_THAT(other->Begin(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("locked")));
  ASSERT_THAT(db_->Commit(), IsOk());
  EXPECT_THAT(other->Begin(), IsOk());
  EXPECT_THAT(other->Rollback(), IsOk());
}

TEST_F(SqliteDatabaseTest, BlobsIntsAndOptionalsRoundTrip) {
  ASSERT_THAT(
      db_->Exec("CREATE TABLE blobs (id INTEGER, data BLOB, note TEXT)"),
      IsOk());
  const std::string bytes("\0\x01\xff binary", 10);
  SqliteStatement* insert =
      *db_->Prepare("INSERT INTO blobs (id, data, note) VALUES (?, ?, ?)");
  ASSERT_THAT(insert->Bind(1, 7)
                  .BindBlob(2, bytes)
                  .Bind(3, absl::optional<std::string>("seven"))
                  .Run(),
              IsOk());
  // The same statement again after Reset(), with NULLs this time.
  insert->Reset();
  ASSERT_THAT(insert->Bind(1, 8)
                  .BindBlob(2, absl::optional<std::string>())
                  .Bind(3, absl::optional<std::string>())
                  .Run(),
              IsOk());

  SqliteStatement* select =
      *db_->Prepare("SELECT id, data, note FROM blobs ORDER BY id");
  EXPECT_EQ(select->ColumnCount(), 3);
  ASSERT_THAT(select->Step(), IsOkAndHolds(true));
  EXPECT_EQ(select->ColumnInt64(0), 7);
  EXPECT_EQ(select->ColumnBlob(1), bytes);
  EXPECT_EQ(select->ColumnText(2), "seven");
  ASSERT_THAT(select->Step(), IsOkAndHolds(true));
  EXPECT_EQ(select->ColumnInt64(0), 8);
  EXPECT_TRUE(select->ColumnIsNull(1));
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_THAT(select->Step(), IsOkAndHolds(false));
}

TEST_F(SqliteDatabaseTest, OpenReadOnlyGivesAReaderOnTheSameFile) {
  ASSERT_THAT(Insert("00001", "Phúc Xá"), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto reader, db_->OpenReadOnly());
  SqliteStatement* count = *reader->Prepare("SELECT COUNT(*) FROM units");
  ASSERT_THAT(count->Step(), IsOkAndHolds(true));
  EXPECT_EQ(count->ColumnInt64(0), 1);
  EXPECT_THAT(reader->Exec("INSERT INTO units VALUES ('2', 'x', 1, 1)"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SqliteDatabaseOpenTest, InMemoryDatabaseHasNoReaders) {
  LT_ASSERT_OK_AND_ASSIGN(auto db, SqliteDatabase::Open({":memory:"}));
  EXPECT_THAT(db->Exec("CREATE TABLE t (x INTEGER)"), IsOk());
  EXPECT_THAT(db->OpenReadOnly().status(),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SqliteDatabaseOpenTest, MissingDirectoryIsFailedPrecondition) {
  EXPECT_THAT(SqliteDatabase::Open({"/nonexistent/dir/db.sqlite"}).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("/nonexistent/dir/db.sqlite")));
}

}  // namespace
}  // namespace lienthong
