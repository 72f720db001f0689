#include "services/registry/unit_registry.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/sqlite_unit_store.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr char kReform[] = "NQ 1656/NQ-UBTVQH15";

common::v1::Date D(int year, int month, int day) {
  return ToDate(absl::CivilDay(year, month, day));
}

v1::AdminUnit Unit(const std::string& code, v1::UnitKind kind,
                   const std::string& name, const std::string& parent = "") {
  v1::AdminUnit unit;
  unit.set_code(code);
  unit.set_display_name(name);
  unit.set_kind(kind);
  unit.set_level(code.size() == 2   ? common::v1::UNIT_LEVEL_PROVINCE
                 : code.size() == 3 ? common::v1::UNIT_LEVEL_DISTRICT
                                    : common::v1::UNIT_LEVEL_COMMUNE);
  *unit.mutable_valid()->mutable_start() = D(2000, 1, 1);
  if (!parent.empty()) {
    v1::ParentLink* link = unit.add_parents();
    link->set_parent("units/" + parent);
    *link->mutable_valid()->mutable_start() = D(2000, 1, 1);
  }
  return unit;
}

std::vector<std::string> Codes(
    const google::protobuf::RepeatedPtrField<v1::AdminUnit>& units) {
  std::vector<std::string> codes;
  for (const auto& unit : units) codes.push_back(unit.code());
  return codes;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolations(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

// Hà Nội before the 2025 reform: Quận Ba Đình and four of its wards.
class UnitRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/units.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(store_, SqliteUnitStore::Open(path, &clock_));
    registry_ = std::make_unique<UnitRegistry>(store_.get(), &clock_);
    for (const v1::AdminUnit& unit :
         {Unit("01", v1::UNIT_KIND_CENTRAL_CITY, "Thành phố Hà Nội"),
          Unit("001", v1::UNIT_KIND_URBAN_DISTRICT, "Quận Ba Đình", "01"),
          Unit("00001", v1::UNIT_KIND_WARD, "Phường Phúc Xá", "001"),
          Unit("00004", v1::UNIT_KIND_WARD, "Phường Trúc Bạch", "001"),
          Unit("00013", v1::UNIT_KIND_WARD, "Phường Quán Thánh", "001"),
          Unit("00016", v1::UNIT_KIND_WARD, "Phường Ngọc Hà", "001")}) {
      v1::CreateUnitRequest request;
      *request.mutable_unit() = unit;
      ASSERT_THAT(registry_->CreateUnit(request), IsOk());
    }
  }

  // The 1 July 2025 reform for these wards, as NQ 1656 decided it.
  void ApplyReform() {
    v1::MergeUnitsRequest ba_dinh;
    ba_dinh.add_predecessors("units/00004");
    ba_dinh.add_predecessors("units/00013");
    *ba_dinh.mutable_successor() =
        Unit("00004", v1::UNIT_KIND_WARD, "Phường Ba Đình", "01");
    *ba_dinh.mutable_effective_date() = D(2025, 7, 1);
    ba_dinh.set_legal_reference(kReform);
    ASSERT_THAT(registry_->MergeUnits(ba_dinh), IsOk());

    v1::MergeUnitsRequest hong_ha;
    hong_ha.add_predecessors("units/00001");
    hong_ha.add_predecessors("units/00016");
    *hong_ha.mutable_successor() =
        Unit("00097", v1::UNIT_KIND_WARD, "Phường Hồng Hà", "01");
    *hong_ha.mutable_effective_date() = D(2025, 7, 1);
    hong_ha.set_legal_reference(kReform);
    ASSERT_THAT(registry_->MergeUnits(hong_ha), IsOk());
  }

  std::vector<std::string> Ancestors(const std::string& code,
                                     common::v1::Date as_of) {
    v1::ListAncestorsRequest request;
    request.set_name("units/" + code);
    *request.mutable_as_of() = as_of;
    absl::StatusOr<v1::ListAncestorsResponse> response =
        registry_->ListAncestors(request);
    EXPECT_THAT(response, IsOk());
    return response.ok() ? Codes(response->ancestors())
                         : std::vector<std::string>{};
  }

  std::vector<std::string> Children(const std::string& code,
                                    common::v1::Date as_of) {
    v1::ListUnitsRequest request;
    request.set_parent("units/" + code);
    *request.mutable_as_of() = as_of;
    absl::StatusOr<v1::ListUnitsResponse> response =
        registry_->ListUnits(request);
    EXPECT_THAT(response, IsOk());
    return response.ok() ? Codes(response->units())
                         : std::vector<std::string>{};
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};  // 2026-01-01
  std::unique_ptr<SqliteUnitStore> store_;
  std::unique_ptr<UnitRegistry> registry_;
};

