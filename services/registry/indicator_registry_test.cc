#include "services/registry/indicator_registry.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"
#include "services/registry/dates.h"
#include "services/registry/sqlite_record_store.h"

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

common::v1::Date D(int year, int month, int day) {
  return ToDate(absl::CivilDay(year, month, day));
}

v1::Indicator Fibre() {
  v1::Indicator indicator;
  indicator.set_code("HTS.HO_CAP_QUANG");
  indicator.set_display_name_vi("Tỷ lệ hộ gia đình có kết nối cáp quang");
  indicator.set_display_name_en("Households with fibre broadband");
  indicator.set_pillar(common::v1::PILLAR_DIGITAL_INFRASTRUCTURE);
  indicator.set_value_type(v1::VALUE_TYPE_RATIO);
  indicator.set_aggregation(v1::AGGREGATION_RULE_RATIO_OF_SUMS);
  indicator.set_unit_of_measure("%");
  indicator.set_min_value(0);
  indicator.set_max_value(100);
  *indicator.mutable_valid()->mutable_start() = D(2021, 1, 1);
  return indicator;
}

class IndicatorRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/ind.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(records_, SqliteRecordStore::Open(path));
    registry_ = std::make_unique<IndicatorRegistry>(records_.get(), &clock_);
  }

  absl::StatusOr<v1::Indicator> Create(v1::Indicator indicator) {
    v1::CreateIndicatorRequest request;
    *request.mutable_indicator() = std::move(indicator);
    return registry_->CreateIndicator(request);
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<SqliteRecordStore> records_;
  std::unique_ptr<IndicatorRegistry> registry_;
};

TEST_F(IndicatorRegistryTest, UpdatesMakeDatedVersions) {
  LT_ASSERT_OK_AND_ASSIGN(v1::Indicator first, Create(Fibre()));
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.name(), "indicators/HTS.HO_CAP_QUANG");

  v1::UpdateIndicatorRequest update;
  update.mutable_indicator()->set_name(first.name());
  update.mutable_indicator()->set_etag(first.etag());
  update.mutable_indicator()->set_display_name_vi(
      "Tỷ lệ hộ gia đình sử dụng cáp quang băng rộng");
  update.mutable_update_mask()->add_paths("display_name_vi");
  *update.mutable_effective_date() = D(2025, 7, 1);
  LT_ASSERT_OK_AND_ASSIGN(v1::Indicator second,
                          registry_->UpdateIndicator(update));
  EXPECT_EQ(second.version(), 2);

  // Reads as of a date see the definition in force then.
  v1::GetIndicatorRequest get;
  get.set_name(first.name());
  *get.mutable_as_of() = D(2025, 6, 30);
  LT_ASSERT_OK_AND_ASSIGN(v1::Indicator old, registry_->GetIndicator(get));
  EXPECT_EQ(old.version(), 1);
  EXPECT_EQ(old.valid().end().day(), 30);
  *get.mutable_as_of() = D(2025, 7, 1);
  EXPECT_EQ(registry_->GetIndicator(get)->version(), 2);
  get.clear_as_of();
  EXPECT_EQ(registry_->GetIndicator(get)->display_name_vi(),
            "Tỷ lệ hộ gia đình sử dụng cáp quang băng rộng");

  v1::ListIndicatorVersionsRequest versions;
  versions.set_name(first.name());
  LT_ASSERT_OK_AND_ASSIGN(auto listed,
                          registry_->ListIndicatorVersions(versions));
  EXPECT_EQ(listed.versions_size(), 2);

  // The first version's etag is stale now.
  EXPECT_THAT(registry_->UpdateIndicator(update),
              StatusCodeIs(absl::StatusCode::kAborted));
  // And a version cannot start before the current one.
  update.mutable_indicator()->set_etag("2");
  *update.mutable_effective_date() = D(2025, 1, 1);
  EXPECT_THAT(registry_->UpdateIndicator(update),
              StatusCodeIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(IndicatorRegistryTest, PercentagesAreNeverSummed) {
  v1::Indicator indicator = Fibre();
  indicator.set_value_type(v1::VALUE_TYPE_PERCENT);
  indicator.set_aggregation(v1::AGGREGATION_RULE_SUM);
  absl::StatusOr<v1::Indicator> created = Create(indicator);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(created.status()), ElementsAre("indicator.aggregation"));
}

