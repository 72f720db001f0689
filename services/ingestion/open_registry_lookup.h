#ifndef SERVICES_INGESTION_OPEN_REGISTRY_LOOKUP_H_
#define SERVICES_INGESTION_OPEN_REGISTRY_LOOKUP_H_

// A registry in which every unit is a commune and every indicator a count,
// with one monthly commune schedule "schedules/bench" of "indicators/B.0" ..
// "indicators/B.<n-1>" that never locks: what benchmarks validate against, so
// they measure intake rather than a registry.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/ingestion/registry_lookup.h"

namespace lienthong::ingestion {

class OpenRegistryLookup final : public RegistryLookup {
 public:
  explicit OpenRegistryLookup(int indicators) {
    schedule_.set_name("schedules/bench");
    schedule_.set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
    schedule_.set_period_type(common::v1::PERIOD_TYPE_MONTH);
    schedule_.mutable_deadline()->set_submit_days_after_window(1);
    schedule_.mutable_deadline()->set_forward_days_after_window(1);
    schedule_.set_lock_days_after_deadline(36500);
    for (int i = 0; i < indicators; ++i) {
      schedule_.add_indicators(absl::StrCat("indicators/B.", i));
    }
  }

  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    registry::v1::AdminUnit unit;
    unit.set_name(name);
    unit.set_level(common::v1::UNIT_LEVEL_COMMUNE);
    return unit;
  }
  absl::StatusOr<registry::v1::Indicator> GetIndicator(
      const std::string& name) override {
    registry::v1::Indicator indicator;
    indicator.set_code(name.substr(sizeof("indicators/") - 1));
    indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
    return indicator;
  }
  absl::StatusOr<registry::v1::ReportingSchedule> GetSchedule(
      const std::string&) override {
    return schedule_;
  }
  absl::StatusOr<std::vector<std::string>> ListChildren(
      const std::string&, absl::CivilDay) override {
    return std::vector<std::string>();
  }

 private:
  registry::v1::ReportingSchedule schedule_;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_OPEN_REGISTRY_LOOKUP_H_
