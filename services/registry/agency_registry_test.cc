#include "services/registry/agency_registry.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/sqlite_record_store.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolations(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

v1::Agency Agency(const std::string& code, const std::string& unit,
                  const std::string& parent = "") {
  v1::Agency agency;
  agency.set_code(code);
  agency.set_display_name("Ủy ban nhân dân " + code);
  agency.set_unit("units/" + unit);
  if (!parent.empty()) agency.set_parent_agency("agencies/" + parent);
  return agency;
}

class AgencyRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = std::getenv("TEST_TMPDIR");
    for (const char* file : {"/agency-units.db", "/agency-records.db"}) {
      std::filesystem::remove(dir + file);
    }
    LT_ASSERT_OK_AND_ASSIGN(
        units_, SqliteUnitStore::Open(dir + "/agency-units.db", &clock_));
    LT_ASSERT_OK_AND_ASSIGN(
        records_, SqliteRecordStore::Open(dir + "/agency-records.db"));
    v1::AdminUnit hanoi;
    hanoi.set_code("01");
    hanoi.set_display_name("Thành phố Hà Nội");
    hanoi.set_level(common::v1::UNIT_LEVEL_PROVINCE);
    UnitWrite write;
    write.puts.push_back({hanoi, true, ""});
    ASSERT_THAT(units_->Write(write), IsOk());
    registry_ =
        std::make_unique<AgencyRegistry>(records_.get(), units_.get(), &clock_);
  }

  absl::StatusOr<v1::Agency> Create(v1::Agency agency,
                                    const std::string& request_id = "") {
    v1::CreateAgencyRequest request;
    *request.mutable_agency() = std::move(agency);
    request.set_request_id(request_id);
    return registry_->CreateAgency(request);
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteUnitStore> units_;
  std::unique_ptr<SqliteRecordStore> records_;
  std::unique_ptr<AgencyRegistry> registry_;
};

TEST(AgencyCodeTest, FollowsTheDecisionFormat) {
  for (const char* code : {"000.00.04.G14", "000.00.00.H30", "G14", "A.B.C"}) {
    EXPECT_TRUE(IsAgencyCode(code)) << code;
  }
  for (const char* code :
       {"", ".G14", "G14.", "000..G14", "000.00.04.g14", "000 00", "000-00",
        "000.000.000.000.000.000.000.000.0000"}) {  // 36 characters
    EXPECT_FALSE(IsAgencyCode(code)) << code;
  }
}

TEST_F(AgencyRegistryTest, CreatesReadsAndListsByUnit) {
  LT_ASSERT_OK_AND_ASSIGN(v1::Agency created,
                          Create(Agency("000.00.00.H01", "01")));
  EXPECT_EQ(created.name(), "agencies/000.00.00.H01");
  EXPECT_EQ(created.etag(), "1");
  ASSERT_THAT(Create(Agency("000.01.00.H01", "01", "000.00.00.H01")), IsOk());

  v1::ListAgenciesRequest list;
  list.set_unit("units/01");
  LT_ASSERT_OK_AND_ASSIGN(auto listed, registry_->ListAgencies(list));
  ASSERT_EQ(listed.agencies_size(), 2);
  list.set_parent_agency("agencies/000.00.00.H01");
  LT_ASSERT_OK_AND_ASSIGN(listed, registry_->ListAgencies(list));
  ASSERT_EQ(listed.agencies_size(), 1);
  EXPECT_EQ(listed.agencies(0).code(), "000.01.00.H01");
}

TEST_F(AgencyRegistryTest, InvalidCodeIsRejectedWithItsField) {
  absl::StatusOr<v1::Agency> created = Create(Agency("000.00.04.g14", "01"));
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(created.status()), "INVALID_AGENCY");
  EXPECT_THAT(Fields(created.status()), ElementsAre("agency.code"));
}

TEST_F(AgencyRegistryTest, UnknownUnitAndParentAreRejected) {
  absl::StatusOr<v1::Agency> created = Create(Agency("G01", "79"));
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(created.status()), ElementsAre("agency.unit"));

  created = Create(Agency("G01", "01", "NOPE"));
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(created.status()), "UNKNOWN_AGENCY");
  EXPECT_THAT(Fields(created.status()), ElementsAre("agency.parent_agency"));
}

