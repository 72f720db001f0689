#include "services/ingestion/value_store_conformance.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::ingestion {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::testing::ElementsAre;
using ::testing::Optional;

constexpr char kSchedule[] = "schedules/cds-xa-thang";

ValueWrite Count(const std::string& unit, const std::string& indicator,
                 const std::string& period, int64_t count,
                 const std::string& schedule = kSchedule) {
  ValueWrite write;
  write.key = {unit, indicator, period};
  write.value.set_name(
      absl::StrCat("dataValues/", unit, "/", indicator, "/", period));
  write.value.set_unit("units/" + unit);
  write.value.set_indicator("indicators/" + indicator);
  write.value.set_schedule(schedule);
  write.value.mutable_value()->set_count(count);
  return write;
}

ValueWrite Remove(const std::string& unit, const std::string& indicator,
                  const std::string& period) {
  ValueWrite write;
  write.key = {unit, indicator, period};
  write.remove = true;
  return write;
}

common::v1::AuditInfo By(const std::string& actor, int64_t second,
                         const std::string& request_id = "") {
  common::v1::AuditInfo written;
  written.set_actor(actor);
  *written.mutable_time() = TimeUtil::SecondsToTimestamp(second);
  written.set_request_id(request_id);
  return written;
}

std::vector<std::string> Names(const std::vector<v1::DataValue>& values) {
  std::vector<std::string> names;
  for (const v1::DataValue& value : values) names.push_back(value.name());
  return names;
}

TEST_P(ValueStoreConformanceTest, CountsWhatABatchDidAndWritesNoOps) {
  LT_ASSERT_OK_AND_ASSIGN(ApplyResult first,
                          store_->Apply({Count("00097", "A", "2025-M12", 1),
                                         Count("00097", "B", "2025-M12", 2)},
                                        {}, By("x", 100), {}));
  EXPECT_EQ(first.created, 2);
  EXPECT_EQ(first.last_sequence, 2);
  LT_ASSERT_OK_AND_ASSIGN(ApplyResult second,
                          store_->Apply({Count("00097", "A", "2025-M12", 1),
                                         Count("00097", "B", "2025-M12", 3),
                                         Remove("00097", "C", "2025-M12")},
                                        {}, By("y", 200), {}));
  EXPECT_EQ(second.unchanged, 2);  // A as stored; C not there to remove
  EXPECT_EQ(second.updated, 1);
  EXPECT_EQ(second.last_sequence, 3);
  EXPECT_THAT(store_->HeadSequence(), IsOkAndHolds(3));
  LT_ASSERT_OK_AND_ASSIGN(auto b, store_->Get({"00097", "B", "2025-M12"}));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->revision(), 2);
  EXPECT_EQ(b->written().actor(), "y");
  EXPECT_EQ(b->value().count(), 3);
}

TEST_P(ValueStoreConformanceTest, PlanCountsLikeApplyAndWritesNothing) {
  ASSERT_THAT(
      store_->Apply({Count("00097", "A", "2025-M12", 1)}, {}, By("x", 1), {}),
      IsOk());
  std::vector<ValueWrite> writes = {Count("00097", "A", "2025-M12", 2),
                                    Count("00097", "B", "2025-M12", 2)};
  LT_ASSERT_OK_AND_ASSIGN(ApplyResult planned, store_->Plan(writes, {}));
  EXPECT_EQ(planned.updated, 1);
  EXPECT_EQ(planned.created, 1);
  EXPECT_EQ(planned.last_sequence, 0);
  EXPECT_THAT(store_->HeadSequence(), IsOkAndHolds(1));
  LT_ASSERT_OK_AND_ASSIGN(ApplyResult applied,
                          store_->Apply(writes, {}, By("x", 2), {}));
  EXPECT_EQ(applied.updated, planned.updated);
  EXPECT_EQ(applied.created, planned.created);
}

TEST_P(ValueStoreConformanceTest, AReplacedSliceLosesWhatTheBatchOmits) {
  ASSERT_THAT(store_->Apply({Count("00097", "A", "2025-M12", 1),
                             Count("00097", "B", "2025-M12", 1),
                             Count("00097", "C", "2025-M12", 1, "schedules/q"),
                             Count("00097", "B", "2026-M01", 1),
                             Count("00100", "B", "2025-M12", 1)},
                            {}, By("x", 1), {}),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(
      ApplyResult result,
      store_->Apply({Count("00097", "A", "2025-M12", 1)},
                    {{"00097", "2025-M12", kSchedule}}, By("x", 2), {}));
  EXPECT_EQ(result.deleted, 1);  // B of that unit, period and schedule only
  EXPECT_EQ(result.unchanged, 1);
  ValueQuery all;
  EXPECT_THAT(
      Names(*store_->List(all)),
      ElementsAre("dataValues/00097/A/2025-M12", "dataValues/00097/B/2026-M01",
                  "dataValues/00097/C/2025-M12",
                  "dataValues/00100/B/2025-M12"));
}

TEST_P(ValueStoreConformanceTest, RevisionsSayWhoChangedAndDeletedWhat) {
  ASSERT_THAT(
      store_->Apply({Count("00097", "A", "2025-M12", 1)}, {}, By("x", 1), {}),
      IsOk());
  ASSERT_THAT(
      store_->Apply({Count("00097", "A", "2025-M12", 2)}, {}, By("y", 2), {}),
      IsOk());
  ASSERT_THAT(store_->Apply({Remove("00097", "A", "2025-M12")}, {},
                            By("z", 3, "req-3"), {}),
              IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto revisions,
                          store_->Revisions({"00097", "A", "2025-M12"}, 10));
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0].revision(), 3);
  EXPECT_FALSE(revisions[0].has_new_value());
  EXPECT_EQ(revisions[0].old_value().count(), 2);
  EXPECT_EQ(revisions[0].written().actor(), "z");
  EXPECT_EQ(revisions[0].written().request_id(), "req-3");
  EXPECT_EQ(revisions[1].new_value().count(), 2);
  EXPECT_EQ(revisions[2].sequence(), 1);
  LT_ASSERT_OK_AND_ASSIGN(auto gone, store_->Get({"00097", "A", "2025-M12"}));
  EXPECT_FALSE(gone.has_value());
}

