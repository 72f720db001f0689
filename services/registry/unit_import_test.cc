#include "services/registry/unit_import.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_registry.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Property;

constexpr char kLaw[] = "NQ 202/2025/QH15";

std::string ReadRunfile(const std::string& name) {
  std::string path =
      std::string(std::getenv("TEST_SRCDIR")) + "/admin_units/" + name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

common::v1::Date D(int year, int month, int day) {
  return ToDate(absl::CivilDay(year, month, day));
}

class UnitImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/import.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(store_, SqliteUnitStore::Open(path, &clock_));
    importer_ = std::make_unique<UnitImporter>(store_.get(), &clock_);
    registry_ = std::make_unique<UnitRegistry>(store_.get(), &clock_);
  }

  v1::ImportUnitsRequest Request(v1::ImportFormat format, std::string content) {
    v1::ImportUnitsRequest request;
    request.set_format(format);
    request.set_content(std::move(content));
    *request.mutable_effective_date() = D(2025, 7, 1);
    request.set_legal_reference(kLaw);
    return request;
  }

  int Count(common::v1::UnitLevel level, common::v1::Date as_of) {
    v1::ListUnitsRequest request;
    request.set_level(level);
    *request.mutable_as_of() = as_of;
    request.set_page_size(1000);
    int count = 0;
    while (true) {
      absl::StatusOr<v1::ListUnitsResponse> page =
          registry_->ListUnits(request);
      EXPECT_THAT(page, IsOk());
      if (!page.ok()) return -1;
      count += page->units_size();
      if (page->next_page_token().empty()) return count;
      request.set_page_token(page->next_page_token());
    }
  }

  std::vector<std::string> Ancestors(const std::string& code,
                                     common::v1::Date as_of) {
    v1::ListAncestorsRequest request;
    request.set_name("units/" + code);
    *request.mutable_as_of() = as_of;
    std::vector<std::string> codes;
    absl::StatusOr<v1::ListAncestorsResponse> response =
        registry_->ListAncestors(request);
    EXPECT_THAT(response, IsOk()) << code;
    if (response.ok()) {
      for (const auto& unit : response->ancestors())
        codes.push_back(unit.code());
    }
    return codes;
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteUnitStore> store_;
  std::unique_ptr<UnitImporter> importer_;
  std::unique_ptr<UnitRegistry> registry_;
};

TEST_F(UnitImportTest, LoadsTheNationalDataAcrossTheReform) {
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse current,
      importer_->Import(Request(v1::IMPORT_FORMAT_UNITS_2025_JSON,
                                ReadRunfile("vn_units_2025.json"))));
  EXPECT_EQ(current.units_created(), 34 + 3321);
  EXPECT_EQ(current.refused_size(), 0);
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_PROVINCE, D(2025, 7, 1)), 34);
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_COMMUNE, D(2025, 7, 1)), 3321);

  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse old,
      importer_->Import(Request(v1::IMPORT_FORMAT_OLD_TO_2025_JSON,
                                ReadRunfile("vn_units_old_to_2025.json"))));
  // Six old communes name successors (06970, 23737) missing from the 2025
  // list: reported, not loaded.
  EXPECT_EQ(old.refused_size(), 6);
  EXPECT_THAT(old.refused(),
              ::testing::Each(Property(&v1::RefusedImportRow::reason,
                                       "UNKNOWN_SUCCESSOR")));
  EXPECT_GT(old.events_recorded(), 3000);
  // The map as it was the day before: 63 provinces, the old communes.
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_PROVINCE, D(2025, 6, 30)), 63);
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_COMMUNE, D(2025, 6, 30)), 10047 - 6);
  // And after: unchanged by the history behind it.
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_PROVINCE, D(2025, 7, 1)), 34);
  EXPECT_EQ(Count(common::v1::UNIT_LEVEL_COMMUNE, D(2025, 7, 1)), 3321);

  // Phường Phúc Xá (00001) went into Phường Hồng Hà (00097).
  EXPECT_THAT(Ancestors("00001", D(2025, 6, 30)), ElementsAre("01"));
  EXPECT_THAT(Ancestors("00097", D(2025, 7, 1)), ElementsAre("01"));
  v1::ListSuccessionEventsRequest events;
  events.set_unit("units/00097");
  LT_ASSERT_OK_AND_ASSIGN(auto listed, registry_->ListSuccessionEvents(events));
  std::vector<v1::SuccessionEvent> merges;
  for (const auto& event : listed.events()) {
    if (event.type() == v1::SUCCESSION_TYPE_MERGE &&
        event.successors(0).unit() == "units/00097") {
      merges.push_back(event);
    }
    EXPECT_EQ(event.legal_reference(), kLaw);
  }
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_THAT(merges[0].predecessors(), Contains("units/00001"));
  EXPECT_THAT(merges[0].successors(),
              ElementsAre(Property(&v1::Successor::unit, "units/00097")));
  // Tỉnh Hà Giang (02) was merged into Tỉnh Tuyên Quang (08), which kept its
  // code.
  events.set_unit("units/02");
  LT_ASSERT_OK_AND_ASSIGN(listed, registry_->ListSuccessionEvents(events));
  ASSERT_GE(listed.events_size(), 1);
  for (const auto& event : listed.events()) {
    EXPECT_EQ(event.type(), v1::SUCCESSION_TYPE_MERGE) << event.DebugString();
    EXPECT_THAT(event.successors(),
                ElementsAre(Property(&v1::Successor::unit, "units/08")))
        << event.DebugString();
  }
  // A continuing code keeps one identity across the date.
  v1::GetUnitRequest get;
  get.set_name("units/00004");
  LT_ASSERT_OK_AND_ASSIGN(v1::AdminUnit ba_dinh, registry_->GetUnit(get));
  EXPECT_EQ(ba_dinh.display_name(), "Phường Ba Đình");
  EXPECT_FALSE(ba_dinh.valid().has_end());

  // Importing both again changes nothing.
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse again_current,
      importer_->Import(Request(v1::IMPORT_FORMAT_UNITS_2025_JSON,
                                ReadRunfile("vn_units_2025.json"))));
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse again_old,
      importer_->Import(Request(v1::IMPORT_FORMAT_OLD_TO_2025_JSON,
                                ReadRunfile("vn_units_old_to_2025.json"))));
  for (const auto* again : {&again_current, &again_old}) {
    EXPECT_EQ(again->units_created(), 0);
    EXPECT_EQ(again->units_updated(), 0);
    EXPECT_EQ(again->events_recorded(), 0);
  }
}

