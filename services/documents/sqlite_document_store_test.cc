#include "services/documents/sqlite_document_store.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/documents/document_store_conformance.h"

namespace lienthong::documents {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;

constexpr char kProvince[] = "agencies/000.00.00.H29";
constexpr char kCommuneA[] = "agencies/000.01.01.H29";
constexpr char kCommuneB[] = "agencies/000.02.01.H29";

// A database file no earlier store used.
std::string FreshPath() {
  static std::atomic<int> counter{0};
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/documents-",
                                  counter++, ".sqlite");
  std::filesystem::remove(path);
  return path;
}

std::unique_ptr<DocumentStore> MakeSqliteStore() {
  auto store = SqliteDocumentStore::Open(FreshPath());
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, DocumentStoreConformance,
    ::testing::Values(DocumentStoreFactory(&MakeSqliteStore)));

TEST(SqliteDocumentStoreTest, DataSurvivesReopening) {
  const std::string path = FreshPath();
  const NewDocument d1 =
      TestDocument("d1", kProvince, {kCommuneA, kCommuneB}, "send-1");
  StatusUpdate accept;
  accept.recipient = kCommuneA;
  accept.request_id = "accept-1";
  accept.appends = {TestAppend("d1", kCommuneA, v1::DELIVERY_STATE_ARRIVED,
                               v1::DELIVERY_STATE_ACCEPTED)};
  accept.receipt = TestReceipt("d1", kCommuneA);
  v1::Document before;
  int64_t acknowledged_entry = 0;
  {
    LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteDocumentStore::Open(path));
    ASSERT_THAT(store->Send(d1), IsOk());
    ASSERT_THAT(store->Send(TestDocument("d2", kProvince, {kCommuneA})),
                IsOk());
    StatusUpdate arrived;
    arrived.recipient = kCommuneA;
    arrived.appends = {TestAppend("d1", kCommuneA,
                                  v1::DELIVERY_STATE_UNSPECIFIED,
                                  v1::DELIVERY_STATE_ARRIVED)};
    ASSERT_THAT(store->ApplyStatus(arrived), IsOkAndHolds(false));
    ASSERT_THAT(store->ApplyStatus(accept), IsOkAndHolds(false));
    LT_ASSERT_OK_AND_ASSIGN(auto inbox, store->ListInbox(kCommuneA, 0, 10));
    ASSERT_EQ(inbox.size(), 2u);
    acknowledged_entry = inbox[0].entry_id;
    ASSERT_THAT(store->Acknowledge(kCommuneA, {acknowledged_entry}),
                IsOkAndHolds(1));
    LT_ASSERT_OK_AND_ASSIGN(before, store->Get("d1"));
  }
  LT_ASSERT_OK_AND_ASSIGN(auto reopened, SqliteDocumentStore::Open(path));
  LT_ASSERT_OK_AND_ASSIGN(v1::Document after, reopened->Get("d1"));
  EXPECT_TRUE(MessageDifferencer::Equals(after, before))
      << after.ShortDebugString();
  EXPECT_EQ(after.deliveries(0).trace_size(), 2);
  LT_ASSERT_OK_AND_ASSIGN(v1::Receipt receipt,
                          reopened->GetReceipt("d1", kCommuneA));
  EXPECT_TRUE(MessageDifferencer::Equals(receipt, *accept.receipt));
  EXPECT_THAT(reopened->EnvelopeSha256("d1"), IsOkAndHolds(d1.envelope_sha256));
  // The inbox keeps its acknowledgements and redelivery counts.
  LT_ASSERT_OK_AND_ASSIGN(auto inbox, reopened->ListInbox(kCommuneA, 0, 10));
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].document_id, "d2");
  EXPECT_EQ(inbox[0].redeliveries, 1);
  EXPECT_GT(inbox[0].entry_id, acknowledged_entry);
  // Idempotency keys too: both retries are replays.
  LT_ASSERT_OK_AND_ASSIGN(SendResult again, reopened->Send(d1));
  EXPECT_TRUE(again.replayed);
  EXPECT_THAT(reopened->ApplyStatus(accept), IsOkAndHolds(true));
  // New documents come after the old ones.
  ASSERT_THAT(reopened->Send(TestDocument("d3", kProvince, {kCommuneB})),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto page, reopened->ListBySender(kProvince, "", 10));
  ASSERT_EQ(page.documents.size(), 3u);
  EXPECT_EQ(page.documents[0].name(), "documents/d3");
  EXPECT_EQ(page.documents[2].name(), "documents/d1");
}

TEST(SqliteDocumentStoreTest, RefusesAPageStartNotSentBySender) {
  LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteDocumentStore::Open(FreshPath()));
  ASSERT_THAT(store->Send(TestDocument("d1", kProvince, {kCommuneA})), IsOk());
  for (const char* after : {"d9", "d1"}) {
    // d9 is unknown; d1 is not kCommuneA's.
    absl::StatusOr<DocumentStore::Page> page =
        store->ListBySender(kCommuneA, after, 10);
    EXPECT_THAT(page, StatusCodeIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(ErrorReason(page.status()), "INVALID_PAGE_TOKEN");
  }
  absl::StatusOr<DocumentStore::Page> empty =
      store->ListBySender(kProvince, "", 0);
  EXPECT_THAT(empty, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(empty.status()), "INVALID_LIST_REQUEST");
}

TEST(SqliteDocumentStoreTest, RefusesMalformedDocuments) {
  LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteDocumentStore::Open(FreshPath()));
  NewDocument unnamed = TestDocument("d1", kProvince, {kCommuneA});
  unnamed.document.set_name("d1");
  absl::StatusOr<SendResult> sent = store->Send(unnamed);
  EXPECT_THAT(sent, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(sent.status()), "INVALID_DOCUMENT_NAME");
  sent = store->Send(TestDocument("d1", kProvince, {kCommuneA, kCommuneA}));
  EXPECT_THAT(sent, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(sent.status()), "DUPLICATE_RECIPIENT");
  EXPECT_THAT(store->Get("d1"), StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST(SqliteDocumentStoreTest, RefusesAMemoryDatabase) {
  // Reads use a second connection, which cannot see a private ":memory:".
  EXPECT_THAT(SqliteDocumentStore::Open(":memory:"),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace lienthong::documents