TEST_F(AgencyRegistryTest, DuplicateCodeIsAlreadyExists) {
  ASSERT_THAT(Create(Agency("G01", "01")), IsOk());
  EXPECT_THAT(Create(Agency("G01", "01")),
              StatusCodeIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(AgencyRegistryTest, StaleEtagIsAbortedAndCyclesAreRefused) {
  ASSERT_THAT(Create(Agency("G01", "01")), IsOk());
  ASSERT_THAT(Create(Agency("G02", "01", "G01")), IsOk());
  v1::UpdateAgencyRequest update;
  update.mutable_agency()->set_name("agencies/G01");
  update.mutable_agency()->set_email("ubnd@hanoi.gov.vn");
  update.mutable_agency()->set_etag("7");
  update.mutable_update_mask()->add_paths("email");
  EXPECT_THAT(registry_->UpdateAgency(update),
              StatusCodeIs(absl::StatusCode::kAborted));
  update.mutable_agency()->set_etag("1");
  LT_ASSERT_OK_AND_ASSIGN(v1::Agency updated, registry_->UpdateAgency(update));
  EXPECT_EQ(updated.email(), "ubnd@hanoi.gov.vn");
  EXPECT_EQ(updated.etag(), "2");

  // G01 under G02, which is under G01: a loop.
  v1::UpdateAgencyRequest loop;
  loop.mutable_agency()->set_name("agencies/G01");
  loop.mutable_agency()->set_parent_agency("agencies/G02");
  loop.mutable_update_mask()->add_paths("parent_agency");
  absl::StatusOr<v1::Agency> looped = registry_->UpdateAgency(loop);
  EXPECT_THAT(looped, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(looped.status()), "AGENCY_CYCLE");
}

TEST_F(AgencyRegistryTest, DeleteRefusesAgenciesInUse) {
  ASSERT_THAT(Create(Agency("G01", "01")), IsOk());
  ASSERT_THAT(Create(Agency("G02", "01", "G01")), IsOk());
  v1::DeleteAgencyRequest remove;
  remove.set_name("agencies/G01");
  absl::StatusOr<google::protobuf::Empty> removed =
      registry_->DeleteAgency(remove);
  EXPECT_THAT(removed, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(removed.status()), "AGENCY_IN_USE");
  remove.set_name("agencies/G02");
  ASSERT_THAT(registry_->DeleteAgency(remove), IsOk());
  remove.set_name("agencies/G01");
  ASSERT_THAT(registry_->DeleteAgency(remove), IsOk());
  v1::GetAgencyRequest get;
  get.set_name("agencies/G01");
  EXPECT_THAT(registry_->GetAgency(get),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(AgencyRegistryTest, RepeatedRequestIdWritesOnce) {
  LT_ASSERT_OK_AND_ASSIGN(v1::Agency first,
                          Create(Agency("G01", "01"), "req-7"));
  v1::Agency other = Agency("G09", "01");
  LT_ASSERT_OK_AND_ASSIGN(v1::Agency second, Create(other, "req-7"));
  EXPECT_EQ(second.name(), first.name());
  v1::GetAgencyRequest get;
  get.set_name("agencies/G09");
  EXPECT_THAT(registry_->GetAgency(get),
              StatusCodeIs(absl::StatusCode::kNotFound));
}

TEST_F(AgencyRegistryTest, BadListRequestsAreRejected) {
  v1::ListAgenciesRequest list;
  list.set_page_size(-5);
  list.set_unit("01");
  absl::StatusOr<v1::ListAgenciesResponse> listed =
      registry_->ListAgencies(list);
  EXPECT_THAT(listed, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(listed.status()), ElementsAre("page_size", "unit"));
}

TEST_F(AgencyRegistryTest, PagesWalkEveryAgencyOnce) {
  for (const char* code : {"G01", "G02", "G03", "G04", "G05"}) {
    ASSERT_THAT(Create(Agency(code, "01")), IsOk());
  }
  v1::ListAgenciesRequest list;
  list.set_page_size(2);
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    LT_ASSERT_OK_AND_ASSIGN(auto page, registry_->ListAgencies(list));
    for (const auto& agency : page.agencies()) seen.push_back(agency.code());
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre("G01", "G02", "G03", "G04", "G05"));
}

}  // namespace
}  // namespace lienthong::registry
