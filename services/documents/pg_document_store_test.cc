#include "services/documents/pg_document_store.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/storage/pg_test_environment.h"
#include "libs/testing/status_matchers.h"
#include "services/documents/document_store_conformance.h"

namespace lienthong::documents {
namespace {

using ::lienthong::testing::IsOk;
using ::testing::SizeIs;

constexpr char kProvince[] = "agencies/000.00.00.H29";
constexpr char kCommuneA[] = "agencies/000.01.01.H29";

// One server for the binary, a new database for each store.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

std::unique_ptr<DocumentStore> MakePgStore() {
  absl::StatusOr<std::string> conninfo = kPostgres->CreateDatabase();
  EXPECT_TRUE(conninfo.ok()) << conninfo.status();
  if (!conninfo.ok()) return nullptr;
  auto store = PgDocumentStore::Open(*conninfo);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, DocumentStoreConformance,
                         ::testing::Values(DocumentStoreFactory(&MakePgStore)));

// Runs `body(0)` ... `body(n - 1)` on threads of their own and waits for all.
template <typename Body>
void RunConcurrently(int n, Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(body, i);
  for (std::thread& thread : threads) thread.join();
}

// Stores on one database, as processes sharing it: each store serializes its
// own writes, so only the database's locks order theirs.
TEST(PgDocumentStoreTest, StoresSharingADatabaseReplayConcurrentRetries) {
  LT_ASSERT_OK_AND_ASSIGN(const std::string conninfo,
                          kPostgres->CreateDatabase());
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<PgDocumentStore>> stores;
  for (int i = 0; i < kStores; ++i) {
    LT_ASSERT_OK_AND_ASSIGN(auto store, PgDocumentStore::Open(conninfo));
    stores.push_back(std::move(store));
  }
  // One send retried through every store at once, each try with its own id.
  std::vector<absl::StatusOr<SendResult>> sent(kStores);
  RunConcurrently(kStores, [&](int i) {
    sent[i] = stores[i]->Send(
        TestDocument(absl::StrCat("d", i), kProvince, {kCommuneA}, "send-1"));
  });
  int stored = 0;
  std::string name;
  for (const absl::StatusOr<SendResult>& result : sent) {
    ASSERT_THAT(result, IsOk());
    if (!result->replayed) {
      ++stored;
      name = result->document.name();
    }
  }
  ASSERT_EQ(stored, 1);
  for (const absl::StatusOr<SendResult>& result : sent) {
    EXPECT_EQ(result->document.name(), name);
  }
  const std::string id = name.substr(sizeof("documents/") - 1);
  LT_ASSERT_OK_AND_ASSIGN(auto inbox, stores[0]->ListInbox(kCommuneA, 0, 10));
  EXPECT_THAT(inbox, SizeIs(1));
  // One status update likewise: applied once, replayed by the other tries
  // (not refused by the compare and set the first one won).
  std::vector<absl::StatusOr<bool>> applied(kStores);
  RunConcurrently(kStores, [&](int i) {
    StatusUpdate update;
    update.recipient = kCommuneA;
    update.request_id = "status-1";
    update.appends = {TestAppend(id, kCommuneA, v1::DELIVERY_STATE_UNSPECIFIED,
                                 v1::DELIVERY_STATE_ARRIVED, 100 + i)};
    applied[i] = stores[i]->ApplyStatus(update);
  });
  int fresh = 0;
  for (const absl::StatusOr<bool>& replayed : applied) {
    ASSERT_THAT(replayed, IsOk());
    if (!*replayed) ++fresh;
  }
  EXPECT_EQ(fresh, 1);
  LT_ASSERT_OK_AND_ASSIGN(v1::Document document, stores[1]->Get(id));
  ASSERT_EQ(document.deliveries_size(), 1);
  EXPECT_EQ(document.deliveries(0).state(), v1::DELIVERY_STATE_ARRIVED);
  EXPECT_EQ(document.deliveries(0).trace_size(), 1);
}

}  // namespace
}  // namespace lienthong::documents