TEST_F(UnitRegistryTest, HierarchyIsReadAsInForceOnADate) {
  ApplyReform();
  // Under its district before the reform, under its province after.
  EXPECT_THAT(Ancestors("00004", D(2025, 6, 30)), ElementsAre("001", "01"));
  EXPECT_THAT(Ancestors("00004", D(2025, 7, 1)), ElementsAre("01"));
  EXPECT_THAT(Children("001", D(2025, 6, 30)),
              ElementsAre("00001", "00004", "00013", "00016"));
  EXPECT_THAT(Children("001", D(2025, 7, 1)), IsEmpty());
  EXPECT_THAT(Children("01", D(2025, 7, 1)),
              ElementsAre("00004", "00097", "001"));
  EXPECT_THAT(Children("01", D(2025, 6, 30)), ElementsAre("001"));
}

TEST_F(UnitRegistryTest, MergeRetiresPredecessorsAndKeepsTheContinuingCode) {
  ApplyReform();
  v1::GetUnitRequest get;
  get.set_name("units/00004");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit ba_dinh, registry_->GetUnit(get));
  EXPECT_EQ(ba_dinh.display_name(), "Phường Ba Đình");
  EXPECT_FALSE(ba_dinh.valid().has_end());

  get.set_name("units/00013");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit quan_thanh, registry_->GetUnit(get));
  EXPECT_EQ(quan_thanh.valid().end().year(), 2025);
  EXPECT_EQ(quan_thanh.valid().end().month(), 6);
  EXPECT_EQ(quan_thanh.valid().end().day(), 30);
  // Retired units stay readable on dates they existed.
  EXPECT_THAT(Ancestors("00013", D(2025, 6, 30)), ElementsAre("001", "01"));
  v1::ListAncestorsRequest after;
  after.set_name("units/00013");
  *after.mutable_as_of() = D(2025, 7, 1);
  EXPECT_THAT(registry_->ListAncestors(after),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));

  v1::ListSuccessionEventsRequest events;
  events.set_unit("units/00013");
  LT_ASSERT_OK_AND_ASSIGN(auto listed, registry_->ListSuccessionEvents(events));
  ASSERT_EQ(listed.events_size(), 1);
  EXPECT_EQ(listed.events(0).type(), v1::SUCCESSION_TYPE_MERGE);
  EXPECT_EQ(listed.events(0).legal_reference(), kReform);
  EXPECT_THAT(
      listed.events(0).successors(),
      ElementsAre(::testing::Property(&v1::Successor::unit, "units/00004")));
}

