#include "services/reporting/reporting_store_conformance.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"

namespace lienthong::reporting {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::IsOkAndHolds;
using ::lienthong::testing::StatusCodeIs;

ingestion::v1::Change Change(int64_t sequence, const std::string& unit,
                             int64_t count, bool late = false) {
  ingestion::v1::Change change;
  change.set_sequence(sequence);
  change.set_kind(ingestion::v1::CHANGE_KIND_UPSERT);
  ingestion::v1::DataValue* value = change.mutable_value();
  value->set_unit(unit);
  value->set_indicator("indicators/SO_LOP");
  value->mutable_period()->set_id("2025-M06");
  value->mutable_period()->set_type(common::v1::PERIOD_TYPE_MONTH);
  value->mutable_value()->set_count(count);
  value->set_late(late);
  return change;
}

// unit -> (count, first late)
std::map<std::string, std::pair<int64_t, bool>> Saved(ReportingStore& store,
                                                      int64_t* position) {
  std::map<std::string, std::pair<int64_t, bool>> saved;
  absl::StatusOr<int64_t> loaded =
      store.Load([&](const ingestion::v1::DataValue& value, bool late) {
        saved[value.unit()] = {value.value().count(), late};
      });
  EXPECT_THAT(loaded, IsOk());
  *position = loaded.ok() ? *loaded : -1;
  return saved;
}

TEST_P(ReportingStoreConformanceTest, WhatIsSavedComesBackWithItsPosition) {
  int64_t position = -1;
  EXPECT_TRUE(Saved(*store_, &position).empty());
  EXPECT_EQ(position, 0);
  ASSERT_THAT(store_->Save({Change(1, "units/00004", 3, /*late=*/true),
                            Change(2, "units/00010", 5)}),
              IsOk());
  ASSERT_THAT(store_->Save({Change(3, "units/00004", 4)}), IsOk());
  ingestion::v1::Change removal = Change(4, "units/00010", 5);
  removal.set_kind(ingestion::v1::CHANGE_KIND_DELETE);
  ASSERT_THAT(store_->Save({removal}), IsOk());
  Reopen();  // as after a restart
  auto saved = Saved(*store_, &position);
  EXPECT_EQ(position, 4);
  ASSERT_EQ(saved.size(), 1u);
  // The correction's value, the first value's lateness.
  EXPECT_EQ(saved["units/00004"], std::make_pair(int64_t{4}, true));
}

TEST_P(ReportingStoreConformanceTest, ReplaysAreSkippedAndGapsRefused) {
  ASSERT_THAT(store_->Save({Change(1, "units/00004", 3)}), IsOk());
  // A reconnect re-sends change 1 with the next one.
  ASSERT_THAT(
      store_->Save({Change(1, "units/00004", 9), Change(2, "units/00010", 5)}),
      IsOk());
  EXPECT_THAT(store_->Save({Change(4, "units/00004", 1)}),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  int64_t position = -1;
  auto saved = Saved(*store_, &position);
  EXPECT_EQ(position, 2);
  EXPECT_EQ(saved["units/00004"].first, 3);
  EXPECT_THAT(store_->Save({}), IsOk());
}

}  // namespace
}  // namespace lienthong::reporting