TEST_F(UnitImportTest, BadRowsAreRefusedAndTheRestLoads) {
  std::string file = R"([
    {"Code": "01", "FullName": "Thành phố Hà Nội", "Wards": [
      {"Code": "00004", "FullName": "Phường Ba Đình", "ProvinceCode": "01"},
      {"Code": "0008", "FullName": "Phường Ngọc Hà", "ProvinceCode": "01"},
      {"Code": "00004", "FullName": "Phường Ba Đình", "ProvinceCode": "01"},
      {"Code": "00025", "FullName": "Phường Giảng Võ", "ProvinceCode": "79"}]},
    {"Code": "1", "FullName": "Tỉnh Sai Mã"}])";
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse response,
      importer_->Import(Request(v1::IMPORT_FORMAT_UNITS_2025_JSON, file)));
  EXPECT_EQ(response.units_created(), 2);
  std::vector<std::string> reasons;
  for (const auto& row : response.refused()) {
    reasons.push_back(row.location() + " " + row.reason());
  }
  EXPECT_THAT(reasons, ElementsAre("provinces[0].Wards[1] INVALID_ROW",
                                   "provinces[0].Wards[2] DUPLICATE_CODE",
                                   "provinces[0].Wards[3] PROVINCE_MISMATCH",
                                   "provinces[1] INVALID_ROW"));
}

TEST_F(UnitImportTest, DryRunWritesNothing) {
  v1::ImportUnitsRequest request =
      Request(v1::IMPORT_FORMAT_UNITS_2025_JSON,
              R"([{"Code": "01", "FullName": "Thành phố Hà Nội"}])");
  request.set_dry_run(true);
  LT_ASSERT_OK_AND_ASSIGN(v1::ImportUnitsResponse response,
                          importer_->Import(request));
  EXPECT_EQ(response.units_created(), 1);
  EXPECT_THAT(store_->GetUnit("01"), StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(UnitImportTest, MalformedRequestsAreRejected) {
  v1::ImportUnitsRequest request =
      Request(v1::IMPORT_FORMAT_UNITS_2025_JSON, "{not json");
  absl::StatusOr<v1::ImportUnitsResponse> response = importer_->Import(request);
  EXPECT_THAT(response, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(response.status()), "INVALID_IMPORT_CONTENT");

  request = v1::ImportUnitsRequest();
  response = importer_->Import(request);
  EXPECT_THAT(response, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolations(response.status())) {
    fields.push_back(violation.field);
  }
  EXPECT_THAT(fields, ElementsAre("format", "content", "effective_date",
                                  "legal_reference"));
}

TEST_F(UnitImportTest, OldMappingBeforeTheNewListIsRefusedRowByRow) {
  std::string file =
      R"({"data": [{"level1_id": "01", "name": "Thành phố Hà Nội",
      "splits": [{"new_id": "01"}], "level3s": []}]})";
  LT_ASSERT_OK_AND_ASSIGN(
      v1::ImportUnitsResponse response,
      importer_->Import(Request(v1::IMPORT_FORMAT_OLD_TO_2025_JSON, file)));
  ASSERT_EQ(response.refused_size(), 1);
  EXPECT_EQ(response.refused(0).reason(), "UNKNOWN_SUCCESSOR");
  EXPECT_EQ(response.units_created(), 0);
}

}  // namespace
}  // namespace lienthong::registry
