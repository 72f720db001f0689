#include "services/registry/record_store_conformance.h"

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::Field;

RecordPut Create(const std::string& id, const std::string& owner,
                 const std::string& body) {
  return {{"agency", id, owner, body, 0}, /*create=*/true, false, 0};
}

std::vector<std::string> Ids(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const Record& record : records) ids.push_back(record.id);
  return ids;
}

TEST_P(RecordStoreConformanceTest, CreatesReadsAndCountsRevisions) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto written, store_->Write({Create("A.1", "00097", "one")}, "", {}));
  EXPECT_EQ(written[0].record.revision, 1);
  RecordPut update = {{"agency", "A.1", "00097", "two", 0}, false, false, 1};
  LT_ASSERT_OK_AND_ASSIGN(written, store_->Write({update}, "", {}));
  EXPECT_EQ(written[0].record.revision, 2);
  EXPECT_THAT(store_->Get("agency", "A.1"),
              IsOkAndHolds(Field(&Record::body, "two")));
  EXPECT_THAT(store_->Get("agency", "B.1"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Get("indicator", "A.1"),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_P(RecordStoreConformanceTest, ConflictsAreRefusedAndWriteNothing) {
  ASSERT_THAT(store_->Write({Create("A.1", "", "one")}, "", {}), IsOk());
  EXPECT_THAT(store_->Write({Create("A.2", "", "x"), Create("A.1", "", "y")},
                            "req", [](auto&) { return std::string("r"); }),
              StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(store_->Get("agency", "A.2"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->FindResponse("req"), IsOkAndHolds(absl::nullopt));

  RecordPut stale = {{"agency", "A.1", "", "z", 0}, false, false, 7};
  EXPECT_THAT(store_->Write({stale}, "", {}),
              StatusCodeIs(absl::StatusCode::kAborted));
  RecordPut missing = {{"agency", "A.9", "", "z", 0}, false, false, 0};
  EXPECT_THAT(store_->Write({missing}, "", {}),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_P(RecordStoreConformanceTest, ListsByOwnerAndPagesById) {
  ASSERT_THAT(
      store_->Write({Create("A.3", "00004", ""), Create("A.1", "00097", ""),
                     Create("A.2", "00097", "")},
                    "", {}),
      IsOk());
  EXPECT_THAT(Ids(*store_->List("agency", "", "", 10)),
              ElementsAre("A.1", "A.2", "A.3"));
  EXPECT_THAT(Ids(*store_->List("agency", "00097", "", 10)),
              ElementsAre("A.1", "A.2"));
  EXPECT_THAT(Ids(*store_->List("agency", "", "A.1", 1)), ElementsAre("A.2"));
}

TEST_P(RecordStoreConformanceTest, RemovesAndKeepsResponses) {
  ASSERT_THAT(store_->Write({Create("A.1", "", "")}, "", {}), IsOk());
  RecordPut remove = {{"agency", "A.1", "", "", 0}, false, true, 1};
  ASSERT_THAT(store_->Write({remove}, "req-1",
                            [](auto&) { return std::string("gone"); }),
              IsOk());
  EXPECT_THAT(store_->Get("agency", "A.1"),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->FindResponse("req-1"),
              IsOkAndHolds(absl::optional<std::string>("gone")));
}

}  // namespace
}  // namespace lienthong::registry
