#include "libs/storage/pg_test_cluster.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/storage/pg_database.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

std::string Show(PgDatabase& db, const std::string& setting) {
  absl::StatusOr<PgResult> shown = db.Query("SHOW " + setting);
  EXPECT_THAT(shown, IsOk());
  return shown.ok() ? shown->Text(0, 0) : "";
}

TEST(PgTestClusterTest, ServesADatabaseOnItsOwnSocketOnly) {
  LT_ASSERT_OK_AND_ASSIGN(auto cluster, PgTestCluster::Start());
  LT_ASSERT_OK_AND_ASSIGN(std::string conninfo, cluster->CreateDatabase());
  LT_ASSERT_OK_AND_ASSIGN(auto db, PgDatabase::Connect(conninfo));
  LT_ASSERT_OK_AND_ASSIGN(PgResult one, db->Query("SELECT 1"));
  ASSERT_EQ(one.rows(), 1);
  EXPECT_EQ(one.Int64(0, 0), 1);
  // No TCP; the durability settings of production.
  EXPECT_EQ(Show(*db, "listen_addresses"), "");
  EXPECT_EQ(Show(*db, "unix_socket_directories"), cluster->dir());
  EXPECT_EQ(Show(*db, "fsync"), "on");
  EXPECT_EQ(Show(*db, "synchronous_commit"), "on");
  EXPECT_EQ(Show(*db, "server_encoding"), "UTF8");
}

TEST(PgTestClusterTest, EachDatabaseStartsEmpty) {
  LT_ASSERT_OK_AND_ASSIGN(auto cluster, PgTestCluster::Start());
  LT_ASSERT_OK_AND_ASSIGN(std::string first, cluster->CreateDatabase());
  LT_ASSERT_OK_AND_ASSIGN(std::string second, cluster->CreateDatabase());
  EXPECT_NE(first, second);
  LT_ASSERT_OK_AND_ASSIGN(auto one, PgDatabase::Connect(first));
  ASSERT_THAT(one->Exec("CREATE TABLE t (x INTEGER)"), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto two, PgDatabase::Connect(second));
  EXPECT_THAT(two->Query("SELECT * FROM t"),
              StatusCodeIs(absl::StatusCode::kInternal));
}

TEST(PgTestClusterTest, StopsAndRemovesItsDirectory) {
  LT_ASSERT_OK_AND_ASSIGN(auto cluster, PgTestCluster::Start());
  std::string dir = cluster->dir();
  std::string conninfo = cluster->ConnInfo("postgres");
  ASSERT_TRUE(std::filesystem::exists(dir + "/data/PG_VERSION"));
  cluster.reset();
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_THAT(PgDatabase::Connect(conninfo),
              StatusCodeIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace lienthong
