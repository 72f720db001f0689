#include "services/registry/admin_unit_service.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "libs/testing/in_process_server.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_import.h"
#include "services/registry/unit_registry.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;

// Denies writes to one unit, to show the adapter consults the hook.
class DenyUnitAuthorizer final : public Authorizer {
 public:
  absl::Status Authorize(const Caller&, absl::string_view method,
                         absl::string_view resource,
                         const HierarchyDay&) const override {
    if (method == "registry.units.create" && resource == "79") {
      return absl::PermissionDeniedError("not your province");
    }
    return absl::OkStatus();
  }
};

class AdminUnitServiceTest : public ::testing::Test {
 protected:
  AdminUnitServiceTest() {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/svc.db";
    std::filesystem::remove(path);
    store_ = *SqliteUnitStore::Open(path, &clock_);
    registry_ = std::make_unique<UnitRegistry>(store_.get(), &clock_);
    importer_ = std::make_unique<UnitImporter>(store_.get(), &clock_);
    service_ = std::make_unique<AdminUnitServiceImpl>(
        registry_.get(), importer_.get(), &authorizer_);
    server_ =
        std::make_unique<testing::InProcessServer>(std::vector<HostedService>{
            {"lienthong.registry.v1.AdminUnitService", service_.get()}});
    stub_ = v1::AdminUnitService::NewStub(server_->channel());
  }

  v1::CreateUnitRequest Province(const std::string& code) {
    v1::CreateUnitRequest request;
    v1::AdminUnit* unit = request.mutable_unit();
    unit->set_code(code);
    unit->set_display_name("Thành phố Hà Nội");
    unit->set_level(common::v1::UNIT_LEVEL_PROVINCE);
    unit->set_kind(v1::UNIT_KIND_CENTRAL_CITY);
    unit->mutable_valid()->mutable_start()->set_year(2008);
    unit->mutable_valid()->mutable_start()->set_month(8);
    unit->mutable_valid()->mutable_start()->set_day(1);
    return request;
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  DenyUnitAuthorizer authorizer_;
  std::unique_ptr<SqliteUnitStore> store_;
  std::unique_ptr<UnitRegistry> registry_;
  std::unique_ptr<UnitImporter> importer_;
  std::unique_ptr<AdminUnitServiceImpl> service_;
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<v1::AdminUnitService::Stub> stub_;
};

TEST_F(AdminUnitServiceTest, CreatesAndReadsUnitsOverGrpc) {
  grpc::ClientContext create_context;
  v1::AdminUnit created;
  ASSERT_TRUE(
      stub_->CreateUnit(&create_context, Province("01"), &created).ok());
  EXPECT_EQ(created.name(), "units/01");

  grpc::ClientContext list_context;
  v1::ListUnitsRequest list;
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(stub_->ListUnits(&list_context, list, &listed).ok());
  ASSERT_EQ(listed.units_size(), 1);
  EXPECT_EQ(listed.units(0).display_name(), "Thành phố Hà Nội");
}

TEST_F(AdminUnitServiceTest, RejectionsArriveWithCodeReasonAndFields) {
  grpc::ClientContext context;
  v1::GetUnitRequest request;
  request.set_name("units/1");
  v1::AdminUnit unit;
  absl::Status status =
      FromGrpcStatus(stub_->GetUnit(&context, request, &unit));
  EXPECT_THAT(status, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(status), "INVALID_UNIT_NAME");
  ASSERT_EQ(FieldViolations(status).size(), 1u);
  EXPECT_EQ(FieldViolations(status)[0].field, "name");
}

TEST_F(AdminUnitServiceTest, TheAuthorizationHookIsConsulted) {
  grpc::ClientContext context;
  v1::AdminUnit unit;
  grpc::Status status = stub_->CreateUnit(&context, Province("79"), &unit);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::GetUnitRequest get;
  get.set_name("units/79");
  grpc::ClientContext get_context;
  EXPECT_EQ(stub_->GetUnit(&get_context, get, &unit).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminUnitServiceTest, ImportsAUnitListOverGrpc) {
  v1::ImportUnitsRequest request;
  request.set_format(v1::IMPORT_FORMAT_UNITS_2025_JSON);
  request.set_content(
      R"([{"Code": "01", "FullName": "Thành phố Hà Nội", "Wards": [
          {"Code": "00097", "FullName": "Phường Hồng Hà"}]}])");
  request.mutable_effective_date()->set_year(2025);
  request.mutable_effective_date()->set_month(7);
  request.mutable_effective_date()->set_day(1);
  request.set_legal_reference("NQ 202/2025/QH15");
  grpc::ClientContext context;
  v1::ImportUnitsResponse response;
  ASSERT_TRUE(stub_->ImportUnits(&context, request, &response).ok());
  EXPECT_EQ(response.units_created(), 2);
}

}  // namespace
}  // namespace lienthong::registry