TEST_F(UnitRegistryTest, SplitDividesAUnitAndLineageFollowsIt) {
  v1::SplitUnitRequest split;
  split.set_name("units/00016");
  v1::Successor* primary = split.add_successors();
  primary->set_unit("units/00100");
  primary->set_primary(true);
  split.add_successors()->set_unit("units/00004");
  *split.add_new_units() =
      Unit("00100", v1::UNIT_KIND_WARD, "Phường Ngọc Hà", "01");
  split.set_history_rule(v1::HISTORY_RULE_PRIMARY_SUCCESSOR);
  *split.mutable_effective_date() = D(2025, 7, 1);
  split.set_legal_reference(kReform);
  LT_ASSERT_OK_AND_ASSIGN(v1::SuccessionEvent event,
                          registry_->SplitUnit(split));
  EXPECT_EQ(event.type(), v1::SUCCESSION_TYPE_SPLIT);
  EXPECT_THAT(Ancestors("00100", D(2025, 7, 1)), ElementsAre("01"));
  EXPECT_THAT(Children("001", D(2025, 7, 1)),
              ElementsAre("00001", "00004", "00013"));

  v1::GetUnitLineageRequest lineage;
  lineage.set_name("units/00100");
  LT_ASSERT_OK_AND_ASSIGN(auto up, registry_->GetUnitLineage(lineage));
  ASSERT_EQ(up.ancestry_size(), 1);
  EXPECT_THAT(up.ancestry(0).predecessors(), ElementsAre("units/00016"));
  lineage.set_name("units/00016");
  LT_ASSERT_OK_AND_ASSIGN(auto down, registry_->GetUnitLineage(lineage));
  ASSERT_EQ(down.descendants_size(), 1);
  EXPECT_EQ(down.descendants(0).name(), event.name());
}

TEST_F(UnitRegistryTest, SplitRulesAreChecked) {
  v1::SplitUnitRequest split;
  split.set_name("units/00016");
  split.add_successors()->set_unit("units/00004");
  split.add_successors()->set_unit("units/00013");
  split.set_history_rule(v1::HISTORY_RULE_SHARES);
  split.mutable_successors(0)->set_share(0.5);
  split.mutable_successors(1)->set_share(0.4);
  *split.mutable_effective_date() = D(2025, 7, 1);
  split.set_legal_reference(kReform);
  absl::StatusOr<v1::SuccessionEvent> event = registry_->SplitUnit(split);
  EXPECT_THAT(event, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(event.status()), ElementsAre("successors"));

  split.set_history_rule(v1::HISTORY_RULE_PRIMARY_SUCCESSOR);  // no primary
  event = registry_->SplitUnit(split);
  EXPECT_THAT(Fields(event.status()), ElementsAre("successors"));

  split.mutable_successors(1)->set_unit("units/00999");  // unknown
  split.mutable_successors(0)->set_primary(true);
  event = registry_->SplitUnit(split);
  EXPECT_THAT(event, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(event.status()), ElementsAre("successors[1].unit"));
}

TEST_F(UnitRegistryTest, LineageOfAMergedUnitReachesItsPredecessors) {
  ApplyReform();
  v1::GetUnitLineageRequest lineage;
  lineage.set_name("units/00097");
  LT_ASSERT_OK_AND_ASSIGN(auto response, registry_->GetUnitLineage(lineage));
  ASSERT_EQ(response.ancestry_size(), 1);
  EXPECT_THAT(response.ancestry(0).predecessors(),
              ElementsAre("units/00001", "units/00016"));
  EXPECT_EQ(response.descendants_size(), 0);
}

TEST_F(UnitRegistryTest, ReparentMovesAUnitFromADate) {
  v1::ReparentUnitRequest request;
  request.set_name("units/00016");
  request.set_parent("units/01");
  *request.mutable_effective_date() = D(2025, 7, 1);
  request.set_legal_reference(kReform);
  LT_ASSERT_OK_AND_ASSIGN(v1::SuccessionEvent event,
                          registry_->ReparentUnit(request));
  EXPECT_EQ(event.type(), v1::SUCCESSION_TYPE_REPARENT);
  EXPECT_THAT(Ancestors("00016", D(2025, 6, 30)), ElementsAre("001", "01"));
  EXPECT_THAT(Ancestors("00016", D(2025, 7, 1)), ElementsAre("01"));

  // A second move from an earlier date would overlap the recorded history.
  request.set_parent("units/001");
  *request.mutable_effective_date() = D(2024, 1, 1);
  absl::StatusOr<v1::SuccessionEvent> overlap =
      registry_->ReparentUnit(request);
  EXPECT_THAT(overlap, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(overlap.status()), "OVERLAPPING_HISTORY");
}

