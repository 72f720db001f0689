// The SQLite audit store: the conformance suite, and verification catching a
// log tampered with directly in its file.

#include "libs/audit/sqlite_audit_store.h"

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/audit_store_conformance.h"
#include "libs/clock/clock.h"
#include "libs/storage/sqlite_database.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::audit {
namespace {

using ::lienthong::testing::IsOk;

std::unique_ptr<AuditStore> MakeSqliteStore() {
  absl::StatusOr<std::unique_ptr<SqliteAuditStore>> store =
      SqliteAuditStore::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status();
  return *std::move(store);
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, AuditStoreConformanceTest,
    ::testing::Values(AuditStoreFactory(&MakeSqliteStore)));

// Five records in a file, then one tampering done with plain SQL, as someone
// with access to the file would.
class TamperingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        (std::filesystem::path(::testing::TempDir()) /
         (std::string(
              ::testing::UnitTest::GetInstance()->current_test_info()->name()) +
          "-audit.db"))
            .string();
    std::filesystem::remove(path_);
    LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteAuditStore::Open(path_));
    FakeClock clock(absl::FromUnixSeconds(1751328000));
    AuditLog log(store.get(), &clock);
    for (int i = 1; i <= 5; ++i) {
      AuditEvent event;
      event.agency = "AG.911";
      event.role = "system";
      event.method = "/lienthong.ingestion.v1.IngestionService/SubmitValues";
      event.request_id = absl::StrCat("req-", i);
      event.result_code = "OK";
      LT_ASSERT_OK_AND_ASSIGN(AuditEntry entry, log.Append(event));
      if (i == 3) third_hash_ = entry.hash;
      clock.Advance(absl::Seconds(1));
    }
  }

  void Tamper(const std::string& sql) {
    LT_ASSERT_OK_AND_ASSIGN(auto db, SqliteDatabase::Open({path_}));
    ASSERT_THAT(db->Exec(sql), IsOk());
  }

  AuditVerification Verify(AuditAnchor anchor = {}) {
    absl::StatusOr<std::unique_ptr<SqliteAuditStore>> store =
        SqliteAuditStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    absl::StatusOr<AuditVerification> verified =
        VerifyAuditStore(**store, anchor);
    EXPECT_TRUE(verified.ok()) << verified.status();
    return *verified;
  }

  std::string path_;
  std::string third_hash_;
};

TEST_F(TamperingTest, AnUntouchedLogVerifies) {
  AuditVerification verified = Verify({3, third_hash_});
  EXPECT_TRUE(verified.intact) << verified.failure;
  EXPECT_EQ(verified.records, 5);
  EXPECT_EQ(verified.head_sequence, 5);
}

TEST_F(TamperingTest, CatchesAnAlteredRecord) {
  Tamper("UPDATE audit_records SET agency = 'AG.912' WHERE sequence = 3");
  AuditVerification verified = Verify();
  EXPECT_FALSE(verified.intact);
  EXPECT_EQ(verified.failure, "ALTERED");
  EXPECT_EQ(verified.failure_sequence, 3);
}

TEST_F(TamperingTest, CatchesAnAlteredResult) {
  Tamper(
      "UPDATE audit_records SET result_code = 'PERMISSION_DENIED' "
      "WHERE sequence = 5");
  AuditVerification verified = Verify();
  EXPECT_EQ(verified.failure, "ALTERED");
  EXPECT_EQ(verified.failure_sequence, 5);
}

TEST_F(TamperingTest, CatchesARemovedRecord) {
  Tamper("DELETE FROM audit_records WHERE sequence = 2");
  AuditVerification verified = Verify();
  EXPECT_FALSE(verified.intact);
  EXPECT_EQ(verified.failure, "REMOVED");
  EXPECT_EQ(verified.failure_sequence, 2);
}

TEST_F(TamperingTest, CatchesARemovedRecordWhoseSuccessorsWereRenumbered) {
  Tamper(
      "DELETE FROM audit_records WHERE sequence = 2;"
      "UPDATE audit_records SET sequence = sequence - 1 WHERE sequence > 2");
  AuditVerification verified = Verify();
  EXPECT_FALSE(verified.intact);
  EXPECT_EQ(verified.failure, "UNLINKED");
  EXPECT_EQ(verified.failure_sequence, 2);
}

TEST_F(TamperingTest, CatchesReorderedRecords) {
  Tamper(
      "UPDATE audit_records SET sequence = 100 WHERE sequence = 3;"
      "UPDATE audit_records SET sequence = 3 WHERE sequence = 4;"
      "UPDATE audit_records SET sequence = 4 WHERE sequence = 100");
  AuditVerification verified = Verify();
  EXPECT_FALSE(verified.intact);
  EXPECT_EQ(verified.failure, "UNLINKED");
  EXPECT_EQ(verified.failure_sequence, 3);
}

TEST_F(TamperingTest, AnAnchorCatchesATailRewrittenConsistently) {
  // Whoever rewrites records 3..5 with fresh hashes leaves a valid chain;
  // the anchor an auditor noted no longer matches.
  {
    LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteAuditStore::Open(path_));
    Tamper("DELETE FROM audit_records WHERE sequence >= 3");
    FakeClock clock(absl::FromUnixSeconds(1751400000));
    AuditLog log(store.get(), &clock);
    AuditEvent forged;
    forged.agency = "AG.912";
    forged.result_code = "OK";
    for (int i = 0; i < 3; ++i) {
      ASSERT_THAT(log.Append(forged).status(), IsOk());
    }
  }
  EXPECT_TRUE(Verify().intact);
  AuditVerification anchored = Verify({3, third_hash_});
  EXPECT_FALSE(anchored.intact);
  EXPECT_EQ(anchored.failure, "ANCHOR_MISMATCH");
}

TEST_F(TamperingTest, AnAnchorCatchesATruncatedTail) {
  Tamper("DELETE FROM audit_records WHERE sequence >= 3");
  EXPECT_TRUE(Verify().intact);
  AuditVerification anchored = Verify({3, third_hash_});
  EXPECT_FALSE(anchored.intact);
  EXPECT_EQ(anchored.failure, "ANCHOR_MISSING");
}

}  // namespace
}  // namespace lienthong::audit
