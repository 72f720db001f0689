#include "services/audit/audit_reader.h"

#include "gtest/gtest.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/sqlite_audit_store.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::audit {
namespace {

using ::lienthong::testing::StatusCodeIs;

class AuditReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LT_ASSERT_OK_AND_ASSIGN(store_, SqliteAuditStore::Open(":memory:"));
    AuditLog log(store_.get(), &clock_);
    for (int i = 0; i < 5; ++i) {
      AuditEvent event;
      event.agency = "AG.1";
      event.result_code = "OK";
      LT_ASSERT_OK_AND_ASSIGN(AuditEntry entry, log.Append(event));
      hashes_.push_back(entry.hash);
    }
  }

  FakeClock clock_{absl::FromUnixSeconds(1751328000)};
  std::unique_ptr<SqliteAuditStore> store_;
  std::vector<std::string> hashes_;
};

TEST_F(AuditReaderTest, PagesThroughTheLog) {
  AuditReader reader(store_.get());
  v1::ListAuditRecordsRequest request;
  request.set_page_size(2);
  std::vector<int64_t> sequences;
  do {
    LT_ASSERT_OK_AND_ASSIGN(v1::ListAuditRecordsResponse page,
                            reader.ListAuditRecords(request));
    for (const v1::AuditRecord& record : page.records()) {
      sequences.push_back(record.sequence());
      EXPECT_EQ(record.hash(), hashes_[record.sequence() - 1]);
      EXPECT_EQ(record.time().seconds(), 1751328000);
    }
    request.set_after_sequence(page.next_after_sequence());
  } while (request.after_sequence() != 0);
  EXPECT_EQ(sequences, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST_F(AuditReaderTest, RefusesANegativePage) {
  AuditReader reader(store_.get());
  v1::ListAuditRecordsRequest request;
  request.set_page_size(-1);
  request.set_after_sequence(-3);
  absl::StatusOr<v1::ListAuditRecordsResponse> refused =
      reader.ListAuditRecords(request);
  EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(refused.status()), "INVALID_PAGE");
  EXPECT_EQ(FieldViolations(refused.status()).size(), 2u);
}

TEST_F(AuditReaderTest, VerifiesAgainstAnAnchorAndRefusesAHalfAnchor) {
  AuditReader reader(store_.get());
  v1::VerifyAuditLogRequest request;
  request.set_anchor_sequence(3);
  request.set_anchor_hash(hashes_[2]);
  LT_ASSERT_OK_AND_ASSIGN(v1::VerifyAuditLogResponse verdict,
                          reader.VerifyAuditLog(request));
  EXPECT_TRUE(verdict.intact());
  EXPECT_EQ(verdict.head_sequence(), 5);
  EXPECT_EQ(verdict.head_hash(), hashes_[4]);

  request.set_anchor_hash(hashes_[1]);
  LT_ASSERT_OK_AND_ASSIGN(verdict, reader.VerifyAuditLog(request));
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.failure(), "ANCHOR_MISMATCH");
  EXPECT_EQ(verdict.failure_sequence(), 3);

  for (auto [sequence, hash] : std::vector<std::pair<int64_t, std::string>>{
           {3, ""}, {0, hashes_[0]}, {-1, hashes_[0]}}) {
    request.set_anchor_sequence(sequence);
    request.set_anchor_hash(hash);
    absl::StatusOr<v1::VerifyAuditLogResponse> refused =
        reader.VerifyAuditLog(request);
    EXPECT_THAT(refused, StatusCodeIs(absl::StatusCode::kInvalidArgument))
        << sequence;
    EXPECT_EQ(ErrorReason(refused.status()), "INVALID_ANCHOR");
  }
}

}  // namespace
}  // namespace lienthong::audit