// A unit already retired keeps its end: moved in the past, it is under the
// new parent from the move until then, and under the old one only before.
TEST_F(UnitRegistryTest, ReparentOfARetiredUnitEndsBothLinksInPlace) {
  v1::AdminUnit retired = Unit("00019", v1::UNIT_KIND_COMMUNE, "Xã Cũ", "01");
  *retired.mutable_valid()->mutable_end() = D(2025, 6, 30);
  *retired.mutable_parents(0)->mutable_valid()->mutable_end() = D(2025, 6, 30);
  v1::CreateUnitRequest create;
  *create.mutable_unit() = retired;
  ASSERT_THAT(registry_->CreateUnit(create), IsOk());

  v1::ReparentUnitRequest request;
  request.set_name("units/00019");
  request.set_parent("units/001");
  *request.mutable_effective_date() = D(2021, 1, 1);
  request.set_legal_reference("QĐ 124/2004/QĐ-TTg");
  ASSERT_THAT(registry_->ReparentUnit(request), IsOk());
  EXPECT_THAT(Ancestors("00019", D(2020, 12, 31)), ElementsAre("01"));
  EXPECT_THAT(Ancestors("00019", D(2025, 5, 31)), ElementsAre("001", "01"));
  v1::GetUnitRequest get;
  get.set_name("units/00019");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit moved, registry_->GetUnit(get));
  ASSERT_EQ(moved.parents_size(), 2);
  EXPECT_EQ(ToCivilDay(moved.parents(0).valid().end(), "")->year(), 2020);
  EXPECT_EQ(moved.parents(1).parent(), "units/001");
  EXPECT_EQ(*ToCivilDay(moved.parents(1).valid().end(), ""),
            absl::CivilDay(2025, 6, 30));
}

TEST_F(UnitRegistryTest, RenameKeepsTheCodeAndRecordsTheEvent) {
  v1::RenameUnitRequest request;
  request.set_name("units/00016");
  request.set_display_name("Phường Ngọc Hà mới");
  *request.mutable_effective_date() = D(2024, 3, 1);
  request.set_legal_reference("NQ 100/NQ-HĐND");
  ASSERT_THAT(registry_->RenameUnit(request), IsOk());
  v1::GetUnitRequest get;
  get.set_name("units/00016");
  EXPECT_EQ(registry_->GetUnit(get)->display_name(), "Phường Ngọc Hà mới");
}

TEST_F(UnitRegistryTest, UnknownParentIsRejectedWithItsField) {
  v1::CreateUnitRequest request;
  *request.mutable_unit() =
      Unit("00100", v1::UNIT_KIND_WARD, "Phường X", "009");
  absl::StatusOr<v1::AdminUnit> created = registry_->CreateUnit(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(created.status()), "UNKNOWN_UNIT");
  EXPECT_THAT(Fields(created.status()), ElementsAre("unit.parents[0].parent"));
}

TEST_F(UnitRegistryTest, OverlappingParentLinksAreRejected) {
  v1::AdminUnit unit = Unit("00100", v1::UNIT_KIND_WARD, "Phường X", "001");
  v1::ParentLink* second = unit.add_parents();
  second->set_parent("units/01");
  *second->mutable_valid()->mutable_start() = D(2010, 1, 1);
  v1::CreateUnitRequest request;
  *request.mutable_unit() = unit;
  absl::StatusOr<v1::AdminUnit> created = registry_->CreateUnit(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(created.status()), ElementsAre("unit.parents[1].valid"));
}

