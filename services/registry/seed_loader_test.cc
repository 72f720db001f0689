// The seed plans load into the registry, on top of the national units, with all
// their targets and tasks; loading them again changes nothing.

#include "services/registry/seed_loader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/agency_registry.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/plan_registry.h"
#include "services/registry/sqlite_record_store.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_import.h"
#include "services/registry/unit_registry.h"

namespace lienthong::registry {
namespace {

using ::lienthong::testing::IsOk;

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/" + path;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class SeedLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = std::getenv("TEST_TMPDIR");
    std::filesystem::remove(dir + "/seed-units.db");
    std::filesystem::remove(dir + "/seed-records.db");
    LT_ASSERT_OK_AND_ASSIGN(
        units_, SqliteUnitStore::Open(dir + "/seed-units.db", &clock_));
    LT_ASSERT_OK_AND_ASSIGN(records_,
                            SqliteRecordStore::Open(dir + "/seed-records.db"));
    UnitImporter importer(units_.get(), &clock_);
    for (const auto& [file, format] : {std::pair<std::string, v1::ImportFormat>{
                                           "admin_units/vn_units_2025.json",
                                           v1::IMPORT_FORMAT_UNITS_2025_JSON},
                                       {"admin_units/vn_units_old_to_2025.json",
                                        v1::IMPORT_FORMAT_OLD_TO_2025_JSON}}) {
      v1::ImportUnitsRequest request;
      request.set_format(format);
      request.set_content(Read(Runfile(file)));
      request.mutable_effective_date()->set_year(2025);
      request.mutable_effective_date()->set_month(7);
      request.mutable_effective_date()->set_day(1);
      request.set_legal_reference("NQ 202/2025/QH15");
      ASSERT_THAT(importer.Import(request), IsOk());
    }
    unit_registry_ = std::make_unique<UnitRegistry>(units_.get(), &clock_);
    agencies_ =
        std::make_unique<AgencyRegistry>(records_.get(), units_.get(), &clock_);
    indicators_ = std::make_unique<IndicatorRegistry>(records_.get(), &clock_);
    plans_ =
        std::make_unique<PlanRegistry>(records_.get(), units_.get(), &clock_);
  }

  SeedTargets Targets() {
    return {unit_registry_.get(), agencies_.get(), indicators_.get(),
            plans_.get()};
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteUnitStore> units_;
  std::unique_ptr<SqliteRecordStore> records_;
  std::unique_ptr<UnitRegistry> unit_registry_;
  std::unique_ptr<AgencyRegistry> agencies_;
  std::unique_ptr<IndicatorRegistry> indicators_;
  std::unique_ptr<PlanRegistry> plans_;
};

TEST_F(SeedLoaderTest, EverySeedPlanLoadsWithAllItsTargetsAndTasks) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto bundles, ReadSeedBundles(Runfile("lienthong/deploy/demo/seeds")));
  ASSERT_EQ(bundles.size(), 5u);
  SeedLoadSummary expected;
  for (const auto& bundle : bundles) {
    expected.plans += bundle.plans_size();
    for (const auto& plan : bundle.plans()) {
      expected.targets += plan.targets_size();
      expected.tasks += plan.tasks_size();
    }
  }
  absl::StatusOr<SeedLoadSummary> first = LoadSeedBundles(bundles, Targets());
  ASSERT_THAT(first, IsOk()) << ::testing::PrintToString(
      FieldViolations(first.status()).empty()
          ? std::string()
          : FieldViolations(first.status())[0].field + ": " +
                FieldViolations(first.status())[0].description);
  SeedLoadSummary loaded = *first;
  EXPECT_EQ(loaded.plans, expected.plans);
  EXPECT_EQ(loaded.targets, expected.targets);
  EXPECT_EQ(loaded.tasks, expected.tasks);

  // Read back through the registry: each plan has exactly its targets and
  // tasks.
  for (const auto& bundle : bundles) {
    for (const auto& seed : bundle.plans()) {
      SCOPED_TRACE(seed.plan().name());
      v1::ListTargetsRequest targets;
      targets.set_parent(seed.plan().name());
      targets.set_page_size(1000);
      LT_ASSERT_OK_AND_ASSIGN(auto listed_targets,
                              plans_->ListTargets(targets));
      EXPECT_EQ(listed_targets.targets_size(), seed.targets_size());
      v1::ListTasksRequest tasks;
      tasks.set_parent(seed.plan().name());
      tasks.set_page_size(1000);
      LT_ASSERT_OK_AND_ASSIGN(auto listed_tasks, plans_->ListTasks(tasks));
      EXPECT_EQ(listed_tasks.tasks_size(), seed.tasks_size());
    }
  }
  // Seed 003's Appendix 1 is all there.
  for (const auto& bundle : bundles) {
    if (bundle.source() != "003_385c390f8547d1a2.txt") continue;
    int tasks = 0;
    for (const auto& plan : bundle.plans()) tasks += plan.tasks_size();
    EXPECT_GE(tasks, 20) << "Appendix 1 of seed 003 has dozens of rows";
  }

  // Loading again writes nothing new.
  LT_ASSERT_OK_AND_ASSIGN(SeedLoadSummary again,
                          LoadSeedBundles(bundles, Targets()));
  EXPECT_EQ(again.tasks, loaded.tasks);
  for (const auto& bundle : bundles) {
    for (const auto& seed : bundle.plans()) {
      v1::ListTasksRequest tasks;
      tasks.set_parent(seed.plan().name());
      tasks.set_page_size(1000);
      EXPECT_EQ(plans_->ListTasks(tasks)->tasks_size(), seed.tasks_size());
    }
  }
}

}  // namespace
}  // namespace lienthong::registry