TEST_F(IndicatorRegistryTest, WeightedMeanNeedsAKnownCountWeight) {
  v1::Indicator satisfaction = Fibre();
  satisfaction.set_code("CQS.HAI_LONG");
  satisfaction.set_value_type(v1::VALUE_TYPE_PERCENT);
  satisfaction.set_aggregation(v1::AGGREGATION_RULE_WEIGHTED_MEAN);
  absl::StatusOr<v1::Indicator> created = Create(satisfaction);
  EXPECT_THAT(Fields(created.status()),
              ElementsAre("indicator.weight_indicator"));

  satisfaction.set_weight_indicator("indicators/XHS.DAN_SO");
  created = Create(satisfaction);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(created.status()), "UNKNOWN_INDICATOR");

  v1::Indicator population = Fibre();
  population.set_code("XHS.DAN_SO");
  population.set_value_type(v1::VALUE_TYPE_COUNT);
  population.set_aggregation(v1::AGGREGATION_RULE_SUM);
  population.clear_min_value();
  population.clear_max_value();
  ASSERT_THAT(Create(population), IsOk());
  EXPECT_THAT(Create(satisfaction), IsOk());
}

TEST_F(IndicatorRegistryTest, MalformedDefinitionsListEveryViolation) {
  v1::Indicator indicator;
  indicator.set_code("bad code");
  indicator.set_min_value(5);
  indicator.set_max_value(1);
  absl::StatusOr<v1::Indicator> created = Create(indicator);
  EXPECT_THAT(created, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fields(created.status()),
              ElementsAre("indicator.code", "indicator.display_name_vi",
                          "indicator.pillar", "indicator.value_type",
                          "indicator.max_value", "indicator.valid.start"));
}

TEST_F(IndicatorRegistryTest, CodesAreUniqueAndListedByPillar) {
  ASSERT_THAT(Create(Fibre()), IsOk());
  EXPECT_THAT(Create(Fibre()), StatusCodeIs(absl::StatusCode::kAlreadyExists));
  v1::Indicator trainings = Fibre();
  trainings.set_code("NLS.SO_LOP_TAP_HUAN");
  trainings.set_pillar(common::v1::PILLAR_DIGITAL_HUMAN_RESOURCES);
  trainings.set_value_type(v1::VALUE_TYPE_COUNT);
  trainings.set_aggregation(v1::AGGREGATION_RULE_SUM);
  trainings.clear_max_value();
  ASSERT_THAT(Create(trainings), IsOk());

  v1::ListIndicatorsRequest list;
  LT_ASSERT_OK_AND_ASSIGN(auto all, registry_->ListIndicators(list));
  ASSERT_EQ(all.indicators_size(), 2);
  list.set_pillar(common::v1::PILLAR_DIGITAL_HUMAN_RESOURCES);
  LT_ASSERT_OK_AND_ASSIGN(auto some, registry_->ListIndicators(list));
  ASSERT_EQ(some.indicators_size(), 1);
  EXPECT_EQ(some.indicators(0).code(), "NLS.SO_LOP_TAP_HUAN");
  list.set_page_size(-1);
  EXPECT_THAT(registry_->ListIndicators(list),
              StatusCodeIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(IndicatorRegistryTest, PagesWalkEveryCodeOnceAcrossVersions) {
  for (const char* code : {"A.1", "A.2", "A.3"}) {
    v1::Indicator indicator = Fibre();
    indicator.set_code(code);
    ASSERT_THAT(Create(indicator), IsOk());
  }
  v1::UpdateIndicatorRequest update;
  update.mutable_indicator()->set_name("indicators/A.2");
  update.mutable_indicator()->set_unit_of_measure("hộ");
  update.mutable_update_mask()->add_paths("unit_of_measure");
  *update.mutable_effective_date() = D(2024, 1, 1);
  ASSERT_THAT(registry_->UpdateIndicator(update), IsOk());

  v1::ListIndicatorsRequest list;
  list.set_page_size(1);
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    LT_ASSERT_OK_AND_ASSIGN(auto page, registry_->ListIndicators(list));
    for (const auto& indicator : page.indicators()) {
      seen.push_back(absl::StrCat(indicator.code(), "@", indicator.version()));
    }
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre("A.1@1", "A.2@2", "A.3@1"));
}

}  // namespace
}  // namespace lienthong::registry
