#include "services/registry/unit_store_conformance.h"

#include "gmock/gmock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::Property;

v1::AdminUnit Unit(const std::string& code, int level, absl::CivilDay from,
                   const std::string& parent = "") {
  v1::AdminUnit unit;
  unit.set_code(code);
  unit.set_display_name("Unit " + code);
  unit.set_level(static_cast<common::v1::UnitLevel>(level));
  *unit.mutable_valid()->mutable_start() = ToDate(from);
  if (!parent.empty()) {
    v1::ParentLink* link = unit.add_parents();
    link->set_parent("units/" + parent);
    *link->mutable_valid()->mutable_start() = ToDate(from);
  }
  return unit;
}

UnitWrite Creating(std::vector<v1::AdminUnit> units) {
  UnitWrite write;
  for (v1::AdminUnit& unit : units) write.puts.push_back({unit, true, ""});
  return write;
}

const absl::CivilDay kStart(2000, 1, 1);

TEST_P(UnitStoreConformanceTest, CreatedUnitsReadBackWithNameAndEtag) {
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart)})), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit unit, store_->GetUnit("01"));
  EXPECT_EQ(unit.name(), "units/01");
  EXPECT_EQ(unit.display_name(), "Unit 01");
  EXPECT_FALSE(unit.etag().empty());
  EXPECT_EQ(unit.update_time().seconds(), 1751328000);
}

TEST_P(UnitStoreConformanceTest, UnknownUnitIsNotFound) {
  EXPECT_THAT(store_->GetUnit("99"), StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_P(UnitStoreConformanceTest, CodesAreNeverReused) {
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart)})), IsOk());
  absl::StatusOr<UnitWrite> again =
      store_->Write(Creating({Unit("01", 1, kStart)}));
  EXPECT_THAT(again, StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ErrorReason(again.status()), "UNIT_CODE_TAKEN");
}

TEST_P(UnitStoreConformanceTest, StaleEtagIsAbortedAndWritesNothing) {
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart)})), IsOk());
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit first, store_->GetUnit("01"));
  v1::AdminUnit renamed = first;
  renamed.set_display_name("Thành phố Hà Nội");
  UnitWrite update;
  update.puts.push_back({renamed, false, first.etag()});
  ASSERT_THAT(store_->Write(update), IsOk());

  renamed.set_display_name("stale");
  EXPECT_THAT(store_->Write(update), StatusCodeIs(absl::StatusCode::kAborted));
  EXPECT_THAT(store_->GetUnit("01"),
              ::lienthong::testing::IsOkAndHolds(
                  Property(&v1::AdminUnit::display_name, "Thành phố Hà Nội")));
}

TEST_P(UnitStoreConformanceTest, AFailedWriteLeavesNothingBehind) {
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart)})), IsOk());
  // 02 is new, 01 is taken: the whole write fails and 02 must not appear.
  UnitWrite write = Creating({Unit("02", 1, kStart), Unit("01", 1, kStart)});
  write.request_id = "req-1";
  write.respond = [](const UnitWrite&) { return std::string("answer"); };
  EXPECT_FALSE(store_->Write(write).ok());
  EXPECT_THAT(store_->GetUnit("02"), StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->FindResponse("req-1"),
              ::lienthong::testing::IsOkAndHolds(absl::nullopt));
}

TEST_P(UnitStoreConformanceTest, ChildrenAreListedAsOfADate) {
  v1::AdminUnit moved = Unit("00001", 3, kStart, "001");
  moved.mutable_parents(0)->mutable_valid()->mutable_end()->CopyFrom(
      ToDate(absl::CivilDay(2025, 6, 30)));
  v1::ParentLink* now = moved.add_parents();
  now->set_parent("units/01");
  *now->mutable_valid()->mutable_start() = ToDate(absl::CivilDay(2025, 7, 1));
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart),
                                      Unit("001", 2, kStart, "01"), moved})),
              IsOk());

  UnitQuery before{"001", 0, absl::CivilDay(2025, 6, 30), "", 100};
  UnitQuery after{"001", 0, absl::CivilDay(2025, 7, 1), "", 100};
  UnitQuery province_after{"01", 0, absl::CivilDay(2025, 7, 1), "", 100};
  auto codes = [](const std::vector<v1::AdminUnit>& units) {
    std::vector<std::string> out;
    for (const auto& unit : units) out.push_back(unit.code());
    return out;
  };
  EXPECT_THAT(codes(*store_->ListUnits(before)), ElementsAre("00001"));
  EXPECT_THAT(codes(*store_->ListUnits(after)), ElementsAre());
  EXPECT_THAT(codes(*store_->ListUnits(province_after)),
              ElementsAre("00001", "001"));  // ordered by code text
}

TEST_P(UnitStoreConformanceTest, ListsPageByCodeAndFilterByLevelAndLife) {
  v1::AdminUnit closed = Unit("02", 1, kStart);
  *closed.mutable_valid()->mutable_end() = ToDate(absl::CivilDay(2025, 6, 30));
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart), closed,
                                      Unit("04", 1, kStart),
                                      Unit("001", 2, kStart, "01")})),
              IsOk());
  UnitQuery provinces{"", 1, absl::nullopt, "", 2};
  LT_ASSERT_OK_AND_ASSIGN(auto page, store_->ListUnits(provinces));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[1].code(), "02");
  provinces.after_code = "02";
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListUnits(provinces));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].code(), "04");

  UnitQuery in_force{"", 1, absl::CivilDay(2025, 7, 1), "", 10};
  LT_ASSERT_OK_AND_ASSIGN(page, store_->ListUnits(in_force));
  EXPECT_EQ(page.size(), 2u);  // 02 has ended
}

TEST_P(UnitStoreConformanceTest, EventsGetNamesAndAreFoundByUnit) {
  ASSERT_THAT(store_->Write(Creating({Unit("01", 1, kStart)})), IsOk());
  UnitWrite write;
  v1::SuccessionEvent event;
  event.set_type(v1::SUCCESSION_TYPE_RENAME);
  *event.mutable_effective_date() = ToDate(absl::CivilDay(2025, 7, 1));
  event.add_predecessors("units/01");
  event.add_successors()->set_unit("units/01");
  write.events.push_back(event);
  write.request_id = "req-2";
  write.respond = [](const UnitWrite& done) {
    return done.events.front().name();
  };
  LT_ASSERT_OK_AND_ASSIGN(UnitWrite written, store_->Write(write));
  ASSERT_EQ(written.events.size(), 1u);
  EXPECT_THAT(written.events[0].name(),
              ::testing::StartsWith("successionEvents/"));

  LT_ASSERT_OK_AND_ASSIGN(auto events, store_->ListEvents("01"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name(), written.events[0].name());
  EXPECT_THAT(store_->ListEvents("02"),
              ::lienthong::testing::IsOkAndHolds(::testing::IsEmpty()));
  EXPECT_THAT(store_->FindResponse("req-2"),
              ::lienthong::testing::IsOkAndHolds(
                  absl::optional<std::string>(written.events[0].name())));
}

}  // namespace
}  // namespace lienthong::registry
