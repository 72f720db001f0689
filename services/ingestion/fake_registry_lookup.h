#ifndef SERVICES_INGESTION_FAKE_REGISTRY_LOOKUP_H_
#define SERVICES_INGESTION_FAKE_REGISTRY_LOOKUP_H_

// Test double of the registry for intake tests.

#include <map>
#include <string>
#include <vector>

#include "services/ingestion/registry_lookup.h"

namespace lienthong::ingestion {

// The registry as intake sees it: a commune, two indicators, a monthly
// schedule.
class FakeRegistry final : public RegistryLookup {
 public:
  FakeRegistry() {
    registry::v1::AdminUnit commune;
    commune.set_name("units/00097");
    commune.set_code("00097");
    commune.set_level(common::v1::UNIT_LEVEL_COMMUNE);
    commune.mutable_valid()->mutable_start()->set_year(2025);
    commune.mutable_valid()->mutable_start()->set_month(7);
    commune.mutable_valid()->mutable_start()->set_day(1);
    units["units/00097"] = commune;
    registry::v1::AdminUnit province = commune;
    province.set_name("units/01");
    province.set_level(common::v1::UNIT_LEVEL_PROVINCE);
    units["units/01"] = province;
    children["units/01"] = {"units/00097"};

    registry::v1::Indicator trainings;
    trainings.set_code("NLS.SO_LOP");
    trainings.set_value_type(registry::v1::VALUE_TYPE_COUNT);
    trainings.set_max_value(1000);
    indicators["indicators/NLS.SO_LOP"] = trainings;
    registry::v1::Indicator fibre;
    fibre.set_code("HTS.CAP_QUANG");
    fibre.set_value_type(registry::v1::VALUE_TYPE_RATIO);
    fibre.set_min_value(0);
    fibre.set_max_value(100);
    indicators["indicators/HTS.CAP_QUANG"] = fibre;

    registry::v1::ReportingSchedule monthly;
    monthly.set_name("schedules/cds-xa-thang");
    monthly.add_indicators("indicators/NLS.SO_LOP");
    monthly.add_indicators("indicators/HTS.CAP_QUANG");
    monthly.set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
    monthly.set_period_type(common::v1::PERIOD_TYPE_MONTH);
    monthly.set_window_rule(registry::v1::WINDOW_RULE_DECREE_09_CUTOFF);
    monthly.mutable_deadline()->set_submit_days_after_window(1);
    monthly.mutable_deadline()->set_forward_days_after_window(2);
    monthly.set_lock_days_after_deadline(10);
    schedules["schedules/cds-xa-thang"] = monthly;
  }

  template <typename M>
  static absl::StatusOr<M> Find(const std::map<std::string, M>& map,
                                const std::string& name) {
    auto it = map.find(name);
    if (it == map.end()) return absl::NotFoundError(name);
    return it->second;
  }
  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    return Find(units, name);
  }
  absl::StatusOr<registry::v1::Indicator> GetIndicator(
      const std::string& name) override {
    return Find(indicators, name);
  }
  absl::StatusOr<registry::v1::ReportingSchedule> GetSchedule(
      const std::string& name) override {
    return Find(schedules, name);
  }
  // The same children on every date.
  absl::StatusOr<std::vector<std::string>> ListChildren(
      const std::string& parent, absl::CivilDay) override {
    if (units.count(parent) == 0) return absl::NotFoundError(parent);
    return children[parent];
  }

  std::map<std::string, registry::v1::AdminUnit> units;
  std::map<std::string, registry::v1::Indicator> indicators;
  std::map<std::string, registry::v1::ReportingSchedule> schedules;
  std::map<std::string, std::vector<std::string>> children;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_FAKE_REGISTRY_LOOKUP_H_
