#include "libs/audit/audit_store_conformance.h"

#include "gmock/gmock.h"
#include "libs/audit/audit_log.h"
#include "libs/clock/clock.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::audit {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;

AuditEvent Event(const std::string& method, const std::string& request_id) {
  AuditEvent event;
  event.agency = "000.00.04.G14";
  event.role = "system";
  event.peer = "ipv4:127.0.0.1:4000";
  event.method = method;
  event.request_id = request_id;
  event.request_sha256 = std::string(64, 'a');
  event.result_code = "OK";
  return event;
}

TEST_P(AuditStoreConformanceTest, EmptyStoreHasNoLastRecord) {
  LT_ASSERT_OK_AND_ASSIGN(absl::optional<AuditEntry> last, store_->Last());
  EXPECT_FALSE(last.has_value());
  LT_ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> all, store_->Scan(0, 10));
  EXPECT_TRUE(all.empty());
}

TEST_P(AuditStoreConformanceTest, KeepsEveryFieldAndScansInOrder) {
  FakeClock clock(absl::FromUnixSeconds(1751328000));
  AuditLog log(store_.get(), &clock);
  AuditEvent failed = Event("/a.B/Create", "r-2");
  failed.result_code = "PERMISSION_DENIED";
  failed.result_message = "đơn vị khác";
  failed.result_reason = "NOT_OWN_UNIT";
  ASSERT_THAT(log.Append(Event("/a.B/Create", "r-1")).status(), IsOk());
  clock.Advance(absl::Milliseconds(1500));
  ASSERT_THAT(log.Append(failed).status(), IsOk());
  ASSERT_THAT(log.Append(Event("/a.B/Delete", "")).status(), IsOk());

  LT_ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> all, store_->Scan(0, 10));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].sequence, 2);
  EXPECT_EQ(all[1].time,
            absl::FromUnixSeconds(1751328000) + absl::Milliseconds(1500));
  EXPECT_EQ(all[1].event.result_message, "đơn vị khác");
  EXPECT_EQ(all[1].event.result_reason, "NOT_OWN_UNIT");
  EXPECT_EQ(all[1].event.request_id, "r-2");
  EXPECT_EQ(all[1].event.peer, "ipv4:127.0.0.1:4000");
  EXPECT_EQ(all[1].previous_hash, all[0].hash);
  EXPECT_EQ(all[1].hash, EntryHash(all[1]));

  LT_ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> page, store_->Scan(1, 1));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].sequence, 2);
  LT_ASSERT_OK_AND_ASSIGN(absl::optional<AuditEntry> last, store_->Last());
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->sequence, 3);

  LT_ASSERT_OK_AND_ASSIGN(AuditVerification verified,
                          VerifyAuditStore(*store_, {}));
  EXPECT_TRUE(verified.intact);
  EXPECT_EQ(verified.records, 3);
  EXPECT_EQ(verified.head_hash, all[2].hash);
}

TEST_P(AuditStoreConformanceTest, RefusesATakenSequence) {
  FakeClock clock(absl::FromUnixSeconds(1751328000));
  AuditLog log(store_.get(), &clock);
  LT_ASSERT_OK_AND_ASSIGN(AuditEntry first, log.Append(Event("/a.B/C", "")));
  AuditEntry again = first;
  again.event.method = "/a.B/Other";
  EXPECT_THAT(store_->Append(again),
              StatusCodeIs(absl::StatusCode::kAlreadyExists));
  LT_ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> all, store_->Scan(0, 10));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event.method, "/a.B/C");
}

TEST_P(AuditStoreConformanceTest, AnotherLogContinuesTheChain) {
  FakeClock clock(absl::FromUnixSeconds(1751328000));
  {
    AuditLog first(store_.get(), &clock);
    ASSERT_THAT(first.Append(Event("/a.B/C", "1")).status(), IsOk());
  }
  AuditLog reopened(store_.get(), &clock);
  LT_ASSERT_OK_AND_ASSIGN(AuditEntry second,
                          reopened.Append(Event("/a.B/C", "2")));
  EXPECT_EQ(second.sequence, 2);
  LT_ASSERT_OK_AND_ASSIGN(AuditVerification verified,
                          VerifyAuditStore(*store_, {}));
  EXPECT_TRUE(verified.intact);
  EXPECT_EQ(verified.records, 2);
}

}  // namespace
}  // namespace lienthong::audit
