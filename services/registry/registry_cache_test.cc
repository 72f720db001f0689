#include "services/registry/registry_cache.h"

#include <cstdlib>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/testing/in_process_server.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/indicator_service.h"
#include "services/registry/notifying_stores.h"
#include "services/registry/registry_revision.h"
#include "services/registry/registry_watch_service.h"
#include "services/registry/sqlite_record_store.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;
using ::testing::UnorderedElementsAre;

TEST(RegistryRevisionTest, TellsWhatChangedAfterARevision) {
  RegistryRevision revision("run-1");
  revision.Bump("units");
  revision.Bump("indicators");
  revision.Bump("units");
  RevisionChanges changes =
      revision.WaitForChanges("run-1", 1, absl::InfinitePast());
  EXPECT_EQ(changes.revision, 3);
  EXPECT_THAT(changes.collections, UnorderedElementsAre("indicators", "units"));
  // Nothing new: the wait ends at the deadline with no changes.
  changes = revision.WaitForChanges("run-1", 3, absl::InfinitePast());
  EXPECT_TRUE(changes.collections.empty());
  // Another run's revision: everything must be refreshed.
  changes = revision.WaitForChanges("run-0", 3, absl::InfinitePast());
  EXPECT_EQ(changes.collections, RegistryRevision::AllCollections());
}

class RegistryCacheTest : public ::testing::Test {
 protected:
  RegistryCacheTest() {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/cache.db";
    std::filesystem::remove(path);
    sqlite_ = *SqliteRecordStore::Open(path);
    records_ =
        std::make_unique<NotifyingRecordStore>(sqlite_.get(), &revision_);
    registry_ = std::make_unique<IndicatorRegistry>(records_.get(), &clock_);
    indicator_service_ =
        std::make_unique<IndicatorServiceImpl>(registry_.get(), &authorizer_);
    watch_service_ = std::make_unique<RegistryWatchServiceImpl>(
        &revision_, &authorizer_, absl::Milliseconds(20));
    server_ =
        std::make_unique<testing::InProcessServer>(std::vector<HostedService>{
            {"lienthong.registry.v1.IndicatorService",
             indicator_service_.get()},
            {"lienthong.registry.v1.RegistryWatchService",
             watch_service_.get()}});
  }

  absl::Status Define(const std::string& unit_of_measure, bool create) {
    if (create) {
      v1::CreateIndicatorRequest request;
      v1::Indicator* indicator = request.mutable_indicator();
      indicator->set_code("NLS.SO_LOP");
      indicator->set_display_name_vi("Số lớp tập huấn");
      indicator->set_pillar(common::v1::PILLAR_DIGITAL_HUMAN_RESOURCES);
      indicator->set_value_type(v1::VALUE_TYPE_COUNT);
      indicator->set_aggregation(v1::AGGREGATION_RULE_SUM);
      indicator->set_unit_of_measure(unit_of_measure);
      *indicator->mutable_valid()->mutable_start() =
          ToDate(absl::CivilDay(2021, 1, 1));
      return registry_->CreateIndicator(request).status();
    }
    v1::UpdateIndicatorRequest request;
    request.mutable_indicator()->set_name("indicators/NLS.SO_LOP");
    request.mutable_indicator()->set_unit_of_measure(unit_of_measure);
    request.mutable_update_mask()->add_paths("unit_of_measure");
    *request.mutable_effective_date() = ToDate(absl::CivilDay(2025, 7, 1));
    return registry_->UpdateIndicator(request).status();
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  AllowAllAuthorizer authorizer_;
  RegistryRevision revision_{"run-1"};
  std::unique_ptr<SqliteRecordStore> sqlite_;
  std::unique_ptr<NotifyingRecordStore> records_;
  std::unique_ptr<IndicatorRegistry> registry_;
  std::unique_ptr<IndicatorServiceImpl> indicator_service_;
  std::unique_ptr<RegistryWatchServiceImpl> watch_service_;
  std::unique_ptr<testing::InProcessServer> server_;
};

TEST_F(RegistryCacheTest, ServesFromMemoryUntilTheRegistryChanges) {
  ASSERT_THAT(Define("lớp", /*create=*/true), IsOk());
  RegistryCache cache(server_->channel());
  ASSERT_TRUE(cache.WaitForRevision(1, absl::Seconds(30)));

  LT_ASSERT_OK_AND_ASSIGN(v1::Indicator first,
                          cache.GetIndicator("indicators/NLS.SO_LOP"));
  EXPECT_EQ(first.version(), 1);
  ASSERT_THAT(cache.GetIndicator("indicators/NLS.SO_LOP"), IsOk());
  EXPECT_EQ(cache.fetches(), 1);  // the second read came from memory

  ASSERT_THAT(Define("lượt", /*create=*/false), IsOk());  // revision 2
  ASSERT_TRUE(cache.WaitForRevision(2, absl::Seconds(30)));
  LT_ASSERT_OK_AND_ASSIGN(v1::Indicator second,
                          cache.GetIndicator("indicators/NLS.SO_LOP"));
  EXPECT_EQ(second.version(), 2);
  EXPECT_EQ(second.unit_of_measure(), "lượt");
  EXPECT_EQ(cache.fetches(), 2);
}

TEST_F(RegistryCacheTest, ErrorsComeBackWithTheirCodes) {
  RegistryCache cache(server_->channel());
  EXPECT_THAT(cache.GetIndicator("indicators/KHONG.CO"),
              ::lienthong::testing::StatusCodeIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace lienthong::registry