TEST_P(ValueStoreConformanceTest, ReadsAsOfAPastTimeAndUpdatedSinceATime) {
  ASSERT_THAT(store_->Apply({Count("00097", "A", "2025-M12", 1),
                             Count("00097", "B", "2025-M12", 1)},
                            {}, By("x", 100), {}),
              IsOk());
  ASSERT_THAT(store_->Apply({Count("00097", "A", "2025-M12", 2),
                             Remove("00097", "B", "2025-M12")},
                            {}, By("x", 200), {}),
              IsOk());
  ValueQuery query;
  LT_ASSERT_OK_AND_ASSIGN(auto before, store_->ListAsOf(query, 150e9));
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].value().count(), 1);
  LT_ASSERT_OK_AND_ASSIGN(auto after, store_->ListAsOf(query, 250e9));
  EXPECT_THAT(Names(after), ElementsAre("dataValues/00097/A/2025-M12"));
  EXPECT_TRUE(store_->ListAsOf(query, 50e9)->empty());
  query.updated_since_nanos = 150e9;
  EXPECT_THAT(Names(*store_->List(query)),
              ElementsAre("dataValues/00097/A/2025-M12"));
  query.updated_since_nanos = 201e9;
  EXPECT_TRUE(store_->List(query)->empty());
}

TEST_P(ValueStoreConformanceTest, FiltersAndPagesInKeyOrder) {
  std::vector<ValueWrite> writes;
  for (const char* unit : {"00097", "00100", "00103"}) {
    for (const char* period : {"2025-M11", "2025-M12"}) {
      writes.push_back(Count(unit, "A", period, 1));
    }
  }
  ASSERT_THAT(store_->Apply(writes, {}, By("x", 1), {}), IsOk());
  ValueQuery query;
  query.units = {"00097", "00103"};
  query.limit = 3;
  LT_ASSERT_OK_AND_ASSIGN(auto page, store_->List(query));
  EXPECT_THAT(Names(page), ElementsAre("dataValues/00097/A/2025-M11",
                                       "dataValues/00097/A/2025-M12",
                                       "dataValues/00103/A/2025-M11"));
  query.after = "00103/A/2025-M11";
  EXPECT_THAT(Names(*store_->List(query)),
              ElementsAre("dataValues/00103/A/2025-M12"));
  EXPECT_THAT(Names(*store_->ListAsOf(query, 2e9)),
              ElementsAre("dataValues/00103/A/2025-M12"));
  ValueQuery one;
  one.unit = "00100";
  one.period = "2025-M12";
  EXPECT_THAT(Names(*store_->List(one)),
              ElementsAre("dataValues/00100/A/2025-M12"));
}

TEST_P(ValueStoreConformanceTest, TheFeedIsOrderedAndTheAnswerIsKept) {
  ASSERT_THAT(store_->Apply({Count("00097", "A", "2025-M12", 1),
                             Count("00097", "B", "2025-M12", 1)},
                            {}, By("x", 1, "req-1"),
                            [](const ApplyResult& result) {
                              return absl::StrCat("created ", result.created);
                            }),
              IsOk());
  EXPECT_THAT(store_->FindResponse("req-1"),
              IsOkAndHolds(Optional(std::string("created 2"))));
  EXPECT_THAT(store_->FindResponse("req-2"),
              IsOkAndHolds(absl::optional<std::string>()));
  ASSERT_THAT(
      store_->Apply({Count("00097", "A", "2025-M12", 5)}, {}, By("x", 2), {}),
      IsOk());
  LT_ASSERT_OK_AND_ASSIGN(auto changes, store_->ChangesAfter(1, 10));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].sequence(), 2);
  EXPECT_EQ(changes[1].sequence(), 3);
  EXPECT_EQ(changes[1].previous_value().count(), 1);
  EXPECT_EQ(changes[1].value().value().count(), 5);
  EXPECT_EQ(changes[1].commit_time().seconds(), 2);
  EXPECT_THAT(store_->ChangesAfter(3, 10), IsOkAndHolds(::testing::IsEmpty()));
}

}  // namespace
}  // namespace lienthong::ingestion
