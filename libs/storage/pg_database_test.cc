#include "libs/storage/pg_database.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/storage/pg_test_cluster.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

TEST(PgStatusTest, MapsSqlStatesLikeSqliteCodes) {
  struct Case {
    const char* sqlstate;
    absl::StatusCode code;
    const char* reason;
  };
  for (const Case& c : std::vector<Case>{
           {"23505", absl::StatusCode::kAlreadyExists,
            "DATABASE_UNIQUE_VIOLATION"},
           {"23503", absl::StatusCode::kFailedPrecondition,
            "DATABASE_CONSTRAINT_VIOLATION"},
           {"23502", absl::StatusCode::kFailedPrecondition,
            "DATABASE_CONSTRAINT_VIOLATION"},
           {"23514", absl::StatusCode::kFailedPrecondition,
            "DATABASE_CONSTRAINT_VIOLATION"},
           {"40001", absl::StatusCode::kUnavailable, "DATABASE_CONFLICT"},
           {"40P01", absl::StatusCode::kUnavailable, "DATABASE_CONFLICT"},
           {"55P03", absl::StatusCode::kUnavailable, "DATABASE_BUSY"},
           {"08006", absl::StatusCode::kUnavailable, "DATABASE_UNAVAILABLE"},
           {"57P01", absl::StatusCode::kUnavailable, "DATABASE_UNAVAILABLE"},
           {"53100", absl::StatusCode::kResourceExhausted,
            "DATABASE_RESOURCE_EXHAUSTED"},
           {"53200", absl::StatusCode::kResourceExhausted,
            "DATABASE_RESOURCE_EXHAUSTED"},
           {"XX001", absl::StatusCode::kDataLoss, "DATABASE_CORRUPTED"},
           {"XX002", absl::StatusCode::kDataLoss, "DATABASE_CORRUPTED"},
           {"22P02", absl::StatusCode::kInvalidArgument,
            "DATABASE_INVALID_VALUE"},
           {"57014", absl::StatusCode::kCancelled, "DATABASE_CANCELLED"},
           {"42601", absl::StatusCode::kInternal, "DATABASE_ERROR"},
           {"XX000", absl::StatusCode::kInternal, "DATABASE_ERROR"},
       }) {
    absl::Status status = PgStatus(c.sqlstate, "message");
    EXPECT_EQ(status.code(), c.code) << c.sqlstate;
    EXPECT_EQ(ErrorReason(status), c.reason) << c.sqlstate;
    EXPECT_EQ(ErrorMetadata(status)["sqlstate"], c.sqlstate);
    EXPECT_EQ(status.message(), "message");
  }
  EXPECT_THAT(PgStatus("00000", ""), IsOk());
}