TEST_F(UnitRegistryTest, MalformedUnitsListEveryViolation) {
  v1::AdminUnit unit = Unit("1234", v1::UNIT_KIND_PROVINCE, "", "01");
  unit.clear_level();
  *unit.mutable_valid()->mutable_end() = D(1999, 1, 1);
  v1::CreateUnitRequest request;
  *request.mutable_unit() = unit;
  absl::StatusOr<v1::AdminUnit> created = registry_->CreateUnit(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(created.status()),
              ::testing::IsSupersetOf({"unit.code", "unit.level", "unit.kind",
                                       "unit.display_name", "unit.valid.end"}));
}

TEST_F(UnitRegistryTest, UnitsMayBeginBeforeTheRecords) {
  // A district abolished by the reform, whose first day is not on record.
  v1::AdminUnit district =
      Unit("002", v1::UNIT_KIND_URBAN_DISTRICT, "Quận Hoàn Kiếm", "01");
  district.mutable_valid()->clear_start();
  *district.mutable_valid()->mutable_end() = D(2025, 6, 30);
  district.mutable_parents(0)->mutable_valid()->clear_start();
  *district.mutable_parents(0)->mutable_valid()->mutable_end() = D(2025, 6, 30);
  v1::CreateUnitRequest request;
  *request.mutable_unit() = district;
  ASSERT_THAT(registry_->CreateUnit(request), IsOk());
  EXPECT_THAT(Ancestors("002", D(1990, 1, 1)), ElementsAre("01"));
  EXPECT_THAT(Children("01", D(2025, 7, 1)), ElementsAre("001"));
}

TEST_F(UnitRegistryTest, CodesAreNeverReused) {
  ApplyReform();
  // 00013 was retired by the merge; its code cannot come back.
  v1::CreateUnitRequest request;
  *request.mutable_unit() =
      Unit("00013", v1::UNIT_KIND_WARD, "Phường Mới", "01");
  *request.mutable_unit()->mutable_valid()->mutable_start() = D(2026, 1, 1);
  *request.mutable_unit()
       ->mutable_parents(0)
       ->mutable_valid()
       ->mutable_start() = D(2026, 1, 1);
  absl::StatusOr<v1::AdminUnit> created = registry_->CreateUnit(request);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ErrorReason(created.status()), "UNIT_CODE_TAKEN");
}

TEST_F(UnitRegistryTest, MergeOfAUnitNotInForceOnTheDateIsRefused) {
  ApplyReform();
  v1::MergeUnitsRequest request;
  request.add_predecessors("units/00013");  // retired on 2025-06-30
  request.add_predecessors("units/00004");
  *request.mutable_successor() =
      Unit("00004", v1::UNIT_KIND_WARD, "Phường Ba Đình", "01");
  *request.mutable_effective_date() = D(2026, 1, 1);
  request.set_legal_reference("NQ 1/2026");
  absl::StatusOr<v1::SuccessionEvent> merged = registry_->MergeUnits(request);
  EXPECT_THAT(merged, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(merged.status()), "UNIT_NOT_IN_FORCE");
  EXPECT_THAT(Fields(merged.status()), ElementsAre("predecessors[0]"));
}

TEST_F(UnitRegistryTest, MergeIntoAnUnknownParentIsRefusedAndWritesNothing) {
  v1::MergeUnitsRequest request;
  request.add_predecessors("units/00001");
  request.add_predecessors("units/00016");
  *request.mutable_successor() =
      Unit("00097", v1::UNIT_KIND_WARD, "Phường Hồng Hà", "02");
  *request.mutable_effective_date() = D(2025, 7, 1);
  request.set_legal_reference(kReform);
  absl::StatusOr<v1::SuccessionEvent> merged = registry_->MergeUnits(request);
  EXPECT_THAT(merged, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(merged.status()),
              ElementsAre("successor.parents[0].parent"));
  v1::GetUnitRequest get;
  get.set_name("units/00097");
  EXPECT_THAT(registry_->GetUnit(get),
              StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Children("001", D(2025, 7, 1)),
              ElementsAre("00001", "00004", "00013", "00016"));
}