class PgDatabaseTest : public ::testing::Test {
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
    ASSERT_THAT(db_->Exec("CREATE TABLE units ("
                          "  code TEXT PRIMARY KEY,"
                          "  name TEXT NOT NULL,"
                          "  population BIGINT,"
                          "  area DOUBLE PRECISION,"
                          "  active BOOLEAN,"
                          "  boundary BYTEA,"
                          "  CHECK (population IS NULL OR population >= 0));"
                          "CREATE TABLE agencies ("
                          "  id TEXT PRIMARY KEY,"
                          "  unit TEXT NOT NULL REFERENCES units (code))"),
                IsOk());
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

PgTestCluster* PgDatabaseTest::cluster_ = nullptr;

TEST_F(PgDatabaseTest, BindsParametersAndReadsEveryType) {
  const std::string bytes("\0\x01\xff\\x'", 6);
  LT_ASSERT_OK_AND_ASSIGN(
      PgResult inserted,
      db_->Query("INSERT INTO units VALUES ($1, $2, $3, $4, $5, $6)",
                 {"00097", "Hà Nội", int64_t{8'435'700'000}, 3359.82, true,
                  PgParam::Bytes(bytes)}));
  EXPECT_EQ(inserted.affected_rows(), 1);
  ASSERT_THAT(db_->Query("INSERT INTO units (code, name) VALUES ($1, $2)",
                         {"00004", "Cao Bằng"}),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      PgResult rows,
      db_->Query("SELECT code, name, population, area, active, boundary "
                 "FROM units WHERE code >= $1 ORDER BY code",
                 {""}));
  ASSERT_EQ(rows.rows(), 2);
  ASSERT_EQ(rows.columns(), 6);
  EXPECT_EQ(rows.Text(0, 0), "00004");
  EXPECT_TRUE(rows.IsNull(0, 2));
  EXPECT_EQ(rows.Int64(0, 2), 0);
  EXPECT_EQ(rows.Bytes(0, 5), "");
  EXPECT_EQ(rows.Text(1, 1), "Hà Nội");
  EXPECT_FALSE(rows.IsNull(1, 2));
  EXPECT_EQ(rows.Int64(1, 2), 8'435'700'000);
  EXPECT_DOUBLE_EQ(rows.Double(1, 3), 3359.82);
  EXPECT_TRUE(rows.Bool(1, 4));
  EXPECT_EQ(rows.Bytes(1, 5), bytes);
}

TEST_F(PgDatabaseTest, NullParametersAreNull) {
  ASSERT_THAT(db_->Query("INSERT INTO units (code, name, population) "
                         "VALUES ($1, $2, $3)",
                         {"00004", "Cao Bằng", PgParam::Null()}),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(PgResult rows,
                          db_->Query("SELECT population IS NULL FROM units"));
  EXPECT_TRUE(rows.Bool(0, 0));
}

TEST_F(PgDatabaseTest, RefusesANulByteInText) {
  EXPECT_THAT(db_->Query("INSERT INTO units (code, name) VALUES ($1, $2)",
                         {"00004", std::string("a\0b", 3)}),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(PgDatabaseTest, MapsConstraintViolations) {
  ASSERT_THAT(
      db_->Exec("INSERT INTO units (code, name) VALUES ('00097', 'HN')"),
      IsOk());
  absl::Status duplicate =
      db_->Exec("INSERT INTO units (code, name) VALUES ('00097', 'again')");
  EXPECT_THAT(duplicate, StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ErrorReason(duplicate), "DATABASE_UNIQUE_VIOLATION");
  EXPECT_EQ(ErrorMetadata(duplicate)["sqlstate"], "23505");
  EXPECT_THAT(db_->Exec("INSERT INTO units (code) VALUES ('00004')"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(db_->Exec("INSERT INTO agencies VALUES ('G14', '99999')"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(db_->Exec("UPDATE units SET population = -1"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(db_->Query("UPDATE units SET population = $1", {"many"}),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(db_->Exec("SELEC 1"), StatusCodeIs(absl::StatusCode::kInternal));
}

TEST_F(PgDatabaseTest, ATransactionRollsBackUnlessCommitted) {
  {
    LT_ASSERT_OK_AND_ASSIGN(PgTransaction transaction,
                            PgTransaction::Begin(*db_));
    ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('1', 'a')"),
                IsOk());
    EXPECT_TRUE(db_->in_transaction());
  }
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count("units"), 0);
  {
    LT_ASSERT_OK_AND_ASSIGN(PgTransaction transaction,
                            PgTransaction::Begin(*db_));
    ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('1', 'a')"),
                IsOk());
    ASSERT_THAT(transaction.Commit(), IsOk());
    EXPECT_THAT(transaction.Commit(),
                StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  }
  EXPECT_EQ(Count("units"), 1);
}

TEST_F(PgDatabaseTest, InTransactionCommitsOnlyWhatSucceeds) {
  EXPECT_THAT(InTransaction(*db_,
                            [&] {
                              return db_->Exec(
                                  "INSERT INTO units (code, name) "
                                  "VALUES ('1', 'a')");
                            }),
              IsOk());
  EXPECT_THAT(InTransaction(*db_,
                            [&]() -> absl::Status {
                              if (absl::Status s = db_->Exec(
                                      "INSERT INTO units (code, name) "
                                      "VALUES ('2', 'b')");
                                  !s.ok()) {
                                return s;
                              }
                              return absl::AbortedError("changed my mind");
                            }),
              StatusCodeIs(absl::StatusCode::kAborted));
  EXPECT_EQ(Count("units"), 1);
}

TEST_F(PgDatabaseTest, CommittingAFailedTransactionSaysSo) {
  ASSERT_THAT(db_->Begin(), IsOk());
  ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('1', 'a')"),
              IsOk());
  EXPECT_FALSE(db_->Exec("INSERT INTO units (code) VALUES ('2')").ok());
  // PostgreSQL itself would answer this COMMIT with a silent ROLLBACK.
  EXPECT_THAT(db_->Commit(), StatusCodeIs(absl::StatusCode::kAborted));
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(Count("units"), 0);
}

TEST_F(PgDatabaseTest, ASerializationFailureIsUnavailable) {
  ASSERT_THAT(db_->Exec("INSERT INTO units (code, name) VALUES ('1', 'a')"),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto other, PgDatabase::Connect(conninfo_));
  ASSERT_THAT(db_->Begin(PgIsolation::kRepeatableRead), IsOk());
  EXPECT_EQ(Count("units"), 1);  // takes the snapshot
  ASSERT_THAT(other->Exec("UPDATE units SET name = 'b'"), IsOk());
  absl::Status conflict = db_->Exec("UPDATE units SET name = 'c'");
  EXPECT_THAT(conflict, StatusCodeIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ErrorMetadata(conflict)["sqlstate"], "40001");
  ASSERT_THAT(db_->Rollback(), IsOk());
}

TEST_F(PgDatabaseTest, ReconnectsAfterTheConnectionBroke) {
  LT_ASSERT_OK_AND_ASSIGN(PgResult pid, db_->Query("SELECT pg_backend_pid()"));
  LT_ASSERT_OK_AND_ASSIGN(auto other, PgDatabase::Connect(conninfo_));
  // Returns once the backend is gone (or after a minute).
  ASSERT_THAT(
      other->Query("SELECT pg_terminate_backend($1, 60000)", {pid.Int64(0, 0)}),
      IsOk());
  EXPECT_THAT(db_->Query("SELECT 1"),
              StatusCodeIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(db_->EnsureConnected(), IsOk());
  EXPECT_THAT(db_->Query("SELECT 1"), IsOk());
  EXPECT_THAT(db_->EnsureConnected(), IsOk());
}

TEST(PgDatabaseConnectTest, ConnectingToNothingIsUnavailable) {
  absl::StatusOr<std::unique_ptr<PgDatabase>> db =
      PgDatabase::Connect("host=/nonexistent/socket/dir dbname=x");
  EXPECT_THAT(db, StatusCodeIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(ErrorReason(db.status()), "DATABASE_UNAVAILABLE");
}

TEST_F(PgDatabaseTest, TurnsSynchronousCommitBackOn) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto db,
      PgDatabase::Connect(conninfo_ + " options='-c synchronous_commit=off'"));
  LT_ASSERT_OK_AND_ASSIGN(PgResult shown, db->Query("SHOW synchronous_commit"));
  EXPECT_EQ(shown.Text(0, 0), "on");
}

}  // namespace
}  // namespace lienthong