TEST_F(UnitRegistryTest, ParentMustBeAboveTheUnit) {
  // Making a province the child of a ward would be a cycle up the hierarchy.
  v1::ReparentUnitRequest request;
  request.set_name("units/001");
  request.set_parent("units/00001");
  *request.mutable_effective_date() = D(2025, 1, 1);
  request.set_legal_reference("x");
  absl::StatusOr<v1::SuccessionEvent> moved = registry_->ReparentUnit(request);
  EXPECT_THAT(moved, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(moved.status()), "PARENT_LEVEL");
  EXPECT_THAT(Fields(moved.status()), ElementsAre("parent"));
}

TEST_F(UnitRegistryTest, NegativePageSizeIsRejected) {
  v1::ListUnitsRequest request;
  request.set_page_size(-1);
  absl::StatusOr<v1::ListUnitsResponse> listed = registry_->ListUnits(request);
  EXPECT_THAT(listed, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(listed.status()), ElementsAre("page_size"));
}

TEST_F(UnitRegistryTest, PagesWalkEveryUnitOnce) {
  v1::ListUnitsRequest request;
  request.set_page_size(4);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    LT_ASSERT_OK_AND_ASSIGN(auto page, registry_->ListUnits(request));
    for (const auto& unit : page.units()) seen.push_back(unit.code());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(seen,
              ElementsAre("00001", "00004", "00013", "00016", "001", "01"));
}

TEST_F(UnitRegistryTest, StaleEtagIsAborted) {
  v1::UpdateUnitRequest request;
  request.mutable_unit()->set_name("units/001");
  request.mutable_unit()->set_display_name("Quận Ba Đình (cũ)");
  request.mutable_unit()->set_etag("999");
  request.mutable_update_mask()->add_paths("display_name");
  absl::StatusOr<v1::AdminUnit> updated = registry_->UpdateUnit(request);
  EXPECT_THAT(updated, StatusCodeIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ErrorReason(updated.status()), "ETAG_MISMATCH");

  request.mutable_unit()->clear_etag();
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit fresh, registry_->UpdateUnit(request));
  EXPECT_EQ(fresh.display_name(), "Quận Ba Đình (cũ)");
}

TEST_F(UnitRegistryTest, UpdateCannotTouchHistory) {
  v1::UpdateUnitRequest request;
  request.mutable_unit()->set_name("units/001");
  request.mutable_update_mask()->add_paths("parents");
  absl::StatusOr<v1::AdminUnit> updated = registry_->UpdateUnit(request);
  EXPECT_THAT(updated, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(updated.status()), ElementsAre("update_mask"));
}

TEST_F(UnitRegistryTest, RepeatedRequestIdGivesTheSameAnswerAndOneWrite) {
  v1::CreateUnitRequest request;
  *request.mutable_unit() =
      Unit("00100", v1::UNIT_KIND_WARD, "Phường Một", "001");
  request.set_request_id("6f1c2a9e-0d43-4b0e-9a7e-3f3b2d1c0a01");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit first, registry_->CreateUnit(request));
  // The retry differs (a client bug or a replay): the first answer stands.
  request.mutable_unit()->set_display_name("Phường Hai");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit second, registry_->CreateUnit(request));
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(second.display_name(), "Phường Một");
  EXPECT_EQ(second.etag(), "1");
}

TEST_F(UnitRegistryTest, MalformedNamesAreInvalidArgument) {
  v1::GetUnitRequest request;
  for (const char* name : {"", "01", "units/", "units/1", "units/0001a",
                           "units/000001", "agencies/01"}) {
    request.set_name(name);
    absl::StatusOr<v1::AdminUnit> unit = registry_->GetUnit(request);
    EXPECT_THAT(unit, StatusCodeIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_THAT(Fields(unit.status()), ElementsAre("name")) << name;
  }
  request.set_name("units/99");
  EXPECT_THAT(registry_->GetUnit(request),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lienthong::registry
